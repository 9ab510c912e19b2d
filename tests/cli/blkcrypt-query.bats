#!/usr/bin/env bats
# blkcrypt-query without root: options, usage errors, output formats.

load ../helpers/common

bats_require_minimum_version 1.5.0

setup() {
	TMP=$(mktemp -d)
	printf 'hello' > "$TMP/plain"
}

teardown() {
	# background helpers of a test (flippers, blocked FIFO writers)
	if [ -n "${BG_PIDS:-}" ]; then
		kill $BG_PIDS 2>/dev/null || true
		wait $BG_PIDS 2>/dev/null || true
	fi
	# a tree deeper than rm's limits goes level by level
	[ ! -d "$TMP/deep" ] || deep_tree remove "$TMP/deep"
	rm -rf "$TMP"
}

# deep_tree make|remove DIR [LEVELS]: DIR/d/d/... LEVELS deep, files a and z
# at every level; or that chain removed from the bottom up.  One process
# walking by relative names: a shell's cd slows with the path's length.
deep_tree() {
	python3 - "$@" <<'PY'
import os, sys
op, top = sys.argv[1], sys.argv[2]
os.chdir(top)
if op == "make":
	for _ in range(int(sys.argv[3])):
		os.mkdir("d")
		os.chdir("d")
		for name in ("a", "z"):
			os.close(os.open(name, os.O_CREAT | os.O_WRONLY, 0o644))
else:
	depth = 0
	while os.path.isdir("d") and not os.path.islink("d"):
		os.chdir("d")
		depth += 1
	for _ in range(depth):
		for name in os.listdir("."):
			os.unlink(name)
		os.chdir("..")
		os.rmdir("d")
PY
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

@test "-o help lists the columns of the subcommand, every one of which -o takes" {
	local cmd col
	for cmd in file fs device; do
		run --separate-stderr "$BLKCRYPT_QUERY" "$cmd" -o help
		[ "$status" -eq 0 ] || { echo "$cmd: $stderr"; return 1; }
		[ -z "$stderr" ]
		[ "${lines[0]}" = "Available output columns:" ]
		((${#lines[@]} > 3))
		# the listed names are the ones -o accepts (exit 2 otherwise)
		for col in $(printf '%s\n' "${lines[@]:1}" | awk '{ print $1 }'); do
			run "$BLKCRYPT_QUERY" "$cmd" -o "$col" --help
			[ "$status" -ne 2 ] || { echo "$cmd -o $col: $output"; return 1; }
		done
	done
	# the same table as --help's
	run "$BLKCRYPT_QUERY" file -o help
	[[ "$("$BLKCRYPT_QUERY" file --help)" == *"$output"* ]]
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

@test "-R walks the tree, lists files, not directories, and no summary unless -s" {
	mkdir -p "$TMP/a/b"
	printf x > "$TMP/a/one"
	printf x > "$TMP/a/b/two"
	local mode
	# every line a file: no totals after the rows, in any format
	for mode in -r -l; do
		run "$BLKCRYPT_QUERY" file -R "$mode" -n -o PATH "$TMP"
		[ "$status" -eq 0 ]
		assert_eq "$(sort <<<"$output" | sed 's/ *$//')" "$TMP/a/b/two
$TMP/a/one
$TMP/plain"
	done
	run "$BLKCRYPT_QUERY" file -R -o PATH "$TMP"
	[ "${#lines[@]}" -eq 4 ] || { echo "$output"; return 1; }
	run "$BLKCRYPT_QUERY" file -R -s -n -r "$TMP"
	[[ "$output" != *"$TMP"* && -n "$output" ]]
}

@test "-R --summary -J counts per verdict and reason" {
	mkdir -p "$TMP/d"
	printf x > "$TMP/d/f1"
	printf x > "$TMP/d/f2"
	mkfifo "$TMP/d/fifo"
	run "$BLKCRYPT_QUERY" file -R -s -J "$TMP/d"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '[.summary[] | [.dio, .reason, .count]] | sort' <<<"$output")" \
		"$(jq -cn --arg v "$("$BLKCRYPT_QUERY" file -r -n -o DIO "$TMP/d/f1")" \
			'[["no","not-regular",1],[$v,(if $v == "yes" then null else "unknown" end),2]] | sort')"
}

@test "-R --summary counts the entries it could not read as DIO unknown, REASON error, exit 64" {
	mkdir -p "$TMP/e/sub"
	printf x > "$TMP/e/sub/f"
	ln -s .. "$TMP/e/sub/up"
	run --separate-stderr "$BLKCRYPT_QUERY" file -R -s -J --follow "$TMP/e"
	[ "$status" -eq 64 ]
	assert_eq "$stderr" "blkcrypt-query: $TMP/e/sub/up: Too many levels of symbolic links"
	# a verdict is always one of file's: the error row is unknown, and says why
	assert_eq "$(jq -c '[.summary[] | select(.reason == "error") | [.dio, .count]]' <<<"$output")" '[["unknown",1]]'
	assert_eq "$(jq -c '[.summary[].dio] - ["yes", "no", "buffered", "unknown"]' <<<"$output")" '[]'
}

@test "-R does not follow symlinks unless asked, and stops symlink cycles" {
	mkdir -p "$TMP/t/sub"
	printf x > "$TMP/t/sub/f"
	ln -s .. "$TMP/t/sub/up"
	run "$BLKCRYPT_QUERY" file -R -r -n -o PATH,TYPE "$TMP/t"
	[ "$status" -eq 0 ]
	assert_eq "$(grep -c . <<<"$output")" 2
	[[ "$output" == *"$TMP/t/sub/up link"* ]]
	run --separate-stderr "$BLKCRYPT_QUERY" file -R --follow -r -n -o PATH "$TMP/t"
	[ "$status" -eq 64 ]
	[[ "$stderr" == *"$TMP/t/sub/up: Too many levels of symbolic links"* ]]
}

@test "-R streams: JSON stays one valid array past the chunk size" {
	mkdir "$TMP/many"
	(cd "$TMP/many" && seq 1 2500 | xargs touch)
	run "$BLKCRYPT_QUERY" file -R -J -o PATH "$TMP/many"
	[ "$status" -eq 0 ]
	assert_eq "$(jq '.files | length' <<<"$output")" 2500
	assert_eq "$(jq -r '[.files[].path] | unique | length' <<<"$output")" 2500
	run "$BLKCRYPT_QUERY" file -R -r -o PATH "$TMP/many"
	assert_eq "$(grep -c '^PATH$' <<<"$output")" 1
	assert_eq "$(grep -c "^$TMP/many/" <<<"$output")" 2500
}

@test "--follow without -R is a usage error" {
	run --separate-stderr "$BLKCRYPT_QUERY" file --follow "$TMP"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--follow and --cross-mounts need --recursive"* ]]
}

@test "--require-dio: exit 3 when a path would not get real direct I/O" {
	run "$BLKCRYPT_QUERY" file --require-dio "$TMP"
	[ "$status" -eq 3 ]
	run "$BLKCRYPT_QUERY" file --require-dio "$TMP/missing"
	[ "$status" -eq 32 ]
}

@test "names: -J stays valid UTF-8 JSON, -P evaluates in a shell, tables print UTF-8 as it is" {
	local bad good nl
	bad=$(printf '%s/a\xffb' "$TMP")
	good="$TMP/é"
	nl=$(printf '%s/line\nforged' "$TMP")
	touch "$bad" "$good" "$nl"
	run "$BLKCRYPT_QUERY" file -J -o PATH "$bad" "$good" "$nl"
	[ "$status" -eq 0 ]
	# a strict parser: invalid UTF-8 anywhere fails the whole document
	python3 -c 'import json, sys; d = json.loads(sys.stdin.buffer.read().decode("utf-8", "strict")); print("\n".join(repr(f["path"]) for f in d["files"]))' \
		<<<"$output" >"$TMP/paths"
	assert_eq "$(sed -n 1p "$TMP/paths")" "'$TMP/a\\\\xffb'"
	assert_eq "$(sed -n 2p "$TMP/paths")" "'$TMP/é'"
	assert_eq "$(sed -n 3p "$TMP/paths")" "'$TMP/line\\nforged'"
	# keys are shell identifiers: eval assigns them
	run "$BLKCRYPT_QUERY" file -P -o TYPE,MEM-ALIGN,OFF-ALIGN "$good"
	[ "$status" -eq 0 ]
	local TYPE= MEM_ALIGN= OFF_ALIGN=
	eval "$output"
	assert_eq "$TYPE" file
	[ -n "$MEM_ALIGN" ] && [ -n "$OFF_ALIGN" ]
	run env LC_ALL=C.UTF-8 "$BLKCRYPT_QUERY" file -n -o PATH "$good"
	assert_eq "$output" "$good"
}

@test "names: a byte 0xff and the text \\xff never print the same, in -J, -P and -r" {
	local byte=$TMP/$'a\xffb' text=$TMP/'a\xffb' mode b t
	touch "$byte" "$text"
	for mode in -J -P -r; do
		b=$("$BLKCRYPT_QUERY" file "$mode" -n -o PATH "$byte")
		t=$("$BLKCRYPT_QUERY" file "$mode" -n -o PATH "$text")
		echo "# $mode: $(tr -s '\n ' ' ' <<<"$b") | $(tr -s '\n ' ' ' <<<"$t")" >&3
		[ "$b" != "$t" ]
	done
	# JSON: the backslash of the name is \x5c, as -P and -r write it
	run "$BLKCRYPT_QUERY" file -J -o PATH "$text"
	assert_eq "$(jq -r '.files[0].path' <<<"$output")" "$TMP/a\\x5cxffb"
	run "$BLKCRYPT_QUERY" file -J -o PATH "$byte"
	assert_eq "$(jq -r '.files[0].path' <<<"$output")" "$TMP/a\\xffb"
}

@test "a write error on standard output is a failure, in every tool" {
	[ -w /dev/full ] || skip "no /dev/full"
	# the redirection inside: run itself captures the command's stdout
	run --separate-stderr bash -c '"$@" >/dev/full' - "$BLKCRYPT_QUERY" file "$TMP"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "blkcrypt-query: write error: No space left on device"
	run --separate-stderr bash -c '"$@" >/dev/full' - "$FSCRYPTCTL_DIO" check_dio "$TMP"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "error: write error: No space left on device"
	run --separate-stderr bash -c '"$@" >/dev/full' - "$DMCRYPT_INLINE" --version
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "dmcrypt-inline: write error: No space left on device"
}

# --- device, on the recorded trees of tests/fixtures/mksysroot -----------

sysroot() {
	SYSROOT=$TMP/sysroot
	"$FIXTURES/mksysroot" "$1" "$SYSROOT"
}

@test "device with no argument lists the top of every stack, as lsblk -s, without empty devices" {
	sysroot stack
	run --separate-stderr "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME
	[ "$status" -eq 0 ]
	# the partition and sda are dm slaves; nvme0n1 is the partition's disk
	assert_eq "$(jq -c '[.devices[].name]' <<<"$output")" '["dm-0","dm-1","dm-2","dm-3","dm-4"]'
	assert_eq "$(jq -c '[.devices[] | .. | objects | .name] | unique' <<<"$output")" \
		'["dm-0","dm-1","dm-2","dm-3","dm-4","nvme0n1","nvme0n1p1","sda"]'
	rm -rf "$SYSROOT"
	sysroot inlinecrypt
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -r -n -o NAME
	# a disk with a partition shows under it; the loop device's own stack beside it
	assert_eq "$output" "loop0
nvme0n1p1
nvme0n1"
	rm -rf "$SYSROOT"
	sysroot zram
	# a zram backing device is used up; zram5 emptied (size 0) is left out
	printf '0\n' >"$SYSROOT/sys/devices/virtual/block/zram5/size"
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '[.devices[].name]' <<<"$output")" '["zram0","zram1","zram2","zram3","zram4"]'
}

@test "device: zram follows its backing device; a loop below with loop/dio 0 makes its writeback buffered" {
	sysroot zram
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,KIND,DIO,DIO-REASON,ZRAM-WB,ZRAM-BACKING,WB-LIMIT,BD-COUNT,BD-WRITES,LOOP-DIO zram0
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '.devices[0] | [.name, .kind, .dio, ."dio-reason", ."zram-wb", ."zram-backing", ."wb-limit", ."bd-count", ."bd-writes"]' <<<"$output")" \
		'["zram0","zram","buffered","loop-dio-off","buffered","/dev/loop0","1000",2048,2048]'
	assert_eq "$(jq -c '.devices[0].children[0] | [.name, .kind, .dio, ."dio-reason", ."loop-dio"]' <<<"$output")" \
		'["loop0","loop","buffered","loop-dio-off","off"]'
	# the backing file's line below the loop device
	assert_eq "$(jq -r '.devices[0].children[0].children[0] | .name + " " + .kind' <<<"$output")" "/data/enc/zram-backing file"
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" --require-dio zram0
	[ "$status" -eq 3 ]
}

@test "device: zram verdicts: none without a backing device, yes over a partition, unknown where nothing tells" {
	sysroot zram
	# DIO in file's verdicts (null: no writeback, no page cache), ZRAM-WB in its own words
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,ZRAM-WB,DIO zram1 zram2 zram4
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '[.devices[] | [.name, ."zram-wb", .dio]]' <<<"$output")" \
		'[["zram1","none",null],["zram2","none",null],["zram4","yes","yes"]]'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,ZRAM-WB,ZRAM-BACKING,WB-LIMIT zram1 zram2 zram3 zram4 zram5
	[ "$status" -eq 0 ]
	# zram2: a kernel without CONFIG_ZRAM_WRITEBACK; zram3: loop/dio 1 and
	# no file to ask in a recording; zram5: a backing device not found
	assert_eq "$(jq -c '[.devices[] | .. | objects | select(.name) | [.name, ."zram-wb", ."zram-backing", ."wb-limit"]]' <<<"$output")" \
		'[["zram1","none",null,"off"],["zram2","none",null,null],["zram3","unknown","/dev/loop1","off"],["loop1",null,null,null],["/data/enc/zram-backing2",null,null,null],["zram4","yes","/dev/vdb1","off"],["vdb1",null,null,null],["vdb",null,null,null],["zram5","unknown","/dev/sdz","off"]]'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" --require-dio zram1 zram2 zram4
	[ "$status" -eq 0 ]
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" --require-dio zram4 zram5
	[ "$status" -eq 3 ]
}

@test "device: SWAP says which devices are active swap areas (/proc/swaps), and is a default column" {
	sysroot zram
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,SWAP zram1 zram0
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '[.devices[] | .. | objects | select(.name) | [.name, .swap]]' <<<"$output")" \
		'[["zram1",true],["zram0",false],["loop0",false],["/data/enc/zram-backing",null]]'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" zram1
	assert_eq "$(head -n1 <<<"$output" | tr -s ' ')" "NAME KIND TARGET PASSTHROUGH PROFILE MODES DUN-BITS KEYSLOTS FILE-CRYPTO DIO SWAP"
	# without /proc/swaps (a kernel without CONFIG_SWAP) nothing is swap
	rm "$SYSROOT/proc/swaps"
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,SWAP zram1
	assert_eq "$(jq -c '.devices[0].swap' <<<"$output")" "false"
}

