#!/usr/bin/env bats
# The series' block-layer facts in sysfs: queue/crypto_fallback (is
# blk-crypto-fallback there) on every queue, queue/crypto/passthrough next
# to a profile, and blkcrypt-query device reading them.  The fallback's
# presence is checked against what the kernel does: an inline-encrypted
# file on a disk without inline-encryption hardware gets real direct I/O
# (nothing left in the page cache), which only blk-crypto-fallback can give.
# (queue/crypto/passthrough needs a device with a profile: the emulated
# hardware of the null_blk patch, tested in nullb-crypto.bats.)
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series,kernel-code

load vm_helpers

setup() { vm_fs_setup; }

teardown() { vm_teardown; }

@test "queue/crypto_fallback: 1 on a disk without a profile and on dm-linear over one" {
	local q=/sys/block/${DISK#/dev/}/queue dm
	[ "$(cat "$q/crypto_fallback")" = 1 ]
	[ ! -e "$q/crypto" ]
	dm=$(vm_disk dm)
	vm_dm_create bca-sysfs-lin "0 $(blockdev --getsz "$dm") linear $dm 0"
	# no udev: /dev/mapper/NAME is a node, not a link to dm-N
	q=/sys/dev/block/$((0x$(stat -c %t /dev/mapper/bca-sysfs-lin))):$((0x$(stat -c %T /dev/mapper/bca-sysfs-lin)))/queue
	[ "$(cat "$q/crypto_fallback")" = 1 ]
	[ ! -e "$q/crypto" ]
	# read-only
	run sh -c "echo 0 >'$q/crypto_fallback'"
	[ "$status" -ne 0 ]
	[ "$(cat "$q/crypto_fallback")" = 1 ]
}

@test "blkcrypt-query device: the fallback from the kernel, not guessed" {
	local out
	out=$("$BQ" device -J -o NAME,PROFILE,FILE-CRYPTO,EXPLAIN "$DISK")
	echo "$out"
	[ "$(jq -r '.devices[0]."file-crypto"' <<<"$out")" = inline-fallback ]
	[ "$(jq -r '.devices[0].profile' <<<"$out")" = none ]
	[[ $(jq -r '.devices[0].explain' <<<"$out") == *"evidence: the kernel (queue/crypto_fallback in sysfs)"* ]]
	# as on a stock kernel: the guest has no kernel configuration to read
	out=$(BCA_NO_KERNEL_IOCTL=1 "$BQ" device -J -o NAME,PROFILE,FILE-CRYPTO,EXPLAIN "$DISK")
	[ "$(jq -r '.devices[0]."file-crypto"' <<<"$out")" = unknown ]
	[[ $(jq -r '.devices[0].explain' <<<"$out") == *"no kernel configuration found"* ]]
}

@test "the fallback really serves the disk: an inlinecrypt file gets real direct I/O" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	"$PC" dio-write "$MNT/enc/file" 1
	[ "$("$PC" resident "$MNT/enc/file")" -eq 0 ]
	run "$BQ" file -r -n -o CRYPTO "$MNT/enc/file"
	[ "$output" = inline-fallback ]
}
