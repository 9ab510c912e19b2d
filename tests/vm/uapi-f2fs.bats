#!/usr/bin/env bats
# The three interfaces on f2fs: FS_IOC_GET_DIO_INFO, the kernel/inference
# agreement, and RWF_DIO_STRICT.

load uapi_helpers

@test "f2fs: dio_info ABI, plain and encrypted files with and without inlinecrypt" {
	f2fs_with_enc inlinecrypt
	run "$DIO_INFO" abi "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	dio_info_is "$MNT/plain" dio=1 reason=0 crypto_impl=0 key_status=0 \
		dio_mem_align=4096 dio_offset_align=4096
	dio_info_is "$MNT/enc/file" dio=1 reason=0 crypto_impl=3 key_status=1 \
		contents_mode=1 data_unit_size=4096 dio_mem_align=4096 dio_offset_align=4096
	dio_info_is "$MNT/enc" dio=0 reason=1 key_status=1
	umount "$MNT"
	mount "$DISK" "$MNT"
	dio_info_is "$MNT/enc" dio=0 reason=1 key_status=2 contents_mode=1
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	dio_info_is "$MNT/enc/file" dio=2 reason=2 crypto_impl=1 key_status=1 \
		dio_mem_align=0 dio_offset_align=0
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
	strict_is write "$MNT/enc/new" 4096 'result=EOPNOTSUPP cached=0'
	# f2fs falls back for 512-aligned requests even on plain files
	strict_is write "$MNT/new" 512 'result=EOPNOTSUPP cached=0'
	strict_is write "$MNT/new" 4096 'result=65536 cached=0'
	strict_is read "$MNT/new" 512 'result=EOPNOTSUPP cached=0'
	strict_is read "$MNT/new" 4096 'result=65536 cached=0'
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	strict_is write "$MNT/enc/new2" 4096 'result=65536 cached=0'
	strict_is read "$MNT/enc/new2" 512 'result=EOPNOTSUPP cached=0'
}
