#!/usr/bin/env bats
# The man pages are lint-clean and document what the tools do.

load ../helpers/common

lint() {
	local out
	out=$("${MANDOC:-mandoc}" -T lint -W warning "$BCA_SRCDIR/man/$1" 2>&1) || true
	[ -z "$out" ] || { echo "$out"; return 1; }
}

@test "blkcrypt-query.8 is lint-clean" { lint blkcrypt-query.8; }
@test "fscryptctl-dio.8 is lint-clean" { lint fscryptctl-dio.8; }
@test "dmcrypt-inline.8 is lint-clean" { lint dmcrypt-inline.8; }
@test "libblkcryptadm.3 is lint-clean" { lint libblkcryptadm.3; }
@test "the kernel series' man-page text is lint-clean" {
	lint ../kernel/man/FS_IOC_GET_ENCRYPTION_IMPL.2const
	lint ../kernel/man/RWF_DIO_STRICT.2
}

@test "every tool's page has an EXIT STATUS section" {
	for page in blkcrypt-query.8 fscryptctl-dio.8 dmcrypt-inline.8; do
		grep -q '^\.SH EXIT STATUS' "$BCA_SRCDIR/man/$page" || { echo "$page"; return 1; }
	done
}

@test "every blkcrypt-query column is documented in --help and every reason in the page" {
	local page
	run "$BLKCRYPT_QUERY" file --help
	# roff spells a hyphen in a name \-
	page=$(sed 's/\\-/-/g' "$BCA_SRCDIR/man/blkcrypt-query.8")
	for reason in not-regular no-inlinecrypt key-absent mode-no-inline iv-ino-lblk-32-blocksize \
		      verity data-journal inline-data fs-no-dio device-no-crypto unknown \
		      backing-unreachable loop-dio-off; do
		grep -qx "\.B $reason" <<<"$page" || { echo "$reason"; return 1; }
	done
}

@test "the linter really fails on a broken page" {
	printf '.TH X 1\n.SH NAME\n.BI\n.UNKNOWNMACRO\n' > "$BATS_TEST_TMPDIR/bad.1"
	run "${MANDOC:-mandoc}" -T lint -W warning "$BATS_TEST_TMPDIR/bad.1"
	[ -n "$output" ]
}
