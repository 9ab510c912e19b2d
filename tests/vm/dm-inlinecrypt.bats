#!/usr/bin/env bats
# dm-inlinecrypt (kernel patch 22) end to end: dmcrypt-inline creates it
# over a plain virtio disk (blk-crypto-fallback) and over null_blk's
# emulated inline-crypto hardware; the ciphertext is compared with
# dm-crypt's, the reported table is loaded again, every error path of the
# target and of the tool is taken, and nothing is left behind.
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series,kernel-code

load dmcrypt_helpers

bats_require_minimum_version 1.5.0

NULLB_CFG=/sys/kernel/config/nullb

setup() {
	dmci_setup 8
	KEYHEX=$(od -An -v -tx1 "$KEY" | tr -d ' \n')
	mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
	vm_on_teardown "keyctl purge -p logon bca-ic: >/dev/null 2>&1 || true"
}

teardown() { vm_teardown; }

# nullb_create NAME MODES [DISCARD]: the emulated hardware (patch 18) on
# 512-byte blocks, discards as asked.
nullb_create() { vm_nullb_create "$1" "$2" 8 512 "${3:-0}"; }

# The sysfs queue directory of /dev/mapper/NAME.
dm_queue() {
	echo "/sys/dev/block/$(dmsetup info -c --noheadings -o major,minor --separator : "$1")/queue"
}

# round_trip DEV CRYPTO-BY SECTOR-SIZE [create options]: create, check the
# table, the limits and who encrypts, write and read 2 MiB with O_DIRECT,
# see no plaintext on DEV, remove, and nothing is left.
round_trip() {
	local dev=$1 by=$2 ss=$3 q
	shift 3
	"$DMCI" create bca-t "$dev" --target inlinecrypt --key-file "$KEY" "$@"
	run dmsetup table bca-t
	[[ "$output" == "0 "*" inlinecrypt aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 0 "* ]]
	q=$(dm_queue bca-t)
	[ "$(cat "$q/logical_block_size")" = "$ss" ]
	[ ! -e "$q/crypto" ]	# the target uses the profile, it does not pass it up
	run "$DMCI" status -n -r -o CRYPTO-BY,SECTOR-SIZE bca-t
	[ "$output" = "$by $ss" ] || { echo "status: $output, want $by $ss"; return 1; }
	# every column, against the schema (strict JSON)
	if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
		"$DMCI" status -J -o "$("$DMCI" status -o help | tail -n +2 | awk '{ print $1 }' | paste -sd,)" bca-t |
			"$BCA_SRCDIR/tests/helpers/json-validate" dmcrypt-inline-status
	fi

	pattern_file "$BATS_TEST_TMPDIR/plain" 2
	dd if="$BATS_TEST_TMPDIR/plain" of=/dev/mapper/bca-t bs=1M oflag=direct status=none
	echo 3 >/proc/sys/vm/drop_caches
	cmp "$BATS_TEST_TMPDIR/plain" <(dd if=/dev/mapper/bca-t bs=1M count=2 iflag=direct status=none)
	[ "$(dd if="$dev" bs=1M count=3 iflag=direct status=none | grep -ca "$PATTERN")" = 0 ]
	"$DMCI" remove bca-t
	assert_clean
}

@test "fallback: round trips at 512 and 4096-byte sectors, with and without discards" {
	round_trip "$DISK" inline-fallback 512
	round_trip "$DISK" inline-fallback 512 --allow-discards
	round_trip "$DISK" inline-fallback 4096 --sector-size 4096 --iv-large-sectors
	round_trip "$DISK" inline-fallback 4096 --sector-size 4096 --iv-large-sectors --allow-discards
	[ "$(cat /sys/block/"$(basename "$DISK")"/queue/crypto_fallback)" = 1 ]
}

