#!/usr/bin/env bats
# The VM harness's host side without a kernel or a guest: build-kernel's
# patch handling on a tiny stand-in tarball, and vm-tests' sharing out and
# TAP merge with a stand-in vm-run that runs the command on the host.

load ../helpers/common

setup() {
	T=$(mktemp -d)
	SCRIPTS=${BCA_SRCDIR:?}/kernel/scripts
}

teardown() {
	rm -rf "$T"
}

# --- build-kernel -----------------------------------------------------------

# A kernel/ directory of our own around the real build-kernel, and a
# "linux-source" tarball of one file.
fake_kernel() {
	mkdir -p "$T/kernel/scripts" "$T/kernel/patches" "$T/kernel/config" "$T/orig/linux/fs"
	cp "$SCRIPTS/build-kernel" "$T/kernel/scripts/"
	echo "CONFIG_64BIT=y" >"$T/kernel/config/guest.config"
	printf 'one\ntwo\nthree\n' >"$T/orig/linux/fs/a.c"
	tar -cJf "$T/linux.tar.xz" -C "$T/orig" linux
	export BCA_KERNEL_TARBALL="$T/linux.tar.xz" BCA_KERNEL_WORKDIR="$T/work"
}

# make_patch NAME OLD NEW: a patch of fs/a.c from contents OLD to NEW.
make_patch() {
	printf '%s' "$2" >"$T/old"
	printf '%s' "$3" >"$T/new"
	{
		echo "Subject: [PATCH] $1"
		echo
		echo "---"
		diff -u --label a/fs/a.c --label b/fs/a.c "$T/old" "$T/new" || true
	} >"$T/kernel/patches/$1"
}

# The stand-in tree has no Kconfig: build-kernel gets as far as configure,
# which is all these tests need.
build_kernel() {
	run "$T/kernel/scripts/build-kernel"
}

@test "build-kernel: a patch that does not apply stops the build with its name" {
	fake_kernel
	make_patch 0001-good.patch $'one\ntwo\nthree\n' $'one\nTWO\nthree\n'
	make_patch 0002-bad.patch $'one\nnothing like this\nthree\n' $'one\n2\nthree\n'
	printf '0001-good.patch\n# a comment\n0002-bad.patch\n' >"$T/kernel/patches/series"
	build_kernel
	[ "$status" -eq 1 ]
	[[ "$output" == *"build-kernel: patch 0002-bad.patch does not apply"* ]]
	[[ "$output" == *"patch failed: fs/a.c"* ]]	# git's report of the hunk
	[ "$(cat "$T/work/src/fs/a.c")" = $'one\nTWO\nthree' ]
}

@test "build-kernel: a series change reverses the old patches before applying the new" {
	fake_kernel
	make_patch 0001-two.patch $'one\ntwo\nthree\n' $'one\nTWO\nthree\n'
	make_patch 0002-three.patch $'one\nTWO\nthree\n' $'one\nTWO\nTHREE\n'
	printf '0001-two.patch\n0002-three.patch\n' >"$T/kernel/patches/series"
	build_kernel
	[[ "$output" == *"applied 2 patch(es)"* ]]
	[[ "$output" == *"not a kernel source tree"* ]]
	[ "$(cat "$T/work/src/fs/a.c")" = $'one\nTWO\nTHREE' ]
	touch -d '2000-01-01' "$T/work/src/fs/a.c"

	# drop the second patch, change the first: the tree is not unpacked again
	make_patch 0001-two.patch $'one\ntwo\nthree\n' $'ONE\ntwo\nthree\n'
	printf '0001-two.patch\n' >"$T/kernel/patches/series"
	build_kernel
	[[ "$output" != *"unpacking"* ]]
	[[ "$output" == *"applied 1 patch(es)"* ]]
	[ "$(cat "$T/work/src/fs/a.c")" = $'ONE\ntwo\nthree' ]
	[ "$(ls "$T/work/applied")" = "0001-0001-two.patch" ]
}

@test "build-kernel: an interrupted run or a hand-edited tree means a fresh unpack" {
	fake_kernel
	make_patch 0001-two.patch $'one\ntwo\nthree\n' $'one\nTWO\nthree\n'
	echo 0001-two.patch >"$T/kernel/patches/series"
	build_kernel
	[[ "$output" == *"applied 1 patch(es)"* ]]

	# edited by hand: the recorded patch no longer reverses
	echo edited >"$T/work/src/fs/a.c"
	make_patch 0001-two.patch $'one\ntwo\nthree\n' $'one\n2\nthree\n'
	build_kernel
	[[ "$output" == *"does not match the patches applied last time"* ]]
	[[ "$output" == *"unpacking"* ]]
	[ "$(cat "$T/work/src/fs/a.c")" = $'one\n2\nthree' ]

	# a run killed while changing the tree leaves src.dirty behind
	: >"$T/work/src.dirty"
	echo edited >"$T/work/src/fs/a.c"
	rm "$T/work/src.stamp"
	build_kernel
	[[ "$output" == *"unpacking"* ]]
	[ "$(cat "$T/work/src/fs/a.c")" = $'one\n2\nthree' ]
	[ ! -e "$T/work/src.dirty" ]
}

