#!/usr/bin/env bats
# What dm-inlinecrypt reports as its table (DM_TABLE_STATUS, `dmsetup
# table`) is a table: loaded again it makes the same mapping, as for every
# other target, and a key the table took from the kernel keyring is
# reported by reference, as dm-crypt reports it, never as the key itself.
# Upstream's inlinecrypt_status() printed the key type as a bare number
# between the key and the IV offset, so the reported table no longer
# parses (the IV offset is taken for the device), and printed a logon key
# in hex, the bytes a logon key exists to keep from user space
# (kernel/patches/mainline/dm-fixes; our 6.12 version reports both right).
#
# Runs where the kernel has the inlinecrypt target (mainline and our 6.12).
# bats file_tags=kernel-code

load vm_helpers

setup() {
	vm_setup
	grep -q '^inlinecrypt ' <(dmsetup targets) ||
		skip "$(uname -r) has no dm-inlinecrypt target"
	command -v keyctl >/dev/null || skip "keyctl(1) is not installed"
	DISK=$(vm_disk dm)
	DEV=$(lsblk -dno MAJ:MIN "$DISK" | tr -d ' ')
	# a throw-away key, in a file and in hex: the tables go through stdin
	head -c 64 /dev/urandom >"$BATS_TEST_TMPDIR/key"
	HEX=$(od -An -tx1 "$BATS_TEST_TMPDIR/key" | tr -d ' \n')
	head -c 1M /dev/urandom >"$BATS_TEST_TMPDIR/data"
}

teardown() { vm_teardown; }

# create TABLE: dm-inlinecrypt device ict from TABLE (stdin, not argv)
create() {
	printf '%s\n' "$1" | dmsetup create --noudevsync ict
	vm_on_teardown "dmsetup remove --noudevsync ict"
}

# reload_reported: loads what the kernel reports as ict's table back into
# ict, and checks the data written before reads back through it
reload_reported() {
	dd if="$BATS_TEST_TMPDIR/data" of=/dev/mapper/ict bs=1M oflag=direct status=none
	dmsetup table --showkeys ict >"$BATS_TEST_TMPDIR/reported"
	dmsetup suspend --noudevsync ict
	if ! dmsetup reload --noudevsync ict <"$BATS_TEST_TMPDIR/reported"; then
		dmsetup resume --noudevsync ict
		echo "the reported table does not load: $(sed "s/$HEX/<key>/" "$BATS_TEST_TMPDIR/reported")"
		return 1
	fi
	dmsetup resume --noudevsync ict
	[ "$(dmsetup table --showkeys ict)" = "$(cat "$BATS_TEST_TMPDIR/reported")" ]
	cmp "$BATS_TEST_TMPDIR/data" <(dd if=/dev/mapper/ict bs=1M count=1 iflag=direct status=none)
}

# given_back TABLE: ict made from TABLE reports TABLE, and it loads again
given_back() {
	create "$1"
	run dmsetup table --showkeys ict
	[ "$output" = "$1" ] || { echo "reported: ${output//$HEX/<key>}"; return 1; }
	reload_reported
}

@test "dm-inlinecrypt reports the table it was given, and that table loads again" {
	given_back "0 65536 inlinecrypt aes-xts-plain64 $HEX 8 $DEV 16"
}

@test "dm-inlinecrypt reports its options, and that table loads again" {
	given_back "0 65536 inlinecrypt aes-xts-plain64 $HEX 0 $DEV 0 3 allow_discards sector_size:4096 iv_large_sectors"
}

@test "dm-inlinecrypt reports a logon key by reference, never its bytes" {
	local desc="bca-ict:$$" id
	id=$(keyctl padd logon "$desc" @u <"$BATS_TEST_TMPDIR/key")
	vm_on_teardown "keyctl unlink $id @u"
	local t="0 65536 inlinecrypt aes-xts-plain64 :64:logon:$desc 0 $DEV 0"
	create "$t"
	run dmsetup table --showkeys ict
	[[ "$output" != *"$HEX"* ]] || { echo "the logon key is in the table: ${output//$HEX/<key>}"; return 1; }
	[ "$output" = "$t" ]
	reload_reported
}
