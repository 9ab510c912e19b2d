#!/usr/bin/env bats
# Emulated inline-encryption hardware (null_blk, kernel/patches): a
# memory-backed null_blk device declares a crypto profile in configfs, and
# blk-crypto then hands it keyslots instead of using blk-crypto-fallback.
# Checked against what the kernel does: the profile in sysfs, the keyslot
# counters, real direct I/O measured with mincore, and the stored bytes,
# which must be ciphertext that blk-crypto-fallback and fscrypt's own
# filesystem-layer encryption decrypt to the same data.
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series,kernel-code

load vm_helpers

NULLB_CFG=/sys/kernel/config/nullb

setup() {
	vm_fs_setup
	ENC_IMPL=${BCA_BUILDDIR:?}/kernel/selftests/enc_impl
	FSCRYPTCTL=$(vm_tool fscryptctl-dio)
	mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
}

teardown() { vm_teardown; }

# nullb_create NAME MODES [KEYSLOTS]: 4096-byte blocks.
nullb_create() { vm_nullb_create "$1" "$2" "${3:-8}" 4096 0; }

# nullb_ext4 NAME MODES [KEYSLOTS]: nullb_create, then an ext4 on it mounted
# with inlinecrypt on $MNT and an encrypted directory $MNT/enc.
nullb_ext4() {
	local dev
	dev=$(nullb_create "$@")
	vm_mkfs_ext4 "$dev"
	vm_mount "$dev" "$MNT" inlinecrypt
	vm_fscrypt_dir "$MNT" "$MNT/enc"
}

# extents_sum DEV FILE: sha256 of the raw blocks of FILE's extents on DEV
# (FIEMAP through filefrag, 4096-byte blocks), in file order; fails unless
# the extents cover the file.
extents_sum() {
	local raw=$BATS_TEST_TMPDIR/extents
	filefrag -v -b4096 "$2" | awk '$1 ~ /^[0-9]+:$/ { sub(/\.\..*/, "", $4); print $4, $6 }' |
		while read -r start len; do
			dd if="$1" bs=4096 skip="${start%:}" count="${len%:}" status=none
		done >"$raw"
	[ "$(stat -c %s "$raw")" -eq $(( ($(stat -c %s "$2") + 4095) / 4096 * 4096 )) ] ||
		{ echo "extents of $2 do not cover it" >&2; return 1; }
	sha256sum "$raw" | cut -d' ' -f1
}

# impl_of FILE: FS_IOC_GET_ENCRYPTION_IMPL's impl (2 hw, 3 fallback).
impl_of() { "$ENC_IMPL" show "$1" | sed -n 's/^impl=//p'; }

@test "the declared profile, exactly, in queue/crypto/; PROFILE hardware" {
	local dev q out
	dev=$(nullb_create bcanb0 "AES-256-XTS:512,4096 Adiantum:4096" 5)
	q=/sys/block/bcanb0/queue/crypto
	[ "$(cat "$q/modes/AES-256-XTS")" = 0x1200 ]
	[ "$(cat "$q/modes/Adiantum")" = 0x1000 ]
	[ ! -e "$q/modes/AES-128-CBC-ESSIV" ]
	[ "$(cat "$q/num_keyslots")" = 5 ]
	[ "$(cat "$q/max_dun_bits")" = 64 ]
	[ "$(cat "$q/passthrough")" = 0 ]
	[ "$(cat "$NULLB_CFG/bcanb0/crypto_modes")" = "AES-256-XTS:512,4096 Adiantum:4096" ]
	out=$("$BQ" device -J -o NAME,PROFILE,FILE-CRYPTO "$dev")
	echo "$out"
	[ "$(jq -r '.devices[0].profile' <<<"$out")" = hardware ]
	[ "$(jq -r '.devices[0]."file-crypto"' <<<"$out")" = inline-hw ]
}

