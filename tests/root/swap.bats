#!/usr/bin/env bats
# Swap on the host kernel (issue 29): SWAP on devices and files from
# /proc/swaps, SWAPON, and zram where the host kernel has it.  Every swap
# area made here has the lowest priority and is small: it is swapped off at
# teardown, and the host's own swap, if any, is never touched.  The host's
# zram (if any) is not used: a new device comes from hot_add and goes with
# hot_remove.  The guest suite (tests/vm/zram-swap.bats) measures what the
# verdicts mean; here they are checked against what the kernel reports.

load ../helpers/common
bats_require_minimum_version 1.5.0

setup() {
	require_root_loop
	[[ -r /proc/swaps ]] || skip "the host kernel has no swap (CONFIG_SWAP)"
	WORK=$(mktemp -d /var/tmp/bca-swap.XXXXXX)
	mk_enc_ext4 "$WORK" 128M
	CLEANUP=()
}

teardown() {
	local i
	for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do eval "${CLEANUP[i]}" || true; done
	umount "$WORK/mnt" 2>/dev/null || true
	rm -rf "$WORK"
}

# swapfile PATH: a 16 MiB swap area in a file, not yet on.
swapfile() {
	head -c 16M /dev/zero >"$1"
	chmod 600 "$1"
	mkswap "$1" >/dev/null
}

@test "a swap file: SWAP file and SWAPON yes, found by inode though /proc/swaps escapes the space in its name" {
	local f="$WORK/mnt/swap file" out
	swapfile "$f"
	out=$("$BLKCRYPT_QUERY" file -J -o PATH,SWAP,SWAPON "$f")
	assert_eq "$(jq -c '.files[0] | [.swap, .swapon]' <<<"$out")" '[null,"unknown"]'
	swapon -p 0 "$f"
	CLEANUP+=("swapoff $(printf %q "$f")")
	grep -qF 'swap\040file' /proc/swaps
	out=$("$BLKCRYPT_QUERY" file -J -o PATH,SWAP,SWAPON,EXPLAIN "$f")
	assert_eq "$(jq -c '.files[0] | [.swap, .swapon]' <<<"$out")" '["file","yes"]'
	[[ "$(jq -r '.files[0].explain' <<<"$out")" == *"in use as swap; swapon accepted the file"* ]]
	# its filesystem's device is no swap area
	out=$("$BLKCRYPT_QUERY" device -J -o NAME,SWAP "$f")
	assert_eq "$(jq -c '.devices[0].swap' <<<"$out")" false
}

@test "swap on a loop device over a file: SWAP true on the device, loop on the file" {
	local f=$WORK/mnt/plain loop out
	swapfile "$f"
	loop=$(losetup -f --show "$f")
	CLEANUP+=("losetup -d $loop")
	swapon -p 0 "$loop"
	CLEANUP+=("swapoff $loop")
	out=$("$BLKCRYPT_QUERY" device -J -o NAME,KIND,SWAP "$loop")
	assert_eq "$(jq -c '.devices[0] | [.kind, .swap]' <<<"$out")" '["loop",true]'
	out=$("$BLKCRYPT_QUERY" file -J -o SWAP,SWAPON,LOOP "$f")
	assert_eq "$(jq -c '.files[0] | [.swap, .loop]' <<<"$out")" "[\"loop\",\"${loop#/dev/}\"]"
	swapoff "$loop"
	out=$("$BLKCRYPT_QUERY" file -J -o SWAP "$f")
	assert_eq "$(jq -c '.files[0].swap' <<<"$out")" null
}

# A kernel with mm/swapfile.c's check refuses swapon on an encrypted file.
# One without it (this project's host, 6.18.44) takes it, and swap then
# writes pages to the file's blocks itself, around fscrypt: the tool must
# say so, and the marker pushed out to swap is looked for on the raw disk.
@test "an encrypted file: SWAPON no, and either swapon fails or swapped pages reach the disk unencrypted, as the tool says" {
	local f=$WORK/mnt/enc/swap out marker found
	swapfile "$f"
	out=$("$BLKCRYPT_QUERY" file -J -o SWAP,SWAPON,EXPLAIN "$f")
	assert_eq "$(jq -r '.files[0].swapon' <<<"$out")" no
	[[ "$(jq -r '.files[0].explain' <<<"$out")" == *"swapon refuses them"*"the kernel advises a loop device over the file, or dm-crypt"* ]]
	run swapon -p 32767 "$f"
	if [ "$status" -ne 0 ]; then
		! grep -qF "$f" /proc/swaps
		return 0
	fi
	CLEANUP+=("swapoff $(printf %q "$f")")
	echo "# $(uname -r) took an encrypted swap file" >&3
	run --separate-stderr "$BLKCRYPT_QUERY" file -J -o SWAP,SWAPON,EXPLAIN "$f"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '.files[0] | [.swap, .swapon]' <<<"$output")" '["file","no"]'
	[[ "$(jq -r '.files[0].explain' <<<"$output")" == *"in use as swap although fscrypt-encrypted"*"unencrypted"* ]]
	assert_eq "$stderr" "blkcrypt-query: $f: encrypted file in use as swap: swapped pages reach the disk unencrypted"
	# ground truth: the pages on the raw disk, not through fscrypt
	marker="BCA-SWAP-PLAINTEXT-$$-$RANDOM"
	run "$BCA_BUILDDIR/tests/helpers/memfill" --pageout "$marker" 4
	[ "$status" -eq 0 ]
	[[ "$output" =~ swapped\ ([0-9]+) ]] && ((BASH_REMATCH[1] > 0)) || skip "nothing went to swap: $output"
	swapoff "$f"
	sync
	found=$(grep -c -a -F "$marker" "$WORK/img" || true)
	echo "# marker lines found on the raw disk: $found" >&3
	((found > 0))
}

@test "zram without a backing device: no DIO (ZRAM-WB none), and SWAP once swapon takes it" {
	local n out
	[[ -w /sys/class/zram-control/hot_add ]] || skip "the host kernel has no zram (or no hot_add)"
	n=$(cat /sys/class/zram-control/hot_add)
	CLEANUP+=("echo $n >/sys/class/zram-control/hot_remove")
	CLEANUP+=("echo 1 >/sys/block/zram$n/reset")
	echo 16M >"/sys/block/zram$n/disksize"
	[[ -b /dev/zram$n ]] || skip "no /dev/zram$n node (no udev or devtmpfs here)"
	mkswap "/dev/zram$n" >/dev/null
	out=$("$BLKCRYPT_QUERY" device -J -o NAME,KIND,DIO,SWAP,ZRAM-WB "/dev/zram$n")
	assert_eq "$(jq -c '.devices[0] | [.kind, .dio, ."zram-wb", .swap]' <<<"$out")" '["zram",null,"none",false]'
	swapon -p 0 "/dev/zram$n"
	CLEANUP+=("swapoff /dev/zram$n")
	out=$("$BLKCRYPT_QUERY" device -J -o NAME,SWAP,ZRAM-BACKING "/dev/zram$n")
	assert_eq "$(jq -c '.devices[0] | [.swap, ."zram-backing"]' <<<"$out")" '[true,null]'
	# backing_dev exists only with CONFIG_ZRAM_WRITEBACK; either way none is set
	if [[ -e /sys/block/zram$n/backing_dev ]]; then
		assert_eq "$(cat "/sys/block/zram$n/backing_dev")" none
	fi
}
