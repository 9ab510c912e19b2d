# Shared by the uAPI suites (tests/vm/uapi-*.bats): the uAPI added by
# kernel/patches, FS_IOC_GET_ENCRYPTION_IMPL and RWF_DIO_STRICT,
# through the C selftests in kernel/selftests/ and libblkcryptadm's use of
# them (blkcrypt-query, SOURCE kernel vs inferred).  One file per interface
# so that vm-tests can share them out between guests.
# shellcheck shell=bash

load vm_helpers

setup() {
	vm_setup
	DISK=$(vm_disk fs)
	MNT=$BATS_TEST_TMPDIR/mnt
	SELFTESTS=${BCA_BUILDDIR:?}/kernel/selftests
	ENC_IMPL=$SELFTESTS/enc_impl
	BQ=$(vm_tool blkcrypt-query)
	[[ -x "$ENC_IMPL" ]] || { echo "$ENC_IMPL not built (make check)" >&2; return 1; }
}

teardown() { vm_teardown; }

# impl_is PATH NAME=VALUE...: FS_IOC_GET_ENCRYPTION_IMPL reports these values.
impl_is() {
	local path=$1 out want bad=0
	shift
	out=$("$ENC_IMPL" show "$path") || return 1
	for want in "$@"; do
		# a pattern match, not grep: one exec per field adds up under TCG
		if [[ $'\n'"$out"$'\n' != *$'\n'"$want"$'\n'* ]]; then
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


# query_both PATH...: blkcrypt-query with the ioctl and with
# BCA_NO_KERNEL_IOCTL=1; verdict, reason, crypto, key and alignment must be
# equal, SOURCE kernel the first time and inferred the second.
query_both() {
	local bq=$BQ cols=DIO,REASON,CRYPTO,KEY,MEM-ALIGN,OFF-ALIGN
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


# strict_is OP FILE ALIGN [--no-strict] EXPECTED: dio_strict prints EXPECTED.
strict_is() {
	local want=${*: -1} out
	out=$("$SELFTESTS/dio_strict" "${@:1:$#-1}") || return 1
	[ "$out" = "$want" ] || { echo "dio_strict ${*:1:$#-1}: got '$out', want '$want'"; return 1; }
}

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