@test "dm-linear on top passes the profile through, dm-crypt does not" {
	local dev sz lin cry out
	dev=$(nullb_create bcanb1 "AES-256-XTS:4096")
	sz=$(blockdev --getsz "$dev")
	vm_dm_create bca-nb-lin "0 $sz linear $dev 0"
	lin=/sys/dev/block/$((0x$(stat -c %t /dev/mapper/bca-nb-lin))):$((0x$(stat -c %T /dev/mapper/bca-nb-lin)))/queue
	[ "$(cat "$lin/crypto/modes/AES-256-XTS")" = 0x1000 ]
	[ "$(cat "$lin/crypto/passthrough")" = 1 ]
	vm_dm_create bca-nb-crypt "0 $sz crypt aes-xts-plain64 $(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n') 0 $dev 0"
	cry=/sys/dev/block/$((0x$(stat -c %t /dev/mapper/bca-nb-crypt))):$((0x$(stat -c %T /dev/mapper/bca-nb-crypt)))/queue
	[ ! -e "$cry/crypto" ]
	out=$("$BQ" device -J -o NAME,PROFILE,FILE-CRYPTO "$dev" /dev/mapper/bca-nb-lin /dev/mapper/bca-nb-crypt)
	echo "$out"
	[ "$(jq -r '[.devices[].profile] | join(" ")' <<<"$out")" = "hardware passthrough none" ]
	[ "$(jq -r '[.devices[]."file-crypto"] | join(" ")' <<<"$out")" = "inline-hw inline-hw inline-fallback" ]
}

@test "ext4 with inlinecrypt: inline-hw, real direct I/O, data round-trips, keyslots programmed" {
	nullb_ext4 bcanb2 "AES-256-XTS:4096"
	head -c 1M /dev/urandom >"$BATS_TEST_TMPDIR/data"
	cp "$BATS_TEST_TMPDIR/data" "$MNT/enc/file"
	sync
	[ "$(impl_of "$MNT/enc/file")" = 2 ]
	[ "$("$BQ" file -r -n -o CRYPTO "$MNT/enc/file")" = inline-hw ]
	[ "$(BCA_NO_KERNEL_IOCTL=1 "$BQ" file -r -n -o CRYPTO "$MNT/enc/file")" = inline-hw ]
	[ "$("$BQ" file -r -n -o DIO "$MNT/enc/file")" = yes ]
	"$PC" drop "$MNT/enc/file"
	"$PC" dio-read "$MNT/enc/file" 1
	[ "$("$PC" resident "$MNT/enc/file")" -eq 0 ]
	"$PC" dio-write "$MNT/enc/dio" 1
	[ "$("$PC" resident "$MNT/enc/dio")" -eq 0 ]
	[ "$("$BQ" file --probe -P -o PROBE,CACHED "$MNT/enc/file")" = 'PROBE="yes" CACHED="0"' ]
	echo 3 >/proc/sys/vm/drop_caches
	cmp "$BATS_TEST_TMPDIR/data" "$MNT/enc/file"
	[ "$(cat "$NULLB_CFG/bcanb2/crypto_programs")" -ge 1 ]
}

@test "a scan of many encrypted files reads the device's profile once; every file is inline-hw" {
	local majmin
	nullb_ext4 bcanb9 "AES-256-XTS:4096"
	for i in $(seq 1 40); do echo "$i" >"$MNT/enc/f$i"; done
	sync
	majmin=$(cat /sys/block/bcanb9/dev)
	# as on a stock kernel: the verdict inferred from the profile, file by file
	run --separate-stderr env BCA_NO_KERNEL_IOCTL=1 BLKCRYPTADM_DEBUG=1 \
		"$BQ" file -R -r -n -o PATH,CRYPTO "$MNT/enc"
	[ "$status" -eq 0 ]
	[ "$(grep -cE '/f[0-9]+ inline-hw$' <<<"$output")" -eq 40 ] || { echo "$output"; return 1; }
	[ "$(grep -c "$majmin: reading the inline-crypto profile" <<<"$stderr")" -eq 1 ] ||
		{ echo "$stderr" | grep "profile"; return 1; }
}

@test "a data unit size the hardware lacks goes to blk-crypto-fallback" {
	nullb_ext4 bcanb3 "AES-256-XTS:512"
	head -c 64K /dev/urandom >"$MNT/enc/file"
	[ "$(impl_of "$MNT/enc/file")" = 3 ]
	[ "$("$BQ" file -r -n -o CRYPTO "$MNT/enc/file")" = inline-fallback ]
	[ "$(cat "$NULLB_CFG/bcanb3/crypto_programs")" -eq 0 ]
}

