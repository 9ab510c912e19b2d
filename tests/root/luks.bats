#!/usr/bin/env bats
# dmcrypt-inline open as root on the host, where device-mapper may be
# missing: a LUKS2 volume on a loop device unlocked with --dry-run (no
# device is made), and a core of the process right after the unlock
# checked for the volume key and the passphrase.  The guest suite
# (tests/vm/luks.bats) does the rest with real mappings.

load ../helpers/common

bats_require_minimum_version 1.5.0

setup() {
	require_root_loop
	command -v cryptsetup >/dev/null || skip "cryptsetup is not installed"
	IMG=$BATS_TEST_TMPDIR/luks.img
	PASS=$BATS_TEST_TMPDIR/pass
	printf 'zq-%s-%s-passphrase' "$RANDOM" "$RANDOM" >"$PASS"
	truncate -s 32M "$IMG"
	# 512-byte sectors: cryptsetup picks 4096 for an image file
	cryptsetup luksFormat --batch-mode --type luks2 --sector-size 512 --pbkdf pbkdf2 \
		--pbkdf-force-iterations 1000 --key-file "$PASS" "$IMG"
	LOOP=$(losetup --find --show "$IMG")
}

teardown() {
	[ -z "${LOOP:-}" ] || losetup -d "$LOOP"
}

@test "open --dry-run unlocks with the key file and prints the table; a wrong one exits 1" {
	run --separate-stderr "$DMCRYPT_INLINE" open "$LOOP" bca-t --key-file "$PASS" --dry-run
	[ "$status" -eq 0 ]
	[[ "$output" == "0 "*" crypt aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 0 "*" 32768" ]]
	printf wrong >"$BATS_TEST_TMPDIR/wrong"
	run --separate-stderr "$DMCRYPT_INLINE" open "$LOOP" bca-t --key-file "$BATS_TEST_TMPDIR/wrong" --dry-run
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "dmcrypt-inline: $BATS_TEST_TMPDIR/wrong: no key available with this passphrase"
}

@test "a core of the process right after the unlock holds neither the volume key nor the passphrase" {
	command -v gdb >/dev/null || skip "gdb is not installed"
	command -v python3 >/dev/null || skip "python3 is not installed"
	# gdb leaves out MADV_DONTDUMP memory, as the kernel does, only when it can read smaps
	[ -r /proc/self/smaps ] || skip "no /proc/PID/smaps in this kernel"
	# AddressSanitizer's reserved shadow makes a core of terabytes (sparse):
	# the plain build checks this
	! ldd "$BCA_BUILDDIR/.libs/dmcrypt-inline" 2>/dev/null | grep -q libasan ||
		skip "a sanitizer build"
	cryptsetup luksDump --batch-mode --dump-volume-key --key-file "$PASS" \
		--volume-key-file "$BATS_TEST_TMPDIR/vk" "$LOOP" >/dev/null
	# the first wipe after the unlock: the passphrase's, with the key held
	LD_LIBRARY_PATH=$BCA_BUILDDIR/.libs gdb -batch -nx -ex 'set breakpoint pending on' \
		-ex 'break bca_secret_free' -ex run -ex "generate-core-file $BATS_TEST_TMPDIR/core" -ex kill \
		--args "$BCA_BUILDDIR/.libs/dmcrypt-inline" open "$LOOP" bca-t --key-file "$PASS" --dry-run \
		>"$BATS_TEST_TMPDIR/gdb.log" 2>&1
	[ -s "$BATS_TEST_TMPDIR/core" ] || { cat "$BATS_TEST_TMPDIR/gdb.log"; return 1; }
	grep -q "bca_secret_free" "$BATS_TEST_TMPDIR/gdb.log"
	python3 - "$BATS_TEST_TMPDIR/core" "$BATS_TEST_TMPDIR/vk" "$PASS" <<'PY'
import sys
core = open(sys.argv[1], "rb").read()
key = open(sys.argv[2], "rb").read()
assert len(key) == 64
assert b"dmcrypt-inline:bca-t" in core, "the dump does not hold the process's memory"
for i in range(0, len(key), 16):
    assert key[i:i + 16] not in core, "volume key bytes %d-%d in the core" % (i, i + 15)
assert open(sys.argv[3], "rb").read() not in core, "passphrase in the core"
PY
}
