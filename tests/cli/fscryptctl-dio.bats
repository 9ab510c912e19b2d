#!/usr/bin/env bats
# fscryptctl-dio without root: fscryptctl 1.3.0's dispatch, usage and
# argument errors (exit 1, "error: ..." and the usage on stderr), our
# additions' usage errors (exit 2), and check_dio on plain files.

load ../helpers/common
bats_require_minimum_version 1.5.0

@test "--help goes to stdout and exits 0, with every fscryptctl command" {
	run --separate-stderr "$FSCRYPTCTL_DIO" --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	for cmd in add_key remove_key key_status get_policy set_policy \
		import_hw_wrapped_key generate_hw_wrapped_key prepare_hw_wrapped_key check_dio; do
		[[ "$output" == *"fscryptctl-dio $cmd "* ]] || { echo "no $cmd"; false; }
	done
	[[ "$output" == *"--for-dio"* && "$output" == *"--key-file"* ]]
}

@test "-h anywhere before -- wins, as in fscryptctl" {
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --bogus -h
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == *"Usage:"* ]]
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy -- -h
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: opening -h: No such file or directory"
}

@test "--version, -v and -V" {
	for opt in --version -v -V; do
		run "$FSCRYPTCTL_DIO" "$opt"
		[ "$status" -eq 0 ]
		[[ "$output" == "fscryptctl-dio (blkcryptadm) "* ]]
	done
}

@test "unknown command: error and usage on stderr, exit 1 (fscryptctl's behaviour)" {
	run --separate-stderr "$FSCRYPTCTL_DIO" nope
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "error: invalid command: nope"$'\n\nUsage:\n'* ]]
}

@test "no command: error and usage on stderr, exit 1" {
	run --separate-stderr "$FSCRYPTCTL_DIO"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "error: no command specified"$'\n\nUsage:\n'* ]]
}

@test "unknown option of a command: getopt's message and the usage, exit 1" {
	run --separate-stderr "$FSCRYPTCTL_DIO" get_policy --bogus /
	[ "$status" -eq 1 ]
	[[ "$stderr" == "get_policy: unrecognized option '--bogus'"$'\n\nUsage:\n'* ]]
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --all-users /
	[ "$status" -eq 1 ]
	[[ "$stderr" == "add_key: unrecognized option '--all-users'"* ]]
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --padding
	[ "$status" -eq 1 ]
	[[ "$stderr" == "set_policy: option '--padding' requires an argument"* ]]
}

@test "set_policy argument errors come before any file access" {
	local id=00112233445566778899aabbccddeeff dir=$BATS_TEST_TMPDIR/none
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --contents=XTS "$id" "$dir"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: invalid contents mode: XTS"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --padding=32abc "$id" "$dir"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: invalid padding: 32abc"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --data-unit-size=0x1000 "$id" "$dir"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: invalid data unit size: 0x1000"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "${id:1}" "$dir"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: invalid key identifier: ${id:1}"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy "$id" "$dir"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: opening $dir: No such file or directory"
}

@test "set_policy --for-dio with options it chooses itself: a usage error as fscryptctl's, error: and exit 1" {
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --for-dio --iv-ino-lblk-64 \
		00112233445566778899aabbccddeeff "$BATS_TEST_TMPDIR"
	[ "$status" -eq 1 ]
	assert_eq "${stderr%%$'\n'*}" "error: --for-dio chooses the flags and data unit size itself: it cannot be combined with --iv-ino-lblk-64"
	# then the help, on stderr, as fscryptctl prints it after a bad option
	assert_eq "${stderr#*$'\n'}" "$("$FSCRYPTCTL_DIO" --help)"
}

