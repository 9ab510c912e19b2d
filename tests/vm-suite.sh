#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The VM suite as one entry of make check's TESTS (configure's
# ENABLE_VM_TESTS): builds the guest kernels when needed, then runs the bats
# files of tests/vm/ (or those of BCA_VM_TESTS / VM_TESTS, paths relative
# to the source tree or absolute) in parallel guests on every kernel of
# BCA_VM_KERNELS, TAP on stdout for automake's tap-driver.sh, every test
# case counted, each test's name starting with its kernel.  The closing
# line "check-vm: kernel build N s, boot N s, suite N s ..." goes to stderr
# (the log) and to tests/vm-suite.timing in the build tree.
#
# Kernels (vm-run --kernel names):
#   6.12, mainline        our series on Debian's linux-source-6.12 and on
#                         mainline (Debian experimental's linux-source-7.3),
#                         built here: every file runs on 6.12; on mainline
#                         those without the file tag needs-series (the
#                         suites of interfaces kernel/patches/mainline does
#                         not have yet)
#   debian-6.1, debian-7.2, debian-7.3
#                         Debian's own kernels as they ship (fetched once,
#                         cached): the files tagged every-kernel
#                         (truth.bats, zram-swap.bats) run on them, the
#                         feature suites need our series
# The truth suite's findings go to tests/truth/KERNEL.tsv in the build
# tree; kernel/scripts/kernel-matrix (make kernel-matrix) makes
# tests/vm/KERNELS.md of them.
#
# Environment (make check sets the first two): BCA_SRCDIR, BCA_BUILDDIR,
# BCA_KERNEL_WORKDIR (default /var/tmp/blkcryptadm-kernel), BCA_VM_JOBS,
# BCA_VM_KERNELS (default "6.12 mainline debian-6.1 debian-7.2 debian-7.3"),
# BCA_VM_TIMEOUT (seconds per guest, default 900; 2700 on the debug
# kernels, where KASAN and the sanitized tools take each guest to about
# 900 s under TCG on two cores), BATS_TEST_TIMEOUT (seconds per test,
# default 600: a test that hangs fails by name, and the guest goes on),
# BCA_VM_DEBUG_KERNEL: 1 runs the files tagged kernel-code (those that test
# the kernel code of our series: its error paths, its races, its memory) on
# the build-kernel --debug variants of our kernels, with KASAN and lockdep,
# any kernel report a failure (vm-run --kernel-reports), and the rest on the
# plain variants, where a tool costs the guest a third of the time; "all"
# runs every file on the debug variants; 0 (the default) none.
# BCA_VM_DEBUG_BUILDDIR: a build tree whose tools and helpers the debug
# variants run instead of BCA_BUILDDIR's, e.g. the plain build beside a
# sanitizer one (its check programs built: make check-root builds them).
set -euo pipefail

