#!/usr/bin/env bats
# bats file_tags=every-kernel
# dmcrypt-inline open in the guest: LUKS2 volumes made and opened by
# cryptsetup read back through dmcrypt-inline's dm-inlinecrypt (fallback
# and the emulated hardware) and dm-crypt mappings and the other way
# round; what cannot be mapped is refused and leaves nothing; keys never
# reach a table, a status or the debug log; refresh changes the flags of a
# live device.

load dmcrypt_helpers

bats_require_minimum_version 1.5.0

setup() {
	command -v cryptsetup >/dev/null || skip "cryptsetup is not installed"
	dmci_setup 20
	PASS=$BATS_TEST_TMPDIR/pass
	printf 'correct horse %s' "$RANDOM" >"$PASS"
	vm_on_teardown "cryptsetup close bca-cs 2>/dev/null || true"
	vm_on_teardown "keyctl purge user bca-luks-token >/dev/null 2>&1 || true"
}

teardown() { vm_teardown; }

# luks_format DEVICE [options]: LUKS2 with PBKDF2 at 1000 iterations (TCG is slow).
luks_format() {
	local dev=$1
	shift
	cryptsetup luksFormat --batch-mode --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
		--key-file "$PASS" "$@" "$dev"
}

# The volume key in hex, from cryptsetup itself.
volume_key_hex() {
	cryptsetup luksDump --batch-mode --dump-volume-key --key-file "$PASS" \
		--volume-key-file "$BATS_TEST_TMPDIR/vk" "$@" >/dev/null
	od -An -v -tx1 "$BATS_TEST_TMPDIR/vk" | tr -d ' \n'
	rm -f "$BATS_TEST_TMPDIR/vk"
}

has_target() {
	modprobe "dm-$1" 2>/dev/null || true
	dmsetup targets | grep -q "^$1 "
}

# write_with_cryptsetup DEVICE FILE [open options]: FILE's bytes at the start of the volume.
write_with_cryptsetup() {
	local dev=$1 file=$2
	shift 2
	cryptsetup open --key-file "$PASS" "$@" "$dev" bca-cs
	dd if="$file" of=/dev/mapper/bca-cs bs=1M oflag=direct status=none
	cryptsetup close bca-cs
}

# read_back_cryptsetup DEVICE FILE [open options]: the volume starts with FILE's bytes.
read_back_cryptsetup() {
	local dev=$1 file=$2
	shift 2
	cryptsetup open --readonly --key-file "$PASS" "$@" "$dev" bca-cs
	cmp "$file" <(dd if=/dev/mapper/bca-cs bs=1M count=$(($(stat -c %s "$file") >> 20)) iflag=direct status=none)
	cryptsetup close bca-cs
}

# cross DEVICE TARGET [open options]: cryptsetup's data reads back through
# ours, ours through cryptsetup's; the device is a LUKS2 crypt device to
# lsblk, the table holds a keyring reference, nothing is left after remove.
cross() {
	local dev=$1 target=$2 uuid
	shift 2
	pattern_file "$BATS_TEST_TMPDIR/a" 2
	write_with_cryptsetup "$dev" "$BATS_TEST_TMPDIR/a"

	run --separate-stderr "$DMCI" open "$dev" bca-t --target "$target" --key-file "$PASS" "$@"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	cmp "$BATS_TEST_TMPDIR/a" <(dd if=/dev/mapper/bca-t bs=1M count=2 iflag=direct status=none)
	run dmsetup table bca-t
	if [[ "$target" = inlinecrypt && "$output" =~ ^0\ [0-9]+\ inlinecrypt\ aes-xts-plain64\ [0-9a-f]{128}\ [0-9]+\ 0\  ]]; then
		# upstream dm-inlinecrypt 1.0.0 prints the key it took from the
		# keyring in hex (KERNEL-FACTS): our table command masks it
		run "$DMCI" table bca-t
		[[ "$output" == "0 "*" inlinecrypt aes-xts-plain64 - "* ]] || { echo "table: $output"; return 1; }
	else
		[[ "$output" == "0 "*" $target aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 0 "* ]]
	fi
	uuid=$(cryptsetup luksUUID "$dev" | tr -d -)
	run dmsetup info -c --noheadings -o uuid bca-t
	if [ "$target" = crypt ]; then
		[ "$output" = "CRYPT-LUKS2-$uuid-bca-t" ]
	else
		[ "$output" = "CRYPT-INLINECRYPT-LUKS2-$uuid-bca-t" ]
	fi
	run lsblk -n -o TYPE /dev/mapper/bca-t
	[ "$output" = crypt ]
	run "$DMCI" list -n -r -o NAME,TARGET,TYPE,MANAGED
	[[ "$output" == *"bca-t $target LUKS2 yes"* ]] || { echo "list: $output"; return 1; }

	{ yes "other-$PATTERN" || true; } | head -c $((2 << 20)) >"$BATS_TEST_TMPDIR/b"
	dd if="$BATS_TEST_TMPDIR/b" of=/dev/mapper/bca-t bs=1M oflag=direct status=none
	run "$DMCI" remove bca-t
	[ "$status" -eq 0 ]
	assert_clean
	read_back_cryptsetup "$dev" "$BATS_TEST_TMPDIR/b"
	# ciphertext only on the disk
	[ "$(dd if="$dev" bs=1M count=20 iflag=direct status=none | grep -ca "$PATTERN")" = 0 ]
}

