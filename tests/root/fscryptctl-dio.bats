#!/usr/bin/env bats
# fscryptctl-dio on a loop-mounted ext4 with -O encrypt,stable_inodes, on the
# host kernel (fscrypt yes, blk-crypto no): every command of fscryptctl
# 1.3.0 with its exact output, messages and exit statuses, --for-dio's
# refusal, and a valgrind run.  Identifiers are cross-checked against
# tests/helpers/vm-fscrypt, an independent plain-libc implementation.

load ../helpers/common
bats_require_minimum_version 1.5.0

FSCRYPT=$BCA_BUILDDIR/tests/helpers/vm-fscrypt
NOID=00112233445566778899aabbccddeeff

setup_file() {
	[ "$(id -u)" -eq 0 ] && [ -e /dev/loop-control ] || return 0
	export WORK MNT PLAIN; WORK=$(mktemp -d /var/tmp/bca-fscryptctl.XXXXXX)
	chmod 755 "$WORK"
	MNT=$WORK/mnt PLAIN=$WORK/plain
	truncate -s 64M "$WORK/img"
	mkfs.ext4 -q -F -O encrypt,stable_inodes -b 4096 "$WORK/img"
	mkdir "$MNT"
	mount -o loop "$WORK/img" "$MNT"
	# a filesystem without the encrypt feature
	truncate -s 16M "$WORK/plain.img"
	mkfs.ext4 -q -F -b 4096 "$WORK/plain.img"
	mkdir "$PLAIN"
	mount -o loop "$WORK/plain.img" "$PLAIN"
	head -c 64 /dev/urandom >"$WORK/key"
	head -c 64 /dev/urandom >"$WORK/key2"
	chmod 644 "$WORK/key"
	export KEYID; KEYID=$("$FSCRYPT" add_key "$MNT" <"$WORK/key")
}

teardown_file() {
	[ -n "${WORK:-}" ] || return 0
	local id
	# every key any test added, for all users, then the mounts
	for id in "$KEYID" $(cat "$WORK/added" 2>/dev/null); do
		"$BCA_BUILDDIR/fscryptctl-dio" remove_key --all-users "$id" "$MNT" >/dev/null 2>&1 || true
	done
	umount "$MNT" 2>/dev/null || true
	umount "$PLAIN" 2>/dev/null || true
	rm -rf "$WORK"
}

setup() {
	require_root_loop
}

# Remembers an identifier for teardown_file.
added() {
	echo "$1" >>"$WORK/added"
}

# A fresh empty directory on the encrypted filesystem.
newdir() {
	local d
	d=$(mktemp -d "$MNT/d.XXXXXX")
	echo "$d"
}

# --- add_key ------------------------------------------------------------

@test "add_key prints the identifier the independent helper computes, nothing on stderr" {
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$MNT" <"$WORK/key"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" =~ ^[0-9a-f]{32}$ ]]
	assert_eq "$output" "$KEYID"
}

@test "add_key --key-file reads the same key from a file" {
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --key-file "$WORK/key" "$MNT" </dev/null
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	assert_eq "$output" "$KEYID"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --key-file="$WORK/key" "$MNT" </dev/null
	assert_eq "$output" "$KEYID"
}

@test "add_key takes 16- and 64-byte keys, refuses 15 and 65 with fscryptctl's messages" {
	local id
	id=$(head -c 16 /dev/urandom | "$FSCRYPTCTL_DIO" add_key "$MNT")
	added "$id"
	[[ "$id" =~ ^[0-9a-f]{32}$ ]]
	[ "$id" != "$KEYID" ]
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$MNT" < <(head -c 15 /dev/urandom)
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	assert_eq "$stderr" "error: key was too short; it must be at least 16 bytes"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$MNT" </dev/null
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: key was too short; it must be at least 16 bytes"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$MNT" < <(head -c 65 /dev/urandom)
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	assert_eq "$stderr" "error: key was too long; it can be at most 64 bytes"
}

@test "add_key --key-file: wrong sizes and a missing file" {
	head -c 8 /dev/urandom >"$BATS_TEST_TMPDIR/short"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --key-file "$BATS_TEST_TMPDIR/short" "$MNT"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: key was too short; it must be at least 16 bytes"
	head -c 100 /dev/urandom >"$BATS_TEST_TMPDIR/long"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --key-file "$BATS_TEST_TMPDIR/long" "$MNT"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: key was too long; it can be at most 64 bytes"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --key-file "$BATS_TEST_TMPDIR/none" "$MNT"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: opening $BATS_TEST_TMPDIR/none: No such file or directory"
}