@test "the stored bytes are the ciphertext the fallback and the fs layer store, and read back either way" {
	local dev hw key=$BATS_TEST_TMPDIR/key
	dev=$(nullb_create bcanb4 "AES-256-XTS:4096")
	vm_mkfs_ext4 "$dev"
	mkdir -p "$MNT"
	# mounted and unmounted in turn below, on two devices
	vm_on_teardown "umount $MNT 2>/dev/null || true"
	mount -o inlinecrypt "$dev" "$MNT"
	vm_fscrypt_dir "$MNT" "$MNT/enc" "$key"
	yes 'BCA-PLAINTEXT-MARKER' | head -c 1M >"$BATS_TEST_TMPDIR/data"
	cp "$BATS_TEST_TMPDIR/data" "$MNT/enc/file"
	sync
	[ "$(impl_of "$MNT/enc/file")" = 2 ]
	hw=$(extents_sum "$dev" "$MNT/enc/file")
	umount "$MNT"
	! grep -q BCA-PLAINTEXT-MARKER "$dev"
	# the same image on the virtio disk, which has no profile
	dd if="$dev" of="$DISK" bs=1M count=128 conv=fsync status=none
	mount -o inlinecrypt "$DISK" "$MNT"
	vm_fscrypt_add_key "$MNT" "$key" >/dev/null
	[ "$(impl_of "$MNT/enc/file")" = 3 ]
	cmp "$BATS_TEST_TMPDIR/data" "$MNT/enc/file"
	# the fallback, rewriting the same data in place (same key, nonce and
	# DUNs), stores exactly the bytes the emulated hardware stored
	dd if="$BATS_TEST_TMPDIR/data" of="$MNT/enc/file" bs=1M oflag=direct conv=notrunc,fsync status=none
	[ "$(extents_sum "$DISK" "$MNT/enc/file")" = "$hw" ]
	umount "$MNT"
	# and so does fscrypt's filesystem layer
	dd if=/dev/zero of="$DISK" bs=1M count=128 conv=fsync status=none
	dd if="$dev" of="$DISK" bs=1M count=128 conv=fsync status=none
	mount "$DISK" "$MNT"
	vm_fscrypt_add_key "$MNT" "$key" >/dev/null
	[ "$(impl_of "$MNT/enc/file")" = 1 ]
	cmp "$BATS_TEST_TMPDIR/data" "$MNT/enc/file"
	dd if="$BATS_TEST_TMPDIR/data" of="$MNT/enc/file" bs=1M conv=notrunc,fsync status=none
	[ "$(extents_sum "$DISK" "$MNT/enc/file")" = "$hw" ]
	# and back: what the fs layer wrote, the emulated hardware reads
	yes 'BCA-SECOND-MARKER' | head -c 256K >"$BATS_TEST_TMPDIR/data2"
	cp "$BATS_TEST_TMPDIR/data2" "$MNT/enc/file2"
	umount "$MNT"
	dd if="$DISK" of="$dev" bs=1M count=128 conv=fsync status=none
	mount -o inlinecrypt "$dev" "$MNT"
	vm_fscrypt_add_key "$MNT" "$key" >/dev/null
	[ "$(impl_of "$MNT/enc/file2")" = 2 ]
	cmp "$BATS_TEST_TMPDIR/data2" "$MNT/enc/file2"
	umount "$MNT"
}

@test "more keys than keyslots, used at once: every byte right, slots reprogrammed, evictions counted; remove_key evicts" {
	local dev i ident ev p0 p1 cfg=$NULLB_CFG/bcanb5
	dev=$(nullb_create bcanb5 "AES-256-XTS:4096" 2)
	vm_mkfs_ext4 "$dev"
	vm_mount "$dev" "$MNT" inlinecrypt
	head -c 256K /dev/urandom >"$BATS_TEST_TMPDIR/data"
	for i in 1 2 3 4 5; do
		vm_fscrypt_dir "$MNT" "$MNT/d$i" "$BATS_TEST_TMPDIR/key$i"
	done
	local copies=()
	for i in 1 2 3 4 5; do
		cp "$BATS_TEST_TMPDIR/data" "$MNT/d$i/f" &
		copies+=($!)
	done
	# these jobs only: BATS_TEST_TIMEOUT's watchdog is a job of this shell too
	wait "${copies[@]}"
	sync
	# five per-file keys through two slots: each was programmed
	p0=$(cat "$cfg/crypto_programs")
	[ "$p0" -ge 5 ]
	# evicting the inodes evicts their keys from the slots that hold them
	echo 3 >/proc/sys/vm/drop_caches
	ev=$(cat "$cfg/crypto_evictions")
	[ "$ev" -ge 1 ]
	for i in 1 2 3 4 5; do
		cmp "$BATS_TEST_TMPDIR/data" "$MNT/d$i/f" &
	done
	for i in 1 2 3 4 5; do wait -n; done
	p1=$(cat "$cfg/crypto_programs")
	echo "# 5 keys on 2 slots: $p0 programs writing, $((p1 - p0)) reading back, $ev evictions" >&3
	[ $((p1 - p0)) -ge 5 ]
	# a key in a slot: removing it evicts the slot
	ident=$(vm_fscrypt_add_key "$MNT" "$BATS_TEST_TMPDIR/key5")
	echo 3 >/proc/sys/vm/drop_caches
	cat "$MNT/d5/f" >/dev/null
	ev=$(cat "$cfg/crypto_evictions")
	"$FSCRYPTCTL" remove_key "$ident" "$MNT"
	[ "$(cat "$cfg/crypto_evictions")" -gt "$ev" ]
}