@test "LUKS2, 512-byte sectors: dm-crypt with inline flags reads and writes what cryptsetup does" {
	luks_format "$DISK"
	cross "$DISK" crypt --inline
}

@test "LUKS2, 512-byte sectors: dm-inlinecrypt (blk-crypto-fallback) reads and writes what cryptsetup does" {
	has_target inlinecrypt || skip "no dm-inlinecrypt in this kernel"
	luks_format "$DISK"
	cross "$DISK" inlinecrypt
	# the fallback did the work
	[ "$(cat /sys/block/"$(basename "$DISK")"/queue/crypto_fallback 2>/dev/null || echo 1)" = 1 ]
}

@test "LUKS2 on the emulated inline-crypto hardware: dm-inlinecrypt programs its keyslots" {
	has_target inlinecrypt || skip "no dm-inlinecrypt in this kernel"
	mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
	[ -d /sys/kernel/config/nullb ] || modprobe null_blk nr_devices=0 2>/dev/null || true
	grep -qs crypto_modes /sys/kernel/config/nullb/features ||
		skip "null_blk has no emulated inline-crypto hardware in this kernel"
	local dev before
	dev=$(vm_nullb_create bcalk "AES-256-XTS:512" 8 512 0)
	luks_format "$dev"
	before=$(cat /sys/kernel/config/nullb/bcalk/crypto_programs)
	cross "$dev" inlinecrypt
	((before < $(cat /sys/kernel/config/nullb/bcalk/crypto_programs)))
}

@test "LUKS2, 4096-byte sectors: dm-crypt maps it; dm-inlinecrypt refuses with the reason and leaves nothing" {
	luks_format "$DISK" --sector-size 4096
	cross "$DISK" crypt
	run dmsetup ls
	run --separate-stderr "$DMCI" open "$DISK" bca-t --target inlinecrypt --key-file "$PASS"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"IVs count 512-byte sectors"*"use --target crypt" ]]
	assert_clean
}

@test "the dm-crypt table is cryptsetup's, but for the key reference and the flags" {
	local ours theirs
	luks_format "$DISK" --sector-size 4096
	cryptsetup open --key-file "$PASS" "$DISK" bca-cs
	theirs=$(dmsetup table bca-cs | sed 's/:64:logon:[^ ]*/KEY/')
	cryptsetup close bca-cs
	"$DMCI" open "$DISK" bca-t --key-file "$PASS"
	ours=$(dmsetup table bca-t | sed 's/:64:logon:[^ ]*/KEY/')
	[ "$ours" = "$theirs" ] || { echo "ours:   $ours"; echo "theirs: $theirs"; return 1; }
	# cryptsetup's own status and close handle it, and close drops our key too
	run cryptsetup status bca-t
	[ "$status" -eq 0 ]
	[[ "$output" == *"type:    LUKS2"* ]]
	cryptsetup close bca-t
	assert_clean
}

@test "a cryptsetup device shows in list and status" {
	luks_format "$DISK"
	cryptsetup open --key-file "$PASS" "$DISK" bca-cs
	run "$DMCI" list -n -r -o NAME,TARGET,TYPE,MANAGED
	[[ "$output" == *"bca-cs crypt LUKS2 no"* ]] || { echo "list: $output"; return 1; }
	run "$DMCI" status -n -r -o NAME,TARGET,CIPHER,OFFSET,MANAGED bca-cs
	[ "$output" = "bca-cs crypt aes-xts-plain64 32768 no" ] || { echo "status: $output"; return 1; }
}

