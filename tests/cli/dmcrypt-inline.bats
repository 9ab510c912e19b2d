#!/usr/bin/env bats
# dmcrypt-inline: command table and usage errors; list where dm exists.

load ../helpers/common

bats_require_minimum_version 1.5.0

@test "--help goes to stdout and exits 0" {
	run --separate-stderr "$DMCRYPT_INLINE" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"list"* ]]
	[ -z "$stderr" ]
}

@test "--version" {
	run "$DMCRYPT_INLINE" -V
	[ "$status" -eq 0 ]
	[[ "$output" == "dmcrypt-inline (blkcryptadm) "* ]]
}

@test "unknown option before the command: usage error, exit 2" {
	run --separate-stderr "$DMCRYPT_INLINE" --bogus
	[ "$status" -eq 2 ]
	[[ "$stderr" == "dmcrypt-inline: unrecognized option '--bogus'"* ]]
	[[ "$stderr" == *"Try 'dmcrypt-inline --help' for more information." ]]
}

@test "-o help lists the columns of list and status, as the man page says" {
	local cmd
	for cmd in list status; do
		run --separate-stderr "$DMCRYPT_INLINE" "$cmd" -o help
		[ "$status" -eq 0 ] || { echo "$cmd: $stderr"; return 1; }
		[ "${lines[0]}" = "Available output columns:" ]
		[[ "$output" == *" NAME "* && "$output" == *" TARGET "* ]]
	done
	run --separate-stderr "$DMCRYPT_INLINE" status -o NOPE x
	[ "$status" -eq 2 ]
	[[ "$stderr" == "dmcrypt-inline: unknown column: NOPE"* ]]
}

@test "list with a stray argument: usage error" {
	run --separate-stderr "$DMCRYPT_INLINE" list extra
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unexpected argument 'extra'"* ]]
}

# Whether device-mapper can be used, decided as the tool decides it: by
# opening the control node (which dmsetup creates even on kernels without
# device-mapper, where opening it fails with ENODEV), never by its existence.
dm_control_opens() {
	{ exec 3<>/dev/mapper/control; } 2>/dev/null || return 1
	exec 3>&-
}

@test "list: an empty table, or a clear error without device-mapper" {
	run --separate-stderr "$DMCRYPT_INLINE" list -J
	if dm_control_opens; then
		[ "$status" -eq 0 ]
		jq -e '.devices | type == "array"' <<<"$output"
	elif [ -e /dev/mapper/control ] && [ "$(id -u)" -ne 0 ]; then
		[ "$status" -eq 1 ]
		assert_eq "$stderr" "dmcrypt-inline: listing device-mapper devices: Permission denied"
	else
		[ "$status" -eq 1 ]
		assert_eq "$stderr" "dmcrypt-inline: device-mapper is not available in this kernel"
	fi
}

@test "create: usage errors before touching anything" {
	run --separate-stderr "$DMCRYPT_INLINE" create onlyname
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"NAME and DEVICE expected"* ]]
	run --separate-stderr "$DMCRYPT_INLINE" create bad/name /dev/null --key-file /dev/null
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"create: invalid device name: use 1 to 127 letters, digits and #+-.:=@_ (udev's safe characters)"* ]]
	run --separate-stderr "$DMCRYPT_INLINE" create x /dev/null --target zero --key-file /dev/null
	[ "$status" -eq 2 ]
	run --separate-stderr "$DMCRYPT_INLINE" create x /dev/null --key-size 12 --key-file /dev/null
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--key-size must be a multiple of 8 bits"* ]]
}

@test "create: a key description or name that cannot be represented is refused, not cut" {
	local long name
	long=$(printf 'k%.0s' $(seq 1 256))
	run --separate-stderr "$DMCRYPT_INLINE" create x /dev/null --key-desc "$long"
	[ "$status" -eq 2 ]
	assert_eq "${stderr%%$'\n'*}" "dmcrypt-inline: create: --key-desc is longer than 255 bytes"
	# 116 bytes fit a crypt device's UUID (CRYPT-PLAIN-NAME), 104 an inlinecrypt
	# one's (CRYPT-INLINECRYPT-PLAIN-NAME)
	name=$(printf 'n%.0s' $(seq 1 105))
	run --separate-stderr "$DMCRYPT_INLINE" create "$name" /dev/null --key-file /dev/null --target inlinecrypt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"device name '$name' too long for --target inlinecrypt: its UUID CRYPT-INLINECRYPT-PLAIN-NAME must fit"* ]]
	run --separate-stderr "$DMCRYPT_INLINE" create "${name%n}" /dev/null --key-file /dev/null --target inlinecrypt
	[ "$status" -ne 2 ]
	[[ "$stderr" != *"too long"* ]]
	name=$(printf 'n%.0s' $(seq 1 117))
	run --separate-stderr "$DMCRYPT_INLINE" create "$name" /dev/null --key-file /dev/null
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"too long for --target crypt: its UUID CRYPT-PLAIN-NAME must fit device-mapper's 128 bytes"* ]]
	# at the limit: past the usage checks, on to the device check
	run --separate-stderr "$DMCRYPT_INLINE" create "${name%n}" /dev/null --key-file /dev/null
	[ "$status" -ne 2 ]
	[[ "$stderr" != *"too long"* ]]
}

@test "create: a name or key description the kernel's table parser would split is refused" {
	local bad
	# 0xA0 is a space to the kernel (lib/ctype.c), not to glibc's C locale:
	# this description loaded "... :64:logon:svc:vol 0 254:16 0", another disk
	for bad in $'svc:vol\xa00\xa0254:16\xa00' $'a\\ b' 'a\b' $'a\vb' $'a\rb' $'a\xc2\xa0b'; do
		run --separate-stderr "$DMCRYPT_INLINE" create x /dev/null --key-desc "$bad"
		[ "$status" -eq 2 ]
		[[ "$stderr" == "dmcrypt-inline: create: --key-desc: use printable ASCII without blanks or backslashes"* ]]
		run --separate-stderr "$DMCRYPT_INLINE" create "$bad" /dev/null --key-file /dev/null
		[ "$status" -eq 2 ]
		[[ "$stderr" == "dmcrypt-inline: create: invalid device name: use 1 to 127 letters"* ]]
	done
}

@test "create: a key descriptor that is not open is refused before anything is opened" {
	# bats' run gives the command its own stdin: close it in the command's shell
	run --separate-stderr bash -c 'exec "$0" create x /dev/null --key-file - <&-' "$DMCRYPT_INLINE"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "dmcrypt-inline: create: --key-file -: standard input is closed"* ]]
	run --separate-stderr bash -c 'exec "$0" create x /dev/null --key-fd 9 9<&-' "$DMCRYPT_INLINE"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "dmcrypt-inline: create: --key-fd 9: not an open file descriptor"* ]]
}

@test "create: a device that is not a block device" {
	run --separate-stderr "$DMCRYPT_INLINE" create x /dev/null --key-file /dev/null
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "dmcrypt-inline: /dev/null: not a block device"
}
