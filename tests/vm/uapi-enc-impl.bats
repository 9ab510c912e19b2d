#!/usr/bin/env bats
# FS_IOC_GET_ENCRYPTION_IMPL on ext4 (kernel/selftests/enc_impl, 64-bit and
# 32-bit), checked against what the I/O does, and blkcrypt-query agreeing
# with it when it infers the same answer.
# Key status values are FS_IOC_GET_ENCRYPTION_KEY_STATUS's: 1 absent,
# 2 present, 3 incompletely removed.
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series,kernel-code

load uapi_helpers

# dirtied: pages the kernel has dirtied so far (/proc/vmstat nr_dirtied).
# Buffered writes dirty page-cache pages; direct writes do not, and ext4's
# fallback invalidates its pages afterwards, so mincore cannot see it.
dirtied() { awk '$1 == "nr_dirtied" { print $2 }' /proc/vmstat; }

@test "enc_impl ABI: _IOC_SIZE, grown struct, E2BIG, flags, type and direction, EFAULT (plain file)" {
	ext4_with_enc inlinecrypt
	run "$ENC_IMPL" abi "$MNT/plain"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == 1..19* ]]
	! grep -q '^not ok' <<<"$output"
}

@test "enc_impl ABI: encrypted file, and encrypted directory without its key" {
	ext4_with_enc inlinecrypt
	run "$ENC_IMPL" abi "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	run "$ENC_IMPL" abi "$MNT/enc"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "32-bit callers: the compat path passes the ioctl, with the same answers" {
	local e32=$SELFTESTS/enc_impl32 p
	[[ -x "$e32" ]] || { echo "$e32 not built: needs gcc-multilib (-m32 -static)"; return 1; }
	# ELF class 1: a 32-bit program
	[ "$(od -An -tx1 -j4 -N1 "$e32")" = " 01" ]
	ext4_with_enc inlinecrypt
	run "$e32" abi "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	! grep -q '^not ok' <<<"$output"
	for p in "$MNT/plain" "$MNT/enc/file" "$MNT/enc"; do
		[ "$("$e32" show "$p")" = "$("$ENC_IMPL" show "$p")" ]
	done
}

@test "plain ext4 file: no encryption, no reason for buffered I/O" {
	ext4_with_enc
	impl_is "$MNT/plain" impl=0 impl_reason=0 key_status=0 read_buffered=0 \
		write_buffered=0 write_refused=0
}

@test "encrypted file with inlinecrypt on virtio: blk-crypto-fallback, direct" {
	ext4_with_enc inlinecrypt
	impl_is "$MNT/enc/file" impl=3 impl_reason=0 key_status=2 read_buffered=0 \
		write_buffered=0
}

@test "encrypted file without inlinecrypt: fs-layer, reason no-inlinecrypt, buffered" {
	ext4_with_enc
	impl_is "$MNT/enc/file" impl=1 impl_reason=2 key_status=2 read_buffered=0x1 \
		write_buffered=0x1
}

@test "encrypted directory: key present, then absent after a remount" {
	ext4_with_enc inlinecrypt
	impl_is "$MNT/enc" impl=0 key_status=2 read_buffered=0
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	impl_is "$MNT/enc" impl=0 key_status=1
	# a regular file cannot even be opened without the key
	run "$ENC_IMPL" show "$MNT/enc/$(ls "$MNT/enc")"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Required key not available"* ]]
	# adding the key later: the open directory sees it
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	impl_is "$MNT/enc" key_status=2
}

