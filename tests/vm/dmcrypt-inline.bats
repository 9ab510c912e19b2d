#!/usr/bin/env bats
# dmcrypt-inline in the guest: real dm-crypt, the kernel keyring, and every
# way creation can fail leaving nothing behind.

load dmcrypt_helpers

bats_require_minimum_version 1.5.0

setup() { dmci_setup 4; }

teardown() { vm_teardown; }

fault_injection_built() {
	grep -q '^#define BCA_FAULT_INJECTION 1' "$BCA_BUILDDIR/config.h"
}

@test "create --inline: round trip, ciphertext on disk, keyring reference in the table, remove cleans up" {
	run "$DMCI" create bca-t "$DISK" --inline --key-file "$KEY"
	[ "$status" -eq 0 ]
	[ -b /dev/mapper/bca-t ]
	run dmsetup table bca-t
	[[ "$output" == *" crypt aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 0 "*" 2 no_read_workqueue no_write_workqueue" ]]
	keyctl search @u logon dmcrypt-inline:bca-t >/dev/null

	pattern_file "$BATS_TEST_TMPDIR/plain" 2
	dd if="$BATS_TEST_TMPDIR/plain" of=/dev/mapper/bca-t bs=1M oflag=direct status=none
	cmp "$BATS_TEST_TMPDIR/plain" <(dd if=/dev/mapper/bca-t bs=1M count=2 iflag=direct status=none)
	[ "$(dd if="$DISK" bs=1M count=2 iflag=direct status=none | grep -ca "$PATTERN")" = 0 ]
	[ "$(dd if=/dev/mapper/bca-t bs=1M count=2 iflag=direct status=none | grep -ca "$PATTERN")" -gt 0 ]

	run "$DMCI" remove bca-t
	[ "$status" -eq 0 ]
	assert_clean
}

@test "remove leaves a key another device uses, and keys it did not add" {
	run "$DMCI" create bca-t "$DISK" --key-file "$KEY"
	[ "$status" -eq 0 ]
	# a second device loading bca-t's key by its description
	run "$DMCI" create bca-u "$DISK" --key-desc dmcrypt-inline:bca-t --force
	[ "$status" -eq 0 ]
	run "$DMCI" remove bca-u
	[ "$status" -eq 0 ]
	keyctl search @u logon dmcrypt-inline:bca-t >/dev/null
	# bca-t can still be reloaded from its own table
	dmsetup table bca-t >"$BATS_TEST_TMPDIR/t"
	dmsetup reload bca-t "$BATS_TEST_TMPDIR/t"
	dmsetup resume bca-t
	# while bca-u loads it, removing bca-t keeps the key; then bca-u's removal
	# does not take it either (bca-t's key, not bca-u's)
	run "$DMCI" create bca-u "$DISK" --key-desc dmcrypt-inline:bca-t --force
	[ "$status" -eq 0 ]
	run "$DMCI" remove bca-t
	[ "$status" -eq 0 ]
	keyctl search @u logon dmcrypt-inline:bca-t >/dev/null
	run "$DMCI" remove bca-u
	[ "$status" -eq 0 ]
	keyctl search @u logon dmcrypt-inline:bca-t >/dev/null
	keyctl unlink "$(keyctl search @u logon dmcrypt-inline:bca-t)" @u
	run dmsetup ls
	[[ "$output" != *bca-u* ]]
	assert_clean
}

@test "status and table: target, flags, key location, backing device; key never printed" {
	"$DMCI" create bca-t "$DISK" --inline --high-priority --sector-size 4096 --key-file "$KEY"
	run "$DMCI" status -J -o NAME,BACKING-SIZE,BACKING-TYPE bca-t
	[ "$(jq -c '.devices[0] | [."backing-size", ."backing-type"]' <<<"$output")" = \
		"[$(blockdev --getsize64 "$DISK"),null]" ]
	run "$DMCI" status -J bca-t
	[ "$status" -eq 0 ]
	assert_eq() { [ "$1" = "$2" ] || { echo "got '$1' want '$2'"; return 1; }; }
	assert_eq "$(jq -c '.devices[0] | [.target, .cipher, .flags, .key, ."key-present", .backing, ."sector-size", .managed]' <<<"$output")" \
		"[\"crypt\",\"aes-xts-plain64\",\"high_priority no_read_workqueue no_write_workqueue sector_size:4096\",\"keyring:logon:dmcrypt-inline:bca-t\",true,\"${DISK#/dev/}\",4096,true]"
	local hex
	hex=$(od -An -tx1 "$KEY" | tr -d ' \n')
	run "$DMCI" table bca-t
	[[ "$output" != *"$hex"* ]]
	run "$DMCI" list -J
	[ "$(jq -r '.devices[] | select(.name == "bca-t") | .managed' <<<"$output")" = true ]
	"$DMCI" remove bca-t
	assert_clean
}