@test "wrong passphrase, no passphrase, not LUKS: exit 1, nothing made, no key left" {
	luks_format "$DISK"
	printf wrong >"$BATS_TEST_TMPDIR/wrong"
	run --separate-stderr "$DMCI" open "$DISK" bca-t --key-file "$BATS_TEST_TMPDIR/wrong"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no key available with this passphrase" ]]
	assert_clean
	run --separate-stderr "$DMCI" open "$DISK" bca-t </dev/null
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"empty passphrase" ]]
	assert_clean
	# one line of stdin is the passphrase
	run --separate-stderr bash -c '{ cat "$1"; echo; } | "$2" open "$3" bca-t' - "$PASS" "$DMCI" "$DISK"
	[ "$status" -eq 0 ]
	"$DMCI" remove bca-t
	dd if=/dev/zero of="$DISK" bs=1M count=20 oflag=direct status=none
	run --separate-stderr "$DMCI" open "$DISK" bca-t --key-file "$PASS"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"not a LUKS device"* ]]
	assert_clean
}

@test "a cipher dm-inlinecrypt cannot do: refused with the reason; dm-crypt maps it" {
	luks_format "$DISK" --cipher aes-cbc-essiv:sha256 --key-size 256
	run --separate-stderr "$DMCI" open "$DISK" bca-t --target inlinecrypt --key-file "$PASS"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"dm-inlinecrypt supports only aes-xts-plain64"* ]]
	assert_clean
	run --separate-stderr "$DMCI" open "$DISK" bca-t --key-file "$PASS"
	[ "$status" -eq 0 ]
	run dmsetup table bca-t
	[[ "$output" == *" crypt aes-cbc-essiv:sha256 :32:logon:dmcrypt-inline:bca-t 0 "* ]]
	"$DMCI" remove bca-t
	assert_clean
}

@test "a detached header, and a LUKS2 keyring token" {
	truncate -s 16M "$BATS_TEST_TMPDIR/hdr"
	luks_format "$DISK" --header "$BATS_TEST_TMPDIR/hdr"
	pattern_file "$BATS_TEST_TMPDIR/a" 1
	write_with_cryptsetup "$DISK" "$BATS_TEST_TMPDIR/a" --header "$BATS_TEST_TMPDIR/hdr"
	run --separate-stderr "$DMCI" open "$DISK" bca-t --header "$BATS_TEST_TMPDIR/hdr" --key-file "$PASS"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	cmp "$BATS_TEST_TMPDIR/a" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
	"$DMCI" remove bca-t
	assert_clean

	# the passphrase in a user key, named by a token: no passphrase asked
	keyctl add user bca-luks-token "$(cat "$PASS")" @u >/dev/null
	cryptsetup token add --header "$BATS_TEST_TMPDIR/hdr" --key-description bca-luks-token "$DISK"
	run --separate-stderr "$DMCI" open "$DISK" bca-t --header "$BATS_TEST_TMPDIR/hdr" --token-only </dev/null
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	cmp "$BATS_TEST_TMPDIR/a" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
	"$DMCI" remove bca-t
	run --separate-stderr "$DMCI" open "$DISK" bca-t --header "$BATS_TEST_TMPDIR/hdr" --token-id 5
	[ "$status" -eq 1 ]
	assert_clean
}

@test "the volume key is in no table, status, list or debug log" {
	local vk
	luks_format "$DISK"
	vk=$(volume_key_hex "$DISK")
	[ "${#vk}" = 128 ]
	"$DMCI" --debug open "$DISK" bca-t --key-file "$PASS" --inline >"$BATS_TEST_TMPDIR/log" 2>&1
	{
		dmsetup table bca-t
		"$DMCI" table bca-t
		"$DMCI" status -o ALL bca-t 2>/dev/null || "$DMCI" status bca-t
		"$DMCI" list -J
	} >>"$BATS_TEST_TMPDIR/log" 2>&1
	"$DMCI" --debug remove bca-t >>"$BATS_TEST_TMPDIR/log" 2>&1
	grep -q "volume key unlocked" "$BATS_TEST_TMPDIR/log"
	! grep -qi "$vk" "$BATS_TEST_TMPDIR/log"
	! od -An -v -tx1 "$BATS_TEST_TMPDIR/log" | tr -d ' \n' | grep -q "${vk:0:32}"
	assert_clean
}