@test "device: a disk without a profile uses blk-crypto-fallback when the kernel config has it" {
	sysroot stack+fallback
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -P -o NAME,KIND,PROFILE,MODES,FILE-CRYPTO sda
	[ "$status" -eq 0 ]
	assert_eq "$output" 'NAME="sda" KIND="disk" PROFILE="none" MODES="" FILE_CRYPTO="inline-fallback"'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o EXPLAIN sda
	[[ $(jq -r '.devices[0].explain' <<<"$output") == *"blk-crypto-fallback encrypts instead (evidence: the kernel configuration in /proc/config.gz)"* ]]
}

@test "device: the series' sysfs facts: fallback and passthrough from the kernel, over any config" {
	sysroot stack+patched
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,PROFILE,FILE-CRYPTO,EXPLAIN sda
	[ "$status" -eq 0 ]
	assert_eq "$(jq -r '.devices[0]."file-crypto"' <<<"$output")" "inline-fallback"
	[[ $(jq -r '.devices[0].explain' <<<"$output") == *"(evidence: the kernel (queue/crypto_fallback in sysfs))"* ]]
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,PASSTHROUGH,PROFILE dm-0
	assert_eq "$(jq -c '.devices[0] | [.name, .passthrough, .profile]' <<<"$output")" '["dm-0",true,"passthrough"]'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -r -n -o PROFILE nvme0n1
	assert_eq "$output" "hardware"
	# the partition reads its disk's queue
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,PROFILE,EXPLAIN nvme0n1p1
	assert_eq "$(jq -r '.devices[0].profile' <<<"$output")" "hardware"
}

