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

@test "every command of every page's EXAMPLES is run by a test, which compares what it prints" {
	local page cmd missing=()
	for page in "$BCA_SRCDIR"/man/*.[0-9]; do
		while IFS= read -r cmd; do
			# the test quotes the command as the page spells it
			grep -rqF -- "$cmd" "$BCA_SRCDIR/tests/cli" "$BCA_SRCDIR/tests/root" "$BCA_SRCDIR/tests/vm" ||
				missing+=("$(basename "$page"): $cmd")
		done < <("$BCA_SRCDIR/tests/helpers/man-example" "$page" --commands)
	done
	[ ${#missing[@]} -eq 0 ] || { printf '%s\n' "${missing[@]}"; return 1; }
	# and the helper finds them: one page's known command, its shown output
	assert_eq "$("$BCA_SRCDIR/tests/helpers/man-example" "$BCA_SRCDIR/man/dmcrypt-inline.8" \
		"dmcrypt-inline status -o NAME,TARGET,CRYPTO-BY fast")" "NAME TARGET      CRYPTO-BY
fast inlinecrypt inline-fallback"
}

@test "libblkcryptadm(3) EXAMPLES: the program builds against the library and prints blkcrypt-query's verdict" {
	local dir
	dir=$(mktemp -d)
	"$BCA_SRCDIR/tests/helpers/man-example" "$BCA_SRCDIR/man/libblkcryptadm.3" --block 1 >"$dir/example.c"
	grep -q 'bca_file_query' "$dir/example.c"
	# BCA_CLIENT_FLAGS: the sanitizer runtime, in a sanitizer build
	# shellcheck disable=SC2086
	${CC:-cc} -Wall ${BCA_CLIENT_FLAGS:-} -o "$dir/example" "$dir/example.c" -I"$BCA_SRCDIR/lib" \
		-L"$BCA_BUILDDIR/.libs" -lblkcryptadm
	printf x >"$dir/file"
	mkfifo "$dir/fifo"
	for f in "$dir/file" "$dir/fifo" "$dir"; do
		assert_eq "$(LD_LIBRARY_PATH=$BCA_BUILDDIR/.libs "$dir/example" "$f")" \
			"$("$BLKCRYPT_QUERY" file -r -n -o DIO "$f")"
	done
	run env LD_LIBRARY_PATH="$BCA_BUILDDIR/.libs" "$dir/example" "$dir/missing"
	[ "$status" -eq 1 ]
	assert_eq "$output" "$dir/missing: No such file or directory"
	rm -rf "$dir"
}