@test "hardware: the emulated device encrypts (keyslots programmed), at 512 and 4096" {
	local dev cfg=$NULLB_CFG/bcaic0 before
	dev=$(nullb_create bcaic0 "AES-256-XTS:512,4096")
	before=$(cat "$cfg/crypto_programs")
	round_trip "$dev" inline-hw 512
	((before < $(cat "$cfg/crypto_programs"))) || { echo "no keyslot programmed at 512"; return 1; }
	before=$(cat "$cfg/crypto_programs")
	round_trip "$dev" inline-hw 4096 --sector-size 4096 --iv-large-sectors
	((before < $(cat "$cfg/crypto_programs"))) || { echo "no keyslot programmed at 4096"; return 1; }
}

@test "hardware without the data unit size: blk-crypto-fallback, no keyslot programmed" {
	local dev cfg=$NULLB_CFG/bcaic1
	dev=$(nullb_create bcaic1 "AES-256-XTS:4096")
	round_trip "$dev" inline-fallback 512
	[ "$(cat "$cfg/crypto_programs")" = 0 ]
	round_trip "$dev" inline-hw 4096 --sector-size 4096 --iv-large-sectors
	[ "$(cat "$cfg/crypto_programs")" -gt 0 ]
}

@test "discards reach the device only with allow_discards" {
	local dev q
	dev=$(nullb_create bcaic2 "AES-256-XTS:4096" 1)
	"$DMCI" create bca-t "$dev" --target inlinecrypt --key-file "$KEY" \
		--sector-size 4096 --iv-large-sectors
	q=$(dm_queue bca-t)
	[ "$(cat "$q/discard_max_bytes")" = 0 ]
	run blkdiscard /dev/mapper/bca-t
	[ "$status" -ne 0 ]
	"$DMCI" remove bca-t

	"$DMCI" create bca-t "$dev" --target inlinecrypt --key-file "$KEY" \
		--sector-size 4096 --iv-large-sectors --allow-discards
	q=$(dm_queue bca-t)
	[ "$(cat "$q/discard_max_bytes")" -gt 0 ]
	dd if=/dev/urandom of=/dev/mapper/bca-t bs=1M count=1 oflag=direct status=none
	blkdiscard -o 0 -l 1048576 /dev/mapper/bca-t
	# null_blk frees discarded memory: the raw sectors read back as zeroes
	cmp <(dd if="$dev" bs=1M count=1 iflag=direct status=none) <(head -c 1048576 /dev/zero)
	"$DMCI" remove bca-t
	assert_clean
}

# zone_report DEV: the zones of DEV, one line each, as blkzone prints them.
zone_report() { blkzone report "$1" | sed 's/^ *//'; }

@test "zoned: host-managed zones pass through; sequential writes round trip, 512 and 4096" {
	local dev q wp opts
	# null_blk's emulated hardware refuses zoned devices: blk-crypto-fallback
	dev=$(vm_nullb_create bcaicz "" 0 4096 0 16)
	[ "$(cat /sys/block/bcaicz/queue/zoned)" = host-managed ]
	for opts in "" "--sector-size 4096 --iv-large-sectors"; do
		blkzone reset "$dev"
		# shellcheck disable=SC2086 # opts is a word list
		"$DMCI" create bca-t "$dev" --target inlinecrypt --key-file "$KEY" $opts
		q=$(dm_queue bca-t)
		[ "$(cat "$q/zoned")" = host-managed ]
		[ "$(cat "$q/chunk_sectors")" = 32768 ]
		[ "$(cat "$q/nr_zones")" = 8 ]
		run "$DMCI" status -n -r -o CRYPTO-BY bca-t
		[ "$output" = inline-fallback ]
		diff <(zone_report "$dev") <(zone_report /dev/mapper/bca-t)

		# 2 MiB at the write pointer of zone 1: it moves on both devices
		pattern_file "$BATS_TEST_TMPDIR/plain" 2
		dd if="$BATS_TEST_TMPDIR/plain" of=/dev/mapper/bca-t bs=1M seek=16 oflag=direct status=none
		wp=$(blkzone report -o 32768 -c 1 /dev/mapper/bca-t)
		[[ "$wp" == *"wptr 0x001000 "* ]] || { echo "zone 1 after 2 MiB: $wp"; return 1; }
		diff <(zone_report "$dev") <(zone_report /dev/mapper/bca-t)
		# a write away from the write pointer fails, as on the device
		run dd if="$BATS_TEST_TMPDIR/plain" of=/dev/mapper/bca-t bs=1M seek=40 count=1 oflag=direct status=none
		[ "$status" -ne 0 ]
		echo 3 >/proc/sys/vm/drop_caches
		cmp "$BATS_TEST_TMPDIR/plain" <(dd if=/dev/mapper/bca-t bs=1M skip=16 count=2 iflag=direct status=none)
		[ "$(dd if="$dev" bs=1M skip=16 count=2 iflag=direct status=none | grep -ca "$PATTERN")" = 0 ]
		# a zone reset through the target reaches the device
		blkzone reset -o 32768 -c 1 /dev/mapper/bca-t
		[[ "$(blkzone report -o 32768 -c 1 "$dev")" == *"wptr 0x000000 "* ]]
		"$DMCI" remove bca-t
		assert_clean
	done
}