@test "device: a kernel built without blk-crypto gives FILE-CRYPTO none, with the evidence" {
	sysroot stack+nofallback
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -P -o NAME,FILE-CRYPTO sda
	[ "$status" -eq 0 ]
	assert_eq "$output" 'NAME="sda" FILE_CRYPTO="none"'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o EXPLAIN sda
	[[ $(jq -r '.devices[0].explain' <<<"$output") == *"no blk-crypto-fallback (evidence: the kernel configuration in /boot)"* ]]
	# hardware needs no fallback
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -r -n -o FILE-CRYPTO nvme0n1
	assert_eq "$output" "inline-hw"
}

@test "device: -P and -r carry no tree drawing, -l lists, -J nests by children unless -l" {
	sysroot stack
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -o NAME,KIND dm-0
	[[ "${lines[2]}" == *"└─"* ]]	# the table draws the stack
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -P -o NAME,KIND dm-0
	assert_eq "$output" $'NAME="dm-0" KIND="dm"\nNAME="nvme0n1p1" KIND="part"\nNAME="nvme0n1" KIND="disk"'
	# each line evaluates in the shell as it is
	eval "${lines[1]}"
	assert_eq "$NAME" nvme0n1p1
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -r -n -o NAME,KIND dm-0
	assert_eq "$output" $'dm-0 dm\nnvme0n1p1 part\nnvme0n1 disk'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" --list -n -o NAME,KIND dm-0
	assert_eq "$(tr -s ' ' <<<"$output")" $'dm-0 dm\nnvme0n1p1 part\nnvme0n1 disk'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME dm-0
	assert_eq "$(jq -c '[.devices[0].name, .devices[0].children[0].name, .devices[0].children[0].children[0].name]' <<<"$output")" \
		'["dm-0","nvme0n1p1","nvme0n1"]'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -l -o NAME dm-0
	assert_eq "$(jq -c '[.devices[].name], [.devices[] | has("children")] | tostring' <<<"$output" | tr -d '\n')" \
		'"[\"dm-0\",\"nvme0n1p1\",\"nvme0n1\"]""[false,false,false]"'
}