@test "every flag set: create, write, read back, table as asked, remove" {
	local flags want dev
	dev=$(printf '%d:%d' "0x$(stat -c %t "$DISK")" "0x$(stat -c %T "$DISK")")
	pattern_file "$BATS_TEST_TMPDIR/plain" 1
	while IFS='|' read -r flags want; do
		want=${want//DEV/$dev}
		# shellcheck disable=SC2086
		"$DMCI" create bca-t "$DISK" --force --key-file "$KEY" $flags ||
			{ echo "create $flags failed"; return 1; }
		run dmsetup table bca-t
		[[ "$output" == *"$want" ]] || { echo "$flags: table '$output', want '*$want'"; return 1; }
		dd if="$BATS_TEST_TMPDIR/plain" of=/dev/mapper/bca-t bs=1M oflag=direct status=none
		cmp "$BATS_TEST_TMPDIR/plain" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
		"$DMCI" remove bca-t
		assert_clean
	done <<-'SETS'
	|:64:logon:dmcrypt-inline:bca-t 0 DEV 0
	--no-read-workqueue| 1 no_read_workqueue
	--no-write-workqueue| 1 no_write_workqueue
	--inline| 2 no_read_workqueue no_write_workqueue
	--inline --high-priority| 3 high_priority no_read_workqueue no_write_workqueue
	--allow-discards| 1 allow_discards
	--sector-size 4096 --iv-large-sectors| 2 sector_size:4096 iv_large_sectors
	SETS
}

@test "--readonly: reads work, writes are refused" {
	"$DMCI" create bca-t "$DISK" --readonly --key-file "$KEY"
	[ "$(blockdev --getro /dev/mapper/bca-t)" = 1 ]
	dd if=/dev/mapper/bca-t of=/dev/null bs=1M count=1 iflag=direct status=none
	! dd if=/dev/zero of=/dev/mapper/bca-t bs=1M count=1 oflag=direct status=none 2>/dev/null
	"$DMCI" remove bca-t
	assert_clean
}

@test "a wrong key reads different plaintext" {
	pattern_file "$BATS_TEST_TMPDIR/plain" 1
	"$DMCI" create bca-t "$DISK" --inline --key-file "$KEY"
	dd if="$BATS_TEST_TMPDIR/plain" of=/dev/mapper/bca-t bs=1M oflag=direct status=none
	"$DMCI" remove bca-t
	head -c 64 /dev/urandom >"$BATS_TEST_TMPDIR/other"
	"$DMCI" create bca-t "$DISK" --inline --key-file "$BATS_TEST_TMPDIR/other" --force
	! cmp -s "$BATS_TEST_TMPDIR/plain" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
	"$DMCI" remove bca-t
	"$DMCI" create bca-t "$DISK" --inline --key-file "$KEY" --force
	cmp "$BATS_TEST_TMPDIR/plain" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
	"$DMCI" remove bca-t
	assert_clean
}

@test "the same table as cryptsetup open --type plain with the --perf options" {
	command -v cryptsetup >/dev/null || skip "cryptsetup is not installed"
	local hex ours theirs
	hex=$(od -An -tx1 "$KEY" | tr -d ' \n')
	cryptsetup open --type plain --cipher aes-xts-plain64 --key-size 512 --key-file "$KEY" \
		--perf-no_read_workqueue --perf-no_write_workqueue --batch-mode "$DISK" bca-cs
	vm_on_teardown "cryptsetup close bca-cs 2>/dev/null || true"
	theirs=$(dmsetup table --showkeys bca-cs)
	cryptsetup close bca-cs
	"$DMCI" create bca-t "$DISK" --inline --key-file "$KEY"
	ours=$(dmsetup table --showkeys bca-t | sed "s/:64:logon:dmcrypt-inline:bca-t/$hex/")
	"$DMCI" remove bca-t
	[ "$ours" = "$theirs" ] || { echo "ours:   $ours"; echo "theirs: $theirs"; return 1; }
	assert_clean
}

@test "--dry-run prints the table and creates nothing" {
	run "$DMCI" create bca-t "$DISK" --inline --key-file "$KEY" --dry-run --size 2048 --offset 8
	[ "$status" -eq 0 ]
	[[ "$output" == "0 2048 crypt aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 0 "*" 8 2 no_read_workqueue no_write_workqueue" ]]
	assert_clean
}

@test "bad input: clear errors, statuses, nothing left behind" {
	run --separate-stderr "$DMCI" create bca-t /dev/nonexistent --key-file "$KEY"
	[ "$status" -eq 1 ]
	[ "$stderr" = "dmcrypt-inline: /dev/nonexistent: No such file or directory" ]
	assert_clean

	head -c 10 /dev/urandom >"$BATS_TEST_TMPDIR/short"
	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$BATS_TEST_TMPDIR/short"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"wrong key size: too short, --key-size 512 needs exactly 64 bytes" ]]
	assert_clean

	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$KEY" --cipher aes
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"invalid cipher specification"* ]]
	assert_clean

	# well-formed but unknown to the kernel: the load fails, the device and key go
	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$KEY" --cipher nosuch-xts-plain64
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"creating the device"* ]]
	# libdevmapper's own words reach the user, through the library's log
	[[ "$stderr" == "dmcrypt-inline: libdevmapper: device-mapper: reload ioctl on bca-t"*"failed: "* ]]
	assert_clean

	local sectors
	sectors=$(blockdev --getsz "$DISK")
	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$KEY" --size $((sectors + 8))
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"goes beyond the device"* ]]
	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$KEY" --offset "$sectors"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"is beyond the device"* ]]
	# 4 sectors left, fewer than one 4096-byte sector: the true reason
	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$KEY" --offset $((sectors - 4)) \
		--sector-size 4096 --iv-large-sectors
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"less than one 4096-byte sector after --offset $((sectors - 4))"* ]]
	assert_clean
	# status and table of a device that does not exist
	run --separate-stderr "$DMCI" status bca-nosuch
	[ "$status" -eq 32 ]
	[ "$stderr" = "dmcrypt-inline: bca-nosuch: no such device" ]
	run --separate-stderr "$DMCI" table bca-nosuch
	[ "$status" -eq 1 ]
	[ "$stderr" = "dmcrypt-inline: bca-nosuch: no such device" ]

	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$KEY" --key-fd 0
	[ "$status" -eq 2 ]
	run --separate-stderr "$DMCI" create bca-t "$DISK"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"exactly one of --key-file, --key-fd, --key-desc"* ]]
	assert_clean
}

