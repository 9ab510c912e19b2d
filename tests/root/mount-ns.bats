#!/usr/bin/env bats
# Files on a mount of another mount namespace (a container's files seen
# through /proc/PID/root): their mount id is in no mountinfo of ours.  The
# verdict must still come from the file's filesystem (through that
# process's mountinfo, or the superblock's other mounts), and a scan must
# read mountinfo a bounded number of times, not once per file (issue 17
# item 8: 2,001 reads for 2,000 files).  The reference is the same scan run
# inside the namespace, and O_DIRECT measured with mincore.

load ../helpers/common

bats_require_minimum_version 1.5.0

PAGECACHE=$BCA_BUILDDIR/tests/helpers/pagecache
NFILES=1000

setup_file() {
	[ "$(id -u)" -eq 0 ] && [ -e /dev/loop-control ] || return 0
	export WORK NSPID
	WORK=$(mktemp -d /var/tmp/bca-mountns.XXXXXX)
	truncate -s 64M "$WORK/img"
	mkfs.ext4 -q -F -O encrypt "$WORK/img"
	mkdir "$WORK/mnt" "$WORK/here"
	mkfifo "$WORK/ready"
	# the filesystem is mounted in the new namespace only; sleep keeps it
	unshare -m --propagation private sh -c \
		'mount -o loop,inlinecrypt "$1/img" "$1/mnt" && echo ok >"$1/ready"; exec sleep 600' \
		sh "$WORK" 3>&- &
	NSPID=$!
	read -r _ <"$WORK/ready"
	local root=/proc/$NSPID/root$WORK/mnt
	mkdir "$root/plain" "$root/enc"
	head -c 64 /dev/urandom | "$FSCRYPTCTL_DIO" add_key "$root" >"$WORK/keyid"
	"$FSCRYPTCTL_DIO" set_policy "$(cat "$WORK/keyid")" "$root/enc"
	local i
	for ((i = 0; i < NFILES; i++)); do
		: >"$root/plain/f$i"
		: >"$root/enc/f$i"
	done
	head -c 1M /dev/urandom >"$root/plain/big"
	head -c 1M /dev/urandom >"$root/enc/big"
}

teardown_file() {
	[ -n "${WORK:-}" ] || return 0
	umount "$WORK/here" 2>/dev/null || true
	[ -n "${NSPID:-}" ] && kill "$NSPID" 2>/dev/null
	wait 2>/dev/null || true
	rm -rf "$WORK"
}

setup() {
	require_root_loop
	command -v strace >/dev/null || {
		[ "${CI:-}" != true ] || { echo "CI must run this test: strace missing" >&2; return 1; }
		skip "needs strace"
	}
}

# empty cells last: raw output does not keep them apart
COLS=DIO,FSTYPE,CRYPTO,ENCRYPTION,MEM-ALIGN,OFF-ALIGN,REASON,KEY

# the scan of DIR's files, paths relative to DIR, sorted
scan_rel() {
	"$BLKCRYPT_QUERY" file -R -r -n -o PATH,$COLS "$1" | sed "s|^$1/||" | sort
}

@test "the filesystem is visible in the namespace only" {
	! grep -q " $WORK/mnt " /proc/self/mountinfo
	grep -q " $WORK/mnt " "/proc/$NSPID/mountinfo"
}

@test "/proc/PID/root scan: same verdicts as inside the namespace, none unknown" {
	local outside inside
	outside=$(scan_rel "/proc/$NSPID/root$WORK/mnt")
	inside=$(nsenter -t "$NSPID" -m "$BLKCRYPT_QUERY" file -R -r -n -o PATH,$COLS "$WORK/mnt" |
		sed "s|^$WORK/mnt/||" | sort)
	echo "$(wc -l <<<"$inside") files" >&2
	[ "$(wc -l <<<"$inside")" -eq $((2 * NFILES + 2)) ]
	assert_eq "$outside" "$inside"
	run -0 awk '$2 == "unknown"' <<<"$outside"
	assert_eq "$output" ""
	# the filesystem's own facts were found: ext4, with its verdicts
	run -0 awk '$3 != "ext4"' <<<"$outside"
	assert_eq "$output" ""
}

@test "/proc/PID/root scan: mount points as this process reaches them" {
	run -0 "$BLKCRYPT_QUERY" fs -r -n -o MOUNTPOINT "/proc/$NSPID/root$WORK/mnt/plain/big"
	assert_eq "$(sort -u <<<"$output")" "/proc/$NSPID/root$WORK/mnt"
}

@test "/proc/PID/root scan of 2,000 files reads mountinfo at most 3 times" {
	# (LeakSanitizer cannot run under ptrace: a sanitizer build leaves it out)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=openat -o "$WORK/trace" "$BLKCRYPT_QUERY" file -R -s "/proc/$NSPID/root$WORK/mnt" >/dev/null
	run -0 grep -c 'mountinfo"' "$WORK/trace"
	echo "mountinfo opened $output times" >&3
	[ "$output" -ge 1 ] && [ "$output" -le 3 ]
}

@test "a path that does not name the namespace: answered by the superblock mounted here" {
	# the same ext4 mounted here too shares the superblock and its options
	local dev
	dev=$(awk -v m="$WORK/mnt" '$5 == m { print $9 }' "/proc/$NSPID/mountinfo")
	[ -b "$dev" ]
	mount -o inlinecrypt "$dev" "$WORK/here"
	local outside inside
	# relative paths below a directory of the other namespace
	outside=$(cd "/proc/$NSPID/root$WORK/mnt" && scan_rel .)
	inside=$(scan_rel "$WORK/here")
	umount "$WORK/here"
	assert_eq "$outside" "$inside"
	run -0 awk '$2 == "unknown"' <<<"$outside"
	assert_eq "$output" ""
}

@test "no path to the namespace and no mount here: what statx proves, the cause unknown" {
	run -0 bash -c "cd /proc/$NSPID/root$WORK/mnt && '$BLKCRYPT_QUERY' file -r -n -o DIO,REASON,EXPLAIN enc/big"
	# statx proves the fallback; without the mount nothing tells why
	[[ $output == "buffered unknown "* ]]
	run -0 "$BLKCRYPT_QUERY" file -r -n -o DIO,REASON "/proc/$NSPID/root$WORK/mnt/enc/big"
	assert_eq "$output" "buffered no-inlinecrypt"
}

@test "verdicts measured: the pages O_DIRECT leaves in the page cache" {
	local root=/proc/$NSPID/root$WORK/mnt f dio cached
	for f in plain/big enc/big; do
		dio=$("$BLKCRYPT_QUERY" file -r -n -o DIO "$root/$f")
		"$PAGECACHE" drop "$root/$f"
		"$PAGECACHE" dio-read "$root/$f" 1 >/dev/null
		cached=$("$PAGECACHE" resident "$root/$f")
		echo "$f: $dio, $cached pages cached after O_DIRECT" >&3
		case $dio in
		yes) [ "$cached" -eq 0 ] ;;
		buffered) [ "$cached" -gt 0 ] ;;
		*) false ;;
		esac
	done
}
