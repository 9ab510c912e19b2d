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

@test "status, list and device -J with every column validate against the schema" {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "no python3-jsonschema"
	local v=$BCA_SRCDIR/tests/helpers/json-validate cols BQ
	BQ=$(vm_tool blkcrypt-query)
	"$DMCI" create bca-t "$DISK" --inline --sector-size 4096 --key-file "$KEY"
	cols=$("$DMCI" status -o help | tail -n +2 | awk '{ print $1 }' | paste -sd,)
	run --separate-stderr "$DMCI" status -J -o "$cols" bca-t
	[ "$status" -eq 0 ]
	"$v" dmcrypt-inline-status <<<"$output"
	[ "$(jq -c '.devices[0] | [.target, .key]' <<<"$output")" = \
		'["crypt","keyring:logon:dmcrypt-inline:bca-t"]' ]
	cols=$("$DMCI" list -o help | tail -n +2 | awk '{ print $1 }' | paste -sd,)
	run --separate-stderr "$DMCI" list -a -J -o "$cols"
	[ "$status" -eq 0 ]
	"$v" dmcrypt-inline-list <<<"$output"
	cols=$("$BQ" device -o help | tail -n +2 | awk '{ print $1 }' | paste -sd,)
	run --separate-stderr "$BQ" device -J -o "$cols" /dev/mapper/bca-t
	[ "$status" -eq 0 ]
	"$v" blkcrypt-query-device <<<"$output"
	run --separate-stderr "$BQ" device -J -l -o "$cols"
	[ "$status" -eq 0 ]
	"$v" blkcrypt-query-device <<<"$output"
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
	# the key is read and checked as a real create would: 32 bytes for a 64-byte key fail
	head -c 32 /dev/urandom >"$BATS_TEST_TMPDIR/short"
	run --separate-stderr "$DMCI" create bca-t "$DISK" --target inlinecrypt --key-file "$BATS_TEST_TMPDIR/short" --dry-run
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"wrong key size: too short, --key-size 512 needs exactly 64 bytes" ]]
	[ -z "$output" ]
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
	[[ "$stderr" == *"bca-t: creating the device: the kernel has no cipher nosuch-xts-plain64 (see /proc/crypto)" ]]
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
	# the loader's reason first (the lookup has the library's context), then ours
	[[ "$stderr" == "dmcrypt-inline: libkeyutils.so.1: "*$'\n'"dmcrypt-inline: dmcrypt-inline:nosuch: looking up the key: "* ]]
	[[ "$stderr" != *"no such logon key"* ]]
	run --separate-stderr env LD_LIBRARY_PATH="$path" \
		"$DMCI" create bca-t "$DISK" --key-file "$KEY"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "dmcrypt-inline: libkeyutils.so.1: "*$'\n'"dmcrypt-inline: dmcrypt-inline:bca-t: looking up the key: "* ]]
	assert_clean

	"$DMCI" create bca-t "$DISK" --key-file "$KEY"
	run "$DMCI" status -J -o NAME,KEY-PRESENT bca-t
	[ "$(jq -c '.devices[0]."key-present"' <<<"$output")" = true ]
	run --separate-stderr env LD_LIBRARY_PATH="$path" "$DMCI" status -J -o NAME,KEY-PRESENT bca-t
	[ "$status" -eq 0 ]
	# why the column is empty: the loader's words
	[[ "$stderr" == "dmcrypt-inline: libkeyutils.so.1: "* ]]
	[ "$(jq -c '.devices[0]."key-present"' <<<"$output")" = null ]
	"$DMCI" remove bca-t
	assert_clean
}

@test "every step that fails after the first leaves no device and no key (fault injection)" {
	fault_injection_built || skip "configure --enable-fault-injection"
	local step
	for step in key-add dm-create dm-load dm-resume dm-created; do
		run --separate-stderr env BCA_FAULT=$step "$DMCI" create bca-t "$DISK" --inline --key-file "$KEY"
		[ "$status" -eq 1 ] || { echo "$step: status $status"; return 1; }
		[ -n "$stderr" ]
		assert_clean || { echo "after $step"; return 1; }
	done
}

@test "killed at any step of create or remove: remove NAME then create NAME work, nothing is left" {
	fault_injection_built || skip "configure --enable-fault-injection"
	local step
	for step in key-add dm-create dm-load dm-resume dm-created; do
		run env BCA_FAULT=kill:$step "$DMCI" create bca-t "$DISK" --inline --key-file "$KEY"
		[ "$status" -eq 137 ] || { echo "create killed at $step: status $status"; return 1; }
		run --separate-stderr "$DMCI" remove bca-t
		case $step in
		key-add) [ "$status" -eq 1 ] && [ "$stderr" = "dmcrypt-inline: bca-t: no such device" ] ;;
		*) [ "$status" -eq 0 ] && [ -z "$stderr" ] ;;
		esac || { echo "remove after a create killed at $step: $status '$stderr'"; return 1; }
		assert_clean || { echo "after a create killed at $step"; return 1; }
	done
	# killed with the key left behind, create itself takes the key back
	run env BCA_FAULT=kill:dm-create "$DMCI" create bca-t "$DISK" --inline --key-file "$KEY"
	[ "$status" -eq 137 ]
	keyctl search @u logon dmcrypt-inline:bca-t >/dev/null
	run --separate-stderr "$DMCI" create bca-t "$DISK" --inline --key-file "$KEY"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	for step in dm-remove key-remove; do
		"$DMCI" create bca-t "$DISK" --inline --key-file "$KEY" 2>/dev/null || true
		run env BCA_FAULT=kill:$step "$DMCI" remove bca-t
		[ "$status" -eq 137 ] || { echo "remove killed at $step: status $status"; return 1; }
		run --separate-stderr "$DMCI" remove bca-t
		[ "$status" -eq 0 ] && [ -z "$stderr" ] ||
			{ echo "remove after a remove killed at $step: $status '$stderr'"; return 1; }
		assert_clean || { echo "after a remove killed at $step"; return 1; }
	done
}

