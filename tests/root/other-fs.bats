#!/usr/bin/env bats
# blkcrypt-query on the filesystems around ext4 that the host kernel can
# mount: tmpfs, ramfs, overlayfs over ext4, btrfs and FUSE (fuse2fs).  Each
# verdict is compared with what the kernel does: pages left in the page
# cache after O_DIRECT (tests/helpers/pagecache, mincore), whether O_DIRECT
# opens at all, and what statx reports.  Where statx reports no alignment
# (btrfs, FUSE) the verdict must be unknown, never a guess, and EXPLAIN
# must say what the filesystem does.

load ../helpers/common

bats_require_minimum_version 1.5.0

PAGECACHE=$BCA_BUILDDIR/tests/helpers/pagecache

setup_file() {
	[ "$(id -u)" -eq 0 ] && [ -e /dev/loop-control ] || return 0
	export WORK; WORK=$(mktemp -d /var/tmp/bca-otherfs.XXXXXX)
	chmod 755 "$WORK"
}

teardown_file() {
	[ -n "${WORK:-}" ] || return 0
	local m
	for m in ovl/merged fuse fusedio fusestale btrfs tmpfs ramfs ext4; do
		umount "$WORK/$m" 2>/dev/null || true
	done
	rm -rf "$WORK"
}

setup() {
	require_root_loop
}

# needs TOOL PACKAGE: in CI a missing tool fails the test, elsewhere skips it
needs() {
	command -v "$1" >/dev/null && return 0
	if [ "${CI:-}" = true ]; then
		echo "CI must run this test: $1 missing (apt-get install $2)" >&2
		return 1
	fi
	skip "needs $1 (apt-get install $2)"
}

q() { "$BLKCRYPT_QUERY" file -r -n -o "$2" "$1"; }
explain() { "$BLKCRYPT_QUERY" file -J -o EXPLAIN "$1" | jq -r '.files[0].explain'; }

# O_DIRECT write then read of SIZE_MIB; prints the pages cached after each
dio_cached() {
	local f=$1 mib=$2 w r
	"$PAGECACHE" dio-write "$f" "$mib" || return 1
	w=$("$PAGECACHE" resident "$f")
	"$PAGECACHE" drop "$f"
	"$PAGECACHE" dio-read "$f" "$mib" >/dev/null || return 1
	r=$("$PAGECACHE" resident "$f")
	echo "$w $r"
}

@test "tmpfs: buffered, fs-no-dio, and O_DIRECT does leave the data in the page cache" {
	mkdir -p "$WORK/tmpfs"
	mount -t tmpfs bca-tmpfs "$WORK/tmpfs"
	local f=$WORK/tmpfs/f w
	"$PAGECACHE" dio-write "$f" 1
	w=$("$PAGECACHE" resident "$f")
	[ "$w" -gt 0 ]
	run q "$f" DIO,REASON,FSTYPE
	assert_eq "$output" "buffered fs-no-dio tmpfs"
	[[ $(explain "$f") == *"tmpfs keeps file data in the page cache"* ]]
	umount "$WORK/tmpfs"
}

@test "ramfs: O_DIRECT is refused, verdict no" {
	mkdir -p "$WORK/ramfs"
	mount -t ramfs bca-ramfs "$WORK/ramfs"
	printf x >"$WORK/ramfs/f"
	run -1 "$PAGECACHE" dio-read "$WORK/ramfs/f" 1
	[[ $output == *"open with O_DIRECT: Invalid argument"* ]]
	run q "$WORK/ramfs/f" DIO,REASON
	assert_eq "$output" "no fs-no-dio"
	umount "$WORK/ramfs"
}

@test "overlayfs over ext4: statx passes through; upper and lower files get real direct I/O" {
	truncate -s 64M "$WORK/ext4.img"
	mkfs.ext4 -q -F "$WORK/ext4.img"
	mkdir -p "$WORK/ext4"
	mount -o loop "$WORK/ext4.img" "$WORK/ext4"
	mkdir -p "$WORK/ext4/lower" "$WORK/ext4/upper" "$WORK/ext4/work" "$WORK/ovl/merged"
	# written below the overlay with O_DIRECT: nothing of it is cached
	"$PAGECACHE" dio-write "$WORK/ext4/lower/low" 2
	mount -t overlay bca-ovl -o "lowerdir=$WORK/ext4/lower,upperdir=$WORK/ext4/upper,workdir=$WORK/ext4/work" \
		"$WORK/ovl/merged"
	local m=$WORK/ovl/merged
	run q "$m/low" DIO,MEM-ALIGN,OFF-ALIGN,FSTYPE
	assert_eq "$output" "yes $("$PAGECACHE" statx "$m/low") overlay"
	"$PAGECACHE" drop "$WORK/ext4/lower/low"
	"$PAGECACHE" dio-read "$m/low" 2 >/dev/null
	assert_eq "$("$PAGECACHE" resident "$m/low")" 0
	# a new file goes to the upper layer
	assert_eq "$(dio_cached "$m/up" 2)" "0 0"
	run q "$m/up" DIO,MEM-ALIGN,OFF-ALIGN
	assert_eq "$output" "yes $("$PAGECACHE" statx "$m/up")"
	umount "$m"
	umount "$WORK/ext4"
}