@test "bad declarations (a data unit above the page size among them): EINVAL with a message, and the device stays unconfigured" {
	local d=$NULLB_CFG/bcanb6
	mkdir "$d"
	vm_on_teardown "rmdir $d"
	run sh -c "echo 'ROT13:4096' >$d/crypto_modes"
	[ "$status" -ne 0 ]
	run sh -c "echo 'AES-256-XTS:1000' >$d/crypto_modes"
	[ "$status" -ne 0 ]
	run sh -c "echo 'AES-256-XTS' >$d/crypto_modes"
	[ "$status" -ne 0 ]
	# null_blk stores and encrypts page by page: a larger data unit could
	# be advertised but never used
	run sh -c "echo 'AES-256-XTS:4096,$((2 * $(getconf PAGESIZE)))' >$d/crypto_modes"
	[ "$status" -ne 0 ]
	[ "$(cat "$d/crypto_modes")" = "" ]
	dmesg | grep -q "crypto_modes: unknown mode 'ROT13'"
	dmesg | grep -q "bad data unit size '$((2 * $(getconf PAGESIZE)))' (a power of 2, 512 to the page size"
	# a declaration on a device that is not memory-backed cannot power on
	echo 'AES-256-XTS:4096' >"$d/crypto_modes"
	echo 4 >"$d/crypto_keyslots"
	echo 8 >"$d/crypto_dun_bytes"
	run sh -c "echo 1 >$d/power"
	[ "$status" -ne 0 ]
	[ "$(cat "$d/power")" = 0 ]
	[ ! -e /sys/block/bcanb6 ]
	dmesg | grep -q 'crypto_modes needs memory_backed=1'
}

# for_dio_on NAME MODES: an emulated device with MODES, ext4 (stable_inodes:
# --for-dio takes IV_INO_LBLK_64 for hardware with few keyslots) mounted
# with inlinecrypt on $MNT, and fscryptctl-dio set_policy --for-dio on
# $MNT/enc; its output in $out, a 64 KiB file in $MNT/enc/f.
for_dio_on() {
	local dev id
	dev=$(nullb_create "$1" "$2")
	vm_mkfs_ext4 -O stable_inodes "$dev"
	mount -o inlinecrypt "$dev" "$MNT"
	id=$("$FSCRYPTCTL" add_key --key-file "$BATS_TEST_TMPDIR/key" "$MNT")
	mkdir "$MNT/enc"
	out=$("$FSCRYPTCTL" set_policy --for-dio "$id" "$MNT/enc")
	echo "$out"
	head -c 64K /dev/urandom >"$MNT/enc/f"
}

@test "fscryptctl-dio set_policy --for-dio picks the hardware, and the fallback where the profile lacks the mode" {
	local out
	mkdir -p "$MNT"
	vm_on_teardown "umount $MNT 2>/dev/null || true"
	head -c 64 /dev/urandom >"$BATS_TEST_TMPDIR/key"
	for_dio_on bcanb7 "AES-256-XTS:4096"
	[[ "$out" == *"Inline encryption: hardware of bcanb7"* ]]
	[[ "$out" == *"Verified: new files get direct I/O"* ]]
	[ "$(impl_of "$MNT/enc/f")" = 2 ]
	run "$FSCRYPTCTL" check_dio "$MNT/enc/f"
	[[ "$output" == "$MNT/enc/f: yes: "* ]]
	umount "$MNT"
	# a profile without the default mode: the fallback
	for_dio_on bcanb8 "Adiantum:4096"
	[[ "$out" == *"Inline encryption: blk-crypto-fallback (the inline encryption hardware of bcanb8 cannot do AES-256-XTS with 4096-byte data units"* ]]
	[ "$(impl_of "$MNT/enc/f")" = 3 ]
	run "$FSCRYPTCTL" check_dio "$MNT/enc/f"
	[[ "$output" == "$MNT/enc/f: yes: "* ]]
	umount "$MNT"
}
