#!/usr/bin/env bats
# device-mapper targets the tools build on, on a virtio disk.

load vm_helpers

setup() {
	vm_setup
	DISK=$(vm_disk dm)
	# a pattern unlikely to exist by chance, different on every run
	PATTERN="blkcryptadm-plaintext-$RANDOM$RANDOM-$$"
	# start from zeros (qemu ignores discard by default, so write them)
	dd if=/dev/zero of="$DISK" bs=1M count=16 oflag=direct status=none
}

teardown() { vm_teardown; }

# make_pattern FILE MIB: FILE filled with $PATTERN lines.
make_pattern() {
	{ yes "$PATTERN" || true; } | head -c $(($2 * 1024 * 1024)) >"$1"
}

@test "dm-crypt with no_read_workqueue no_write_workqueue round-trips and stores ciphertext" {
	local key sectors plain=$BATS_TEST_TMPDIR/plain
	key=$(od -An -tx1 -N64 /dev/urandom | tr -d ' \n')
	sectors=$(blockdev --getsz "$DISK")
	vm_dm_create bca-crypt \
		"0 $sectors crypt aes-xts-plain64 $key 0 $DISK 0 2 no_read_workqueue no_write_workqueue"
	run dmsetup table bca-crypt
	[ "$status" -eq 0 ]
	[[ "$output" == *no_read_workqueue* && "$output" == *no_write_workqueue* ]]

	make_pattern "$plain" 4
	dd if="$plain" of=/dev/mapper/bca-crypt bs=1M oflag=direct status=none
	cmp -n $((4 * 1024 * 1024)) "$plain" <(dd if=/dev/mapper/bca-crypt bs=1M count=4 iflag=direct status=none)
	# positive control: the pattern is found through the mapping ...
	[ "$(dd if=/dev/mapper/bca-crypt bs=1M count=4 iflag=direct status=none | grep -ca "$PATTERN")" -gt 0 ]
	# ... but not on the disk underneath, which is not left blank either
	[ "$(dd if="$DISK" bs=1M count=4 iflag=direct status=none | grep -ca "$PATTERN")" = 0 ]
	if cmp -s -n $((4 * 1024 * 1024)) /dev/zero <(dd if="$DISK" bs=1M count=4 iflag=direct status=none); then
		echo "nothing was written to $DISK"
		false
	fi
}

@test "dm-linear maps onto the underlying disk at the table offset" {
	local offset=8192 len=4096 data=$BATS_TEST_TMPDIR/data
	vm_dm_create bca-linear "0 $len linear $DISK $offset"
	[ "$(blockdev --getsz /dev/mapper/bca-linear)" -eq "$len" ]

	make_pattern "$data" 1
	dd if="$data" of=/dev/mapper/bca-linear bs=1M oflag=direct status=none
	# the same bytes at the offset (in 512-byte sectors) of the disk
	cmp "$data" <(dd if="$DISK" bs=1M skip=$((offset * 512)) count=1 iflag=direct,skip_bytes status=none)
	# and nothing before it
	cmp -n $((offset * 512)) /dev/zero <(dd if="$DISK" bs=1M count=$((offset / 2048)) iflag=direct status=none)
}
