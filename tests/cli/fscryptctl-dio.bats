#!/usr/bin/env bats
# fscryptctl-dio: command table, usage errors, check_dio on plain files.

load ../helpers/common

@test "--help goes to stdout and exits 0" {
	run --separate-stderr "$FSCRYPTCTL_DIO" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"check_dio"* ]]
	[ -z "$stderr" ]
}

@test "--version" {
	run "$FSCRYPTCTL_DIO" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "fscryptctl-dio (blkcryptadm) "* ]]
}

@test "unknown command: usage error, exit 2" {
	run --separate-stderr "$FSCRYPTCTL_DIO" nope
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"Try 'fscryptctl-dio --help' for more information." ]]
}

@test "check_dio on a directory says not a regular file" {
	run "$FSCRYPTCTL_DIO" check_dio "$BATS_TEST_TMPDIR"
	[ "$status" -eq 0 ]
	assert_eq "$output" "$BATS_TEST_TMPDIR: no: no direct I/O: not a regular file"
}

@test "check_dio on a missing path: message and exit 32" {
	run --separate-stderr "$FSCRYPTCTL_DIO" check_dio "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 32 ]
	assert_eq "$stderr" "fscryptctl-dio: $BATS_TEST_TMPDIR/none: No such file or directory"
}
