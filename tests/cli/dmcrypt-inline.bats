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

@test "list with a stray argument: usage error" {
	run --separate-stderr "$DMCRYPT_INLINE" list extra
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unexpected argument 'extra'"* ]]
}

@test "list: an empty table, or a clear error without device-mapper" {
	run --separate-stderr "$DMCRYPT_INLINE" list -J
	if [ -e /dev/mapper/control ]; then
		[ "$status" -eq 0 ]
		jq -e '.devices | type == "array"' <<<"$output"
	else
		[ "$status" -eq 1 ]
		assert_eq "$stderr" "dmcrypt-inline: device-mapper is not available in this kernel (no /dev/mapper/control)"
	fi
}

@test "create: usage errors before touching anything" {
	run --separate-stderr "$DMCRYPT_INLINE" create onlyname
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"NAME and DEVICE expected"* ]]
	run --separate-stderr "$DMCRYPT_INLINE" create bad/name /dev/null --key-file /dev/null
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"invalid device name 'bad/name'"* ]]
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
	# 107 bytes fit a crypt device's UUID, not an inlinecrypt one's (101)
	name=$(printf 'n%.0s' $(seq 1 107))
	run --separate-stderr "$DMCRYPT_INLINE" create "$name" /dev/null --key-file /dev/null --target inlinecrypt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"device name '$name' too long for --target inlinecrypt"* ]]
	run --separate-stderr "$DMCRYPT_INLINE" create "${name}n" /dev/null --key-file /dev/null
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"too long for --target crypt: its UUID DMCRYPT_INLINE-crypt-NAME must fit device-mapper's 128 bytes"* ]]
	# at the limit: past the usage checks, on to the device check
	run --separate-stderr "$DMCRYPT_INLINE" create "$name" /dev/null --key-file /dev/null
	[ "$status" -ne 2 ]
	[[ "$stderr" != *"too long"* ]]
}

@test "create: a device that is not a block device" {
	run --separate-stderr "$DMCRYPT_INLINE" create x /dev/null --key-file /dev/null
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "dmcrypt-inline: /dev/null: not a block device"
}
