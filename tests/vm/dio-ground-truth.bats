#!/usr/bin/env bats
# Ground truth for the direct I/O verdict: for every case the guest can
# make, blkcrypt-query's DIO verdict (from the kernel's answer and, with
# BCA_NO_KERNEL_IOCTL=1, inferred) against what O_DIRECT really does: an
# O_DIRECT read from a clean page cache that leaves no page cached is
# direct, one that leaves pages is buffered, one whose open fails is no
# direct I/O at all (tests/helpers/pagecache, mincore).
# Cases: plain; encrypted with and without inlinecrypt; without its key;
# fs-verity; data=journal; ext4 inline data; f2fs plain and inline data.

load vm_helpers

setup() { vm_fs_setup; }

teardown() { vm_teardown; }

# What an O_DIRECT read of FILE does: yes, buffered or no.
measured() {
	"$PC" drop "$1" 2>/dev/null || true
	"$PC" dio-read "$1" 1 >/dev/null 2>&1 || { echo no; return; }
	if [ "$("$PC" resident "$1")" -eq 0 ]; then echo yes; else echo buffered; fi
}

# verdict_is FILE: the verdicts, kernel and inferred, equal the measured one.
verdict_is() {
	local f=$1 want k i
	want=$(measured "$f")
	k=$("$BQ" file -r -n -o DIO "$f")
	i=$(BCA_NO_KERNEL_IOCTL=1 "$BQ" file -r -n -o DIO "$f")
	echo "# ${f#"$MNT"/}: measured $want, reported $k (kernel) $i (inferred)" >&3
	[ "$k" = "$want" ] || { echo "$f: kernel verdict $k, O_DIRECT did $want"; return 1; }
	[ "$i" = "$want" ] || { echo "$f: inferred verdict $i, O_DIRECT did $want"; return 1; }
	[ -n "${2:-}" ] && [ "$want" != "$2" ] && { echo "$f: O_DIRECT did $want, the case wants $2"; return 1; }
	return 0
}

@test "ext4: plain, encrypted with and without inlinecrypt, without the key" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	KEY=$BATS_TEST_TMPDIR/key
	vm_fscrypt_dir "$MNT" "$MNT/enc" "$KEY"
	head -c 1M /dev/urandom >"$MNT/plain"
	head -c 1M /dev/urandom >"$MNT/enc/file"
	sync
	verdict_is "$MNT/plain" yes
	verdict_is "$MNT/enc/file" yes
	umount "$MNT"
	mount "$DISK" "$MNT"
	verdict_is "$MNT/plain" yes
	# the key is gone with the unmount: the file cannot be opened
	local nokey
	nokey=$(ls "$MNT/enc")
	verdict_is "$MNT/enc/$nokey" no
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	verdict_is "$MNT/enc/file" buffered
}

@test "ext4: fs-verity, data=journal, inline data" {
	command -v fsverity >/dev/null || { [ "${CI:-}" != true ] || return 1; skip "needs fsverity (apt-get install fsverity)"; }
	mkfs.ext4 -q -F -b 4096 -O verity,inline_data -E lazy_itable_init=1,lazy_journal_init=1 "$DISK"
	vm_mount "$DISK" "$MNT"
	head -c 1M /dev/urandom >"$MNT/verity"
	fsverity enable "$MNT/verity"
	printf 'tiny' >"$MNT/inline"
	head -c 1M /dev/urandom >"$MNT/plain"
	sync
	verdict_is "$MNT/plain" yes
	verdict_is "$MNT/verity" buffered
	verdict_is "$MNT/inline" buffered
	umount "$MNT"
	mount -o data=journal "$DISK" "$MNT"
	verdict_is "$MNT/plain" buffered
}

@test "f2fs: plain and inline data" {
	mkfs.f2fs -q -f "$DISK"
	vm_mount "$DISK" "$MNT"
	head -c 1M /dev/urandom >"$MNT/plain"
	printf 'tiny' >"$MNT/inline"
	sync
	verdict_is "$MNT/plain" yes
	verdict_is "$MNT/inline" buffered
}
