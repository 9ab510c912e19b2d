#!/usr/bin/env bats
# Loop devices over encrypted files (the loop patch, kernel/patches): loop
# enables direct I/O only where the backing file really does it
# (STATX_DIOALIGN), so loop/dio tells the truth.  Checked against what the
# kernel does: backing-file pages left in the page cache (mincore) after
# 64 MiB read with O_DIRECT from the loop device.
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series,kernel-code

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
	vm_on_teardown "losetup -d $dev 2>/dev/null || true"
	echo "$dev"
}

# cached_after_read LOOP FILE: backing-file pages cached after 64 MiB of
# O_DIRECT reads from LOOP, from a clean page cache.
cached_after_read() {
	"$PC" drop "$2"
	"$PC" dio-read "$1" 64 >/dev/null
	"$PC" resident "$2"
}

# an encrypted directory with a 64 MiB file (16384 pages); key in key
enc_file() {
	vm_fscrypt_dir "$MNT" "$MNT/enc" "$BATS_TEST_TMPDIR/key"
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

@test "blkcrypt-query device with the patch: off with the file's reason, yes with inlinecrypt" {
	local loop out bq
	bq=$(vm_tool blkcrypt-query)
	vm_mount "$DISK" "$MNT"
	enc_file
	loop=$(loop_of "$MNT/enc/img")
	out=$("$bq" device -J -o NAME,KIND,BACKING-FILE,LOOP-DIO,LOOP-REASON "$loop")
	echo "$out"
	[ "$(jq -r '.devices[0]."loop-dio"' <<<"$out")" = off ]
	[ "$(jq -r '.devices[0]."loop-reason"' <<<"$out")" = no-inlinecrypt ]
	[ "$(jq -r '.devices[0].children[0].kind' <<<"$out")" = file ]
	[ "$(jq -r '.devices[0].children[0].children[0].name' <<<"$out")" = "${DISK#/dev/}" ]
	run "$bq" device --require-dio -o NAME "$loop"
	[ "$status" -eq 3 ]
	[ "$("$bq" file -r -n -o LOOP "$MNT/enc/img")" = "${loop#/dev/}" ]
	losetup -d "$loop"
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	vm_fscrypt_add_key "$MNT" "$BATS_TEST_TMPDIR/key" >/dev/null
	loop=$(loop_of "$MNT/enc/img")
	out=$("$bq" device -J -o NAME,LOOP-DIO,LOOP-REASON "$loop")
	[ "$(jq -r '.devices[0]."loop-dio"' <<<"$out")" = yes ]
	"$bq" device --require-dio -o NAME "$loop" >/dev/null
}

@test "loop over a file on dm-crypt, and dm-linear over a loop device: the stack, and real direct I/O" {
	local dm loop out bq sz key
	bq=$(vm_tool blkcrypt-query)
	dm=$(vm_disk dm)
	key=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
	vm_dm_create bca-loop-crypt "0 $(blockdev --getsz "$dm") crypt aes-xts-plain64 $key 0 $dm 0"
	vm_mkfs_ext4 /dev/mapper/bca-loop-crypt
	vm_mount /dev/mapper/bca-loop-crypt "$MNT"
	head -c 64M /dev/zero >"$MNT/img"
	sync
	loop=$(loop_of "$MNT/img")
	[ "$(cached_after_read "$loop" "$MNT/img")" -eq 0 ]
	sz=$(blockdev --getsz "$loop")
	vm_dm_create bca-over-loop "0 $sz linear $loop 0"
	out=$("$bq" device -J -o NAME,KIND,TARGET,LOOP-DIO "/dev/mapper/bca-over-loop")
	echo "$out"
	jq -e . <<<"$out" >/dev/null
	[ "$(jq -r '.devices[0].target' <<<"$out")" = linear ]
	[ "$(jq -r '.devices[0].children[0].kind' <<<"$out")" = loop ]
	[ "$(jq -r '.devices[0].children[0]."loop-dio"' <<<"$out")" = yes ]
	[ "$(jq -r '.devices[0].children[0].children[0].kind' <<<"$out")" = file ]
	[ "$(jq -r '.devices[0].children[0].children[0].children[0].target' <<<"$out")" = crypt ]
	"$bq" device --require-dio -o NAME "/dev/mapper/bca-over-loop" >/dev/null
}
