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
