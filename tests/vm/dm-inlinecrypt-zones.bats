#!/usr/bin/env bats
# dm-inlinecrypt over a host-managed zoned device, mapped at an offset:
# zone management requests (reset, finish) carry no data, but they target a
# zone by its start sector, which the target must remap like any other
# sector.  Upstream's inlinecrypt_map() returned before adding the table's
# offset for every bio without data, so a zone reset through the target
# reset a zone of the device below the mapping: another table's data, gone
# (kernel/patches/mainline/dm-fixes, and its 6.12 backport).
#
# Runs where the kernel has the inlinecrypt target (mainline and our 6.12;
# Debian's kernels build it as a module only from 7.3 on, not at all yet).
# bats file_tags=kernel-code

load vm_helpers

setup() {
	vm_setup
	grep -q '^inlinecrypt ' <(dmsetup targets) ||
		skip "$(uname -r) has no dm-inlinecrypt target"
	# 128 MiB null_blk, 32 sequential zones of 4 MiB (8192 sectors)
	NULLB=$(vm_nullb_create bcazfix "" 0 4096 0 4)
	# zones 0-3 through dm-linear, zones 4-7 through dm-inlinecrypt
	vm_dm_create zfix-linear "0 32768 linear $NULLB 0"
	# the table (with its throw-away key) from stdin, never in argv
	printf '0 32768 inlinecrypt aes-xts-plain64 %s 0 %s 32768\n' \
		"$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$NULLB" |
		dmsetup create --noudevsync zfix-ic
	vm_on_teardown "dmsetup remove --noudevsync zfix-ic"
}

teardown() { vm_teardown; }

# wp DEV SECTOR: the write pointer (blkzone's hex, relative to the zone
# start) of the zone starting at SECTOR of DEV.
wp() {
	blkzone report -o "$2" -c 1 "$1" | sed -n 's/.*wptr \(0x[0-9a-f]*\) .*/\1/p'
}

# cond DEV SECTOR: the condition of that zone, as blkzone abbreviates it
# (em, oi, cl, fu...).
cond() {
	blkzone report -o "$2" -c 1 "$1" | sed -n 's/.*zcond: *[0-9]*(\([a-z]*\)).*/\1/p'
}

# 1 MiB at the write pointer of zone 0 of both mappings: the device's
# zones 0 and 4 are 0x800 sectors in.
fill_both() {
	dd if=/dev/urandom of=/dev/mapper/zfix-linear bs=1M count=1 oflag=direct status=none
	dd if=/dev/urandom of=/dev/mapper/zfix-ic bs=1M count=1 oflag=direct status=none
	[ "$(wp "$NULLB" 0)" = 0x000800 ]
	[ "$(wp "$NULLB" 32768)" = 0x000800 ]
}

@test "a zone reset through an offset mapping resets that zone, not the device's zone 0" {
	fill_both
	blkzone reset -o 0 -c 1 /dev/mapper/zfix-ic
	echo "# after the reset: device zone 0 wp $(wp "$NULLB" 0), zone 4 wp $(wp "$NULLB" 32768)" >&3
	[ "$(wp "$NULLB" 0)" = 0x000800 ] || { echo "dm-linear's zone 0 was reset: its data is lost"; return 1; }
	[ "$(wp "$NULLB" 32768)" = 0x000000 ]
	[ "$(wp /dev/mapper/zfix-ic 0)" = 0x000000 ]
}

@test "a zone finish through an offset mapping finishes that zone only" {
	fill_both
	blkzone finish -o 0 -c 1 /dev/mapper/zfix-ic
	echo "# after the finish: device zone 0 $(cond "$NULLB" 0), zone 4 $(cond "$NULLB" 32768)" >&3
	[ "$(cond "$NULLB" 0)" != fu ] || { echo "dm-linear's zone 0 was finished"; return 1; }
	[ "$(cond "$NULLB" 32768)" = fu ]
}