@test "refresh changes the flags of a live device; its data stays readable" {
	luks_format "$DISK"
	pattern_file "$BATS_TEST_TMPDIR/a" 1
	write_with_cryptsetup "$DISK" "$BATS_TEST_TMPDIR/a"
	"$DMCI" open "$DISK" bca-t --key-file "$PASS"
	run dmsetup table bca-t
	[[ "$output" == *" 32768" ]]
	# held open across the reload
	sleep 600 </dev/mapper/bca-t &
	holder=$!
	vm_on_teardown "kill $holder 2>/dev/null || true"
	run "$DMCI" refresh bca-t --inline --allow-discards
	[ "$status" -eq 0 ]
	run dmsetup table bca-t
	[[ "$output" == *" 32768 3 allow_discards no_read_workqueue no_write_workqueue" ]]
	cmp "$BATS_TEST_TMPDIR/a" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
	run "$DMCI" refresh bca-t
	[ "$status" -eq 0 ]
	run dmsetup table bca-t
	[[ "$output" == *" 32768" ]]
	kill "$holder"
	wait "$holder" 2>/dev/null || true
	"$DMCI" remove bca-t
	assert_clean
	# a cryptsetup device: its key was dropped once loaded
	cryptsetup open --key-file "$PASS" "$DISK" bca-cs --readonly
	run --separate-stderr "$DMCI" refresh bca-cs --inline
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"is not in the keyring"*"use cryptsetup refresh" ]]
	run dmsetup table bca-cs
	[[ "$output" != *no_read_workqueue* ]]
	cryptsetup close bca-cs
}

@test "attach and detach: a line of inlinecrypttab, as the boot unit runs it" {
	luks_format "$DISK"
	pattern_file "$BATS_TEST_TMPDIR/a" 1
	write_with_cryptsetup "$DISK" "$BATS_TEST_TMPDIR/a"
	echo "bca-t UUID=$(cryptsetup luksUUID "$DISK") $PASS luks,target=crypt,inline,discard" >"$BATS_TEST_TMPDIR/tab"
	# no udev in the guest: the by-uuid link the line names is made here
	mkdir -p /dev/disk/by-uuid
	ln -sf "$DISK" "/dev/disk/by-uuid/$(cryptsetup luksUUID "$DISK")"
	run --separate-stderr "$DMCI" attach --tab "$BATS_TEST_TMPDIR/tab" bca-t
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	run dmsetup table bca-t
	[[ "$output" == *" 32768 3 allow_discards no_read_workqueue no_write_workqueue" ]]
	cmp "$BATS_TEST_TMPDIR/a" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
	DMCRYPT_INLINE_TAB=$BATS_TEST_TMPDIR/tab run "$DMCI" detach bca-t
	[ "$status" -eq 0 ]
	assert_clean
}

@test "the passphrase from a terminal: prompted, not echoed" {
	command -v script >/dev/null || skip "script(1) is not installed"
	luks_format "$DISK"
	# The answer goes in once the prompt is out, as a person types it: a
	# fixed sleep loses to a slow start (a sanitizer build on a KASAN
	# guest) and the flush of typed-ahead input then leaves open waiting.
	local ts=$BATS_TEST_TMPDIR/typescript in=$BATS_TEST_TMPDIR/in feeder
	mkfifo "$in"
	{
		for _ in $(seq 1200); do
			grep -q "Enter passphrase" "$ts" 2>/dev/null && break
			sleep 0.1
		done
		cat "$PASS"
		echo
	} >"$in" &
	feeder=$!
	run timeout 300 script -qefc "$DMCI open $DISK bca-t --dry-run" "$ts" <"$in"
	# this job only: BATS_TEST_TIMEOUT's watchdog is a job of this shell too
	wait "$feeder"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ "$output" == *"Enter passphrase for $DISK:"* ]]
	[[ "$output" == *" crypt aes-xts-plain64 :64:logon:dmcrypt-inline:bca-t 0 "* ]]
	[[ "$output" != *"$(cat "$PASS")"* ]] || { echo "the passphrase was echoed: $output"; return 1; }
	assert_clean
}

