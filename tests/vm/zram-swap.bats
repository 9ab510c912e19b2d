#!/usr/bin/env bats
# bats file_tags=every-kernel
# Android's case, measured on whatever kernel the guest runs: zram writing
# idle pages back to a loop device over a file in an encrypted directory,
# and swap on a loop device over an encrypted file, each without and with
# inlinecrypt.  The kernel refuses swapon on an encrypted file and advises
# a loop device over it; whether that loop device keeps a second copy of
# every page in the file's page cache is what blkcrypt-query device says
# (DIO of the zram and loop layers) and what is measured here:
#   pages the kernel dirtied (/proc/vmstat nr_dirtied) while the pages went
#   to the backing device, and the backing file's pages cached afterwards
#   (mincore), against the pages written back (zram's bd_stat) or swapped
#   out (written to the loop device, its stat).
# Every page is read back and compared (zram through O_DIRECT, swap by
# tests/helpers/memfill), so a wrong key or a lost write fails the test.

load vm_helpers

setup_file() {
	echo "# kernel: $(uname -r) (${BCA_VM_KERNEL_NAME:-unnamed})" >&3
}

setup() {
	vm_fs_setup
}

teardown() { vm_teardown; }

vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
# written_pages DEV: 4 KiB pages written to DEV so far (sectors written, stat field 7)
written_pages() { awk '{ print int($7 / 8) }' "/sys/block/${1#/dev/}/stat"; }

# measured_cache DONE DIRTIED CACHED FILE_PAGES: yes when the file's page
# cache took (almost) none of DONE pages, buffered when it took half or more
# of them, or of the file (swap writes some slots more than once, and a page
# still dirty is not dirtied again); anything between is no evidence either
# way, and fails.
measured_cache() {
	local done=$1 dirtied=$2 cached=$3 most=$1
	((done > 0)) || { echo "nothing went to the backing device" >&2; return 1; }
	((most <= $4)) || most=$4
	if ((dirtied * 50 <= done && cached * 50 <= done)); then
		echo yes
	elif ((dirtied * 2 >= most || cached * 2 >= most)); then
		echo buffered
	else
		echo "inconclusive: $dirtied dirtied, $cached cached of $done" >&2
		return 1
	fi
}

# enc_backing OPTS SIZE_MIB: ext4 on the fs disk mounted with OPTS, an
# encrypted directory, a SIZE_MIB file of zeros in it (written, so the loop
# device overwrites allocated blocks); sets FILE.
enc_backing() {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" "$1"
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	FILE=$MNT/enc/backing
	head -c "${2}M" /dev/zero >"$FILE"
	sync
}

# loop_over FILE: a loop device with direct I/O asked for (a kernel may
# refuse it: then without); sets LOOP.
loop_over() {
	LOOP=$(losetup --direct-io=on -f --show "$1" 2>/dev/null) ||
		LOOP=$(losetup -f --show "$1")
	vm_on_teardown "losetup -d $LOOP"
}

# zram_new: a new zram device (hot_add), reset and removed at teardown; sets ZRAM.
zram_new() {
	[[ -e /sys/class/zram-control/hot_add ]] || skip "no zram in this kernel"
	local n
	n=$(cat /sys/class/zram-control/hot_add)
	ZRAM=zram$n
	vm_on_teardown "echo $n >/sys/class/zram-control/hot_remove"
	vm_on_teardown "echo 1 >/sys/block/$ZRAM/reset"
	[[ -b /dev/$ZRAM ]] || mknod "/dev/$ZRAM" b "$(cut -d: -f1 "/sys/block/$ZRAM/dev")" \
		"$(cut -d: -f2 "/sys/block/$ZRAM/dev")"
}

# verdicts DEV JQ: what blkcrypt-query device says of DEV's layer JQ picks,
# from the kernel interface and inferred; both must agree.
device_verdict() {
	local k i
	k=$("$BQ" device -J -o NAME,KIND,DIO,DIO-REASON,SWAP "$1" | jq -r "$2")
	i=$(BCA_NO_KERNEL_IOCTL=1 "$BQ" device -J -o NAME,KIND,DIO,DIO-REASON,SWAP "$1" | jq -r "$2")
	[[ "$k" == "$i" ]] || { echo "kernel interface says '$k', inferred '$i'" >&2; return 1; }
	echo "$k"
}