@test "device: without evidence of blk-crypto-fallback FILE-CRYPTO is unknown, and says why" {
	sysroot stack
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,FILE-CRYPTO,EXPLAIN sda
	[ "$status" -eq 0 ]
	assert_eq "$(jq -r '.devices[0]."file-crypto"' <<<"$output")" "unknown"
	[[ $(jq -r '.devices[0].explain' <<<"$output") == *"no kernel configuration found"* ]]
}

@test "device: dm-striped passes no inline crypto: no over a profile, unknown over none" {
	sysroot stack+fallback
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,TARGET,PASSTHROUGH,PROFILE,FILE-CRYPTO dm-3
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '.devices[0] | [.name, .target, .passthrough, .profile, ."file-crypto", .children[0].profile]' <<<"$output")" \
		'["dm-3","striped",false,"none","inline-fallback","hardware"]'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,TARGET,PASSTHROUGH dm-4
	assert_eq "$(jq -c '.devices[0] | [.name, .target, .passthrough]' <<<"$output")" '["dm-4","striped",null]'
	# the same holds for linear: without a profile below, a target is no evidence
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -P -o NAME,PASSTHROUGH dm-2
	assert_eq "${lines[0]}" 'NAME="dm-2" PASSTHROUGH=""'
	run "$BLKCRYPT_QUERY" device --help
	[[ $output != *striped* ]]
}