# raw_after NAME DEV OUT TARGET [options]: the raw first 3 MiB of DEV after
# writing the plaintext through a TARGET device made with options.
raw_after() {
	local dev=$1 out=$2 target=$3
	shift 3
	dd if=/dev/zero of="$dev" bs=1M count=4 oflag=direct status=none
	"$DMCI" create bca-t "$dev" --target "$target" --key-file "$KEY" --force "$@"
	dd if="$BATS_TEST_TMPDIR/plain" of=/dev/mapper/bca-t bs=1M oflag=direct status=none
	"$DMCI" remove bca-t
	dd if="$dev" of="$out" bs=1M count=3 iflag=direct status=none
}

@test "the ciphertext on disk is dm-crypt's aes-xts-plain64, fallback and hardware" {
	local dev name opts
	pattern_file "$BATS_TEST_TMPDIR/plain" 2
	dev=$(nullb_create bcaic3 "AES-256-XTS:512,4096")
	for dev in "$DISK" "$dev"; do
		for opts in "--iv-offset 0" "--iv-offset 2048 --offset 8" \
			    "--sector-size 4096 --iv-large-sectors --iv-offset 2048 --offset 8"; do
			# shellcheck disable=SC2086 # opts is a word list
			raw_after "$dev" "$BATS_TEST_TMPDIR/inline" inlinecrypt $opts
			# shellcheck disable=SC2086
			raw_after "$dev" "$BATS_TEST_TMPDIR/crypt" crypt $opts
			cmp "$BATS_TEST_TMPDIR/inline" "$BATS_TEST_TMPDIR/crypt" ||
				{ echo "$dev $opts: ciphertexts differ"; return 1; }
			[ "$(grep -ca "$PATTERN" "$BATS_TEST_TMPDIR/inline")" = 0 ]
		done
	done
	assert_clean
}

@test "the reported table loads again into the same device; keyring keys never shown" {
	local t t2 u
	pattern_file "$BATS_TEST_TMPDIR/plain" 1
	"$DMCI" create bca-t "$DISK" --target inlinecrypt --key-file "$KEY" \
		--sector-size 4096 --iv-large-sectors --iv-offset 16
	dd if="$BATS_TEST_TMPDIR/plain" of=/dev/mapper/bca-t bs=1M oflag=direct status=none
	t=$(dmsetup table bca-t)
	[[ "$t" == *" inlinecrypt aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 16 "*" 0 2 sector_size:4096 iv_large_sectors" ]]
	dmsetup load bca-t --table "$t"
	dmsetup resume --noudevsync bca-t
	[ "$(dmsetup table bca-t)" = "$t" ]
	echo 3 >/proc/sys/vm/drop_caches
	cmp "$BATS_TEST_TMPDIR/plain" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
	# a second device from the same line reads the same plaintext
	dmsetup create --noudevsync bca-u --table "$t"
	[ "$(dmsetup table bca-u)" = "$t" ]
	cmp "$BATS_TEST_TMPDIR/plain" <(dd if=/dev/mapper/bca-u bs=1M count=1 iflag=direct status=none)
	dmsetup remove --noudevsync bca-u

	# no key bytes anywhere: tables, status, our tool, the kernel log
	u=$( { dmsetup table bca-t; dmsetup table --showkeys bca-t; dmsetup status bca-t
	       "$DMCI" table bca-t; "$DMCI" table --showkeys bca-t
	       "$DMCI" status -J bca-t; "$DMCI" list; dmesg; } 2>&1)
	[[ "$u" != *"$KEYHEX"* ]] || { echo "key bytes printed"; return 1; }
	[[ "$u" == *":64:logon:dmcrypt-inline:bca-t"* ]]
	"$DMCI" remove bca-t
	assert_clean
}

