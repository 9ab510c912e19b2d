#!/usr/bin/env bats
# The three interfaces on f2fs: FS_IOC_GET_ENCRYPTION_IMPL, the
# kernel/inference agreement, and RWF_DIO_STRICT.
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series,kernel-code

load uapi_helpers

@test "f2fs: enc_impl ABI, plain and encrypted files with and without inlinecrypt" {
	f2fs_with_enc inlinecrypt
	run "$ENC_IMPL" abi "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	impl_is "$MNT/plain" impl=0 key_status=0 read_buffered=0 write_buffered=0
	impl_is "$MNT/enc/file" impl=3 impl_reason=0 key_status=2 read_buffered=0 \
		write_buffered=0
	impl_is "$MNT/enc" impl=0 key_status=2
	umount "$MNT"
	mount "$DISK" "$MNT"
	impl_is "$MNT/enc" impl=0 key_status=1
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	impl_is "$MNT/enc/file" impl=1 impl_reason=2 key_status=2 read_buffered=0x1 \
		write_buffered=0x1
}

@test "f2fs: inline data makes reads buffered, not writes; O_DIRECT agrees" {
	local pc
	pc=$(vm_helper pagecache)
	mkfs.f2fs -q -f -O extra_attr,inode_checksum "$DISK"
	vm_mount "$DISK" "$MNT" inline_data
	printf 'tiny' >"$MNT/tiny"
	sync
	impl_is "$MNT/tiny" read_buffered=0x8 write_buffered=0
	"$pc" drop "$MNT/tiny"
	"$pc" dio-read "$MNT/tiny" 1 || true
	[ "$("$pc" resident "$MNT/tiny")" -gt 0 ]
}

@test "f2fs: blkcrypt-query kernel and inference agree" {
	f2fs_with_enc inlinecrypt
	query_both "$MNT/plain" "$MNT/enc/file" "$MNT/enc"
	umount "$MNT"
	mount "$DISK" "$MNT"
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	query_both "$MNT/plain" "$MNT/enc/file"
}

@test "f2fs: strict O_DIRECT refused where f2fs falls back, real direct I/O otherwise" {
	f2fs_with_enc
	strict_is write "$MNT/enc/new" 4096 'result=ENOTBLK cached=0'
	# f2fs falls back for 512-aligned requests even on plain files
	strict_is write "$MNT/new" 512 'result=ENOTBLK cached=0'
	strict_is write "$MNT/new" 4096 'result=65536 cached=0'
	strict_is read "$MNT/new" 512 'result=ENOTBLK cached=0'
	strict_is read "$MNT/new" 4096 'result=65536 cached=0'
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	strict_is write "$MNT/enc/new2" 4096 'result=65536 cached=0'
	strict_is read "$MNT/enc/new2" 512 'result=ENOTBLK cached=0'
}

@test "f2fs: a refused strict write leaves size, mtime and ctime alone" {
	local before
	f2fs_with_enc
	echo 3 >/proc/sys/vm/drop_caches
	before=$(stat -c '%s %.9Y %.9Z' "$MNT/enc/file")
	sleep 0.05
	strict_is write "$MNT/enc/file" 4096 'result=ENOTBLK cached=0'
	[ "$(stat -c '%s %.9Y %.9Z' "$MNT/enc/file")" = "$before" ]
}

@test "f2fs: an atomic-write file's direct writes are reported refused, and are" {
	f2fs_with_enc
	head -c 65536 /dev/urandom >"$MNT/atomic"
	sync
	impl_is "$MNT/atomic" write_refused=0
	run "$ENC_IMPL" atomic "$MNT/atomic"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "write_refused=0x100 write=EOPNOTSUPP" ]
}
