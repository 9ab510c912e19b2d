#!/usr/bin/env bats
# blkcrypt-query without root: options, usage errors, output formats.

load ../helpers/common

setup() {
	TMP=$(mktemp -d)
	printf 'hello' > "$TMP/plain"
}

teardown() {
	rm -rf "$TMP"
}

@test "--help goes to stdout and exits 0" {
	run --separate-stderr "$BLKCRYPT_QUERY" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage:"* ]]
	[[ "$output" == *"file"* ]]
	[ -z "$stderr" ]
}

@test "--version names the tool and the library" {
	run "$BLKCRYPT_QUERY" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "blkcrypt-query (blkcryptadm) "*", libblkcryptadm "* ]]
}

@test "no command is a usage error with a hint, exit 2" {
	run --separate-stderr "$BLKCRYPT_QUERY"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "blkcrypt-query: no command given"* ]]
	[[ "$stderr" == *"Try 'blkcrypt-query --help' for more information." ]]
}

@test "unknown command is a usage error, exit 2" {
	run --separate-stderr "$BLKCRYPT_QUERY" frobnicate
	[ "$status" -eq 2 ]
	[[ "$stderr" == "blkcrypt-query: unknown command 'frobnicate'"* ]]
	[[ "$stderr" == *"Try 'blkcrypt-query --help' for more information." ]]
}

@test "file without a path is a usage error" {
	run --separate-stderr "$BLKCRYPT_QUERY" file
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no path given"* ]]
}

@test "file --help lists every column" {
	run "$BLKCRYPT_QUERY" file --help
	[ "$status" -eq 0 ]
	for col in PATH DIO REASON MEM-ALIGN OFF-ALIGN READ-ALIGN AWU-MIN AWU-MAX ENCRYPTION \
		   CONTENTS FILENAMES FLAGS DU-SIZE KEY CRYPTO DEVICE FSTYPE SOURCE EXPLAIN; do
		[[ "$output" == *" $col "* ]] || { echo "missing $col"; return 1; }
	done
}

@test "an unknown column is a usage error" {
	run --separate-stderr "$BLKCRYPT_QUERY" file -o PATH,NOPE "$TMP/plain"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "blkcrypt-query: unknown column: NOPE"* ]]
}

@test "nonexistent path: prog: PATH: reason, exit 32" {
	run --separate-stderr "$BLKCRYPT_QUERY" file "$TMP/missing"
	[ "$status" -eq 32 ]
	[ -z "$output" ]
	assert_eq "$stderr" "blkcrypt-query: $TMP/missing: No such file or directory"
}

@test "one good and one bad path: exit 64, the good one reported" {
	run --separate-stderr "$BLKCRYPT_QUERY" file -n -o PATH "$TMP/plain" "$TMP/missing"
	[ "$status" -eq 64 ]
	assert_eq "$output" "$TMP/plain"
}

@test "JSON: named array, lowercase keys, numbers as numbers" {
	run "$BLKCRYPT_QUERY" file -J -o PATH,DIO,MEM-ALIGN,OFF-ALIGN,ENCRYPTION,SOURCE "$TMP/plain"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -r '.files[0].path' <<<"$output")" "$TMP/plain"
	assert_eq "$(jq -r '.files[0].encryption' <<<"$output")" "none"
	assert_eq "$(jq -r '.files[0].source' <<<"$output")" "inferred"
	assert_eq "$(jq -r '.files[0]["mem-align"] | type' <<<"$output")" "number"
}

@test "alignment columns equal what statx(2) reports" {
	local want
	want=$("$BCA_BUILDDIR/tests/helpers/pagecache" statx "$TMP/plain")
	run "$BLKCRYPT_QUERY" file -r -n -o MEM-ALIGN,OFF-ALIGN "$TMP/plain"
	[ "$status" -eq 0 ]
	assert_eq "$output" "$want"
}

@test "directory: verdict no, reason not-regular" {
	run "$BLKCRYPT_QUERY" file -P -o PATH,TYPE,DIO,REASON "$TMP"
	[ "$status" -eq 0 ]
	assert_eq "$output" "PATH=\"$TMP\" TYPE=\"dir\" DIO=\"no\" REASON=\"not-regular\""
}

@test "-L reports the symlink itself" {
	ln -s plain "$TMP/link"
	run "$BLKCRYPT_QUERY" file -L -r -n -o TYPE,DIO "$TMP/link"
	assert_eq "$output" "link no"
	run "$BLKCRYPT_QUERY" file -r -n -o TYPE "$TMP/link"
	assert_eq "$output" "file"
}

@test "raw and noheadings: one line per path" {
	run "$BLKCRYPT_QUERY" file -r -n -o PATH,TYPE "$TMP/plain" "$TMP"
	[ "$status" -eq 0 ]
	assert_eq "$output" "$TMP/plain file
$TMP dir"
}

@test "-o +COL appends to the default columns" {
	run "$BLKCRYPT_QUERY" file -o +FSTYPE "$TMP/plain"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == PATH*REASON*FSTYPE ]]
}
