#!/usr/bin/env bats
# Loop devices over encrypted files (the loop patch, kernel/patches): loop
# enables direct I/O only where the backing file really does it
# (STATX_DIOALIGN), so loop/dio tells the truth.  Checked against what the
# kernel does: backing-file pages left in the page cache (mincore) after
# 64 MiB read with O_DIRECT from the loop device.

load vm_helpers

setup() {
	vm_fs_setup
	vm_mkfs_ext4 "$DISK"
}

teardown() { vm_teardown; }

# loop_of FILE [LOSETUP-OPTIONS...]: a loop device over FILE with
# --direct-io=on, detached at teardown; prints /dev/loopN.
loop_of() {
	local f=$1 dev
	shift
	dev=$(losetup --direct-io=on "$@" -f --show "$f")
	vm_on_teardown "losetup -d $dev"
	echo "$dev"
}

# cached_after_read LOOP FILE: backing-file pages cached after 64 MiB of
# O_DIRECT reads from LOOP, from a clean page cache.
cached_after_read() {
	"$PC" drop "$2"
	"$PC" dio-read "$1" 64 >/dev/null
	"$PC" resident "$2"
}

# an encrypted directory with a 64 MiB file (16384 pages)
enc_file() {
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	head -c 64M /dev/zero >"$MNT/enc/img"
	sync
}

@test "encrypted file without inlinecrypt: loop/dio 0 (it said 1), and every page is cached" {
	local loop
	vm_mount "$DISK" "$MNT"
	enc_file
	[ "$("$PC" statx "$MNT/enc/img")" = "0 0" ]
	loop=$(loop_of "$MNT/enc/img")
	[ "$(cat "/sys/block/${loop#/dev/}/loop/dio")" = 0 ]
	[ "$(cached_after_read "$loop" "$MNT/enc/img")" -eq 16384 ]
	# LOOP_SET_DIRECT_IO cannot turn it on
	run losetup --direct-io=on "$loop"
	[ "$status" -ne 0 ]
	[ "$(cat "/sys/block/${loop#/dev/}/loop/dio")" = 0 ]
}

@test "encrypted file with inlinecrypt: loop/dio 1, 4096-byte loop blocks, nothing cached" {
	local loop
	vm_mount "$DISK" "$MNT" inlinecrypt
	enc_file
	[ "$("$PC" statx "$MNT/enc/img")" = "4096 4096" ]
	loop=$(loop_of "$MNT/enc/img")
	[ "$(cat "/sys/block/${loop#/dev/}/loop/dio")" = 1 ]
	[ "$(cat "/sys/block/${loop#/dev/}/queue/logical_block_size")" = 4096 ]
	[ "$(cached_after_read "$loop" "$MNT/enc/img")" -eq 0 ]
}

@test "an offset that breaks the file's alignment: loop/dio 0" {
	local loop
	vm_mount "$DISK" "$MNT" inlinecrypt
	enc_file
	loop=$(loop_of "$MNT/enc/img" -o 512)
	[ "$(cat "/sys/block/${loop#/dev/}/loop/dio")" = 0 ]
	[ "$(cached_after_read "$loop" "$MNT/enc/img")" -gt 0 ]
}

@test "a plain file: loop/dio 1, nothing cached" {
	local loop
	vm_mount "$DISK" "$MNT"
	head -c 64M /dev/zero >"$MNT/img"
	sync
	loop=$(loop_of "$MNT/img")
	[ "$(cat "/sys/block/${loop#/dev/}/loop/dio")" = 1 ]
	[ "$(cached_after_read "$loop" "$MNT/img")" -eq 0 ]
}
