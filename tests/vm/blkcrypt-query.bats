#!/usr/bin/env bats
# blkcrypt-query on our 6.12 guest: blk-crypto-fallback with inlinecrypt,
# the silent fallback without it, --probe agreeing with both, and device
# stacks through dm-linear and dm-crypt.
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series

load vm_helpers

bats_require_minimum_version 1.5.0

setup() {
	vm_setup
	DISK=$(vm_disk fs)
	DMDISK=$(vm_disk dm)
	MNT=$BATS_TEST_TMPDIR/mnt
	BQ=$(vm_tool blkcrypt-query)
}

teardown() { vm_teardown; }

# the columns of one file, raw
q() { "$BQ" file -r -n -o "$2" "$1"; }

@test "inlinecrypt in effect: verdict yes through blk-crypto-fallback, --probe agrees, --require-dio 0" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	head -c 1M /dev/urandom >"$MNT/enc/file"
	run q "$MNT/enc/file" DIO,MEM-ALIGN,OFF-ALIGN,CRYPTO,KEY,REASON
	[ "$status" -eq 0 ]
	[ "$output" = "yes 4096 4096 inline-fallback present " ]
	run --separate-stderr "$BQ" file --probe -r -n -o DIO,PROBE,CACHED "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "yes yes 0" ]
	run "$BQ" file --require-dio "$MNT/enc/file"
	[ "$status" -eq 0 ]
	run "$BQ" fs -J -l "$MNT"
	[ "$(jq -c '.filesystems[0] | [.inlinecrypt, .encrypt, .contents, .dio, .crypto]' <<<"$output")" = \
		'[true,true,"AES-256-XTS","yes","inline-fallback"]' ]
}

@test "fs without the kernel's word on blk-crypto-fallback: unknown, not a guess" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	# the guest has no /proc/config.gz nor /boot config: only the kernel
	# interface tells that blk-crypto-fallback exists
	[ ! -e /proc/config.gz ]
	run env BCA_NO_KERNEL_IOCTL=1 "$BQ" fs -J -l "$MNT"
	[ "$status" -eq 0 ]
	[ "$(jq -c '.filesystems[0] | [.inlinecrypt, .dio, .crypto, .reason]' <<<"$output")" = \
		'[true,"unknown","unknown","fallback-unknown"]' ]
	run "$BQ" fs -J -l "$MNT"
	[ "$(jq -c '.filesystems[0] | [.dio, .crypto, .reason]' <<<"$output")" = \
		'["yes","inline-fallback",null]' ]
}

@test "without inlinecrypt: verdict buffered, --probe measures the cached pages, --require-dio 3" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT"
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	head -c 1M /dev/urandom >"$MNT/enc/file"
	run q "$MNT/enc/file" DIO,MEM-ALIGN,OFF-ALIGN,CRYPTO,REASON
	[ "$output" = "buffered 0 0 fs-layer no-inlinecrypt" ]
	run --separate-stderr "$BQ" file --probe -r -n -o DIO,PROBE,CACHED "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	read -r dio probe cached <<<"$output"
	[ "$dio $probe" = "buffered buffered" ]
	[ "$cached" -gt 0 ]
	run "$BQ" file --require-dio "$MNT/enc/file"
	[ "$status" -eq 3 ]
}

@test "a recursive scan of the encrypted tree counts every file" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	mkdir -p "$MNT/enc/a/b"
	for i in $(seq 1 30); do printf x >"$MNT/enc/a/b/f$i"; done
	printf x >"$MNT/plain"
	run "$BQ" file -R -s -P "$MNT"
	[ "$status" -eq 0 ]
	[ "$output" = 'DIO="yes" REASON="" COUNT="31"' ]
}

@test "dm-linear over a disk: the stack, passthrough unknown without a profile below, a file on it" {
	local sectors
	sectors=$(blockdev --getsz "$DMDISK")
	vm_dm_create bca-lin "0 $sectors linear $DMDISK 0"
	run "$BQ" device -J -o NAME,KIND,TARGET,PASSTHROUGH,PROFILE,FILE-CRYPTO /dev/mapper/bca-lin
	[ "$status" -eq 0 ]
	[ "$(jq -c '.devices[0] | [.kind, .target, .passthrough, .profile, ."file-crypto", .children[0].name]' <<<"$output")" = \
		"[\"dm\",\"linear\",null,\"none\",\"inline-fallback\",\"${DMDISK#/dev/}\"]" ]
	vm_mkfs_ext4 /dev/mapper/bca-lin
	vm_mount /dev/mapper/bca-lin "$MNT" inlinecrypt
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	printf x >"$MNT/enc/f"
	run q "$MNT/enc/f" DIO,CRYPTO,DEVICE
	[ "$output" = "yes inline-fallback dm-0" ]
	run "$BQ" file --require-dio "$MNT/enc/f"
	[ "$status" -eq 0 ]
}

@test "dm-crypt over a disk: no passthrough; files on it are not fscrypt-encrypted" {
	local sectors key
	sectors=$(blockdev --getsz "$DMDISK")
	key=$(od -An -tx1 -N64 /dev/urandom | tr -d ' \n')
	vm_dm_create bca-cr "0 $sectors crypt aes-xts-plain64 $key 0 $DMDISK 0 2 no_read_workqueue no_write_workqueue"
	run "$BQ" device -J -o NAME,TARGET,PASSTHROUGH,PROFILE /dev/mapper/bca-cr
	[ "$status" -eq 0 ]
	[ "$(jq -c '.devices[0] | [.target, .passthrough, .profile]' <<<"$output")" = '["crypt",false,"none"]' ]
	vm_mkfs_ext4 /dev/mapper/bca-cr
	vm_mount /dev/mapper/bca-cr "$MNT"
	printf x >"$MNT/f"
	run q "$MNT/f" DIO,ENCRYPTION,CRYPTO
	[ "$output" = "yes none none" ]
	run "$BQ" file --require-dio "$MNT/f"
	[ "$status" -eq 0 ]
}
