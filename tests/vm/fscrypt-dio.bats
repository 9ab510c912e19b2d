#!/usr/bin/env bats
# Direct I/O on fscrypt files (ext4, f2fs): real only with blk-crypto
# (mount -o inlinecrypt), silently buffered without it.
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series

load vm_helpers

MIB=64

setup() {
	vm_setup
	DISK=$(vm_disk fs)
	MNT=$BATS_TEST_TMPDIR/mnt
	PAGECACHE=$(vm_helper pagecache)
}

teardown() { vm_teardown; }

@test "ext4 keeps the inlinecrypt mount option" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	[[ ",$(vm_mount_options "$MNT")," == *,inlinecrypt,* ]]
}

@test "encrypted file on inlinecrypt ext4 reports DIO alignment of the block size" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	touch "$MNT/enc/file"
	local bs
	bs=$(stat -f -c %S "$MNT")
	[ "$bs" = 4096 ]
	run "$PAGECACHE" statx "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[ "$output" = "$bs $bs" ]
}

@test "O_DIRECT write to an encrypted inlinecrypt file bypasses the page cache" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	"$PAGECACHE" dio-write "$MNT/enc/file" "$MIB"
	[ "$(stat -c %s "$MNT/enc/file")" -eq $((MIB * 1024 * 1024)) ]
	run "$PAGECACHE" resident "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
}

@test "without inlinecrypt an encrypted file reports no DIO and O_DIRECT is buffered" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT"
	[[ ",$(vm_mount_options "$MNT")," != *,inlinecrypt,* ]]
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	touch "$MNT/enc/file"
	run "$PAGECACHE" statx "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[ "$output" = "0 0" ]
	"$PAGECACHE" dio-write "$MNT/enc/file" "$MIB"
	run "$PAGECACHE" resident "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[ "$output" -eq $((MIB * 1024 * 1024 / $(getconf PAGESIZE))) ]
}

@test "data written with O_DIRECT through inlinecrypt reads back with the key after remount" {
	local key=$BATS_TEST_TMPDIR/key.bin sum
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	vm_fscrypt_dir "$MNT" "$MNT/enc" "$key"
	"$PAGECACHE" dio-write "$MNT/enc/file" 4
	sum=$(sha256sum <"$MNT/enc/file")
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	# without the key only an encrypted name is visible
	[ "$(find "$MNT/enc" -mindepth 1 | wc -l)" -eq 1 ]
	[ ! -e "$MNT/enc/file" ]
	vm_fscrypt_add_key "$MNT" "$key" >/dev/null
	[ -e "$MNT/enc/file" ]
	[ "$(sha256sum <"$MNT/enc/file")" = "$sum" ]
	run "$PAGECACHE" dio-read "$MNT/enc/file" 4
	[ "$status" -eq 0 ]
	[ "$output" -eq $((4 * 1024 * 1024)) ]
}

@test "f2fs: encrypted inlinecrypt file supports DIO and bypasses the page cache" {
	mkfs.f2fs -q -f -O encrypt "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	[[ ",$(vm_mount_options "$MNT")," == *,inlinecrypt,* ]]
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	touch "$MNT/enc/file"
	local bs
	bs=$(stat -f -c %S "$MNT")
	run "$PAGECACHE" statx "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[ "$output" = "$bs $bs" ]
	"$PAGECACHE" dio-write "$MNT/enc/file" "$MIB"
	run "$PAGECACHE" resident "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[ "$output" = 0 ]
}
