#!/usr/bin/env bats
# bats file_tags=every-kernel
# The direct I/O verdict against what O_DIRECT really does, on whatever
# kernel the guest runs: our 6.12 and mainline builds and Debian's own 6.1,
# 7.2 and 7.3 (vm-run --kernel NAME).  Nothing here assumes a kernel's
# rules: every case is made, measured, and compared with blkcrypt-query's
# answer, from the kernel interface where the kernel has one and inferred
# (BCA_NO_KERNEL_IOCTL=1).  A mismatch on any kernel is a failure; a case a
# kernel cannot make is a skip that says why.
#
# Measured: an O_DIRECT read from a clean page cache that leaves no page of
# the file cached is direct (yes), one that leaves pages is buffered, one
# whose open fails is no direct I/O at all (tests/helpers/pagecache,
# mincore).  Where reads cannot tell (hole filling in a file without
# extents) writes are measured by the pages the kernel dirtied
# (/proc/vmstat nr_dirtied).  A loop device is measured by the backing
# file's pages cached after O_DIRECT reads from the loop device.  Who
# encrypts (CRYPTO) is checked against the line fscrypt logs the first time
# it sets up a mode ("using implementation", "using blk-crypto-fallback",
# "using blk-crypto (native)") where this boot logs one during the case.
#
# With BCA_TRUTH_DIR set, each case appends one line to
# BCA_TRUTH_DIR/KERNEL.tsv (KERNEL: vm-run's kernel name), from which
# kernel/scripts/kernel-matrix writes tests/vm/KERNELS.md.

load vm_helpers

setup_file() {
	echo "# kernel: $(uname -r) (${BCA_VM_KERNEL_NAME:-unnamed})" >&3
	if [[ -n "${BCA_TRUTH_DIR:-}" && "${BCA_VM:-}" == 1 ]]; then
		mkdir -p "$BCA_TRUTH_DIR"
		printf '# %s %s\n' "${BCA_VM_KERNEL_NAME:-unnamed}" "$(uname -r)" \
			>"$BCA_TRUTH_DIR/${BCA_VM_KERNEL_NAME:-unnamed}.tsv"
	fi
}

setup() {
	vm_fs_setup
	DMESG_AT=$(dmesg | wc -l)
}

teardown() { vm_teardown; }

# record CASE MEASURED KERNEL-VERDICT INFERRED-VERDICT REASON CRYPTO CACHED
record() {
	[[ -n "${BCA_TRUTH_DIR:-}" ]] || return 0
	local IFS=$'\t'
	echo "$*" >>"$BCA_TRUTH_DIR/${BCA_VM_KERNEL_NAME:-unnamed}.tsv"
}

# cached_after_dio FILE: pages of FILE cached after a 1 MiB O_DIRECT read
# from a clean page cache; "open" when O_DIRECT cannot open it.
cached_after_dio() {
	"$PC" drop "$1" 2>/dev/null || true
	"$PC" dio-read "$1" 1 >/dev/null 2>&1 || { echo open; return; }
	"$PC" resident "$1"
}

# The verdict of a measurement.
measured_of() {
	case $1 in
	open) echo no ;;
	0) echo yes ;;
	*) echo buffered ;;
	esac
}

# The CRYPTO that fscrypt's log line of this case names, or nothing.
logged_crypto() {
	local new
	new=$(dmesg | tail -n +"$((DMESG_AT + 1))" | grep -o 'fscrypt: .* using .*' || true)
	case $new in
	*"using blk-crypto (native)"*) echo inline-hw ;;
	*"using blk-crypto-fallback"*) echo inline-fallback ;;
	*"using implementation"*) echo fs-layer ;;
	esac
}