@test "add_key: missing, nonexistent and non-fscrypt mountpoints" {
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key <"$WORK/key"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: must specify a single mountpoint"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$MNT" "$MNT" <"$WORK/key"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: must specify a single mountpoint"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$WORK/none" <"$WORK/key"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: opening $WORK/none: No such file or directory"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$PLAIN" <"$WORK/key"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	assert_eq "$stderr" "error: adding key to $PLAIN: filesystem encryption has been disabled in the kernel config, or you need to enable encryption on your filesystem (see the README for more detailed instructions)."
}

@test "add_key --hw-wrapped-key without inline encryption hardware fails like fscryptctl" {
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --hw-wrapped-key "$MNT" < <(head -c 100 /dev/urandom)
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "error: adding key to $MNT: "* ]]
	# wrapped keys may be longer than raw ones, but not longer than 128 bytes
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --hw-wrapped-key "$MNT" < <(head -c 129 /dev/urandom)
	assert_eq "$stderr" "error: key was too long; it can be at most 128 bytes"
}

# --- key_status and remove_key --------------------------------------------

@test "key_status: present with user count, absent, bad identifiers" {
	run --separate-stderr "$FSCRYPTCTL_DIO" key_status "$KEYID" "$MNT"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	assert_eq "$output" "Present (user_count=1, added_by_self)"
	# identifiers are case-insensitive hex
	run "$FSCRYPTCTL_DIO" key_status "${KEYID^^}" "$MNT"
	assert_eq "$output" "Present (user_count=1, added_by_self)"
	run --separate-stderr "$FSCRYPTCTL_DIO" key_status "$NOID" "$MNT"
	[ "$status" -eq 0 ]
	assert_eq "$output" "Absent"
	for bad in 0011 "${NOID}00" 0123456789abcdef "g${NOID:1}" "0x${NOID:2}"; do
		run --separate-stderr "$FSCRYPTCTL_DIO" key_status "$bad" "$MNT"
		[ "$status" -eq 1 ]
		assert_eq "$stderr" "error: invalid key identifier: $bad"
	done
	run --separate-stderr "$FSCRYPTCTL_DIO" key_status "$KEYID"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: must specify a key identifier and a mountpoint"
	run --separate-stderr "$FSCRYPTCTL_DIO" key_status "$KEYID" "$WORK/none"
	assert_eq "$stderr" "error: opening $WORK/none: No such file or directory"
	run --separate-stderr "$FSCRYPTCTL_DIO" key_status "$KEYID" "$PLAIN"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "error: getting key status: filesystem encryption has been disabled"* ]]
}

@test "remove_key removes silently; removing again: Required key not available" {
	local id
	id=$("$FSCRYPTCTL_DIO" add_key "$MNT" <"$WORK/key2")
	added "$id"
	run --separate-stderr "$FSCRYPTCTL_DIO" remove_key "$id" "$MNT"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	assert_eq "$("$FSCRYPTCTL_DIO" key_status "$id" "$MNT")" "Absent"
	run --separate-stderr "$FSCRYPTCTL_DIO" remove_key "$id" "$MNT"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: removing key: Required key not available"
	run --separate-stderr "$FSCRYPTCTL_DIO" remove_key "$id"
	assert_eq "$stderr" "error: must specify a key identifier and a mountpoint"
	run --separate-stderr "$FSCRYPTCTL_DIO" remove_key nothex "$MNT"
	assert_eq "$stderr" "error: invalid key identifier: nothex"
}

@test "remove_key with a file in use: warning on stdout, exit 0, Incompletely removed" {
	local id d
	id=$("$FSCRYPTCTL_DIO" add_key "$MNT" <"$WORK/key2")
	added "$id"
	d=$(newdir)
	"$FSCRYPTCTL_DIO" set_policy "$id" "$d"
	echo data >"$d/busy"
	exec 4<"$d/busy"
	run --separate-stderr "$FSCRYPTCTL_DIO" remove_key "$id" "$MNT"
	exec 4<&-
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	assert_eq "$output" "warning: some files using this key are still in-use"
	run "$FSCRYPTCTL_DIO" key_status "$id" "$MNT"
	assert_eq "$output" "Incompletely removed"
	# with the file closed, removing again finishes the job
	run --separate-stderr "$FSCRYPTCTL_DIO" remove_key "$id" "$MNT"
	[ "$status" -eq 0 ]
	assert_eq "$output" ""
	assert_eq "$("$FSCRYPTCTL_DIO" key_status "$id" "$MNT")" "Absent"
}

