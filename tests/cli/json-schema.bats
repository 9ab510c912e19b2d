#!/usr/bin/env bats
# The JSON of every command against schema/blkcryptadm.schema.json, read
# with a strict parser (tests/helpers/json-validate): the schema and the
# columns agree, and real output, every column selected, validates.
# tests/root and tests/vm validate what needs root, an encrypted
# filesystem or device-mapper.

load ../helpers/common

bats_require_minimum_version 1.5.0

setup() {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
		skip "no python3-jsonschema (scripts/debian-packages-test)"
	TMP=$(mktemp -d)
	VALIDATE=$BCA_SRCDIR/tests/helpers/json-validate
}

teardown() {
	rm -rf "$TMP"
}

# all_columns TOOL CMD: every column CMD lists in -o help, comma-separated
all_columns() {
	"$1" "$2" -o help | tail -n +2 | awk '{ print $1 }' | paste -sd,
}

# valid DEF CMD...: CMD's standard output validates against DEF
valid() {
	local def=$1
	shift
	run --separate-stderr "$@"
	[ -n "$output" ] || { echo "no output from $*: $stderr"; return 1; }
	"$VALIDATE" "$def" <<<"$output" || { echo "$output" | head -40; return 1; }
}

@test "the schema's objects have exactly the columns of their commands" {
	local tool cmd def
	while read -r tool cmd def; do
		assert_eq "$("$VALIDATE" --keys "$def" | sort)" \
			"$("$tool" "$cmd" -o help | tail -n +2 | awk '{ print tolower($1) }' | sort)"
	done <<-EOF
	$BLKCRYPT_QUERY file file-item
	$BLKCRYPT_QUERY fs fs-item
	$BLKCRYPT_QUERY device device-item
	$DMCRYPT_INLINE list list-item
	$DMCRYPT_INLINE status status-item
	EOF
}

@test "the validator refuses what the schema or strict JSON forbid" {
	local bad
	for bad in '{"files":[{"dio":"off"}]}' '{"files":[{"colour":"red"}]}' \
		'{"files":[{"dio":"yes","dio":"no"}]}' '{"files":[{"mem-align":-1}]}' \
		'{"files":[{"mem-align":NaN}]}' '{"files":[]}{"files":[]}' \
		'{"files":[],"summary":[]}' '{"filesystems":[{"children":[{"dio":"none"}]}]}' \
		'{"devices":[{"key":"4a6f"}]}'; do
		case $bad in
		'{"filesystems"'*) run "$VALIDATE" blkcrypt-query-fs <<<"$bad" ;;
		'{"devices"'*) run "$VALIDATE" dmcrypt-inline-status <<<"$bad" ;;
		*) run "$VALIDATE" blkcrypt-query-file <<<"$bad" ;;
		esac
		[ "$status" -eq 1 ] || { echo "accepted: $bad"; return 1; }
	done
	# bytes that are not UTF-8
	run "$VALIDATE" blkcrypt-query-file < <(printf '{"files":[{"path":"\xff"}]}')
	[ "$status" -eq 1 ]
	run "$VALIDATE" blkcrypt-query-file <<<'{"files":[{"dio":"buffered","reason":"no-inlinecrypt","mem-align":0}]}'
	[ "$status" -eq 0 ]
}

@test "file -J, every column, on each file type, a name that is not UTF-8 and a missing path" {
	printf hello >"$TMP/plain"
	mkdir "$TMP/dir"
	mkfifo "$TMP/fifo"
	ln -s plain "$TMP/link"
	printf x >"$TMP/$(printf 'bad\xffname')"
	valid blkcrypt-query-file "$BLKCRYPT_QUERY" file -J -o "$(all_columns "$BLKCRYPT_QUERY" file)" \
		"$TMP"/* /dev/null "$TMP/missing"
	[ "$status" -eq 64 ]
	assert_eq "$(jq -r '.files[].type' <<<"$output" | sort | paste -sd" ")" "chr dir fifo file file file"
	valid blkcrypt-query-file "$BLKCRYPT_QUERY" file -J -L -o "$(all_columns "$BLKCRYPT_QUERY" file)" "$TMP/link"
}

@test "file -R -J and -R -s -J, with an entry that cannot be read" {
	mkdir -p "$TMP/t/sub"
	printf x >"$TMP/t/sub/f"
	mkfifo "$TMP/t/fifo"
	ln -s .. "$TMP/t/sub/up"
	valid blkcrypt-query-file "$BLKCRYPT_QUERY" file -R -J --follow "$TMP/t"
	valid blkcrypt-query-file "$BLKCRYPT_QUERY" file -R -s -J --follow "$TMP/t"
	[ "$status" -eq 64 ]
	assert_eq "$(jq -c '[.summary[] | select(.reason == "error")] | length' <<<"$output")" 1
}

@test "fs -J nested and -l, every column, on every mount" {
	local cols
	cols=$(all_columns "$BLKCRYPT_QUERY" fs)
	valid blkcrypt-query-fs "$BLKCRYPT_QUERY" fs -a -J -o "$cols"
	assert_eq "$(jq '[.filesystems[] | .children | length] | unique' <<<"$output")" '[
  4
]'
	valid blkcrypt-query-fs "$BLKCRYPT_QUERY" fs -a -J -l -o "$cols"
	valid blkcrypt-query-fs "$BLKCRYPT_QUERY" fs -J "$TMP" /
}

@test "device -J, tree and -l, every column, on every recorded tree" {
	local name cols
	cols=$(all_columns "$BLKCRYPT_QUERY" device)
	for name in stack stack+patched stack+fallback stack+nofallback inlinecrypt many loops zram; do
		rm -rf "$TMP/sysroot"
		"$FIXTURES/mksysroot" "$name" "$TMP/sysroot"
		valid blkcrypt-query-device "$BLKCRYPT_QUERY" device --sysroot "$TMP/sysroot" -J -o "$cols"
		[ "$(jq '.devices | length' <<<"$output")" -gt 0 ]
		valid blkcrypt-query-device "$BLKCRYPT_QUERY" device --sysroot "$TMP/sysroot" -J -l -o "$cols"
	done
}

@test "device -J on this machine's own block devices" {
	ls /sys/class/block/ | grep -q . || skip "no block devices here"
	valid blkcrypt-query-device "$BLKCRYPT_QUERY" device -J -o "$(all_columns "$BLKCRYPT_QUERY" device)"
}
