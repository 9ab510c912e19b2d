#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The VM suite as one entry of make check's TESTS (configure's
# ENABLE_VM_TESTS): builds the guest kernel when needed, then runs the bats
# files of tests/vm/ (or those of BCA_VM_TESTS / VM_TESTS, paths relative
# to the source tree or absolute) in parallel guests, TAP on stdout for
# automake's tap-driver.sh, every test case counted.  The closing line
# "check-vm: kernel build N s, boot N s, suite N s ..." goes to stderr (the
# log) and to tests/vm-suite.timing in the build tree.
#
# Environment (make check sets the first two): BCA_SRCDIR, BCA_BUILDDIR,
# BCA_KERNEL_WORKDIR (default /var/tmp/blkcryptadm-kernel), BCA_VM_JOBS,
# BCA_VM_TIMEOUT (seconds per guest, default 900; 2700 on the debug kernel,
# where KASAN and the sanitized tools take each guest to about 900 s under
# TCG on two cores), BCA_VM_DEBUG_KERNEL=1
# (the suite on build-kernel --debug's KASAN and lockdep kernel, any kernel
# report a failure: vm-run --kernel-reports).
set -euo pipefail

src=${BCA_SRCDIR:?run through make check}
build=${BCA_BUILDDIR:?run through make check}
bail() { echo "Bail out! $*"; exit 1; }

command -v bats >/dev/null || bail "bats not found (apt-get install bats)"
command -v qemu-system-x86_64 >/dev/null ||
	bail "qemu-system-x86_64 not found (apt-get install qemu-system-x86), or configure --disable-vm-tests"
tests=()
for t in ${BCA_VM_TESTS:-${VM_TESTS:-}}; do
	case $t in /*) ;; *) [ -e "$t" ] || t=$src/$t ;; esac
	[ -e "$t" ] || bail "$t: no such test file"
	tests+=("$(cd "$(dirname "$t")" && pwd)/$(basename "$t")")
done
((${#tests[@]})) || tests=("$src"/tests/vm/*.bats)

workdir=${BCA_KERNEL_WORKDIR:-/var/tmp/blkcryptadm-kernel}
variant="" image=vmlinux build_opts=() run_opts=() timeout=900
if [ "${BCA_VM_DEBUG_KERNEL:-0}" = 1 ]; then
	variant=-debug image=bzImage-debug build_opts=(--debug) run_opts=(--kernel-reports)
	timeout=2700
fi
t0=$(date +%s)
"$src/kernel/scripts/build-kernel" "${build_opts[@]}" >&2 || bail "the guest kernel did not build"
t1=$(date +%s)
times=$(mktemp)
trap 'rm -f "$times"' EXIT
rc=0
BCA_KERNEL_RELEASE=$(cat "$workdir/kernel.release$variant") \
	"$src/kernel/scripts/vm-tests" --timing-file "$times" "${run_opts[@]}" \
	--kernel "$workdir/$image" --timeout "${BCA_VM_TIMEOUT:-$timeout}" \
	--disk fs:1G --disk dm:256M --share "$build" --share "$src" -- "${tests[@]}" || rc=$?
if [ -s "$times" ]; then
	eval "$(cat "$times")"
	# shellcheck disable=SC2154 # boot, command, total, guests: from vm-tests
	line="check-vm${variant:+ ($variant kernel)}: kernel build $((t1 - t0)) s, boot $boot s, suite $command s ($([ "$guests" = 1 ] && echo "1 guest" || echo "$guests guests in parallel")), total $(awk "BEGIN { print $((t1 - t0)) + $total }") s"
else
	line="check-vm${variant:+ ($variant kernel)}: kernel build $((t1 - t0)) s, the guests did not report"
fi
echo "$line" >&2
echo "$line" >"$build/tests/vm-suite.timing"
exit "$rc"