@test "remove_key when another user added the key too: warning, then --all-users" {
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups "$FSCRYPTCTL_DIO" --version >/dev/null 2>&1; then
		skip "the build tree is not reachable for an unprivileged user"
	fi
	local id
	id=$("$FSCRYPTCTL_DIO" add_key "$MNT" <"$WORK/key2")
	added "$id"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$FSCRYPTCTL_DIO" add_key --key-file "$WORK/key" "$MNT"
	[ "$status" -eq 0 ]
	assert_eq "$output" "$KEYID"
	run "$FSCRYPTCTL_DIO" key_status "$KEYID" "$MNT"
	assert_eq "$output" "Present (user_count=2, added_by_self)"
	run --separate-stderr "$FSCRYPTCTL_DIO" remove_key "$KEYID" "$MNT"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	assert_eq "$output" "warning: other users still have this key added"
	run "$FSCRYPTCTL_DIO" key_status "$KEYID" "$MNT"
	assert_eq "$output" "Present (user_count=1)"
	run --separate-stderr "$FSCRYPTCTL_DIO" remove_key --all-users "$KEYID" "$MNT"
	[ "$status" -eq 0 ]
	assert_eq "$output" ""
	assert_eq "$("$FSCRYPTCTL_DIO" key_status "$KEYID" "$MNT")" "Absent"
	# put the shared key back for the other tests
	"$FSCRYPTCTL_DIO" add_key "$MNT" <"$WORK/key" >/dev/null
}

# --- get_policy and set_policy ---------------------------------------------

@test "set_policy with defaults; get_policy prints fscryptctl's v2 layout" {
	local d
	d=$(newdir)
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "$KEYID" "$d"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy "$d"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	assert_eq "$output" "Encryption policy for $d:
	Policy version: 2
	Master key identifier: $KEYID
	Contents encryption mode: AES-256-XTS
	Filenames encryption mode: AES-256-CTS
	Flags: PAD_32
	Data unit size: default"
	# a file inherits it
	echo x >"$d/f"
	run "$FSCRYPTCTL_DIO" get_policy "$d/f"
	[[ "$output" == "Encryption policy for $d/f:"*"Master key identifier: $KEYID"* ]]
}