# check CASE FILE [WANT]: the kernel and inferred verdicts of FILE equal
# what O_DIRECT did (and WANT, when the case fixes it on every kernel);
# the alignments are statx's; CRYPTO matches fscrypt's log where it logged.
check() {
	local name=$1 f=$2 want=${3:-} cached m i logged align DIO REASON CRYPTO
	cached=$(cached_after_dio "$f")
	m=$(measured_of "$cached")
	# DIO (the kernel's verdict where it answers), REASON, CRYPTO
	eval "$("$BQ" file -P -o DIO,REASON,CRYPTO "$f")"
	i=$(BCA_NO_KERNEL_IOCTL=1 "$BQ" file -r -n -o DIO "$f")
	logged=$(logged_crypto)
	echo "# $name: measured $m (cached $cached), reported $DIO (kernel) $i (inferred), reason ${REASON:-none}, crypto ${CRYPTO:-?}${logged:+, fscrypt logged $logged}" >&3
	record "$name" "$m" "$DIO" "$i" "${REASON:--}" "${CRYPTO:--}" "$cached"
	[ "$DIO" = "$m" ] || { echo "$name: kernel verdict $DIO, O_DIRECT did $m"; return 1; }
	[ "$i" = "$m" ] || { echo "$name: inferred verdict $i, O_DIRECT did $m"; return 1; }
	[ -z "$want" ] || [ "$m" = "$want" ] || { echo "$name: O_DIRECT did $m, the case is $want on every kernel"; return 1; }
	if [ -n "$logged" ] && [ "$CRYPTO" != "$logged" ]; then
		echo "$name: CRYPTO $CRYPTO, fscrypt logged $logged"
		return 1
	fi
	if [ "$m" = yes ]; then
		# the alignments are the kernel's: statx's DIOALIGN
		align=$("$BQ" file -r -n -o MEM-ALIGN,OFF-ALIGN "$f")
		[ "$align" = "$("$PC" statx "$f")" ] || { echo "$name: alignment $align, statx says $("$PC" statx "$f")"; return 1; }
	fi
}

# probe_agrees FILE: --probe measures the same verdict (exit 1 on a
# mismatch) and its PROBE column is the verdict O_DIRECT gave FILE.
probe_agrees() {
	local out
	out=$("$BQ" file --probe -r -n -o DIO,PROBE "$1")
	echo "# probe $1: $out" >&3
	read -r dio probe <<<"$out"
	[ "$dio" = "$probe" ] || { echo "--probe measured $probe, verdict $dio"; return 1; }
}

# enc_setup MNT: an encrypted directory MNT/enc with a 1 MiB file; the key
# in $KEY.
enc_setup() {
	KEY=$BATS_TEST_TMPDIR/key
	vm_fscrypt_dir "$1" "$1/enc" "$KEY"
	head -c 1M /dev/urandom >"$1/enc/file"
	sync
}

# loop_check NAME FILE: a read-only loop device over FILE (direct I/O asked
# for, as losetup --direct-io=on); its LOOP-DIO against the backing file's
# pages cached after 1 MiB of O_DIRECT reads from it.
loop_check() {
	local name=$1 f=$2 loop cached m verdict
	# read-only: a verity file cannot be opened for writing
	loop=$(losetup -r --direct-io=on -f --show "$f" 2>/dev/null) ||
		loop=$(losetup -r -f --show "$f")
	vm_on_teardown "losetup -d $loop"
	"$PC" drop "$f"
	"$PC" dio-read "$loop" 1 >/dev/null
	cached=$("$PC" resident "$f")
	m=$(measured_of "$cached")
	verdict=$("$BQ" device -r -n -o LOOP-DIO "$loop" | head -n1)
	echo "# $name: measured $m (cached $cached), LOOP-DIO $verdict, loop/dio $(cat "/sys/block/${loop#/dev/}/loop/dio")" >&3
	record "$name" "$m" "$verdict" - - - "$cached"
	case "$verdict:$m" in
	yes:yes|off:buffered|buffered:buffered) ;;
	*) echo "$name: LOOP-DIO $verdict, O_DIRECT through the loop device did $m"; return 1 ;;
	esac
}

@test "ext4: plain file" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT"
	head -c 1M /dev/urandom >"$MNT/plain"
	sync
	check ext4-plain "$MNT/plain" yes
	probe_agrees "$MNT/plain"
	loop_check loop-ext4-plain "$MNT/plain"
}

@test "ext4: encrypted, mounted without inlinecrypt" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT"
	enc_setup "$MNT"
	check ext4-enc "$MNT/enc/file"
	probe_agrees "$MNT/enc/file"
	loop_check loop-ext4-enc "$MNT/enc/file"
}

@test "ext4: encrypted, mounted with inlinecrypt" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	# kernels without CONFIG_BLK_INLINE_ENCRYPTION accept and drop it
	vm_mount_options "$MNT" | grep -qw inlinecrypt ||
		echo "# inlinecrypt dropped at mount by $(uname -r)" >&3
	enc_setup "$MNT"
	check ext4-enc-inlinecrypt "$MNT/enc/file"
	probe_agrees "$MNT/enc/file"
	loop_check loop-ext4-enc-inlinecrypt "$MNT/enc/file"
}

@test "ext4: encrypted, key absent" {
	local name
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT"
	enc_setup "$MNT"
	umount "$MNT"
	mount "$DISK" "$MNT"
	name=$(ls "$MNT/enc")
	check ext4-enc-nokey "$MNT/enc/$name" no
}