src=${BCA_SRCDIR:?run through make check}
build=${BCA_BUILDDIR:?run through make check}
bail() { echo "Bail out! $*"; exit 1; }
dbuild=${BCA_VM_DEBUG_BUILDDIR:-}
if [ -n "$dbuild" ]; then
	[ -x "$dbuild/.libs/blkcrypt-query" ] && [ -x "$dbuild/tests/helpers/pagecache" ] ||
		bail "BCA_VM_DEBUG_BUILDDIR=$dbuild: no built tools and check helpers there"
	case $dbuild in "$src"/*) dbuild="" ;; esac	# shared with the source tree
fi

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

debug=${BCA_VM_DEBUG_KERNEL:-0}
timeout=900 run_opts=()
case $debug in
0) ;;
1|all) run_opts=(--kernel-reports) timeout=2700 ;;
*) bail "BCA_VM_DEBUG_KERNEL: 0, 1 or all, not '$debug'" ;;
esac
# variant FILE: the suffix of the variant of our kernels FILE runs on
variant() {
	case $debug in
	all) echo -debug ;;
	1) grep -q '^# bats file_tags=.*kernel-code' "$1" && echo -debug || echo "" ;;
	*) echo "" ;;
	esac
}
read -r -a kernels <<<"${BCA_VM_KERNELS:-6.12 mainline debian-6.1 debian-7.2 debian-7.3}"
((${#kernels[@]})) || bail "BCA_VM_KERNELS names no kernel"

# Our kernels are built (each build-kernel is a no-op when up to date),
# Debian's fetched; then each kernel gets its files.
t0=$(date +%s)
args=()
skips=()	# KERNEL<TAB>FILE<TAB>REASON: reported as skips, not run
for k in "${kernels[@]}"; do
	case $k in
	6.12|mainline)
		built=" "
		for t in "${tests[@]}"; do
			v=$(variant "$t")
			# the interfaces of kernel/patches/series: 6.12 only, so far
			if [ "$k" = mainline ] && grep -q '^# bats file_tags=.*needs-series' "$t"; then
				skips+=("$k$v"$'\t'"$t"$'\t'"needs the interfaces of kernel/patches/series, not yet in kernel/patches/mainline")
				continue
			fi
			if [[ "$built" != *" $v "* ]]; then
				"$src/kernel/scripts/build-kernel" --tree "$k" ${v:+--debug} >&2 ||
					bail "the $k$v guest kernel did not build"
				built+="$v "
			fi
			args+=("$k$v:$t")
		done
		;;
	debian-6.1|debian-7.2|debian-7.3)
		"$src/kernel/scripts/fetch-debian" "$k" >&2 || bail "cannot fetch $k"
		for t in "${tests[@]}"; do
			if grep -q '^# bats file_tags=.*every-kernel' "$t"; then
				args+=("$k:$t")
			else
				skips+=("$k"$'\t'"$t"$'\t'"Debian's own kernel runs the every-kernel files; the feature suites need our guest kernels")
			fi
		done
		;;
	*) bail "BCA_VM_KERNELS: unknown kernel '$k' (6.12, mainline, debian-6.1, debian-7.2, debian-7.3)" ;;
	esac
done
t1=$(date +%s)
((${#args[@]})) || bail "no test file runs on ${kernels[*]} (Debian's kernels run only the files tagged every-kernel)"
times=$(mktemp)
trap 'rm -f "$times" "$times.rc"' EXIT
mkdir -p "$build/tests/truth"
# Every test of a file a kernel does not run is a skip with the reason,
# after the guests' results, under one plan.
skip_lines() {
	local line k t reason
	for line in "${skips[@]}"; do
		IFS=$'\t' read -r k t reason <<<"$line"
		sed -n 's/^@test "\(.*\)" {$/\1/p' "$t" |
			while IFS= read -r name; do
				printf 'ok [%s] %s # skip %s\n' "$k" "$name" "$reason"
			done
	done
}
{ BCA_TRUTH_DIR="$build/tests/truth" BATS_TEST_TIMEOUT="${BATS_TEST_TIMEOUT:-600}" \
	"$src/kernel/scripts/vm-tests" --timing-file "$times" "${run_opts[@]}" \
	--timeout "${BCA_VM_TIMEOUT:-$timeout}" \
	--disk fs:1G --disk dm:256M --share "$build" --share "$src" ${dbuild:+--share "$dbuild"} \
	-- "${args[@]}" ||
	echo "$?" >"$times.rc"; } |
	awk -v skips="$(skip_lines)" '
		/^1\.\.[0-9]+$/ { next }	# the plan: counted again below
		/^(not )?ok [0-9]+/ { n++ }
		{ print; fflush() }
		END {
			m = split(skips, s, "\n")
			for (i = 1; i <= m; i++) if (s[i] != "") { sub(/^ok /, "ok " (++n) " ", s[i]); print s[i] }
			print "1.." n
		}'
rc=$(cat "$times.rc" 2>/dev/null || echo 0)
case $debug in
all) what="${kernels[*]} (-debug builds)" ;;
1) what="${kernels[*]} (-debug builds for kernel-code files)" ;;
*) what="${kernels[*]}" ;;
esac
if [ -s "$times" ]; then
	eval "$(cat "$times")"
	# shellcheck disable=SC2154 # boot, command, total, guests: from vm-tests
	line="check-vm on $what: kernel builds $((t1 - t0)) s, boot $boot s, suite $command s ($guests guests, ${BCA_VM_JOBS:-$(nproc)} at a time), total $(awk "BEGIN { print $((t1 - t0)) + $total }") s"
else
	line="check-vm on $what: kernel builds $((t1 - t0)) s, the guests did not report"
fi
echo "$line" >&2
echo "$line" >"$build/tests/vm-suite.timing"
exit "$rc"