@test "device --sysroot: a FIFO as uevent, mode file, dm table or config.gz never hangs" {
	local nvme sda
	sysroot stack+fallback
	nvme=$SYSROOT/sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1
	sda=$SYSROOT/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda
	rm "$nvme/queue/crypto/modes/AES-256-XTS" "$SYSROOT/dm-tables/fast" "$SYSROOT/proc/config.gz"
	mkfifo "$nvme/queue/crypto/modes/AES-256-XTS" "$SYSROOT/dm-tables/fast" "$SYSROOT/proc/config.gz"
	# a mode file that is a FIFO is no mode
	run timeout 10 "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -P -o NAME,MODES nvme0n1
	[ "$status" -eq 0 ]
	assert_eq "$output" 'NAME="nvme0n1" MODES="AES-128-CBC-ESSIV:4096"'
	# a table that is a FIFO: the target is unknown
	run timeout 10 "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,TARGET dm-0
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '.devices[0] | [.name, .target]' <<<"$output")" '["dm-0",null]'
	# a config that is a FIFO is no evidence
	run timeout 10 "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,FILE-CRYPTO,EXPLAIN sda
	[ "$status" -eq 0 ]
	assert_eq "$(jq -r '.devices[0]."file-crypto"' <<<"$output")" unknown
	[[ $(jq -r '.devices[0].explain' <<<"$output") == *"no kernel configuration found"* ]]
	# a uevent that is a FIFO: the device cannot be named, and says why
	rm "$sda/uevent"
	mkfifo "$sda/uevent"
	run --separate-stderr timeout 10 "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" sda
	[ "$status" -eq 32 ]
	assert_eq "$stderr" "blkcrypt-query: sda: not a regular file where a kernel interface file was expected"
}

@test "device --sysroot: symlinks resolve inside the recording, absolute or up with .., never to the live system" {
	sysroot stack
	# an absolute link means the recorded system's /sys
	ln -sfn /sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1 "$SYSROOT/sys/dev/block/259:0"
	run timeout 10 "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -P -o NAME,PROFILE 259:0
	[ "$status" -eq 0 ]
	assert_eq "$output" 'NAME="nvme0n1" PROFILE="hardware"'
	# links that would leave the recording, to a device directory outside it
	mkdir "$TMP/outside"
	printf 'MAJOR=8\nMINOR=0\nDEVNAME=escaped\n' >"$TMP/outside/uevent"
	echo 8:0 >"$TMP/outside/dev"
	ln -sfn "$TMP/outside" "$SYSROOT/sys/dev/block/8:0"
	run --separate-stderr timeout 10 "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -r -o NAME 8:0
	[ "$status" -eq 32 ]
	[[ "$output$stderr" != *escaped* ]]
	ln -sfn "../../../../../../../../../../..$TMP/outside" "$SYSROOT/sys/class/block/sda"
	run --separate-stderr timeout 10 "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -r -o NAME sda
	[ "$status" -eq 32 ]
	[[ "$output$stderr" != *escaped* ]]
}

@test "device: a hardware profile with modes, data unit sizes, DUN bits, keyslots" {
	sysroot stack
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J nvme0n1
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '.devices[0] | [.name, .kind, .profile, .modes, ."dun-bits", .keyslots, ."key-types", ."file-crypto"]' <<<"$output")" \
		'["nvme0n1","disk","hardware","AES-128-CBC-ESSIV:4096 AES-256-XTS:512,4096",64,32,null,"inline-hw"]'
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -r -n -o KEY-TYPES nvme0n1
	assert_eq "$output" "raw"
}

@test "device: dm-linear passes the profile through, down to the disk" {
	sysroot stack
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,TARGET,PASSTHROUGH,PROFILE,FILE-CRYPTO dm-0
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '.devices[0] | [.name, .target, .passthrough, .profile, ."file-crypto"]' <<<"$output")" \
		'["dm-0","linear",true,"passthrough","inline-hw"]'
	assert_eq "$(jq -c '.devices[0].children[0] | [.name, .profile, .children[0].name]' <<<"$output")" \
		'["nvme0n1p1","hardware","nvme0n1"]'
}

