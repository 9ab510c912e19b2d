#!/usr/bin/env bats
# The uAPI added by kernel/patches: FS_IOC_GET_DIO_INFO, BLKCRYPTOPROFILE
# and RWF_DIO_STRICT, through the C selftests in kernel/selftests/, and
# libblkcryptadm's use of them (blkcrypt-query, SOURCE kernel vs inferred).

load vm_helpers

setup() {
	vm_setup
	DISK=$(vm_disk fs)
	MNT=$BATS_TEST_TMPDIR/mnt
	SELFTESTS=${BCA_BUILDDIR:?}/kernel/selftests
	DIO_INFO=$SELFTESTS/dio_info
	[[ -x "$DIO_INFO" ]] || { echo "$DIO_INFO not built (make check)" >&2; return 1; }
}

teardown() { vm_teardown; }

# dio_info_is PATH NAME=VALUE...: FS_IOC_GET_DIO_INFO reports these values.
dio_info_is() {
	local path=$1 out want bad=0
	shift
	out=$("$DIO_INFO" show "$path") || return 1
	for want in "$@"; do
		if ! grep -qx -- "$want" <<<"$out"; then
			echo "$path: want $want, got $(grep "^${want%%=*}=" <<<"$out")" >&2
			bad=1
		fi
	done
	return "$bad"
}

# An ext4 on the fs disk with an encrypted directory enc/ holding file,
# mounted with OPTIONS; the key is kept in $KEY for remounts.
ext4_with_enc() {
	KEY=$BATS_TEST_TMPDIR/key.bin
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" "${1:-}"
	vm_fscrypt_dir "$MNT" "$MNT/enc" "$KEY"
	head -c 65536 /dev/urandom >"$MNT/enc/file"
	head -c 65536 /dev/urandom >"$MNT/plain"
	sync
}

# --- FS_IOC_GET_DIO_INFO --------------------------------------------------------

@test "dio_info ABI: sizes, flags, reserved fields, EFAULT, no stray bytes (plain file)" {
	ext4_with_enc inlinecrypt
	run "$DIO_INFO" abi "$MNT/plain"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == 1..21* ]]
	! grep -q '^not ok' <<<"$output"
}

@test "dio_info ABI: encrypted file and encrypted directory without its key" {
	ext4_with_enc inlinecrypt
	run "$DIO_INFO" abi "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	run "$DIO_INFO" abi "$MNT/enc"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "plain ext4 file: DIO supported, no crypto, statx alignments" {
	ext4_with_enc
	local pc
	pc=$(vm_helper pagecache)
	read -r mem off < <("$pc" statx "$MNT/plain")
	[ "$off" -gt 0 ]
	dio_info_is "$MNT/plain" dio=1 reason=0 crypto_impl=0 key_status=0 \
		contents_mode=0 data_unit_size=0 dun_bytes=0 \
		dio_mem_align="$mem" dio_offset_align="$off"
}

@test "encrypted file with inlinecrypt on virtio: DIO through blk-crypto-fallback" {
	ext4_with_enc inlinecrypt
	# AES-256-XTS (1), 4096-byte data units, 32-bit ext4 block numbers as DUN
	dio_info_is "$MNT/enc/file" dio=1 reason=0 crypto_impl=3 key_status=1 \
		contents_mode=1 data_unit_size=4096 dun_bytes=4 \
		dio_mem_align=4096 dio_offset_align=4096
}

@test "encrypted file without inlinecrypt: buffered, fs-layer crypto, reason no-inlinecrypt" {
	ext4_with_enc
	dio_info_is "$MNT/enc/file" dio=2 reason=2 crypto_impl=1 key_status=1 \
		contents_mode=1 data_unit_size=4096 dio_mem_align=0 dio_offset_align=0
}

@test "encrypted directory: key present, then absent after a remount" {
	ext4_with_enc inlinecrypt
	dio_info_is "$MNT/enc" dio=0 reason=1 crypto_impl=0 key_status=1 contents_mode=1
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	dio_info_is "$MNT/enc" dio=0 reason=1 crypto_impl=0 key_status=2 \
		contents_mode=1 data_unit_size=4096 dun_bytes=0
	# a regular file cannot even be opened without the key
	run "$DIO_INFO" show "$MNT/enc/$(ls "$MNT/enc")"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Required key not available"* ]]
}