@test "a key description with 0xA0 never reaches a table: the other disk's filesystem survives" {
	local other
	other=$(vm_disk fs)
	mkfs.ext4 -q -F -E lazy_itable_init=1,lazy_journal_init=1 "$other"
	keyctl padd logon "svc:vol" @u <"$KEY" >/dev/null
	vm_on_teardown "keyctl purge -p logon svc: >/dev/null 2>&1 || true"
	local majmin
	majmin=$(lsblk -dno MAJ:MIN "$other" | tr -d ' ')
	run --separate-stderr "$DMCI" create bca-t "$DISK" --key-desc $'svc:vol\xa00\xa0'"$majmin"$'\xa00'
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--key-desc: use printable ASCII without blanks or backslashes"* ]]
	run dmsetup ls
	[[ "$output" != *bca-t* ]]
	[ "$(blkid -o value -s TYPE "$other")" = ext4 ]
	run --separate-stderr "$DMCI" create $'bca\xa0t' "$DISK" --key-file "$KEY"
	[ "$status" -eq 2 ]
	assert_clean
}

@test "remove keeps a key that a later target of another device's table loads" {
	"$DMCI" create bca-t "$DISK" --key-file "$KEY"
	local majmin
	majmin=$(lsblk -dno MAJ:MIN "$DISK" | tr -d ' ')
	# bca-u: a linear first target, then a crypt target loading bca-t's key
	printf '0 8 linear %s 0\n8 8 crypt aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 0 %s 8\n' \
		"$majmin" "$majmin" | dmsetup create bca-u
	run "$DMCI" remove bca-t
	[ "$status" -eq 0 ]
	keyctl search @u logon dmcrypt-inline:bca-t >/dev/null
	# both targets shown by table; status says what it is instead of half an answer
	run --separate-stderr "$DMCI" table bca-u
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == "0 8 linear $majmin 0" ]]
	[[ "${lines[1]}" == "8 8 crypt aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 0 $majmin 8" ]]
	run --separate-stderr "$DMCI" status bca-u
	[ "$status" -eq 32 ]
	[ "$stderr" = "dmcrypt-inline: bca-u: a table of several targets: status describes a device of one crypt or inlinecrypt target ('dmcrypt-inline table bca-u' shows them all)" ]
	dmsetup remove bca-u
	# a linear device: named for what it is
	dmsetup create --noudevsync bca-u --table "0 8 linear $majmin 0"
	run --separate-stderr "$DMCI" status bca-u
	[ "$status" -eq 32 ]
	[ "$stderr" = "dmcrypt-inline: bca-u: not a crypt or inlinecrypt device" ]
	dmsetup remove bca-u
	# now nothing loads the key: remove of the gone device takes it
	run --separate-stderr "$DMCI" remove bca-t
	[ "$status" -eq 0 ]
	assert_clean
}

@test "devices 'xA' and 'x\\x41' are two devices: list shows both, remove keeps the key one loads" {
	local majmin
	majmin=$(lsblk -dno MAJ:MIN "$DISK" | tr -d ' ')
	"$DMCI" create bca-t "$DISK" --key-file "$KEY"
	dmsetup --manglename none create 'xA' --table "0 8 linear $majmin 0"
	vm_on_teardown "dmsetup --manglename none remove 'xA' 2>/dev/null || true"
	dmsetup --manglename none create 'x\x41' \
		--table "0 8 crypt aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 0 $majmin 0"
	vm_on_teardown "dmsetup --manglename none remove 'x\\x41' 2>/dev/null || true"
	run "$DMCI" list -a -J
	[ "$status" -eq 0 ]
	# the backslash printed as \x5c: the name is not the text "xA" (dmsetup ls shows xA twice)
	[ "$(jq -c '[.devices[] | select(.name | startswith("x")) | [.name, .target]] | sort' <<<"$output")" = \
		'[["xA","linear"],["x\\x5cx41","crypt"]]' ]
	run "$DMCI" remove bca-t
	[ "$status" -eq 0 ]
	keyctl search @u logon dmcrypt-inline:bca-t >/dev/null
	dmsetup --manglename none remove 'x\x41'
	dmsetup --manglename none remove 'xA'
	run "$DMCI" remove bca-t
	[ "$status" -eq 0 ]
	assert_clean
}

@test "a key only in a user keyring the session does not link: said before anything is made" {
	keyctl padd logon bca:unlinked @u <"$KEY" >/dev/null
	vm_on_teardown "keyctl purge -p logon bca: >/dev/null 2>&1 || true"
	# a new session keyring that does not link the user keyring
	run --separate-stderr keyctl session - "$DMCI" create bca-t "$DISK" --key-desc bca:unlinked
	[ "$status" -eq 1 ]
	# keyctl says "Joined session keyring: N" first
	[ "${stderr##*$'\n'}" = "dmcrypt-inline: bca:unlinked: looking up the key: the key is only in the user keyring, which the session keyring does not link (the kernel looks keys up from the session keyring: keyctl link @u @s)" ]
	assert_clean
}