zram_case() {
	local name=$1 opts=$2 data=$BATS_TEST_TMPDIR/data written dirtied cached m v d0
	[[ -e /sys/class/zram-control/hot_add ]] || skip "no zram in this kernel"
	enc_backing "$opts" 32
	loop_over "$FILE"
	zram_new
	[[ -e /sys/block/$ZRAM/backing_dev ]] || skip "zram without CONFIG_ZRAM_WRITEBACK"
	echo "$LOOP" >"/sys/block/$ZRAM/backing_dev"
	echo 16M >"/sys/block/$ZRAM/disksize"
	# incompressible: zram keeps same-filled pages as a word, never writes them back
	head -c 8M /dev/urandom >"$data"
	dd if="$data" of="/dev/$ZRAM" bs=1M oflag=direct status=none

	# before the writeback: no backing device page is in use yet
	v=$(device_verdict "/dev/$ZRAM" '.devices[0] | .dio + " " + (."dio-reason" // "-")')
	"$PC" drop "$FILE"
	d0=$(vmstat nr_dirtied)
	echo all >"/sys/block/$ZRAM/idle"
	echo idle >"/sys/block/$ZRAM/writeback"
	read -r _ _ written <"/sys/block/$ZRAM/bd_stat"
	dirtied=$(($(vmstat nr_dirtied) - d0))
	cached=$("$PC" resident "$FILE")
	m=$(measured_cache "$written" "$dirtied" "$cached" $((32 * 256)))
	echo "# $name: $written pages written back, $dirtied dirtied, $cached of the file's pages cached: measured $m; blkcrypt-query: $v; loop/dio $(cat "/sys/block/${LOOP#/dev/}/loop/dio")" >&3
	# every page comes back from the backing device equal
	cmp <(dd if="/dev/$ZRAM" bs=1M count=8 iflag=direct status=none) "$data"
	[[ "${v%% *}" == "$m" ]] || { echo "$name: ZRAM-WB ${v%% *}, writeback measured $m"; return 1; }
	# the loop layer says the same, and the verdict did not change by writing back
	[[ "$(device_verdict "/dev/$ZRAM" '.devices[0].children[0].dio')" == @(yes|buffered) ]]
	[[ "$(device_verdict "/dev/$ZRAM" '.devices[0].dio')" == "$m" ]]
	# as swap, the way Android uses it: the backing file says so
	[[ "$("$BQ" file -J -o SWAP "$FILE" | jq -r '.files[0].swap')" == null ]]
	mkswap "/dev/$ZRAM" >/dev/null
	swapon "/dev/$ZRAM"
	vm_on_teardown "swapoff /dev/$ZRAM"
	[[ "$("$BQ" file -J -o SWAP,EXPLAIN "$FILE" | jq -r '.files[0] | .swap + " " + .explain')" == "zram "*". zram swap writes back to it through $ZRAM:${LOOP#/dev/}; swap must not use fscrypt-encrypted files"* ]]
	[[ "$(device_verdict "/dev/$ZRAM" '.devices[0].swap')" == true ]]
}

@test "zram writeback to a loop device over an encrypted file: the verdict matches the pages cached" {
	zram_case zram-enc ""
}

@test "zram writeback to a loop device over an encrypted file with inlinecrypt: the verdict matches the pages cached" {
	zram_case zram-enc-inlinecrypt inlinecrypt
}

# memcg_run MIB CMD...: CMD in a new memory cgroup limited to MIB MiB.
memcg_run() {
	local mib=$1 cg=/sys/fs/cgroup/bca-swap-$BATS_TEST_NUMBER
	shift
	[[ -d /sys/fs/cgroup ]] || skip "no cgroups in this kernel"
	mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup
	grep -qw memory /sys/fs/cgroup/cgroup.controllers || skip "no memory controller in this kernel"
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir "$cg"
	vm_on_teardown "rmdir $cg"
	echo "${mib}M" >"$cg/memory.max"
	bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' _ "$cg" "$@"
}

swap_case() {
	local name=$1 opts=$2 fill swapped dirtied cached m v d0 w0
	[[ -e /proc/swaps ]] || skip "no swap in this kernel"
	enc_backing "$opts" 64
	loop_over "$FILE"
	mkswap "$LOOP" >/dev/null
	swapon "$LOOP"
	vm_on_teardown "swapoff $LOOP"
	v=$(device_verdict "$LOOP" '.devices[0] | .dio + " " + (."dio-reason" // "-") + " " + (.swap | tostring)')
	[[ "$v" == *" true" ]] || { echo "$name: SWAP not true on $LOOP: $v"; return 1; }
	# the file says how it serves: through a loop device, never by swapon itself
	[[ "$("$BQ" file -J -o SWAP,SWAPON,LOOP "$FILE" | jq -c '.files[0] | [.swap, .swapon, .loop]')" == "[\"loop\",\"no\",\"${LOOP#/dev/}\"]" ]]

	fill=$(vm_helper memfill)
	"$PC" drop "$FILE"
	d0=$(vmstat nr_dirtied)
	w0=$(written_pages "$LOOP")
	# 48 MiB in a 16 MiB cgroup: two thirds of it go to swap and come back
	memcg_run 16 "$fill" 48 >/dev/null
	swapped=$(($(written_pages "$LOOP") - w0))
	dirtied=$(($(vmstat nr_dirtied) - d0))
	cached=$("$PC" resident "$FILE")
	# under the cgroup's pressure reclaim may take the cached copies again:
	# the pages dirtied are the measure, the pages still cached a lower bound
	m=$(measured_cache "$swapped" "$dirtied" "$cached" $((64 * 256)))
	echo "# $name: $swapped pages swapped out, $dirtied dirtied, $cached of the file's pages cached after: measured $m; blkcrypt-query: $v; loop/dio $(cat "/sys/block/${LOOP#/dev/}/loop/dio")" >&3
	[[ "${v%% *}" == "$m" ]] ||
		{ echo "$name: DIO ${v%% *} on the swap loop device, swap-out measured $m"; return 1; }
}

@test "swap on a loop device over an encrypted file, under memory pressure: the verdict matches the pages cached" {
	swap_case swap-enc ""
}

@test "swap on a loop device over an encrypted file with inlinecrypt, under memory pressure: the verdict matches" {
	swap_case swap-enc-inlinecrypt inlinecrypt
}

@test "swapon on an encrypted file: SWAPON no, and the kernel refuses it (or the tool says what taking it means)" {
	local f out
	[[ -e /proc/swaps ]] || skip "no swap in this kernel"
	enc_backing "" 16
	f=$MNT/enc/swapfile
	head -c 16M /dev/zero >"$f"
	chmod 600 "$f"
	mkswap "$f" >/dev/null
	out=$("$BQ" file -J -o SWAP,SWAPON,EXPLAIN "$f")
	[[ "$(jq -r '.files[0].swapon' <<<"$out")" == no ]]
	[[ "$(jq -r '.files[0].swap' <<<"$out")" == null ]]
	[[ "$(jq -r '.files[0].explain' <<<"$out")" == *"swapon refuses them"*"the kernel advises a loop device over the file, or dm-crypt"* ]]
	run swapon "$f"
	if [ "$status" -eq 0 ]; then
		# a kernel without mm/swapfile.c's check: the tool must say what it does
		vm_on_teardown "swapoff $(printf %q "$f") 2>/dev/null || true"
		out=$("$BQ" file -J -o SWAP,SWAPON,EXPLAIN "$f" 2>/dev/null)
		[[ "$(jq -c '.files[0] | [.swap, .swapon]' <<<"$out")" == '["file","no"]' ]]
		[[ "$(jq -r '.files[0].explain' <<<"$out")" == *"in use as swap although fscrypt-encrypted"* ]]
		echo "# $(uname -r) took an encrypted swap file (tests/root/swap.bats looks for its pages on the disk)" >&3
		return 0
	fi
	! grep -qF "$f" /proc/swaps
	echo "# swapon: $output; kernel: $(dmesg | grep -o 'Filesystem-level encrypted swapfile.*' | tail -n1)" >&3
}