@test "remount with inlinecrypt while the file is open: the implementation chosen at key setup" {
	local pc
	pc=$(vm_helper pagecache)
	ext4_with_enc
	head -c 1M /dev/urandom >"$MNT/enc/big"
	sync
	exec 7<"$MNT/enc/big"
	mount -o remount,inlinecrypt "$MNT"
	[[ "$(vm_mount_options "$MNT")" == *inlinecrypt* ]]
	impl_is "$MNT/enc/big" impl=1 impl_reason=2 key_status=2 read_buffered=0x1
	# and that is what O_DIRECT does on it: the read fills the page cache
	"$pc" drop "$MNT/enc/big"
	"$pc" dio-read "$MNT/enc/big" 1
	[ "$("$pc" resident "$MNT/enc/big")" -gt 0 ]
	exec 7<&-
	# a file whose key is set up after the remount gets blk-crypto
	head -c 1M /dev/urandom >"$MNT/enc/new"
	sync
	impl_is "$MNT/enc/new" impl=3 impl_reason=0 read_buffered=0
	"$pc" drop "$MNT/enc/new"
	"$pc" dio-read "$MNT/enc/new" 1
	[ "$("$pc" resident "$MNT/enc/new")" -eq 0 ]
}

@test "key removed while the file is open: incompletely removed, as GET_ENCRYPTION_KEY_STATUS says" {
	local ident
	ext4_with_enc inlinecrypt
	ident=$(vm_fscrypt_add_key "$MNT" "$KEY")
	exec 7<"$MNT/enc/file"
	"$(vm_tool fscryptctl-dio)" remove_key "$ident" "$MNT"
	run "$(vm_tool fscryptctl-dio)" key_status "$ident" "$MNT"
	echo "$output"
	[[ "$output" == "Incompletely removed"* ]]
	impl_is "$MNT/enc/file" key_status=3 impl=3
	exec 7<&-
}

@test "ext4 data=journal, inline data and fs-verity are reported as such" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" data=journal
	head -c 65536 /dev/urandom >"$MNT/big"
	impl_is "$MNT/big" read_buffered=0x4 write_buffered=0x4
	umount "$MNT"
	mkfs.ext4 -q -F -b 4096 -O inline_data,verity "$DISK"
	mount "$DISK" "$MNT"
	echo tiny >"$MNT/tiny"
	head -c 65536 /dev/urandom >"$MNT/big"
	impl_is "$MNT/tiny" read_buffered=0x8 write_buffered=0x8
	impl_is "$MNT/big" read_buffered=0 write_buffered=0
	command -v fsverity >/dev/null || { [ "${CI:-}" != true ] || return 1; skip "needs fsverity"; }
	fsverity enable "$MNT/big"
	impl_is "$MNT/big" read_buffered=0x2 write_buffered=0x2
}

@test "ext4 without extents: writes filling holes are reported buffered, and are" {
	local pc before after
	pc=$(vm_helper pagecache)
	mkfs.ext4 -q -F -b 4096 -O ^extent,^64bit,^flex_bg "$DISK"
	vm_mount "$DISK" "$MNT"
	truncate -s 2M "$MNT/sparse"
	head -c 2M /dev/urandom >"$MNT/full"
	sync
	impl_is "$MNT/sparse" read_buffered=0 write_buffered=0x10 write_refused=0
	run "$BQ" file -P -o DIO,EXPLAIN "$MNT/sparse"
	echo "$output"
	[[ "$output" == 'DIO="yes" EXPLAIN="'*'writes that fill holes inside the file are served through the page cache'* ]]
	before=$(dirtied)
	"$pc" dio-write "$MNT/sparse" 1
	after=$(dirtied)
	echo "# hole fill: $((after - before)) pages dirtied" >&3
	[ $((after - before)) -ge 200 ]
	# overwriting allocated blocks of the same kind of file is direct
	before=$(dirtied)
	"$pc" dio-write "$MNT/full" 1
	after=$(dirtied)
	echo "# overwrite: $((after - before)) pages dirtied" >&3
	[ $((after - before)) -lt 64 ]
}

@test "a filesystem without the ioctl answers ENOTTY" {
	echo x >"$BATS_TEST_TMPDIR/tmpfs-file"
	run "$ENC_IMPL" show "$BATS_TEST_TMPDIR/tmpfs-file"
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
