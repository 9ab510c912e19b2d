#!/usr/bin/env bats
# RWF_DIO_STRICT (kernel/selftests/dio_strict) on ext4, tmpfs and a block
# device, through pwritev2/preadv2, aio and io_uring, and blkcrypt-query
# --strict-probe.  A refusal is ENOTBLK, made before anything changes; a
# file that does not honour the flag says EOPNOTSUPP.
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series,kernel-code

load uapi_helpers

# stat_of FILE: size, mtime and ctime to the nanosecond.
stat_of() { stat -c '%s %.9Y %.9Z' "$1"; }

@test "RWF_DIO_STRICT is known and needs O_DIRECT (EINVAL otherwise)" {
	ext4_with_enc inlinecrypt
	[ "$("$SELFTESTS/dio_strict" known)" = known ]
	[ "$("$SELFTESTS/dio_strict" buffered "$MNT/plain")" = result=EINVAL ]
}

@test "strict O_DIRECT without inlinecrypt: ENOTBLK and nothing cached; without the flag the page cache" {
	ext4_with_enc
	strict_is write "$MNT/enc/new" 4096 'result=ENOTBLK cached=0'
	strict_is write "$MNT/enc/new" 4096 --no-strict 'result=65536 cached=16'
	echo 3 >/proc/sys/vm/drop_caches
	strict_is read "$MNT/enc/new" 4096 'result=ENOTBLK cached=0'
	strict_is read "$MNT/enc/new" 4096 --no-strict 'result=65536 cached=16'
}

@test "strict O_DIRECT with inlinecrypt: block-aligned succeeds uncached, 512-aligned refused" {
	ext4_with_enc inlinecrypt
	strict_is write "$MNT/enc/new" 4096 'result=65536 cached=0'
	strict_is read "$MNT/enc/new" 4096 'result=65536 cached=0'
	# aligned to the logical block size (512) but not to the fs block size
	strict_is write "$MNT/enc/new" 512 'result=ENOTBLK cached=0'
	strict_is read "$MNT/enc/new" 512 'result=ENOTBLK cached=0'
	# ...which ext4 otherwise serves from the page cache
	strict_is read "$MNT/enc/new" 512 --no-strict 'result=65536 cached=16'
}

@test "strict O_DIRECT on a plain ext4 file: 512-aligned is real direct I/O" {
	ext4_with_enc inlinecrypt
	strict_is write "$MNT/new" 512 'result=65536 cached=0'
	strict_is read "$MNT/new" 512 'result=65536 cached=0'
}

@test "a file that does not honour the flag (tmpfs): EOPNOTSUPP" {
	strict_is write "$BATS_TEST_TMPDIR/tmpfs-file" 4096 'result=EOPNOTSUPP cached=0'
}

@test "block devices accept the flag: direct, nothing cached" {
	local dev
	dev=$(vm_disk dm)
	strict_is write "$dev" 4096 'result=65536 cached=0'
	strict_is read "$dev" 4096 'result=65536 cached=0'
	strict_is read "$dev" 4096 --uring 'result=65536 cached=0 workers=0'
}

@test "a refused strict write changes nothing: size, mtime and ctime stay (ext4)" {
	local before
	ext4_with_enc
	echo 3 >/proc/sys/vm/drop_caches
	before=$(stat_of "$MNT/enc/file")
	sleep 0.05
	strict_is write "$MNT/enc/file" 4096 'result=ENOTBLK cached=0'
	[ "$(stat_of "$MNT/enc/file")" = "$before" ]
}

@test "ext4 without extents: a strict write into a hole is ENOTBLK, never 0, and changes nothing" {
	local before
	mkfs.ext4 -q -F -b 4096 -O ^extent,^64bit,^flex_bg "$DISK"
	vm_mount "$DISK" "$MNT"
	truncate -s 1M "$MNT/sparse"
	before=$(stat_of "$MNT/sparse")
	sleep 0.05
	strict_is write "$MNT/sparse" 4096 'result=ENOTBLK cached=0'
	[ "$(stat_of "$MNT/sparse")" = "$before" ]
	# without the flag the hole is filled through the page cache (and
	# invalidated after), then overwriting it is direct, strict or not
	strict_is write "$MNT/sparse" 4096 --no-strict 'result=65536 cached=0'
	strict_is write "$MNT/sparse" 4096 'result=65536 cached=0'
}

