#!/usr/bin/env bats
# BLKCRYPTOPROFILE (kernel/selftests/blk_crypto_profile) on virtio and
# dm-linear, and blkcrypt-query device agreeing with sysfs.

load uapi_helpers

@test "blk_crypto_profile ABI on a virtio disk and on dm-linear over it" {
	local bcp=$SELFTESTS/blk_crypto_profile dm
	run "$bcp" abi "$DISK"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == 1..16* ]]
	dm=$(vm_disk dm)
	vm_dm_create bca-uapi-lin "0 $(blockdev --getsz "$dm") linear $dm 0"
	run "$bcp" abi /dev/mapper/bca-uapi-lin
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "virtio disk: no profile is a documented success, source NONE, fallback available" {
	run "$SELFTESTS/blk_crypto_profile" show "$DISK"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'source=0' <<<"$output"
	grep -qx 'caps=0x1' <<<"$output"
	grep -qx 'num_keyslots=0' <<<"$output"
	grep -qx 'max_dun_bits=0' <<<"$output"
	grep -qx 'num_modes=5' <<<"$output"
	! grep -q '^dus_mask_.*=0x[1-9a-f]' <<<"$output"
	# sysfs agrees: no queue/crypto directory
	[ ! -e "/sys/block/${DISK#/dev/}/queue/crypto" ]
}

@test "dm-linear over the virtio disk: no profile to pass through, source NONE" {
	local dm
	dm=$(vm_disk dm)
	vm_dm_create bca-uapi-lin "0 $(blockdev --getsz "$dm") linear $dm 0"
	run "$SELFTESTS/blk_crypto_profile" show /dev/mapper/bca-uapi-lin
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'source=0' <<<"$output"
	grep -qx 'caps=0x1' <<<"$output"
}

@test "a character device answers ENOTTY" {
	run "$SELFTESTS/blk_crypto_profile" show /dev/null
	[ "$status" -eq 1 ]
	[[ "$output" == *"Inappropriate ioctl"* ]]
}

@test "blkcrypt-query device: the profile from the kernel and from sysfs agree; only the kernel knows the fallback" {
	local bq=$BQ k i
	k=$("$bq" device -J -o +EXPLAIN "$DISK")
	i=$(BCA_NO_KERNEL_IOCTL=1 "$bq" device -J -o +EXPLAIN "$DISK")
	echo "kernel: $k"
	echo "sysfs:  $i"
	[ "$(jq -c 'del(.devices[]."file-crypto", .devices[].explain)' <<<"$k")" = \
	  "$(jq -c 'del(.devices[]."file-crypto", .devices[].explain)' <<<"$i")" ]
	# the guest has no kernel configuration to read: sysfs alone cannot
	# tell whether blk-crypto-fallback exists, the kernel can (caps)
	[ "$(jq -r '.devices[0]."file-crypto"' <<<"$k")" = inline-fallback ]
	[[ $(jq -r '.devices[0].explain' <<<"$k") == *"evidence: the kernel (BLKCRYPTOPROFILE)"* ]]
	[ "$(jq -r '.devices[0]."file-crypto"' <<<"$i")" = unknown ]
	[[ $(jq -r '.devices[0].explain' <<<"$i") == *"no kernel configuration found"* ]]
}
