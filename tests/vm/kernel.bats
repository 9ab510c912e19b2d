#!/usr/bin/env bats
# The guest is what the rest of the VM suite assumes it is.
# bats file_tags=kernel-code

load vm_helpers

setup() { vm_setup; }
teardown() { vm_teardown; }

@test "guest runs the kernel vm-run was asked for" {
	# BCA_VM_KERNEL_RELEASE: read by vm-run from the image it booted;
	# BCA_VM_KERNEL_NAME: the --kernel it was given
	[ -n "$BCA_VM_KERNEL_RELEASE" ]
	[ "$(uname -r)" = "$BCA_VM_KERNEL_RELEASE" ]
	echo "# kernel: $(uname -r) ($BCA_VM_KERNEL_NAME)" >&3
	case $BCA_VM_KERNEL_NAME in
	6.12|6.12-debug) [[ "$(uname -r)" == 6.12.*-bca ]] ;;
	mainline|mainline-debug) [[ "$(uname -r)" == 7.3*-bca ]] ;;
	debian-*) [[ "$(uname -r)" == "${BCA_VM_KERNEL_NAME#debian-}"[.-]* ]] ;;
	esac
}

@test "kernel has the file systems and dm targets the suite needs" {
	for fs in ext4 f2fs 9p configfs tmpfs; do
		grep -qw "$fs" /proc/filesystems || { echo "no $fs"; false; }
	done
	run dmsetup targets
	[ "$status" -eq 0 ]
	for t in crypt linear flakey; do
		grep -q "^$t " <<<"$output" || { echo "no dm target $t"; false; }
	done
}

@test "test disks are virtio-blk devices named by their serial" {
	local any=0 var dev
	for var in $(compgen -e | grep '^BCA_DISK_'); do
		dev=${!var}
		[ -b "$dev" ]
		[ "$(cat "/sys/block/${dev#/dev/}/serial")" = "${var#BCA_DISK_}" ]
		any=1
	done
	[ "$any" = 1 ]
}

@test "configfs and null_blk are available for emulated hardware" {
	grep -q ' /sys/kernel/config configfs ' /proc/mounts
	[ -d /sys/kernel/config/nullb ]
}