@test "a hex key: the target reports it, dmcrypt-inline masks it unless --showkeys, it reloads" {
	local size t
	size=$(blockdev --getsz "$DISK")
	pattern_file "$BATS_TEST_TMPDIR/plain" 1
	dmsetup create --noudevsync bca-t --table \
		"0 $size inlinecrypt aes-xts-plain64 $KEYHEX 0 $DISK 0 2 keytype:raw allow_discards"
	dd if="$BATS_TEST_TMPDIR/plain" of=/dev/mapper/bca-t bs=1M oflag=direct status=none
	t=$(dmsetup table --showkeys bca-t)
	[ "$t" = "0 $size inlinecrypt aes-xts-plain64 $KEYHEX 0 $(cut -d: -f1,2 \
		"/sys/block/$(basename "$DISK")/dev") 0 1 allow_discards" ]
	run "$DMCI" table bca-t
	[ "$output" = "${t/$KEYHEX/-}" ]
	[[ "$output" != *"$KEYHEX"* ]]
	run "$DMCI" table --showkeys bca-t
	[ "$output" = "$t" ]
	run "$DMCI" status -n -r -o KEY,CRYPTO-BY,MANAGED bca-t
	[ "$output" = "table inline-fallback no" ]
	dmsetup load bca-t --table "$t"
	dmsetup resume --noudevsync bca-t
	[ "$(dmsetup table --showkeys bca-t)" = "$t" ]
	echo 3 >/proc/sys/vm/drop_caches
	cmp "$BATS_TEST_TMPDIR/plain" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
	dmsetup remove --noudevsync bca-t
	assert_clean
}

# refused "TABLE PARAMS" MESSAGE: dmsetup create fails, the kernel log
# has the target's message, and no device is left.
refused() {
	local size
	size=$(blockdev --getsz "$DISK")
	dmesg -C
	run dmsetup create --noudevsync bca-t --table "0 ${SIZE:-$size} inlinecrypt $1"
	[ "$status" -ne 0 ] || { echo "accepted: $1"; return 1; }
	run dmesg
	[[ "$output" == *"$2"* ]] || { echo "table '$1': log '$output', want '$2'"; return 1; }
	[[ "$output" != *"$KEYHEX"* ]] || { echo "key in the log"; return 1; }
	run dmsetup ls
	[[ "$output" != *bca-t* ]] || { echo "device left after '$1'"; return 1; }
}