@test "btrfs: no STATX_DIOALIGN, so the verdict is unknown and EXPLAIN says what btrfs does" {
	needs mkfs.btrfs btrfs-progs
	grep -qw btrfs /proc/filesystems || modprobe btrfs 2>/dev/null || true
	grep -qw btrfs /proc/filesystems || skip "this kernel has no btrfs"
	truncate -s 256M "$WORK/btrfs.img"
	mkfs.btrfs -q -f "$WORK/btrfs.img" >/dev/null
	mkdir -p "$WORK/btrfs"
	mount -o loop "$WORK/btrfs.img" "$WORK/btrfs"
	local b=$WORK/btrfs f
	"$PAGECACHE" dio-write "$b/plain" 1
	touch "$b/nocow"
	chattr +C "$b/nocow"
	"$PAGECACHE" dio-write "$b/nocow" 1
	mkdir "$b/z"
	chattr +c "$b/z"
	head -c 1M /dev/zero >"$b/z/compressed"
	sync
	for f in plain nocow z/compressed; do
		# the kernel's own word: no alignment reported
		run "$PAGECACHE" statx "$b/$f"
		[[ $output == *"did not report STATX_DIOALIGN"* ]]
		run q "$b/$f" DIO,REASON,MEM-ALIGN,FSTYPE
		assert_eq "$output" "unknown unknown  btrfs"
		[[ $(explain "$b/$f") == btrfs* ]]
		# what O_DIRECT really does, for the record: the probe measures it
		run "$BLKCRYPT_QUERY" file --probe -r -n -o PROBE,CACHED "$b/$f"
		[ "$status" -eq 0 ]
		echo "# btrfs $f: probe $output" >&3
	done
	umount "$b"
}

# fuse2fs_mount NAME OPTIONS: a fresh ext4 image served by fuse2fs on $WORK/NAME
fuse2fs_mount() {
	needs fuse2fs fuse2fs
	[ -e /dev/fuse ] || skip "no /dev/fuse"
	truncate -s 64M "$WORK/$1.img"
	mkfs.ext4 -q -F "$WORK/$1.img"
	mkdir -p "$WORK/$1"
	fuse2fs "$WORK/$1.img" "$WORK/$1" -o "$2"
}

@test "FUSE (fuse2fs): no STATX_DIOALIGN, so the verdict is unknown and EXPLAIN names FUSE" {
	fuse2fs_mount fuse fakeroot
	local f=$WORK/fuse/file
	"$PAGECACHE" dio-write "$f" 1
	run "$PAGECACHE" statx "$f"
	[[ $output == *"did not report STATX_DIOALIGN"* ]]
	run q "$f" DIO,REASON
	assert_eq "$output" "unknown unknown"
	[[ $(q "$f" FSTYPE) == fuse* ]]
	[[ $(explain "$f") == "FUSE reports no direct I/O alignment"* ]]
	run "$BLKCRYPT_QUERY" file --probe -r -n -o PROBE,CACHED "$f"
	[ "$status" -eq 0 ]
	echo "# fuse2fs: probe $output" >&3
	umount "$WORK/fuse"
}

@test "FUSE with direct_io: no mapping for mincore, --probe measures with cachestat" {
	fuse2fs_mount fusedio fakeroot,direct_io
	local f=$WORK/fusedio/file
	head -c 1M /dev/urandom >"$f"
	# the helper's own count (cachestat): libfuse's direct_io caches nothing
	[ "$("$PAGECACHE" resident "$f")" -eq 0 ]
	run --separate-stderr "$BLKCRYPT_QUERY" file --probe -r -n -o DIO,PROBE,CACHED "$f"
	echo "# fuse2fs -o direct_io: $output $stderr" >&3
	[ "$status" -eq 0 ]
	assert_eq "$output" "unknown yes 0"
	# and the probe's scratch file is gone
	assert_eq "$(ls -A "$WORK/fusedio" | grep -c blkcrypt-probe || true)" 0
	umount "$WORK/fusedio"
}

@test "FUSE (no O_TMPFILE): --probe removes a dead probe's named scratch file, never a live one's" {
	fuse2fs_mount fusestale fakeroot
	local d=$WORK/fusestale dead live
	: >"$d/file"
	# a probe killed between create and unlink left its name behind
	sh -c 'exit 0' &
	dead=$!
	wait "$dead" || true
	run kill -0 "$dead"
	[ "$status" -ne 0 ]
	sleep 600 &
	live=$!
	head -c 4096 /dev/zero >"$d/.blkcrypt-probe.$dead.0"
	: >"$d/.blkcrypt-probe.$live.3"
	: >"$d/.blkcrypt-probe.${dead}x.0"	# not a probe's name: left alone
	run --separate-stderr "$BLKCRYPT_QUERY" file --probe -r -n -o PROBE "$d/file"
	echo "# fuse2fs: probe $output $stderr; left: $(ls -A "$d" | tr '\n' ' ')" >&3
	kill "$live"
	[ "$status" -eq 0 ]
	[ ! -e "$d/.blkcrypt-probe.$dead.0" ]
	[ -e "$d/.blkcrypt-probe.$live.3" ]
	[ -e "$d/.blkcrypt-probe.${dead}x.0" ]
	assert_eq "$(ls -A "$d" | grep -c blkcrypt-probe || true)" 2
	umount "$d"
}
