#!/usr/bin/env bats
# STATX_DIO_READ_ALIGN, backported to 6.12 by the series (fs, ext4, f2fs
# patches): ext4 reports its one alignment for reads too; f2fs reports
# direct I/O only where reads are direct, and an inline-data file, whose
# O_DIRECT reads go through the page cache, as having none.  Each answer
# is checked against what O_DIRECT does: pages left in the page cache after
# an O_DIRECT read (mincore, tests/helpers/pagecache).
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series,kernel-code

load vm_helpers

setup() { vm_fs_setup; }

teardown() { vm_teardown; }

# pages of FILE cached after an O_DIRECT read of it from a clean cache
cached_after_dio_read() {
	"$PC" drop "$1"
	"$PC" dio-read "$1" 1 >/dev/null
	"$PC" resident "$1"
}

@test "ext4: read alignment reported, equal to the write alignment, and true" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" inlinecrypt
	head -c 1M /dev/urandom >"$MNT/plain"
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	head -c 1M /dev/urandom >"$MNT/enc/file"
	sync
	[ "$("$PC" statx "$MNT/plain")" = "512 512" ]
	[ "$("$PC" statx-read "$MNT/plain")" = "512 512" ]
	# fscrypt with blk-crypto: file offsets aligned to the data unit
	[ "$("$PC" statx "$MNT/enc/file")" = "4096 4096" ]
	[ "$("$PC" statx-read "$MNT/enc/file")" = "4096 4096" ]
	[ "$(cached_after_dio_read "$MNT/plain")" -eq 0 ]
	[ "$(cached_after_dio_read "$MNT/enc/file")" -eq 0 ]
	run "$BQ" file -r -n -o DIO,OFF-ALIGN,READ-ALIGN "$MNT/enc/file"
	[ "$output" = "yes 4096 4096" ]
}

@test "ext4: no direct I/O, no read alignment: O_DIRECT reads are cached" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT"
	vm_fscrypt_dir "$MNT" "$MNT/enc"
	head -c 1M /dev/urandom >"$MNT/enc/file"
	sync
	[ "$("$PC" statx "$MNT/enc/file")" = "0 0" ]
	[ "$("$PC" statx-read "$MNT/enc/file")" = "0 0" ]
	[ "$(cached_after_dio_read "$MNT/enc/file")" -gt 0 ]
}

@test "f2fs: inline data reports no direct I/O, and O_DIRECT reads of it are cached" {
	mkfs.f2fs -q -f "$DISK"
	vm_mount "$DISK" "$MNT"
	head -c 100 /dev/urandom >"$MNT/small"
	head -c 1M /dev/urandom >"$MNT/big"
	sync
	# 6.12 said "4096 4096" for the inline file: reads were cached anyway
	[ "$("$PC" statx "$MNT/small")" = "0 0" ]
	[ "$("$PC" statx-read "$MNT/small")" = "0 0" ]
	[ "$(cached_after_dio_read "$MNT/small")" -gt 0 ]
	run "$BQ" file -r -n -o DIO "$MNT/small"
	[ "$output" != yes ]
	[ "$("$PC" statx "$MNT/big")" = "4096 4096" ]
	[ "$("$PC" statx-read "$MNT/big")" = "4096 4096" ]
	[ "$(cached_after_dio_read "$MNT/big")" -eq 0 ]
}
