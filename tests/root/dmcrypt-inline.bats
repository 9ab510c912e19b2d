#!/usr/bin/env bats
# dmcrypt-inline as root on the host: what it says where device-mapper is
# missing although its control node exists (dmsetup and cryptsetup create
# the node on kernels without device-mapper).

load ../helpers/common

bats_require_minimum_version 1.5.0

setup() {
	require_root_loop
	command -v unshare >/dev/null || skip "needs unshare (util-linux)"
}

# Runs dmcrypt-inline ARGS in a mount namespace of its own whose /dev is a
# tmpfs holding /dev/null and a /dev/mapper/control node (misc 10:236).
with_control_node() {
	unshare -m bash -c '
		mount -t tmpfs tmpfs /dev && mkdir /dev/mapper &&
		mknod /dev/mapper/control c 10 236 && mknod /dev/null c 1 3 || exit 99
		exec "$@"' bash "$DMCRYPT_INLINE" "$@"
}

@test "a control node on a kernel without device-mapper: not available, not 'Cannot allocate memory'" {
	grep -qw device-mapper /proc/misc && skip "this kernel has device-mapper"
	modprobe -n dm-mod 2>/dev/null && skip "device-mapper is a module of this kernel"
	run --separate-stderr with_control_node list -J
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "dmcrypt-inline: device-mapper is not available in this kernel"
	run --separate-stderr with_control_node remove x
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "dmcrypt-inline: device-mapper is not available in this kernel"
}