@test "ext4 data=journal and inline data are reported as such" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" data=journal
	head -c 65536 /dev/urandom >"$MNT/big"
	dio_info_is "$MNT/big" dio=2 reason=7
	umount "$MNT"
	mkfs.ext4 -q -F -b 4096 -O inline_data "$DISK"
	mount "$DISK" "$MNT"
	echo tiny >"$MNT/tiny"
	head -c 65536 /dev/urandom >"$MNT/big"
	dio_info_is "$MNT/tiny" dio=2 reason=8
	dio_info_is "$MNT/big" dio=1 reason=0
}

@test "a filesystem without the ioctl answers ENOTTY" {
	echo x >"$BATS_TEST_TMPDIR/tmpfs-file"
	run "$DIO_INFO" show "$BATS_TEST_TMPDIR/tmpfs-file"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Inappropriate ioctl"* ]]
}

# --- libblkcryptadm: the kernel's answer and the inference agree -----------------

# query_both PATH...: blkcrypt-query with the ioctl and with
# BCA_NO_KERNEL_IOCTL=1; verdict, reason, crypto, key and alignment must be
# equal, SOURCE kernel the first time and inferred the second.
query_both() {
	local bq=$BCA_BUILDDIR/blkcrypt-query cols=DIO,REASON,CRYPTO,KEY,MEM-ALIGN,OFF-ALIGN
	local p k i
	for p in "$@"; do
		k=$("$bq" file -P -o "$cols,SOURCE" "$p") || return 1
		i=$(BCA_NO_KERNEL_IOCTL=1 "$bq" file -P -o "$cols,SOURCE" "$p") || return 1
		echo "# kernel:   $k" >&3
		echo "# inferred: $i" >&3
		[[ "$k" == *' SOURCE="kernel"' ]] || { echo "$p: not from the kernel: $k"; return 1; }
		[[ "$i" == *' SOURCE="inferred"' ]] || { echo "$p: not inferred: $i"; return 1; }
		[ "${k% SOURCE=*}" = "${i% SOURCE=*}" ] || { echo "$p: kernel '$k' vs inferred '$i'"; return 1; }
	done
}

@test "blkcrypt-query: kernel and inference agree with inlinecrypt (plain, encrypted, directory)" {
	ext4_with_enc inlinecrypt
	query_both "$MNT/plain" "$MNT/enc/file" "$MNT/enc"
	run "$BCA_BUILDDIR/blkcrypt-query" file -P -o DIO,CRYPTO,SOURCE "$MNT/enc/file"
	[ "$output" = 'DIO="yes" CRYPTO="inline-fallback" SOURCE="kernel"' ]
}

@test "blkcrypt-query: kernel and inference agree without inlinecrypt and without the key" {
	ext4_with_enc
	query_both "$MNT/plain" "$MNT/enc/file" "$MNT/enc"
	run "$BCA_BUILDDIR/blkcrypt-query" file -P -o DIO,REASON,CRYPTO,SOURCE "$MNT/enc/file"
	[ "$output" = 'DIO="buffered" REASON="no-inlinecrypt" CRYPTO="fs-layer" SOURCE="kernel"' ]
	umount "$MNT"
	mount "$DISK" "$MNT"
	query_both "$MNT/enc"
	run "$BCA_BUILDDIR/blkcrypt-query" file -P -o KEY,SOURCE "$MNT/enc"
	[ "$output" = 'KEY="absent" SOURCE="kernel"' ]
}

@test "blkcrypt-query: kernel and inference agree on data=journal" {
	vm_mkfs_ext4 "$DISK"
	vm_mount "$DISK" "$MNT" data=journal
	head -c 65536 /dev/urandom >"$MNT/big"
	query_both "$MNT/big"
}

# --- BLKCRYPTOPROFILE ----------------------------------------------------------------

@test "blk_crypto_profile ABI on a virtio disk and on dm-linear over it" {
	local bcp=$SELFTESTS/blk_crypto_profile dm
	run "$bcp" abi "$DISK"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == 1..16* ]]
	dm=$(vm_disk dm)
	vm_dm_create bca-uapi-lin "0 $(blockdev --getsz "$dm") linear $dm 0"
	run "$bcp" abi /dev/mapper/bca-uapi-lin
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "virtio disk: no profile is a documented success, source NONE, fallback available" {
	run "$SELFTESTS/blk_crypto_profile" show "$DISK"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'source=0' <<<"$output"
	grep -qx 'caps=0x1' <<<"$output"
	grep -qx 'num_keyslots=0' <<<"$output"
	grep -qx 'max_dun_bits=0' <<<"$output"
	grep -qx 'num_modes=5' <<<"$output"
	! grep -q '^dus_mask_.*=0x[1-9a-f]' <<<"$output"
	# sysfs agrees: no queue/crypto directory
	[ ! -e "/sys/block/${DISK#/dev/}/queue/crypto" ]
}

