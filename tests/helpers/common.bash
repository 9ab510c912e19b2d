# Shared by the bats suites: where the built tools are, and small helpers.
# shellcheck shell=bash

: "${BCA_BUILDDIR:?run the suites through make check}"
: "${BCA_SRCDIR:=$BCA_BUILDDIR}"
BLKCRYPT_QUERY=$BCA_BUILDDIR/blkcrypt-query
FSCRYPTCTL_DIO=$BCA_BUILDDIR/fscryptctl-dio
DMCRYPT_INLINE=$BCA_BUILDDIR/dmcrypt-inline
FIXTURES=$BCA_SRCDIR/tests/fixtures

# Skips the test with a reason unless running as root with loop devices.
# In CI (CI=true) a missing requirement is a failure, not a skip.
require_root_loop() {
	local why=
	if [ "$(id -u)" -ne 0 ]; then
		why="needs root"
	elif [ ! -e /dev/loop-control ]; then
		why="needs loop devices (/dev/loop-control)"
	fi
	if [ -n "$why" ]; then
		if [ "${CI:-}" = true ]; then
			echo "CI must run the root suite: $why" >&2
			return 1
		fi
		skip "$why"
	fi
}

# Fails the test with what was expected and what came.
assert_eq() {
	if [ "$1" != "$2" ]; then
		echo "expected: '$2'" >&2
		echo "got:      '$1'" >&2
		return 1
	fi
}

# mk_enc_ext4 DIR SIZE: an ext4 image DIR/img of SIZE (truncate's units)
# with the encrypt feature, loop-mounted on DIR/mnt, a v2 key added
# (DIR/key; identifier in ID) and an encrypted directory DIR/mnt/enc.
mk_enc_ext4() {
	truncate -s "$2" "$1/img"
	mkfs.ext4 -q -F -O encrypt "$1/img"
	mkdir "$1/mnt"
	mount -o loop "$1/img" "$1/mnt"
	head -c 64 /dev/urandom >"$1/key"
	ID=$("$FSCRYPTCTL_DIO" add_key --key-file "$1/key" "$1/mnt")
	mkdir "$1/mnt/enc"
	"$FSCRYPTCTL_DIO" set_policy "$ID" "$1/mnt/enc"
}