@test "the target refuses every bad table with its own message, before it makes anything" {
	local d=$DISK x=aes-xts-plain64 k=$KEYHEX size
	size=$(blockdev --getsz "$DISK")
	keyctl padd logon bca-ic:key @u <"$KEY" >/dev/null
	keyctl padd logon bca-ic:short @u < <(head -c 32 "$KEY") >/dev/null
	keyctl padd user bca-ic:user @u <"$KEY" >/dev/null
	vm_on_teardown "keyctl purge -p user bca-ic: >/dev/null 2>&1 || true"

	refused "$x $k 0" "Not enough arguments"
	refused "aes-cbc-essiv:sha256 $k 0 $d 0" "Unsupported cipher, only aes-xts-plain64 is supported"
	refused "aes-xts-plain $k 0 $d 0" "Unsupported cipher"
	refused "$x ${k:0:64} 0 $d 0" "Invalid key size, aes-xts-plain64 takes a 64-byte key"
	refused "$x ${k}0 0 $d 0" "Invalid key, odd number of hex digits"
	refused "$x ${k:0:126}zz 0 $d 0" "Invalid key, not hexadecimal"
	refused "$x :32:logon:bca-ic:key 0 $d 0" "Invalid key size, aes-xts-plain64 takes a 64-byte key"
	refused "$x :64:logon:bca-ic:short 0 $d 0" "Keyring key size differs from the table's"
	refused "$x :64:logon:bca-ic:none 0 $d 0" "Key not found in the keyring"
	refused "$x :64:user:bca-ic:user 0 $d 0" "Unsupported key type, only logon keys are supported"
	refused "$x :64:trusted:bca-ic:t 0 $d 0" "Unsupported key type, only logon keys are supported"
	refused "$x :64:encrypted:bca-ic:e 0 $d 0" "Unsupported key type, only logon keys are supported"
	refused "$x :64:logon: 0 $d 0" "Invalid key reference"
	refused "$x :x:logon:bca-ic:key 0 $d 0" "Invalid key reference"
	refused "$x $k x $d 0" "Invalid iv_offset sector"
	refused "$x $k 0 $d x" "Invalid device sector"
	refused "$x $k 0 /dev/nonexistent 0" "Device lookup failed"
	refused "$x $k 0 $d 1 1 keytype:hw-wrapped" "Hardware-wrapped keys are not supported by this kernel"
	refused "$x $k 0 $d 0 1 keytype:bogus" "Invalid feature arguments"
	refused "$x $k 0 $d 0 1 no_read_workqueue" "Invalid feature arguments"
	refused "$x $k 0 $d 0 2 sector_size:3000 iv_large_sectors" "Invalid sector_size"
	refused "$x $k 0 $d 0 2 sector_size:8192 iv_large_sectors" "Invalid sector_size"
	refused "$x $k 0 $d 0 2 sector_size:256 iv_large_sectors" "Invalid sector_size"
	refused "$x $k 0 $d 0 1 sector_size:4096" "sector_size above 512 needs iv_large_sectors"
	refused "$x $k 4 $d 0 2 sector_size:4096 iv_large_sectors" "iv_offset is not a multiple of sector_size"
	SIZE=$((size - 1)) refused "$x $k 0 $d 0 2 sector_size:4096 iv_large_sectors" \
		"Device size is not a multiple of sector_size"
	refused "$x $k 0 $d 0 5 allow_discards allow_discards allow_discards allow_discards allow_discards" \
		"Invalid number of feature args"
	refused "$x $k 0 $d 0 2 allow_discards" "Invalid number of feature args"
	refused "$x $k 0 $d 0 1 allow_discards extra" "Too many arguments"
	refused "$x $k 18446744073709551615 $d 0" "iv_offset overflows the IV"
	# beyond the device: device-mapper's own check, before our constructor runs
	refused "$x $k 0 $d $size" "too small for target"
}

