#!/usr/bin/env bats
# FS_IOC_GET_DIO_INFO on ext4 (kernel/selftests/dio_info), and
# blkcrypt-query agreeing with it when it infers the same answer.

load uapi_helpers

@test "dio_info ABI: sizes, flags, reserved fields, EFAULT, no stray bytes (plain file)" {
	ext4_with_enc inlinecrypt
	run "$DIO_INFO" abi "$MNT/plain"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == 1..21* ]]
	! grep -q '^not ok' <<<"$output"
}

@test "dio_info ABI: encrypted file and encrypted directory without its key" {
	ext4_with_enc inlinecrypt
	run "$DIO_INFO" abi "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	run "$DIO_INFO" abi "$MNT/enc"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "plain ext4 file: DIO supported, no crypto, statx alignments" {
	ext4_with_enc
	local pc
	pc=$(vm_helper pagecache)
	read -r mem off < <("$pc" statx "$MNT/plain")
	[ "$off" -gt 0 ]
	dio_info_is "$MNT/plain" dio=1 reason=0 crypto_impl=0 key_status=0 \
		contents_mode=0 data_unit_size=0 dun_bytes=0 \
		dio_mem_align="$mem" dio_offset_align="$off"
}

@test "encrypted file with inlinecrypt on virtio: DIO through blk-crypto-fallback" {
	ext4_with_enc inlinecrypt
	# AES-256-XTS (1), 4096-byte data units, 32-bit ext4 block numbers as DUN
	dio_info_is "$MNT/enc/file" dio=1 reason=0 crypto_impl=3 key_status=1 \
		contents_mode=1 data_unit_size=4096 dun_bytes=4 \
		dio_mem_align=4096 dio_offset_align=4096
}

@test "encrypted file without inlinecrypt: buffered, fs-layer crypto, reason no-inlinecrypt" {
	ext4_with_enc
	dio_info_is "$MNT/enc/file" dio=2 reason=2 crypto_impl=1 key_status=1 \
		contents_mode=1 data_unit_size=4096 dio_mem_align=0 dio_offset_align=0
}

@test "encrypted directory: key present, then absent after a remount" {
	ext4_with_enc inlinecrypt
	dio_info_is "$MNT/enc" dio=0 reason=1 crypto_impl=0 key_status=1 contents_mode=1
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	dio_info_is "$MNT/enc" dio=0 reason=1 crypto_impl=0 key_status=2 \
		contents_mode=1 data_unit_size=4096 dun_bytes=0
	# a regular file cannot even be opened without the key
	run "$DIO_INFO" show "$MNT/enc/$(ls "$MNT/enc")"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Required key not available"* ]]
}

@test "ext4 data=journal and inline data are reported as such" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" data=journal
	head -c 65536 /dev/urandom >"$MNT/big"
	dio_info_is "$MNT/big" dio=2 reason=7
	umount "$MNT"
	mkfs.ext4 -q -F -b 4096 -O inline_data "$DISK"
	mount "$DISK" "$MNT"
	echo tiny >"$MNT/tiny"
	head -c 65536 /dev/urandom >"$MNT/big"
	dio_info_is "$MNT/tiny" dio=2 reason=8
	dio_info_is "$MNT/big" dio=1 reason=0
}

@test "a filesystem without the ioctl answers ENOTTY" {
	echo x >"$BATS_TEST_TMPDIR/tmpfs-file"
	run "$DIO_INFO" show "$BATS_TEST_TMPDIR/tmpfs-file"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Inappropriate ioctl"* ]]
}


@test "blkcrypt-query: kernel and inference agree with inlinecrypt (plain, encrypted, directory)" {
	ext4_with_enc inlinecrypt
	query_both "$MNT/plain" "$MNT/enc/file" "$MNT/enc"
	run "$BQ" file -P -o DIO,CRYPTO,SOURCE "$MNT/enc/file"
	[ "$output" = 'DIO="yes" CRYPTO="inline-fallback" SOURCE="kernel"' ]
}

@test "blkcrypt-query: kernel and inference agree without inlinecrypt and without the key" {
	ext4_with_enc
	query_both "$MNT/plain" "$MNT/enc/file" "$MNT/enc"
	run "$BQ" file -P -o DIO,REASON,CRYPTO,SOURCE "$MNT/enc/file"
	[ "$output" = 'DIO="buffered" REASON="no-inlinecrypt" CRYPTO="fs-layer" SOURCE="kernel"' ]
	umount "$MNT"
	mount "$DISK" "$MNT"
	query_both "$MNT/enc"
	run "$BQ" file -P -o KEY,SOURCE "$MNT/enc"
	[ "$output" = 'KEY="absent" SOURCE="kernel"' ]
}

@test "blkcrypt-query: kernel and inference agree on data=journal" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" data=journal
	head -c 65536 /dev/urandom >"$MNT/big"
	query_both "$MNT/big"
}