@test "set_policy: fscryptctl's abbreviations keep their meaning beside --for-dio" {
	local id=00112233445566778899aabbccddeeff d=$BATS_TEST_TMPDIR/p full abbr
	mkdir -p "$d"
	# each pair must behave exactly alike: same output, same status
	for pair in "--f=AES-256-CTS|--filenames=AES-256-CTS" "--fi=AES-256-CTS|--filenames=AES-256-CTS" \
		    "--f AES-256-CTS|--filenames AES-256-CTS" "--c=AES-256-XTS|--contents=AES-256-XTS" \
		    "--p=16|--padding=16" "--direct|--direct-key" "--iv-ino-lblk-6|--iv-ino-lblk-64" \
		    "--data=4096|--data-unit-size=4096"; do
		# shellcheck disable=SC2086
		full=$("$FSCRYPTCTL_DIO" set_policy ${pair#*|} "$id" "$d" 2>&1; echo "rc=$?")
		# shellcheck disable=SC2086
		abbr=$("$FSCRYPTCTL_DIO" set_policy ${pair%|*} "$id" "$d" 2>&1; echo "rc=$?")
		[[ $abbr != *ambiguous* ]] || { echo "$pair: $abbr" >&2; return 1; }
		assert_eq "$abbr" "$full"
	done
	# the value of an option is never taken for an option
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --contents --f "$id" "$d"
	assert_eq "$stderr" "error: invalid contents mode: --f"
	# what fscryptctl itself finds ambiguous stays so
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --d "$id" "$d"
	[ "$status" -eq 1 ]
	[[ "${stderr%%$'\n'*}" == *"option '--d' is ambiguous"* ]]
	# an abbreviation only our extension fits is the extension
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --fo --iv-ino-lblk-64 "$id" "$d"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"--for-dio chooses the flags and data unit size itself"* ]]
}

@test "abbreviations: an extension's argument stays an argument; POSIXLY_CORRECT stops at the first operand" {
	local id=00112233445566778899aabbccddeeff
	# --k is --key-file: its argument "--h" is a file name, not --hw-wrapped-key
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --k --h "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: opening --h: No such file or directory"
	# after the first operand, POSIXLY_CORRECT getopt takes "--f" as a directory
	run --separate-stderr env POSIXLY_CORRECT=1 "$FSCRYPTCTL_DIO" set_policy "$id" --f
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: opening --f: No such file or directory"
}

@test "add_key: --h is fscryptctl's --hw-wrapped-key, --k our --key-file" {
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --h "$BATS_TEST_TMPDIR/none" < <(head -c 15 /dev/zero)
	[ "$status" -eq 1 ]
	[[ "$stderr" != *ambiguous* ]]
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key --k /dev/null "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: key was too short; it must be at least 16 bytes"
}

@test "prepare_hw_wrapped_key: keys under 16 bytes are refused before the device is opened" {
	run --separate-stderr "$FSCRYPTCTL_DIO" prepare_hw_wrapped_key "$BATS_TEST_TMPDIR/none" < <(head -c 15 /dev/urandom)
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	assert_eq "$stderr" "error: key was too short; it must be at least 16 bytes"
	run --separate-stderr "$FSCRYPTCTL_DIO" prepare_hw_wrapped_key "$BATS_TEST_TMPDIR/none" < <(head -c 16 /dev/urandom)
	assert_eq "$stderr" "error: opening $BATS_TEST_TMPDIR/none: No such file or directory"
}

@test "a FIFO as the path: every command fails at once instead of blocking in open" {
	local fifo=$BATS_TEST_TMPDIR/fifo id=00112233445566778899aabbccddeeff
	mkfifo "$fifo"
	run timeout 120 "$FSCRYPTCTL_DIO" get_policy "$fifo"
	[ "$status" -eq 1 ]
	run timeout 120 "$FSCRYPTCTL_DIO" key_status "$id" "$fifo"
	[ "$status" -eq 1 ]
	run timeout 120 "$FSCRYPTCTL_DIO" remove_key "$id" "$fifo"
	[ "$status" -eq 1 ]
	run timeout 120 "$FSCRYPTCTL_DIO" set_policy "$id" "$fifo"
	[ "$status" -eq 1 ]
	run timeout 120 "$FSCRYPTCTL_DIO" add_key "$fifo" < <(head -c 64 /dev/zero)
	[ "$status" -eq 1 ]
	run timeout 120 "$FSCRYPTCTL_DIO" generate_hw_wrapped_key "$fifo"
	[ "$status" -eq 1 ]
	run timeout 120 "$FSCRYPTCTL_DIO" import_hw_wrapped_key "$fifo" < <(head -c 32 /dev/zero)
	[ "$status" -eq 1 ]
}