@test "O_DIRECT|O_APPEND on an inline-encrypted 4608-byte file: buffered without the flag, ENOTBLK with it" {
	local out size
	ext4_with_enc inlinecrypt
	head -c 4608 /dev/urandom >"$MNT/enc/app"
	sync
	out=$("$SELFTESTS/dio_strict" write "$MNT/enc/app" 4096 --append --no-strict)
	[[ "$out" == "result=65536 "* ]] || { echo "no strict: $out"; return 1; }
	size=$(stat -c %s "$MNT/enc/app")
	[ "$size" -eq $((4608 + 65536)) ]
	out=$("$SELFTESTS/dio_strict" write "$MNT/enc/app" 4096 --append)
	[[ "$out" == "result=ENOTBLK "* ]] || { echo "strict: $out"; return 1; }
	[ "$(stat -c %s "$MNT/enc/app")" -eq "$size" ]
	# at a block-aligned end of file the append is direct
	head -c 8192 /dev/urandom >"$MNT/enc/app2"
	sync
	echo 3 >/proc/sys/vm/drop_caches
	strict_is write "$MNT/enc/app2" 4096 --append 'result=65536 cached=0'
	[ "$(stat -c %s "$MNT/enc/app2")" -eq $((8192 + 65536)) ]
}

@test "NOWAIT|strict: a file that would be buffered gives ENOTBLK, not EAGAIN or EOPNOTSUPP" {
	ext4_with_enc
	echo 3 >/proc/sys/vm/drop_caches
	strict_is read "$MNT/enc/file" 4096 --nowait 'result=ENOTBLK cached=0'
	strict_is write "$MNT/enc/new" 4096 --nowait 'result=ENOTBLK cached=0'
	strict_is read "$MNT/plain" 4096 --nowait 'result=65536 cached=0'
}

@test "io_uring: a refusal completes once with ENOTBLK, without an io-wq worker" {
	ext4_with_enc
	echo 3 >/proc/sys/vm/drop_caches
	strict_is read "$MNT/enc/file" 4096 --uring 'result=ENOTBLK cached=0 workers=0'
	strict_is write "$MNT/enc/new" 4096 --uring 'result=ENOTBLK cached=0 workers=0'
	strict_is write "$MNT/enc/new" 4096 --uring --nowait 'result=ENOTBLK cached=0 workers=0'
	# the count is real: on io_uring's own nonblocking attempt, ext4's
	# buffered fallback says EOPNOTSUPP, which io_uring retries from an
	# io-wq worker (the cost every refusal had in v1)
	strict_is write "$MNT/enc/new2" 4096 --uring --no-strict \
		'result=65536 cached=16 workers=1'
}

@test "aio: a refusal completes with ENOTBLK" {
	ext4_with_enc
	echo 3 >/proc/sys/vm/drop_caches
	strict_is read "$MNT/enc/file" 4096 --aio 'result=ENOTBLK cached=0'
	strict_is write "$MNT/enc/new" 4096 --aio 'result=ENOTBLK cached=0'
	strict_is write "$MNT/new" 4096 --aio 'result=65536 cached=0'
}

@test "blkcrypt-query --strict-probe: refused without inlinecrypt, accepted with it" {
	local bq=$BQ
	ext4_with_enc
	run "$bq" file --strict-probe -P -o DIO,PROBE,STRICT "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = 'DIO="buffered" PROBE="buffered" STRICT="refused"' ]
	run env BCA_NO_KERNEL_IOCTL=1 "$bq" file --strict-probe -P -o DIO,PROBE,STRICT "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = 'DIO="buffered" PROBE="buffered" STRICT="unavailable"' ]
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	run "$bq" file --strict-probe -P -o DIO,PROBE,CACHED,STRICT,SOURCE "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = 'DIO="yes" PROBE="yes" CACHED="0" STRICT="accepted" SOURCE="kernel"' ]
}
