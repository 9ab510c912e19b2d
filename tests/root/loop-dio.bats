#!/usr/bin/env bats
# Loop devices over files (issue 14), on the host kernel, which has the
# hole the project's loop patch closes: loop turns direct I/O on for any
# file that accepts O_DIRECT, so loop/dio says 1 over an encrypted file
# that ext4 serves through its page cache.  blkcrypt-query device must say
# "buffered" with the file's reason there, and the backing file's pages
# left in the page cache after O_DIRECT reads through the loop device
# (mincore) prove it; over a plain file it must say "yes", with none.

load ../helpers/common

PAGECACHE=$BCA_BUILDDIR/tests/helpers/pagecache

setup() {
	require_root_loop
	WORK=$(mktemp -d /var/tmp/bca-loopdio.XXXXXX)
	mk_enc_ext4 "$WORK" 256M
	head -c 64M /dev/zero >"$WORK/mnt/enc/img"
	head -c 64M /dev/zero >"$WORK/mnt/plain"
	sync
	LOOPS=()
}

teardown() {
	local l
	for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null || true; done
	umount "$WORK/mnt" 2>/dev/null || true
	rm -rf "$WORK"
}

# loop_of FILE: a loop device over FILE asking for direct I/O.
loop_of() {
	LOOP=$(losetup --direct-io=on -f --show "$1")
	LOOPS+=("$LOOP")
}

# cached_after_read LOOP FILE: FILE's pages cached after 64 MiB of O_DIRECT
# reads from LOOP, from a clean page cache.
cached_after_read() {
	"$PAGECACHE" drop "$2"
	"$PAGECACHE" dio-read "$1" 64 >/dev/null
	"$PAGECACHE" resident "$2"
}

@test "loop over an encrypted file that ext4 buffers: LOOP-DIO buffered with the file's reason, pages cached" {
	local out pages
	loop_of "$WORK/mnt/enc/img"
	out=$("$BLKCRYPT_QUERY" device -J -o NAME,KIND,BACKING-FILE,LOOP-DIO,LOOP-REASON "$LOOP")
	echo "$out"
	jq -e . <<<"$out" >/dev/null
	assert_eq "$(jq -r '.devices[0].kind' <<<"$out")" loop
	assert_eq "$(jq -r '.devices[0]."backing-file"' <<<"$out")" "$WORK/mnt/enc/img"
	assert_eq "$(jq -r '.devices[0]."loop-dio"' <<<"$out")" buffered
	assert_eq "$(jq -r '.devices[0]."loop-reason"' <<<"$out")" no-inlinecrypt
	# the backing file's own line, then the stack below it: the mount's loop
	out=$("$BLKCRYPT_QUERY" device -J -o NAME,KIND,BACKING-FILE,FILE-DIO,FILE-REASON,FILE-CRYPTO "$LOOP")
	assert_eq "$(jq -r '.devices[0].children[0] | "\(.name) \(.kind) \(."file-dio") \(."file-reason") \(."file-crypto")"' <<<"$out")" \
		"$WORK/mnt/enc/img file buffered no-inlinecrypt fs-layer"
	assert_eq "$(jq -r '.devices[0].children[0].children[0]."backing-file"' <<<"$out")" "$WORK/img"
	pages=$(cached_after_read "$LOOP" "$WORK/mnt/enc/img")
	echo "# backing pages cached: $pages of 16384 (loop/dio $(cat "/sys/block/${LOOP#/dev/}/loop/dio"))" >&3
	[ "$pages" -gt 16000 ]
	run "$BLKCRYPT_QUERY" device --require-dio -o NAME "$LOOP"
	[ "$status" -eq 3 ]
	# and the file says which loop device it backs, found by inode
	mv "$WORK/mnt/enc/img" "$WORK/mnt/enc/renamed"
	assert_eq "$("$BLKCRYPT_QUERY" file -r -n -o LOOP "$WORK/mnt/enc/renamed")" "${LOOP#/dev/}"
	assert_eq "$("$BLKCRYPT_QUERY" file -r -n -o LOOP "$WORK/mnt/plain")" ""
}

@test "loop over a plain file: LOOP-DIO yes, no backing page cached" {
	local out
	loop_of "$WORK/mnt/plain"
	out=$("$BLKCRYPT_QUERY" device -J -o NAME,LOOP-DIO,LOOP-REASON "$LOOP")
	assert_eq "$(jq -r '.devices[0]."loop-dio"' <<<"$out")" yes
	assert_eq "$(jq -r '.devices[0]."loop-reason"' <<<"$out")" null
	[ "$(cached_after_read "$LOOP" "$WORK/mnt/plain")" -eq 0 ]
}

@test "loop with direct I/O off: LOOP-DIO off" {
	LOOP=$(losetup --direct-io=off -f --show "$WORK/mnt/plain")
	LOOPS+=("$LOOP")
	assert_eq "$("$BLKCRYPT_QUERY" device -r -n -o LOOP-DIO "$LOOP" | head -n1)" off
	[ "$(cached_after_read "$LOOP" "$WORK/mnt/plain")" -gt 16000 ]
}

@test "a deleted backing file: a file planted as '<file> (deleted)' is not taken for it" {
	local out mnt_loop
	head -c 16M /dev/zero >"$WORK/mnt/victim"
	loop_of "$WORK/mnt/victim"
	mnt_loop=$(findmnt -n -o SOURCE "$WORK/mnt")
	rm "$WORK/mnt/victim"
	assert_eq "$(cat "/sys/block/${LOOP#/dev/}/loop/backing_file")" "$WORK/mnt/victim (deleted)"
	# a regular file where sysfs's path now leads
	head -c 1M /dev/zero >"$WORK/mnt/victim (deleted)"
	out=$("$BLKCRYPT_QUERY" device -J -o NAME,KIND,LOOP-DIO,LOOP-REASON,FILE-DIO,FILE-REASON "$LOOP")
	echo "$out"
	assert_eq "$(jq -r '.devices[0] | "\(."loop-dio") \(."loop-reason")"' <<<"$out")" "unknown backing-unreachable"
	assert_eq "$(jq -r '.devices[0].children[0] | "\(.kind) \(."file-dio") \(."file-reason")"' <<<"$out")" \
		"file unknown backing-unreachable"
	# what the device number tells stays: the file's filesystem is on the mount's loop device
	assert_eq "$(jq -r '.devices[0].children[0].children[0].name' <<<"$out")" "${mnt_loop#/dev/}"
	# the planted file backs no loop device
	assert_eq "$("$BLKCRYPT_QUERY" file -r -n -o LOOP "$WORK/mnt/victim (deleted)")" ""
	# a symlink planted there, to a file on another filesystem: not its stack either
	rm "$WORK/mnt/victim (deleted)"
	head -c 1M /dev/zero >"$WORK/decoy"
	ln -s "$WORK/decoy" "$WORK/mnt/victim (deleted)"
	out=$("$BLKCRYPT_QUERY" device -J -o NAME,KIND,LOOP-DIO,FILE-DIO "$LOOP")
	echo "$out"
	assert_eq "$(jq -r '.devices[0].children[0].children[0].name' <<<"$out")" "${mnt_loop#/dev/}"
	assert_eq "$(jq -r '[.devices[0].children[0].children[] | .name] | length' <<<"$out")" 1
	assert_eq "$("$BLKCRYPT_QUERY" file -r -n -o LOOP "$WORK/mnt/victim (deleted)")" ""
	run "$BLKCRYPT_QUERY" device --require-dio -o NAME "$LOOP"
	[ "$status" -eq 3 ]
}