# --- vm-tests ---------------------------------------------------------------

# vm-tests next to a vm-run that runs the command here and reports made-up
# times, as the real one does from the guest.
fake_vm_tests() {
	mkdir -p "$T/scripts"
	cp "$SCRIPTS/vm-tests" "$T/scripts/"
	cat >"$T/scripts/vm-run" <<'EOF'
#!/bin/bash
while [[ $1 != -- ]]; do
	case $1 in
	--timing-file) echo "boot=1.5 command=2.5 total=4.0" >"$2"; shift 2 ;;
	--smp) echo "$2" >>"${FAKE_SMP_LOG:?}"; shift 2 ;;
	--kernel) echo "kernel $2" >>"$FAKE_SMP_LOG.args"; shift 2 ;;
	--kernel-reports) echo "reports" >>"$FAKE_SMP_LOG.args"; shift ;;
	*) shift 2 ;;
	esac
done
shift
exec "$@"
EOF
	chmod +x "$T/scripts/vm-run"
	export FAKE_SMP_LOG="$T/smp"
	# a file of each size, so that each guest gets work
	printf '@test "a1" { true; }\n@test "a2" { true; }\n# %s\n' "$(printf 'x%.0s' {1..300})" >"$T/a.bats"
	printf '@test "b1" { true; }\n@test "b2 fails" {\n\techo "b2 said this"\n\tfalse\n}\n' >"$T/b.bats"
	printf '@test "c1" { true; }\n' >"$T/c.bats"
}

@test "vm-tests: two guests' TAP merged into one renumbered stream, failures keep their diagnostics" {
	fake_vm_tests
	run "$T/scripts/vm-tests" --jobs 2 --timing-file "$T/times" --disk fs:1G -- \
		"$T/a.bats" "$T/b.bats" "$T/c.bats"
	[ "$status" -eq 1 ]	# bats' status in the guest that failed
	# stderr: what each guest ran
	[ "$(grep -c '^vm-tests: guest [12]: .*(boot=1.5 command=2.5 total=4.0, exit [01])$' <<<"$output")" -eq 2 ]
	local tap
	tap=$(grep -v '^vm-tests: guest' <<<"$output")
	[ "$(grep -c '^ok ' <<<"$tap")" -eq 4 ]
	[ "$(grep -c '^not ok ' <<<"$tap")" -eq 1 ]
	# numbered in the order printed, as TAP (and tap-driver.sh) wants
	[ "$(grep -E '^(not )?ok ' <<<"$tap" | awk '{ print ($1 == "not") ? $3 : $2 }' | tr '\n' ' ')" = "1 2 3 4 5 " ]
	[ "$(tail -n 1 <<<"$tap")" = "1..5" ]
	[ "$(grep -c '^1\.\.' <<<"$tap")" -eq 1 ]
	# the failure's diagnostics follow it directly
	grep -A 10 '^not ok [0-9]* b2 fails' <<<"$tap" | sed -n '2,/^ok /p' | grep -q 'b2 said this'
	[[ "$(cat "$T/times")" =~ ^boot=1\.5\ command=2\.5\ total=[0-9.]+\ guests=2$ ]]
	[ "$(sort -u "$T/smp")" = 1 ]
}

@test "vm-tests: a result held back for its diagnostics is numbered when printed" {
	fake_vm_tests
	# guest 1 holds "a1" until "a2" ends, a second later; guest 2 prints
	# its three meanwhile: numbered at arrival, a1 would come out as 1 after 2..4
	printf '@test "a1" { true; }\n@test "a2" { sleep 1; }\n# %s\n' "$(printf 'x%.0s' {1..300})" >"$T/a.bats"
	printf '@test "b1" { true; }\n@test "b2" { true; }\n@test "b3" { true; }\n' >"$T/b.bats"
	run "$T/scripts/vm-tests" --jobs 2 --timing-file "$T/times" -- "$T/a.bats" "$T/b.bats"
	[ "$status" -eq 0 ]
	[ "$(grep -E '^ok ' <<<"$output" | awk '{ print $2 }' | tr '\n' ' ')" = "1 2 3 4 5 " ]
}