@test "add_key checks the key size before the mountpoint" {
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$BATS_TEST_TMPDIR/none" < <(head -c 15 /dev/zero)
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	assert_eq "$stderr" "error: key was too short; it must be at least 16 bytes"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$BATS_TEST_TMPDIR/none" < <(head -c 65 /dev/zero)
	assert_eq "$stderr" "error: key was too long; it can be at most 64 bytes"
	run --separate-stderr "$FSCRYPTCTL_DIO" add_key "$BATS_TEST_TMPDIR/none" < <(head -c 64 /dev/zero)
	assert_eq "$stderr" "error: opening $BATS_TEST_TMPDIR/none: No such file or directory"
}

@test "check_dio on a directory says not a regular file" {
	run "$FSCRYPTCTL_DIO" check_dio "$BATS_TEST_TMPDIR"
	[ "$status" -eq 0 ]
	assert_eq "$output" "$BATS_TEST_TMPDIR: no: no direct I/O: not a regular file"
}

@test "check_dio: one line per path, whatever bytes the name holds" {
	local nl bad
	nl=$(printf '%s/x\nforged: yes: direct' "$BATS_TEST_TMPDIR")
	bad=$(printf '%s/b\xff' "$BATS_TEST_TMPDIR")
	mkdir "$nl" "$bad"
	run "$FSCRYPTCTL_DIO" check_dio "$nl" "$bad"
	[ "$status" -eq 0 ]
	assert_eq "${#lines[@]}" 2
	assert_eq "${lines[0]}" "$BATS_TEST_TMPDIR/x\\x0aforged\\x3a yes\\x3a direct: no: no direct I/O: not a regular file"
	assert_eq "${lines[1]}" "$BATS_TEST_TMPDIR/b\\xff: no: no direct I/O: not a regular file"
}

@test "check_dio: a ':' in a name cannot forge the verdict, a backslash cannot forge an escape" {
	local forged=$BATS_TEST_TMPDIR/'db: yes: direct I' text=$BATS_TEST_TMPDIR/'c\xff' byte
	byte=$(printf '%s/c\xff' "$BATS_TEST_TMPDIR")
	mkdir "$forged" "$text" "$byte"
	run "$FSCRYPTCTL_DIO" check_dio "$forged" "$text" "$byte"
	[ "$status" -eq 0 ]
	assert_eq "${#lines[@]}" 3
	# the first ':' of a line ends its path
	assert_eq "${lines[0]%%:*}" "$BATS_TEST_TMPDIR/db\x3a yes\x3a direct I"
	assert_eq "${lines[0]#*: }" "no: no direct I/O: not a regular file"
	assert_eq "${lines[1]}" "$BATS_TEST_TMPDIR/c\x5cxff: no: no direct I/O: not a regular file"
	assert_eq "${lines[2]}" "$BATS_TEST_TMPDIR/c\xff: no: no direct I/O: not a regular file"
}

@test "check_dio on a missing path: fscryptctl's error: and exit 1, the other paths still answered" {
	run --separate-stderr "$FSCRYPTCTL_DIO" check_dio "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: $BATS_TEST_TMPDIR/none: No such file or directory"
	run --separate-stderr "$FSCRYPTCTL_DIO" check_dio "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR"
	[ "$status" -eq 1 ]
	[[ "$output" == "$BATS_TEST_TMPDIR: no: "* ]]
}

@test "check_dio without a path: a usage error as fscryptctl's, error: and exit 1" {
	run --separate-stderr "$FSCRYPTCTL_DIO" check_dio
	[ "$status" -eq 1 ]
	assert_eq "${stderr%%$'\n'*}" "error: must specify at least one file or directory"
	[[ "$stderr" == *"Usage:"* && "$stderr" != *"Try '"* ]]
}

@test "every message of fscryptctl-dio starts with error:, as fscryptctl's do" {
	local m
	for m in "check_dio --bogus" "set_policy --for-dio --direct-key 00112233445566778899aabbccddeeff $BATS_TEST_TMPDIR" \
		 "check_dio $BATS_TEST_TMPDIR/none" "bogus" "get_policy" "set_policy --contents=x k d"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$FSCRYPTCTL_DIO" $m
		[ "$status" -eq 1 ] || { echo "$m: status $status"; return 1; }
		[[ "$stderr" != *"fscryptctl-dio: "* ]] || { echo "$m: $stderr"; return 1; }
		grep -q '^error: \|unrecognized option' <<<"$stderr" || { echo "$m: $stderr"; return 1; }
	done
}