@test "ext4: fs-verity" {
	command -v fsverity >/dev/null || { [ "${CI:-}" != true ] || return 1; skip "needs fsverity (apt-get install fsverity)"; }
	mkfs.ext4 -q -F -b 4096 -O verity -E lazy_itable_init=1,lazy_journal_init=1 "$DISK"
	vm_mount "$DISK" "$MNT"
	head -c 1M /dev/urandom >"$MNT/verity"
	fsverity enable "$MNT/verity" || skip "$(uname -r) cannot enable fs-verity"
	sync
	check ext4-verity "$MNT/verity" buffered
	loop_check loop-ext4-verity "$MNT/verity"
}

@test "ext4: data=journal" {
	vm_mkfs_ext4 "$DISK"
	mkdir -p "$MNT"
	mount -o data=journal "$DISK" "$MNT"
	vm_on_teardown "umount $(printf %q "$MNT")"
	head -c 1M /dev/urandom >"$MNT/plain"
	sync
	check ext4-data-journal "$MNT/plain" buffered
	loop_check loop-ext4-data-journal "$MNT/plain"
}

@test "ext4: inline data" {
	mkfs.ext4 -q -F -b 4096 -O inline_data -E lazy_itable_init=1,lazy_journal_init=1 "$DISK"
	vm_mount "$DISK" "$MNT"
	printf 'tiny' >"$MNT/inline"
	sync
	check ext4-inline-data "$MNT/inline" buffered
}

@test "ext4 without extents: reads direct, hole filling buffered" {
	local before after
	mkfs.ext4 -q -F -b 4096 -O ^extent,^flex_bg,^huge_file,^64bit -E lazy_itable_init=1,lazy_journal_init=1 "$DISK"
	vm_mount "$DISK" "$MNT"
	head -c 1M /dev/urandom >"$MNT/full"
	truncate -s 1M "$MNT/holes"
	sync
	check ext4-noextent "$MNT/full" yes
	# writes into holes fall back to buffered I/O: the pages get dirtied
	sync
	before=$(awk '$1 == "nr_dirtied" { print $2 }' /proc/vmstat)
	"$PC" dio-write "$MNT/holes" 1
	after=$(awk '$1 == "nr_dirtied" { print $2 }' /proc/vmstat)
	echo "# ext4-noextent-holes: $((after - before)) pages dirtied by a 1 MiB O_DIRECT write into holes" >&3
	# 256 pages written; direct I/O would dirty none of them (a few
	# metadata pages at most), the page cache most (252 seen)
	record ext4-noextent-hole-write "$([ $((after - before)) -ge 128 ] && echo buffered || echo yes)" - - - - "$((after - before)) dirtied"
	[ $((after - before)) -ge 128 ]
}

@test "f2fs: plain file and inline data" {
	mkfs.f2fs -q -f "$DISK" >/dev/null
	vm_mount "$DISK" "$MNT"
	head -c 1M /dev/urandom >"$MNT/plain"
	printf 'tiny' >"$MNT/inline"
	sync
	check f2fs-plain "$MNT/plain" yes
	check f2fs-inline-data "$MNT/inline" buffered
	loop_check loop-f2fs-plain "$MNT/plain"
}

# ext4_file_on NAME DEV: an ext4 on DEV with a 1 MiB file, its verdict
# checked as NAME; the device query of the stack must succeed.
ext4_file_on() {
	vm_mkfs_ext4 "$2"
	vm_mount "$2" "$MNT"
	head -c 1M /dev/urandom >"$MNT/plain"
	sync
	check "$1" "$MNT/plain" yes
	"$BQ" device "$2" >/dev/null
}

@test "dm-linear and dm-crypt stacks: ext4 on each" {
	local dev size
	dev=$(vm_disk dm)
	size=$(blockdev --getsz "$dev")
	vm_dm_create truth-linear "0 $size linear $dev 0" ||
		skip "$(uname -r) has no dm-linear"
	ext4_file_on dm-linear-ext4 /dev/mapper/truth-linear
	vm_teardown
	# the table (with its throw-away key) from stdin, never in argv
	printf '0 %s crypt aes-xts-plain64 %s 0 %s 0\n' "$size" \
		"$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$dev" |
		dmsetup create --noudevsync truth-crypt || skip "$(uname -r) has no dm-crypt"
	vm_on_teardown "dmsetup remove --noudevsync truth-crypt"
	ext4_file_on dm-crypt-ext4 /dev/mapper/truth-crypt
}