@test "dm-linear over the virtio disk: no profile to pass through, source NONE" {
	local dm
	dm=$(vm_disk dm)
	vm_dm_create bca-uapi-lin "0 $(blockdev --getsz "$dm") linear $dm 0"
	run "$SELFTESTS/blk_crypto_profile" show /dev/mapper/bca-uapi-lin
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'source=0' <<<"$output"
	grep -qx 'caps=0x1' <<<"$output"
}

@test "a character device answers ENOTTY" {
	run "$SELFTESTS/blk_crypto_profile" show /dev/null
	[ "$status" -eq 1 ]
	[[ "$output" == *"Inappropriate ioctl"* ]]
}

@test "blkcrypt-query device: the profile from the kernel and from sysfs agree" {
	local bq=$BCA_BUILDDIR/blkcrypt-query k i
	k=$("$bq" device -J "$DISK")
	i=$(BCA_NO_KERNEL_IOCTL=1 "$bq" device -J "$DISK")
	echo "kernel: $k"
	echo "sysfs:  $i"
	[ "$k" = "$i" ]
}

# --- RWF_DIO_STRICT ----------------------------------------------------------------

# strict_is OP FILE ALIGN [--no-strict] EXPECTED: dio_strict prints EXPECTED.
strict_is() {
	local want=${*: -1} out
	out=$("$SELFTESTS/dio_strict" "${@:1:$#-1}") || return 1
	[ "$out" = "$want" ] || { echo "dio_strict ${*:1:$#-1}: got '$out', want '$want'"; return 1; }
}

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
	local bq=$BCA_BUILDDIR/blkcrypt-query
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

# --- f2fs ------------------------------------------------------------------------------

# An f2fs on the fs disk with enc/file encrypted, mounted with OPTIONS.
f2fs_with_enc() {
	KEY=$BATS_TEST_TMPDIR/key.bin
	mkfs.f2fs -q -f -O encrypt "$DISK"
	vm_mount "$DISK" "$MNT" "${1:-}"
	vm_fscrypt_dir "$MNT" "$MNT/enc" "$KEY"
	head -c 65536 /dev/urandom >"$MNT/enc/file"
	head -c 65536 /dev/urandom >"$MNT/plain"
	sync
}

@test "f2fs: dio_info ABI, plain and encrypted files with and without inlinecrypt" {
	f2fs_with_enc inlinecrypt
	run "$DIO_INFO" abi "$MNT/enc/file"
	echo "$output"
	[ "$status" -eq 0 ]
	dio_info_is "$MNT/plain" dio=1 reason=0 crypto_impl=0 key_status=0 \
		dio_mem_align=4096 dio_offset_align=4096
	dio_info_is "$MNT/enc/file" dio=1 reason=0 crypto_impl=3 key_status=1 \
		contents_mode=1 data_unit_size=4096 dio_mem_align=4096 dio_offset_align=4096
	dio_info_is "$MNT/enc" dio=0 reason=1 key_status=1
	umount "$MNT"
	mount "$DISK" "$MNT"
	dio_info_is "$MNT/enc" dio=0 reason=1 key_status=2 contents_mode=1
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	dio_info_is "$MNT/enc/file" dio=2 reason=2 crypto_impl=1 key_status=1 \
		dio_mem_align=0 dio_offset_align=0
}

@test "f2fs: blkcrypt-query kernel and inference agree" {
	f2fs_with_enc inlinecrypt
	query_both "$MNT/plain" "$MNT/enc/file" "$MNT/enc"
	umount "$MNT"
	mount "$DISK" "$MNT"
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	query_both "$MNT/plain" "$MNT/enc/file"
}

@test "f2fs: strict O_DIRECT refused where f2fs falls back, real direct I/O otherwise" {
	f2fs_with_enc
	strict_is write "$MNT/enc/new" 4096 'result=EOPNOTSUPP cached=0'
	# f2fs falls back for 512-aligned requests even on plain files
	strict_is write "$MNT/new" 512 'result=EOPNOTSUPP cached=0'
	strict_is write "$MNT/new" 4096 'result=65536 cached=0'
	strict_is read "$MNT/new" 512 'result=EOPNOTSUPP cached=0'
	strict_is read "$MNT/new" 4096 'result=65536 cached=0'
	umount "$MNT"
	mount -o inlinecrypt "$DISK" "$MNT"
	vm_fscrypt_add_key "$MNT" "$KEY" >/dev/null
	strict_is write "$MNT/enc/new2" 4096 'result=65536 cached=0'
	strict_is read "$MNT/enc/new2" 512 'result=EOPNOTSUPP cached=0'
}