@test "a device with a filesystem, or in use, is refused unless --force" {
	mkfs.ext4 -q -F "$DISK"
	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$KEY"
	[ "$status" -eq 1 ]
	[ "$stderr" = "dmcrypt-inline: $DISK: carries a ext4 signature; use --force to overwrite it" ]
	assert_clean
	vm_mount "$DISK" "$BATS_TEST_TMPDIR/mnt"
	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$KEY" --force
	# --force skips our check, but the kernel still refuses a mounted device
	[ "$status" -eq 1 ]
	assert_clean
}

@test "an existing name is refused before the key is added" {
	vm_dm_create bca-t "0 8 error"
	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-file "$KEY"
	[ "$status" -eq 1 ]
	[ "$stderr" = "dmcrypt-inline: bca-t: a device-mapper device of that name exists" ]
	! keyctl search @u logon dmcrypt-inline:bca-t >/dev/null 2>&1
}

@test "a keyring that cannot be asked is an error, not a missing key; status leaves KEY-PRESENT empty" {
	# a libkeyutils.so.1 that dlopen() refuses: the keyrings cannot be asked
	mkdir "$BATS_TEST_TMPDIR/lib"
	: >"$BATS_TEST_TMPDIR/lib/libkeyutils.so.1"
	local path="$BATS_TEST_TMPDIR/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	run --separate-stderr env LD_LIBRARY_PATH="$path" \
		"$DMCI" create bca-t "$DISK" --key-desc dmcrypt-inline:nosuch
	[ "$status" -eq 1 ]
	[[ "$stderr" == "dmcrypt-inline: dmcrypt-inline:nosuch: looking up the key: "* ]]
	[[ "$stderr" != *"no such logon key"* ]]
	run --separate-stderr env LD_LIBRARY_PATH="$path" \
		"$DMCI" create bca-t "$DISK" --key-file "$KEY"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "dmcrypt-inline: dmcrypt-inline:bca-t: looking up the key: "* ]]
	assert_clean

	"$DMCI" create bca-t "$DISK" --key-file "$KEY"
	run "$DMCI" status -J -o NAME,KEY-PRESENT bca-t
	[ "$(jq -c '.devices[0]."key-present"' <<<"$output")" = true ]
	run env LD_LIBRARY_PATH="$path" "$DMCI" status -J -o NAME,KEY-PRESENT bca-t
	[ "$status" -eq 0 ]
	[ "$(jq -c '.devices[0]."key-present"' <<<"$output")" = null ]
	"$DMCI" remove bca-t
	assert_clean
}

@test "every step that fails after the first leaves no device and no key (fault injection)" {
	fault_injection_built || skip "configure --enable-fault-injection"
	local step
	for step in key-add dm-create dm-load dm-resume; do
		run --separate-stderr env BCA_FAULT=$step "$DMCI" create bca-t "$DISK" --inline --key-file "$KEY"
		[ "$status" -eq 1 ] || { echo "$step: status $status"; return 1; }
		[ -n "$stderr" ]
		assert_clean || { echo "after $step"; return 1; }
	done
}