@test "set_policy options end up in the policy" {
	local d
	d=$(newdir)
	"$FSCRYPTCTL_DIO" set_policy --contents=AES-128-CBC --filenames=AES-128-CTS --padding=16 \
		--data-unit-size=1024 "$KEYID" "$d"
	run "$FSCRYPTCTL_DIO" get_policy "$d"
	assert_eq "$output" "Encryption policy for $d:
	Policy version: 2
	Master key identifier: $KEYID
	Contents encryption mode: AES-128-CBC
	Filenames encryption mode: AES-128-CTS
	Flags: PAD_16
	Data unit size: 1024"
	d=$(newdir)
	# options after the arguments, as getopt allows
	"$FSCRYPTCTL_DIO" set_policy "$KEYID" "$d" --iv-ino-lblk-64 --padding=4
	run "$FSCRYPTCTL_DIO" get_policy "$d"
	[[ "$output" == *"	Flags: PAD_4, IV_INO_LBLK_64
	Data unit size: default" ]]
	d=$(newdir)
	"$FSCRYPTCTL_DIO" set_policy --contents=Adiantum --filenames=Adiantum --direct-key "$KEYID" "$d"
	run "$FSCRYPTCTL_DIO" get_policy "$d"
	[[ "$output" == *"Contents encryption mode: Adiantum
	Filenames encryption mode: Adiantum
	Flags: PAD_32, DIRECT_KEY
"* ]]
}

@test "set_policy --iv-ino-lblk-32 warns on stdout and succeeds" {
	local d
	d=$(newdir)
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --iv-ino-lblk-32 "$KEYID" "$d"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	assert_eq "$output" "warning: --iv-ino-lblk-32 should normally not be used"
	run "$FSCRYPTCTL_DIO" get_policy "$d"
	[[ "$output" == *"Flags: PAD_32, IV_INO_LBLK_32"* ]]
}

# --- standard output that cannot be written -------------------------------------

@test "add_key >/dev/full: exit 1, and the message says the key was added" {
	[ -w /dev/full ] || skip "no /dev/full"
	local id
	id=$("$FSCRYPT" add_key "$MNT" <"$WORK/key2")
	added "$id"
	"$FSCRYPTCTL_DIO" remove_key --all-users "$id" "$MNT" >/dev/null 2>&1 || true
	run --separate-stderr bash -c '"$1" add_key "$2" <"$3" >/dev/full' - "$FSCRYPTCTL_DIO" "$MNT" "$WORK/key2"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: key added to $MNT, but writing its identifier failed: No space left on device"
	# as the message says: the key is there, and add_key again tells its identifier
	run "$FSCRYPTCTL_DIO" key_status "$id" "$MNT"
	[[ "$output" == "Present"* ]]
	run "$FSCRYPTCTL_DIO" add_key "$MNT" <"$WORK/key2"
	assert_eq "$output" "$id"
	run "$FSCRYPTCTL_DIO" remove_key "$id" "$MNT"
	[ "$status" -eq 0 ]
}

@test "set_policy >/dev/full after its warning: exit 1, and the message says the policy was set" {
	[ -w /dev/full ] || skip "no /dev/full"
	local d
	d=$(newdir)
	run --separate-stderr bash -c '"$1" set_policy --iv-ino-lblk-32 "$2" "$3" >/dev/full' - \
		"$FSCRYPTCTL_DIO" "$KEYID" "$d"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: policy set on $d, but writing to standard output failed: No space left on device"
	run "$FSCRYPTCTL_DIO" get_policy "$d"
	[[ "$output" == *"Flags: PAD_32, IV_INO_LBLK_32"* ]]
}

@test "get_policy of a v1 policy (set by e4crypt): descriptor, no data unit size" {
	command -v e4crypt >/dev/null || skip "e4crypt (e2fsprogs) is needed to set a v1 policy"
	local d
	d=$(newdir)
	e4crypt set_policy -p 16 0123456789abcdef "$d" >/dev/null
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy "$d"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	assert_eq "$output" "Encryption policy for $d:
	Policy version: 1
	Master key descriptor: 0123456789abcdef
	Contents encryption mode: AES-256-XTS
	Filenames encryption mode: AES-256-CTS
	Flags: PAD_16"
}

@test "get_policy errors: not encrypted, missing path, no encryption support, arguments" {
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy "$MNT"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	assert_eq "$stderr" "error: getting policy for $MNT: file or directory not encrypted"
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy "$MNT/none"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: opening $MNT/none: No such file or directory"
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy /proc/self/status
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: getting policy for /proc/self/status: your kernel is too old to support filesystem encryption, or the filesystem you are using does not support encryption"
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy
	assert_eq "$stderr" "error: must specify a single file or directory"
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy "$MNT" "$MNT"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: must specify a single file or directory"
}

@test "set_policy errors on paths: nonexistent, not a directory, not empty, already encrypted" {
	local d e
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "$KEYID" "$MNT/none"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: opening $MNT/none: No such file or directory"
	echo x >"$MNT/regular"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "$KEYID" "$MNT/regular"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: setting policy for $MNT/regular: Not a directory"
	d=$(newdir)
	touch "$d/file"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "$KEYID" "$d"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: setting policy for $d: Directory not empty"
	e=$(newdir)
	"$FSCRYPTCTL_DIO" set_policy "$KEYID" "$e"
	# the same policy again is fine, another one is not
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "$KEYID" "$e"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --padding=8 "$KEYID" "$e"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: setting policy for $e: file or directory already encrypted"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "$KEYID" "$PLAIN"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "error: setting policy for $PLAIN: filesystem encryption has been disabled"* ]]
}

@test "set_policy with a key that was not added: refused for a user, allowed for root" {
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups "$FSCRYPTCTL_DIO" --version >/dev/null 2>&1; then
		skip "the build tree is not reachable for an unprivileged user"
	fi
	local d
	d=$(newdir)
	chown 65534:65534 "$d"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$FSCRYPTCTL_DIO" set_policy "$NOID" "$d"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: setting policy for $d: Required key not available"
	# CAP_FOWNER may set a policy for a key it has not added
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "$NOID" "$d"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "set_policy option errors: modes, padding, data unit sizes, identifiers, arguments" {
	local d
	d=$(newdir)
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --contents=aes-256-xts "$KEYID" "$d"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: invalid contents mode: aes-256-xts"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --filenames=ROT13 "$KEYID" "$d"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: invalid filenames mode: ROT13"
	# a known name in the wrong role: the kernel refuses it
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --filenames=AES-256-XTS "$KEYID" "$d"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: setting policy for $d: invalid encryption options provided"
	for bad in 0 7 64 -32 abc 32abc; do
		run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --padding="$bad" "$KEYID" "$d"
		[ "$status" -eq 1 ]
		assert_eq "$stderr" "error: invalid padding: $bad"
	done
	for bad in 0 1 1000 4095 -4096 4k; do
		run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --data-unit-size="$bad" "$KEYID" "$d"
		[ "$status" -eq 1 ]
		assert_eq "$stderr" "error: invalid data unit size: $bad"
	done
	# powers of two the kernel does not support
	for unsupported in 256 8192; do
		run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --data-unit-size="$unsupported" "$KEYID" "$d"
		[ "$status" -eq 1 ]
		assert_eq "$stderr" "error: setting policy for $d: invalid encryption options provided"
	done
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy 0123456789abcdef "$d"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: invalid key identifier: 0123456789abcdef"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "$KEYID"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: must specify a key and a directory"
	# none of the failures left a policy behind
	run "$FSCRYPTCTL_DIO" get_policy "$d"
	[ "$status" -eq 1 ]
}

# --- --for-dio ----------------------------------------------------------------

@test "set_policy --for-dio refuses when this kernel dropped inlinecrypt, sets nothing" {
	mount -o remount,inlinecrypt "$MNT" 2>/dev/null || true
	if grep -q " $MNT .*inlinecrypt" /proc/self/mountinfo; then
		skip "this kernel has blk-crypto: inlinecrypt is effective"
	fi
	local d
	d=$(newdir)
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --for-dio "$KEYID" "$d"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	assert_eq "$stderr" "error: not setting a direct-I/O policy on $d: inlinecrypt is not in effect on $MNT (ext4 on $(basename "$(findmnt -n -o SOURCE "$MNT")")): mount it with -o inlinecrypt; a kernel without blk-crypto (CONFIG_BLK_INLINE_ENCRYPTION) drops the option, see the kernel log"
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy "$d"
	assert_eq "$stderr" "error: getting policy for $d: file or directory not encrypted"
}

@test "set_policy --for-dio: a contents mode without inline equivalent is checked after inlinecrypt" {
	local d
	d=$(newdir)
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --for-dio --contents=AES-256-CTS "$KEYID" "$d"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "error: not setting a direct-I/O policy on $d: "* ]]
}

@test "set_policy --for-dio on tmpfs: no inline encryption there" {
	mkdir "$WORK/tmpfs"
	mount -t tmpfs tmpfs "$WORK/tmpfs"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --for-dio "$KEYID" "$WORK/tmpfs"
	umount "$WORK/tmpfs"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: not setting a direct-I/O policy on $WORK/tmpfs: $WORK/tmpfs (tmpfs) has no inline encryption; only ext4 and f2fs have"
}

# --- hardware-wrapped keys ------------------------------------------------------

@test "hw-wrapped key commands on a loop device: the kernel's error, nothing on stdout" {
	local dev
	dev=$(findmnt -n -o SOURCE "$MNT")
	[ -b "$dev" ]
	run --separate-stderr "$FSCRYPTCTL_DIO" import_hw_wrapped_key "$dev" < <(head -c 32 /dev/urandom)
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" =~ ^"error: importing hardware-wrapped key: "("Inappropriate ioctl for device"|"Operation not supported")$ ]]
	run --separate-stderr "$FSCRYPTCTL_DIO" generate_hw_wrapped_key "$dev"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" =~ ^"error: generating hardware-wrapped key: "("Inappropriate ioctl for device"|"Operation not supported")$ ]]
	run --separate-stderr "$FSCRYPTCTL_DIO" prepare_hw_wrapped_key "$dev" < <(head -c 72 /dev/urandom)
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" =~ ^"error: preparing hardware-wrapped key: "("Inappropriate ioctl for device"|"Operation not supported")$ ]]
}

@test "hw-wrapped key commands: arguments and key sizes" {
	local dev cmd
	dev=$(findmnt -n -o SOURCE "$MNT")
	for cmd in import_hw_wrapped_key generate_hw_wrapped_key prepare_hw_wrapped_key; do
		run --separate-stderr "$FSCRYPTCTL_DIO" "$cmd" </dev/null
		[ "$status" -eq 1 ]
		assert_eq "$stderr" "error: must specify a single block device"
		run --separate-stderr "$FSCRYPTCTL_DIO" "$cmd" "$dev" "$dev" </dev/null
		assert_eq "$stderr" "error: must specify a single block device"
	done
	run --separate-stderr "$FSCRYPTCTL_DIO" import_hw_wrapped_key "$dev" < <(head -c 8 /dev/urandom)
	assert_eq "$stderr" "error: key was too short; it must be at least 16 bytes"
	run --separate-stderr "$FSCRYPTCTL_DIO" import_hw_wrapped_key "$dev" < <(head -c 65 /dev/urandom)
	assert_eq "$stderr" "error: key was too long; it can be at most 64 bytes"
	run --separate-stderr "$FSCRYPTCTL_DIO" prepare_hw_wrapped_key "$dev" < <(head -c 129 /dev/urandom)
	assert_eq "$stderr" "error: key was too long; it can be at most 128 bytes"
	run --separate-stderr "$FSCRYPTCTL_DIO" generate_hw_wrapped_key "$WORK/none"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: opening $WORK/none: No such file or directory"
}

# --- valgrind ---------------------------------------------------------------------

@test "valgrind: add_key, set_policy, get_policy, key_status, remove_key without errors or leaks" {
	command -v valgrind >/dev/null || { [ "${CI:-}" != true ] || return 1; skip "valgrind is not installed"; }
	local bin=$BCA_BUILDDIR/.libs/fscryptctl-dio d id
	[ -x "$bin" ] || bin=$BCA_BUILDDIR/fscryptctl-dio
	! LD_LIBRARY_PATH=$BCA_BUILDDIR/.libs ldd "$bin" | grep -q 'libasan\|libubsan' ||
		skip "a sanitizer build: valgrind cannot run AddressSanitizer binaries"
	vg() {
		LD_LIBRARY_PATH=$BCA_BUILDDIR/.libs valgrind -q --error-exitcode=99 \
			--leak-check=full --errors-for-leak-kinds=all --show-leak-kinds=all "$bin" "$@"
	}
	id=$(vg add_key "$MNT" <"$WORK/key2")
	added "$id"
	[[ "$id" =~ ^[0-9a-f]{32}$ ]]
	vg add_key --key-file "$WORK/key2" "$MNT" >/dev/null
	d=$(newdir)
	run vg set_policy --padding=16 "$id" "$d"
	[ "$status" -eq 0 ]
	run vg get_policy "$d"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Flags: PAD_16"* ]]
	run vg key_status "$id" "$MNT"
	[ "$status" -eq 0 ]
	assert_eq "$output" "Present (user_count=1, added_by_self)"
	run vg set_policy --for-dio "$id" "$(newdir)"
	[ "$status" -eq 1 ]
	run vg add_key "$MNT" < <(head -c 65 /dev/urandom)
	[ "$status" -eq 1 ]
	run vg remove_key "$id" "$MNT"
	[ "$status" -eq 0 ]
	run vg nope
	[ "$status" -eq 1 ]
}

@test "bash completion offers the key identifiers of the encrypted directories here, then paths" {
	mkdir -p "$MNT/comp/one" "$MNT/comp/plain"
	"$FSCRYPT" set_policy "$KEYID" "$MNT/comp/one"
	local got
	got=$(cd "$MNT/comp" && PATH=$BCA_BUILDDIR:$PATH bash -c '
		source "$1/bash-completion/blkcryptadm"
		for words in "remove_key " "key_status --all-users " "set_policy --for-dio " "remove_key '"$KEYID"' o"; do
			read -r -a COMP_WORDS <<<"fscryptctl-dio $words"
			[[ $words == *" " ]] && COMP_WORDS+=("")
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMPREPLY=()
			_bca_complete fscryptctl-dio
			echo "${COMPREPLY[*]}"
		done' - "$BCA_SRCDIR")
	assert_eq "$got" "$KEYID
$KEYID
$KEYID
one"
	rm -rf "$MNT/comp"
}