@test "device: dm-crypt does not pass inline crypto through" {
	sysroot stack+fallback
	run "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -J -o NAME,TARGET,PASSTHROUGH,PROFILE,FILE-CRYPTO 253:1
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '.devices[0] | [.name, .target, .passthrough, .profile, ."file-crypto", .children[0].profile]' <<<"$output")" \
		'["dm-1","crypt",false,"none","inline-fallback","hardware"]'
}

@test "device: a recorded tree whose slaves point back ends, each device expanded once" {
	sysroot loops
	run timeout 120 "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -r -n -o NAME dm-0
	[ "$status" -eq 0 ]
	# dm-0, its two slaves (dm-0 not again expanded, dm-1 once), dm-1's two
	assert_eq "$(wc -l <<<"$output")" 5
}

@test "device: the tree is drawn in table output, ASCII or UTF-8 as the locale says" {
	sysroot stack
	run env LC_ALL=C "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -o NAME dm-2
	assert_eq "$output" "NAME
dm-2
\`-sda"
	run env LC_ALL=C.UTF-8 "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" -o NAME dm-2
	assert_eq "$output" "NAME
dm-2
└─sda"
}

@test "device: unknown device: exit 32 with a clear message" {
	sysroot stack
	run --separate-stderr "$BLKCRYPT_QUERY" device --sysroot "$SYSROOT" nosuchdev
	[ "$status" -eq 32 ]
	assert_eq "$stderr" "blkcrypt-query: nosuchdev: No such file or directory"
	run --separate-stderr "$BLKCRYPT_QUERY" device --sysroot "$TMP/none" sda
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "blkcrypt-query: $TMP/none: No such file or directory"
}

@test "device: a path on a filesystem without a block device" {
	run --separate-stderr "$BLKCRYPT_QUERY" device /proc/self
	[ "$status" -eq 32 ]
	assert_eq "$stderr" "blkcrypt-query: /proc/self: not a block device, nor on a filesystem with one"
}

@test "device --help lists every column" {
	run "$BLKCRYPT_QUERY" device --help
	for col in NAME MAJ:MIN KIND TARGET PASSTHROUGH PROFILE MODES DUN-BITS KEYSLOTS KEY-TYPES FILE-CRYPTO; do
		[[ "$output" == *" $col "* ]] || { echo "missing $col"; return 1; }
	done
}

@test "--probe with --recursive is a usage error" {
	run --separate-stderr "$BLKCRYPT_QUERY" file --probe -R "$TMP"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--probe writes 1 MiB per file: not with --recursive"* ]]
}

@test "getopt's own messages name the program and the command" {
	run --separate-stderr "$BLKCRYPT_QUERY" file --bogus "$TMP"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "blkcrypt-query file: unrecognized option '--bogus'"* ]]
}

@test "fs without a mount point lists the mounts findmnt lists, pseudo filesystems only with -a" {
	local pseudo='^(autofs|binfmt_misc|bpf|cgroup|cgroup2|configfs|debugfs|devpts|devtmpfs|efivarfs|fusectl|hugetlbfs|mqueue|nsfs|proc|pstore|rpc_pipefs|securityfs|selinuxfs|sysfs|tracefs)$'
	# util-linux's reading of the same mountinfo is the reference
	run findmnt -J --list -o TARGET,FSTYPE
	[ "$status" -eq 0 ]
	local all data
	all=$(jq -r '.filesystems[] | [.target, .fstype] | @tsv' <<<"$output" | sort)
	data=$(awk -F'\t' -v p="$pseudo" '$2 !~ p' <<<"$all")
	[ -n "$data" ]
	run --separate-stderr "$BLKCRYPT_QUERY" fs -J -o MOUNTPOINT,FSTYPE,CONTENTS
	[ "$status" -eq 0 ] || [ "$status" -eq 64 ] || { echo "$stderr"; return 1; }
	# JSON nests: one object per mount, its four contents modes as children
	assert_eq "$(jq -r '.filesystems[] | [.mountpoint, .fstype] | @tsv' <<<"$output" | sort)" "$data"
	assert_eq "$(jq -c '[.filesystems[] | [.children[].contents] | join(",")] | unique' <<<"$output")" \
		'["AES-256-XTS,AES-128-CBC,Adiantum,SM4-XTS"]'
	# -l: one line per contents mode, the mount repeated on each
	run --separate-stderr "$BLKCRYPT_QUERY" fs -a -J -l -o MOUNTPOINT,FSTYPE,CONTENTS
	assert_eq "$(jq -r '.filesystems[] | select(.contents == "AES-256-XTS") | [.mountpoint, .fstype] | @tsv' <<<"$output" | sort)" "$all"
}

@test "fs: a missing mount point is exit 32" {
	run --separate-stderr "$BLKCRYPT_QUERY" fs "$TMP/none"
	[ "$status" -eq 32 ]
	assert_eq "$stderr" "blkcrypt-query: $TMP/none: No such file or directory"
}

@test "file: every column in every format (-J types checked with jq, -P keys, -r fields)" {
	local cols
	cols=$("$BLKCRYPT_QUERY" file --help | sed -n '/^Available output columns:/,/^$/p' |
		awk '/^ +[A-Z]/ {print $1}' | paste -sd, -)
	[ "$(tr ',' '\n' <<<"$cols" | wc -l)" -ge 20 ]
	run "$BLKCRYPT_QUERY" file -J -o "$cols" "$TMP/plain"
	[ "$status" -eq 0 ]
	# every column is a key; numbers are numbers (or null), the rest strings (or null)
	for c in $(tr ',' ' ' <<<"${cols,,}"); do
		jq -e --arg k "$c" '.files[0] | has($k)' <<<"$output" >/dev/null || { echo "no key $c"; return 1; }
	done
	for c in mem-align off-align du-size cached; do
		jq -e --arg k "$c" '.files[0][$k] | (type == "number" or type == "null")' <<<"$output" >/dev/null ||
			{ echo "$c is not a number"; return 1; }
	done
	for c in path dio source explain; do
		jq -e --arg k "$c" '.files[0][$k] | type == "string"' <<<"$output" >/dev/null ||
			{ echo "$c is not a string"; return 1; }
	done
	run "$BLKCRYPT_QUERY" file -P -o "$cols" "$TMP/plain"
	[ "$status" -eq 0 ]
	for c in $(tr ',' ' ' <<<"$cols"); do
		[[ "$output" == *"${c//-/_}=\""* || "$output" == *"$c=\""* ]] || { echo "no pair $c"; return 1; }
	done
	run "$BLKCRYPT_QUERY" file -r -o "$cols" "$TMP/plain"
	[ "${#lines[@]}" -eq 2 ]
	[ "$(wc -w <<<"${lines[0]}")" -eq "$(tr ',' '\n' <<<"$cols" | wc -l)" ]
}

@test "diagnostics: --debug and BLKCRYPTADM_DEBUG put the library's messages on stderr, stdout unchanged" {
	local plain
	run --separate-stderr "$BLKCRYPT_QUERY" file -r -n -o PATH,DIO "$TMP"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	plain=$output
	run --separate-stderr "$BLKCRYPT_QUERY" --debug file -r -n -o PATH,DIO "$TMP"
	[ "$status" -eq 0 ]
	assert_eq "$output" "$plain"
	[[ $stderr == "blkcrypt-query: debug: "* ]]
	run --separate-stderr env BLKCRYPTADM_DEBUG=1 "$FSCRYPTCTL_DIO" check_dio "$TMP"
	[[ $stderr == "debug: "* ]]
	run --separate-stderr env BLKCRYPTADM_DEBUG=0 "$BLKCRYPT_QUERY" file "$TMP"
	[ -z "$stderr" ]
	run "$BLKCRYPT_QUERY" --help
	[[ $output == *"--debug"* ]]
}

@test "a one-file query maps no libdevmapper, zlib or libkeyutils: dlopen()ed when first needed" {
	run --separate-stderr env LD_DEBUG=files "$BLKCRYPT_QUERY" file "$TMP/plain"
	[ "$status" -eq 0 ]
	# the loader's trace works: the linked libraries are in it
	[[ "$stderr" == *"file=libmount.so."*"needed by"*"libblkcryptadm.so"* ]]
	[[ "$stderr" == *"file=libsmartcols.so."* ]]
	! grep -E 'file=(libdevmapper|libz|libkeyutils)\.so' <<<"$stderr"
}

@test "file: a symlink flipping between a file and a FIFO: each report is one object, the FIFO is never opened" {
	local i out err rc type runs=0 files=0 fifos=0 errors=0
	head -c 8192 /dev/zero >"$TMP/reg"
	mkfifo "$TMP/fifo"
	ln -s reg "$TMP/link"
	# the link flips by rename(2), so it always exists
	python3 -c '
import os, sys
os.chdir(sys.argv[1])
while True:
	for target in ("reg", "fifo"):
		os.symlink(target, "l.new")
		os.rename("l.new", "link")
' "$TMP" </dev/null >/dev/null 2>&1 3>&- &
	BG_PIDS="$BG_PIDS $!"
	# a writer blocked in open(2) until somebody opens the FIFO to read it:
	# a report that sent its ioctls to the FIFO leaves a line in "opened"
	(
		while :; do
			{ echo opened >>"$TMP/opened"; } 4>"$TMP/fifo"
		done
	) </dev/null >/dev/null 2>&1 3>&- &
	BG_PIDS="$BG_PIDS $!"
	for i in $(seq 100); do
		[ "$SECONDS" -lt 120 ] || break
		rc=0
		out=$(timeout 20 "$BLKCRYPT_QUERY" file -J -o PATH,TYPE,DIO,REASON,MEM-ALIGN,OFF-ALIGN,ENCRYPTION \
			"$TMP/link" 2>"$TMP/err") || rc=$?
		err=$(cat "$TMP/err")
		runs=$((runs + 1))
		[ "$rc" -ne 124 ] || { echo "run $i hung"; return 1; }
		if [ "$rc" -ne 0 ]; then
			# a clear error about the path, nothing on stdout
			[[ "$err" == "blkcrypt-query: $TMP/link: "* ]] || { echo "run $i: rc $rc: $err"; return 1; }
			[ -z "$out" ] || { echo "run $i: output with rc $rc: $out"; return 1; }
			errors=$((errors + 1))
			continue
		fi
		[ -z "$err" ] || { echo "run $i: stderr on success: $err"; return 1; }
		type=$(jq -r '.files[0] | "\(.type) \(.dio) \(.reason) \(.encryption) \(."mem-align" | type)"' <<<"$out")
		case $type in
		"file yes null none number") files=$((files + 1)) ;;
		"fifo no not-regular none null") fifos=$((fifos + 1)) ;;
		*) echo "run $i: mixed report: $out"; return 1 ;;
		esac
	done
	echo "# $runs runs: $files file reports, $fifos fifo reports, $errors errors" >&3
	[ "$runs" -ge 20 ]
	if [ -e "$TMP/opened" ]; then
		echo "the FIFO was opened $(wc -l <"$TMP/opened") times in $runs runs"
		return 1
	fi
}

@test "-R: a 12,000-level tree is reported whole under ulimit -n 1024, in readdir order" {
	local rc=0
	mkdir "$TMP/deep"
	deep_tree make "$TMP/deep" 12000
	(
		ulimit -n 1024
		exec timeout 300 "$BLKCRYPT_QUERY" file -R -r -n -o PATH "$TMP/deep"
	) >"$TMP/rows" 2>"$TMP/err" || rc=$?
	head -c 300 "$TMP/err"
	[ "$rc" -eq 0 ]
	[ ! -s "$TMP/err" ]
	assert_eq "$(wc -l <"$TMP/rows")" 24000
	# depth-first in readdir order, as find(1) lists it: files after the
	# subdirectory "d" in readdir order come when its 12,000 levels are done
	find "$TMP/deep" -type f >"$TMP/want"
	cmp "$TMP/want" "$TMP/rows"
}

@test "-R --follow: directories entered through symlinks are resumed by their path, under ulimit -n 64" {
	local i rc=0
	# top/d -> store/r1, r1/d -> r2, ...: ".." of each leads to store, not back
	mkdir -p "$TMP/top" "$TMP/store"
	for i in $(seq 100); do
		mkdir "$TMP/store/r$i"
		: >"$TMP/store/r$i/a"
		: >"$TMP/store/r$i/z"
		[ "$i" -eq 100 ] || ln -s "../r$((i + 1))" "$TMP/store/r$i/d"
	done
	ln -s ../store/r1 "$TMP/top/d"
	(
		ulimit -n 64
		exec timeout 60 "$BLKCRYPT_QUERY" file -R --follow -r -n -o PATH "$TMP/top"
	) >"$TMP/rows" 2>"$TMP/err" || rc=$?
	head -c 300 "$TMP/err"
	[ "$rc" -eq 0 ]
	assert_eq "$(wc -l <"$TMP/rows")" 200
	# every level once, a and z of each
	assert_eq "$(sort -u "$TMP/rows" | wc -l)" 200
	grep -qx "$TMP/top$(printf '/d%.0s' $(seq 100))/z" "$TMP/rows"
}

@test "README's Prometheus textfile example runs and writes the exposition format" {
	local snippet out="$TMP/prom" line
	mkdir -p "$out" "$TMP/srv"
	printf x >"$TMP/srv/a"
	mkfifo "$TMP/srv/p"
	# the README's block, its paths pointed at this test's files
	snippet=$(awk '/^blkcrypt-query file -R -s -J \/srv\/db/ { on = 1 } on { print } on && /blkcrypt.prom$/ { exit }' "$BCA_SRCDIR/README.md")
	[ -n "$snippet" ]
	snippet=${snippet//\/var\/lib\/prometheus\/node-exporter/$out}
	snippet=${snippet//\/srv\/db/$TMP/srv}
	PATH=$BCA_BUILDDIR:$PATH bash -euo pipefail -c "$snippet"
	[ -s "$out/blkcrypt.prom" ] && [ ! -e "$out/blkcrypt.prom.tmp" ]
	# every line a comment or 'name{labels} number', and the counts are file's
	while IFS= read -r line; do
		[[ $line == "# "* || $line =~ ^blkcrypt_files\{path=\"[^\"]*\",dio=\"[a-z]+\",reason=\"[a-z-]*\"\}\ [0-9]+$ ]] ||
			{ echo "not exposition format: $line"; return 1; }
	done <"$out/blkcrypt.prom"
	grep -q "dio=\"no\",reason=\"not-regular\"} 1$" "$out/blkcrypt.prom"
	assert_eq "$(grep -c '^blkcrypt_files{' "$out/blkcrypt.prom")" "2"
}
