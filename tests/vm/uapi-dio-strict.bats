#!/usr/bin/env bats
# RWF_DIO_STRICT (kernel/selftests/dio_strict) on ext4 and tmpfs, and
# blkcrypt-query --strict-probe.

load uapi_helpers

@test "RWF_DIO_STRICT is known and needs O_DIRECT (EINVAL otherwise)" {
	ext4_with_enc inlinecrypt
	[ "$("$SELFTESTS/dio_strict" known)" = known ]
	[ "$("$SELFTESTS/dio_strict" buffered "$MNT/plain")" = result=EINVAL ]
}

@test "strict O_DIRECT without inlinecrypt: EOPNOTSUPP and nothing cached; without the flag the page cache" {
	ext4_with_enc
	strict_is write "$MNT/enc/new" 4096 'result=EOPNOTSUPP cached=0'
	strict_is write "$MNT/enc/new" 4096 --no-strict 'result=65536 cached=16'
	echo 3 >/proc/sys/vm/drop_caches
	strict_is read "$MNT/enc/new" 4096 'result=EOPNOTSUPP cached=0'
	strict_is read "$MNT/enc/new" 4096 --no-strict 'result=65536 cached=16'
}

@test "strict O_DIRECT with inlinecrypt: block-aligned succeeds uncached, 512-aligned refused" {
	ext4_with_enc inlinecrypt
	strict_is write "$MNT/enc/new" 4096 'result=65536 cached=0'
	strict_is read "$MNT/enc/new" 4096 'result=65536 cached=0'
	# aligned to the logical block size (512) but not to the fs block size
	strict_is write "$MNT/enc/new" 512 'result=EOPNOTSUPP cached=0'
	strict_is read "$MNT/enc/new" 512 'result=EOPNOTSUPP cached=0'
	# ...which ext4 otherwise serves from the page cache
	strict_is read "$MNT/enc/new" 512 --no-strict 'result=65536 cached=16'
}

@test "strict O_DIRECT on a plain ext4 file: 512-aligned is real direct I/O" {
	ext4_with_enc inlinecrypt
	strict_is write "$MNT/new" 512 'result=65536 cached=0'
	strict_is read "$MNT/new" 512 'result=65536 cached=0'
}

@test "strict O_DIRECT on a filesystem that did not opt in (tmpfs): EOPNOTSUPP" {
	strict_is write "$BATS_TEST_TMPDIR/tmpfs-file" 4096 'result=EOPNOTSUPP cached=0'
}

@test "blkcrypt-query --strict-probe: refused without inlinecrypt, accepted with it" {
	local bq=$BQ
	ext4_with_enc
	run "$bq" file --strict-probe -P -o DIO,PROBE,STRICT "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = 'DIO="buffered" PROBE="buffered (strict O_DIRECT refused)" STRICT="refused"' ]
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