@test "vm-tests: all passing is status 0; never more guests than files" {
	fake_vm_tests
	run "$T/scripts/vm-tests" --jobs 8 --timing-file "$T/times" -- "$T/a.bats" "$T/c.bats"
	[ "$status" -eq 0 ]
	[ "$(grep -v '^vm-tests: guest' <<<"$output" | tail -n 1)" = "1..3" ]
	[[ "$(cat "$T/times")" == *" guests=2" ]]
}

@test "vm-tests: usage errors exit 2" {
	fake_vm_tests
	run "$T/scripts/vm-tests" --jobs 0 -- "$T/a.bats"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--jobs wants a positive number"* ]]
	run "$T/scripts/vm-tests" -- "$T/missing.bats"
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing.bats: no such test file"* ]]
	run "$T/scripts/vm-tests" --shell -- "$T/a.bats"
	[ "$status" -eq 2 ]
	run "$T/scripts/vm-tests" --jobs 2
	[ "$status" -eq 2 ]
	[[ "$output" == *"no test files given"* ]]
}

@test "vm-tests: KERNEL:FILE runs FILE on KERNEL, names tagged; reports only on our -debug kernels" {
	fake_vm_tests
	run "$T/scripts/vm-tests" --jobs 2 --kernel-reports --timing-file "$T/times" -- \
		"6.12-debug:$T/a.bats" "6.12-debug:$T/c.bats" "debian-6.1:$T/c.bats"
	[ "$status" -eq 0 ]
	local tap
	tap=$(grep -v '^vm-tests: guest' <<<"$output")
	[ "$(grep -c '^ok [0-9]* \[6.12-debug\] ' <<<"$tap")" -eq 3 ]
	[ "$(grep -c '^ok [0-9]* \[debian-6.1\] c1' <<<"$tap")" -eq 1 ]
	[ "$(tail -n 1 <<<"$tap")" = "1..4" ]
	# three guests: two for 6.12-debug's files, one for debian-6.1's
	[[ "$(cat "$T/times")" == *" guests=3" ]]
	[ "$(grep -c '^kernel 6.12-debug$' "$T/smp.args")" -eq 2 ]
	[ "$(grep -c '^kernel debian-6.1$' "$T/smp.args")" -eq 1 ]
	[ "$(grep -c '^reports$' "$T/smp.args")" -eq 2 ]
	[[ "$output" == *"vm-tests: guest 3 (debian-6.1): c.bats "* ]]
}

@test "vm-tests: one kernel, names untagged" {
	fake_vm_tests
	run "$T/scripts/vm-tests" --kernel mainline -- "$T/a.bats"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^ok [0-9]* a[12] in ' <<<"$output")" -eq 2 ]
	[ "$(cat "$T/smp.args")" = "kernel mainline" ]
}

# --- fetch-debian, kernel-matrix ------------------------------------------------

@test "fetch-debian: unknown kernels and options are usage errors, before any download" {
	run "$SCRIPTS/fetch-debian"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no kernel named"* ]]
	BCA_KERNEL_WORKDIR=$T/work run "$SCRIPTS/fetch-debian" debian-5.10
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown kernel 'debian-5.10'"* ]]
	BCA_KERNEL_WORKDIR=$T/work run "$SCRIPTS/fetch-debian" --force debian-6.1
	[ "$status" -eq 2 ]
	[ ! -e "$T/work" ]
}

@test "kernel-matrix: one row per case, one column per kernel in release order" {
	mkdir "$T/truth"
	printf '# debian-7.3 7.3-amd64\next4-enc\tyes\tyes\tyes\t-\tinline-fallback\t0\n' >"$T/truth/debian-7.3.tsv"
	printf '# 6.12-debug 6.12.118-bca\next4-enc\tbuffered\tbuffered\tbuffered\tno-inlinecrypt\tfs-layer\t256\next4-nokey\tno\tno\tno\tkey-absent\tunknown\topen\n' >"$T/truth/6.12-debug.tsv"
	run "$SCRIPTS/kernel-matrix" "$T/truth"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "| case | 6.12 (6.12.118-bca) | debian-7.3 (7.3-amd64) |" ]
	[ "${lines[2]}" = "| ext4-enc | buffered, fs-layer, 256 cached | yes, inline-fallback, 0 cached |" ]
	[ "${lines[3]}" = "| ext4-nokey | no, unknown, open fails | skipped |" ]
	run "$SCRIPTS/kernel-matrix" "$T/none"
	[ "$status" -eq 1 ]
}