@test "dmcrypt-inline refuses bad input with a clear error and creates nothing" {
	local size
	size=$(blockdev --getsz "$DISK")
	# args: status, expected stderr (a substring), then the create options
	while IFS='|' read -r want msg opts; do
		# shellcheck disable=SC2086 # opts is a word list
		run --separate-stderr "$DMCI" create bca-t "$DISK" --target inlinecrypt --key-file "$KEY" $opts
		[ "$status" -eq "$want" ] || { echo "$opts: status $status, want $want: $stderr"; return 1; }
		[[ "$stderr" == *"$msg"* ]] || { echo "$opts: '$stderr', want '$msg'"; return 1; }
		assert_clean || { echo "after $opts"; return 1; }
	done <<EOF
2|dm-inlinecrypt supports only the cipher aes-xts-plain64|--cipher aes-cbc-essiv:sha256
2|dm-inlinecrypt's aes-xts-plain64 takes a 512-bit (64-byte) key|--key-size 256
2|the sector size must be a power of two from 512 to 4096|--sector-size 3000 --iv-large-sectors
2|--sector-size: invalid number '8192'|--sector-size 8192
2|dm-inlinecrypt needs iv_large_sectors with a sector size above 512|--sector-size 4096
2|iv_large_sectors needs a sector size above 512|--iv-large-sectors
2|dm-inlinecrypt needs an IV offset that is a multiple of the sector size|--sector-size 4096 --iv-large-sectors --iv-offset 3
2|dm-inlinecrypt has no workqueue options|--no-read-workqueue
2|unrecognized option|--bogus
1|is beyond the device's|--offset $size
1|goes beyond the device's|--size $((size + 8))
EOF
	run --separate-stderr "$DMCI" create bca-t "$DISK" --target inlinecrypt --key-file <(head -c 32 "$KEY")
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"wrong key size: too short, --key-size 512 needs exactly 64 bytes" ]]
	assert_clean
}

@test "dmcrypt-inline(8) EXAMPLES run as the page shows them" {
	command -v cryptsetup >/dev/null || skip "no cryptsetup"
	local page=$BCA_SRCDIR/man/dmcrypt-inline.8 ex=$BCA_SRCDIR/tests/helpers/man-example
	local name=${DISK#/dev/} cmd subst pass=$BATS_TEST_TMPDIR/pass
	export PATH="$(dirname "$DMCI"):$PATH"
	vm_on_teardown "dmsetup remove --noudevsync vol 2>/dev/null || true"
	vm_on_teardown "dmsetup remove --noudevsync fast 2>/dev/null || true"
	vm_on_teardown "dmsetup remove --noudevsync db 2>/dev/null || true"
	# the page's disks are the guest's; keygen stands for any key source
	subst="s|/root/vol.key|$BATS_TEST_TMPDIR/vol.key|; s|/dev/nvme0n1p2|$DISK|; s|/dev/sdb|$DISK|;
		s|^keygen|head -c 64 /dev/urandom|"
	for cmd in 'head -c 64 /dev/urandom > /root/vol.key' \
		'dmcrypt-inline create vol /dev/nvme0n1p2 --inline --key-file /root/vol.key' \
		'dmcrypt-inline status vol' \
		'dmcrypt-inline remove vol' \
		'keygen | dmcrypt-inline create fast /dev/sdb --target inlinecrypt --key-file - --sector-size 4096 --iv-large-sectors' \
		'dmcrypt-inline status -o NAME,TARGET,CRYPTO-BY fast'; do
		"$ex" "$page" --check "$cmd" "$subst"
	done
	"$DMCI" remove fast
	assert_clean
	# LUKS2: cryptsetup without its questions (PBKDF2, TCG is slow), the
	# passphrase on standard input instead of the terminal
	printf 'example passphrase' >"$pass"
	subst="s|cryptsetup luksFormat|cryptsetup luksFormat --batch-mode --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file $pass|;
		s|--target inlinecrypt\$|--target inlinecrypt < <(cat $pass; echo)|;
		s|/dev/nvme0n1p4|$DISK|; s|nvme0n1p4 *part|$name disk|"
	for cmd in 'cryptsetup luksFormat --type luks2 /dev/nvme0n1p4' \
		'dmcrypt-inline open /dev/nvme0n1p4 db --target inlinecrypt' \
		'lsblk -o NAME,TYPE /dev/nvme0n1p4' \
		'dmcrypt-inline refresh db --allow-discards'; do
		"$ex" "$page" --check "$cmd" "$subst"
	done
	[[ "$(dmsetup table db)" == *" inlinecrypt "*" allow_discards"* ]]
	"$DMCI" remove db
	assert_clean
}