@test "AES-128-XTS and LUKS1: dm-crypt maps them with cryptsetup's UUID; dm-inlinecrypt refuses the 256-bit key" {
	luks_format "$DISK" --key-size 256
	run --separate-stderr "$DMCI" open "$DISK" bca-t --target inlinecrypt --key-file "$PASS"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"dm-inlinecrypt takes a 512-bit key"* ]]
	assert_clean
	cryptsetup luksFormat --batch-mode --type luks1 --pbkdf-force-iterations 1000 --key-file "$PASS" "$DISK"
	pattern_file "$BATS_TEST_TMPDIR/a" 1
	write_with_cryptsetup "$DISK" "$BATS_TEST_TMPDIR/a"
	"$DMCI" open "$DISK" bca-t --key-file "$PASS"
	cmp "$BATS_TEST_TMPDIR/a" <(dd if=/dev/mapper/bca-t bs=1M count=1 iflag=direct status=none)
	run dmsetup info -c --noheadings -o uuid bca-t
	[ "$output" = "CRYPT-LUKS1-$(cryptsetup luksUUID "$DISK" | tr -d -)-bca-t" ]
	"$DMCI" remove bca-t
	assert_clean
}

@test "authenticated encryption (integrity): refused with the reason" {
	modprobe dm-integrity 2>/dev/null || true
	dmsetup targets | grep -q '^integrity ' || skip "no dm-integrity in this kernel"
	luks_format "$DISK" --integrity hmac-sha256 --integrity-no-wipe
	for t in crypt inlinecrypt; do
		run --separate-stderr "$DMCI" open "$DISK" bca-t --target "$t" --key-file "$PASS"
		[ "$status" -eq 1 ]
		[[ "$stderr" == *"authenticated encryption (integrity)"* ]]
		assert_clean
	done
}

@test "a core dump taken while the device is made holds no volume key and no passphrase" {
	command -v gdb >/dev/null || skip "gdb is not installed"
	command -v python3 >/dev/null || skip "python3 is not installed"
	# the kernel's own dump, which honours MADV_DONTDUMP (gdb's gcore needs smaps for that)
	[ -w /proc/sys/kernel/core_pattern ] || skip "this kernel writes no core dumps (CONFIG_COREDUMP)"
	# AddressSanitizer's reserved shadow makes a core of terabytes (sparse):
	# the plain build checks this
	! ldd "$BCA_BUILDDIR/.libs/dmcrypt-inline" 2>/dev/null | grep -q libasan ||
		skip "a sanitizer build"
	local vk old
	luks_format "$DISK"
	vk=$(volume_key_hex "$DISK")
	old=$(cat /proc/sys/kernel/core_pattern)
	vm_on_teardown "echo $(printf %q "$old") >/proc/sys/kernel/core_pattern"
	mkdir -p "$BATS_TEST_TMPDIR/cores"
	echo "$BATS_TEST_TMPDIR/cores/core.%p" >/proc/sys/kernel/core_pattern
	# stopped as the table loads (the key unlocked and in the keyring), then SIGABRT
	(ulimit -c unlimited
	 LD_LIBRARY_PATH=$BCA_BUILDDIR/.libs gdb -batch -nx -ex 'set breakpoint pending on' \
		-ex 'break bca_dm_activate' -ex run -ex 'signal SIGABRT' \
		--args "$BCA_BUILDDIR/.libs/dmcrypt-inline" open "$DISK" bca-t --key-file "$PASS" \
		>"$BATS_TEST_TMPDIR/gdb.log" 2>&1)
	set -- "$BATS_TEST_TMPDIR"/cores/core.*
	[ -s "$1" ] || { cat "$BATS_TEST_TMPDIR/gdb.log"; return 1; }
	cp "$1" "$BATS_TEST_TMPDIR/core"
	python3 - "$BATS_TEST_TMPDIR/core" "$vk" "dmcrypt-inline:bca-t" "$PASS" <<'PY'
import sys
core = open(sys.argv[1], "rb").read()
key = bytes.fromhex(sys.argv[2])
assert sys.argv[3].encode() in core, "the dump does not hold the process's memory"
for i in range(0, len(key), 16):
    assert key[i:i + 16] not in core, "volume key bytes %d-%d in the core dump" % (i, i + 15)
assert open(sys.argv[4], "rb").read() not in core, "passphrase in the core dump"
PY
	keyctl purge -p logon dmcrypt-inline: >/dev/null 2>&1 || true
	assert_clean
}
