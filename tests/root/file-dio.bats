#!/usr/bin/env bats
# blkcrypt-query file on a real loop-mounted ext4 with encryption, on the
# host kernel (fscrypt yes, blk-crypto no): values cross-checked against
# statx(2) read independently by tests/helpers/pagecache.

load ../helpers/common

bats_require_minimum_version 1.5.0

PAGECACHE=$BCA_BUILDDIR/tests/helpers/pagecache
FSCRYPT=$BCA_BUILDDIR/tests/helpers/vm-fscrypt

setup_file() {
	[ "$(id -u)" -eq 0 ] && [ -e /dev/loop-control ] || return 0
	export WORK; WORK=$(mktemp -d /var/tmp/bca-root.XXXXXX)
	chmod 755 "$WORK"
	truncate -s 64M "$WORK/img"
	mkfs.ext4 -q -F -O encrypt -b 4096 "$WORK/img"
	mkdir "$WORK/mnt"
	mount -o loop "$WORK/img" "$WORK/mnt"
	head -c 64 /dev/urandom > "$WORK/key"
	export KEYID; KEYID=$("$FSCRYPT" add_key "$WORK/mnt" < "$WORK/key")
	mkdir "$WORK/mnt/enc"
	"$FSCRYPT" set_policy "$KEYID" "$WORK/mnt/enc"
	head -c 1M /dev/urandom > "$WORK/mnt/enc/file"
	head -c 1M /dev/urandom > "$WORK/mnt/plain"
	sync
}

teardown_file() {
	[ -n "${WORK:-}" ] || return 0
	umount "$WORK/mnt" 2>/dev/null || true
	rm -rf "$WORK"
}

setup() {
	require_root_loop
}

# Prints the named columns of one path, raw, without headings.
query() {
	local path=$1; shift
	"$BLKCRYPT_QUERY" file -r -n -o "$1" "$path"
}

@test "plain file: verdict yes with the alignment statx reports" {
	local want
	want=$("$PAGECACHE" statx "$WORK/mnt/plain")
	[ "${want%% *}" -gt 0 ]
	run query "$WORK/mnt/plain" MEM-ALIGN,OFF-ALIGN
	[ "$status" -eq 0 ]
	assert_eq "$output" "$want"
	run query "$WORK/mnt/plain" DIO,ENCRYPTION,CRYPTO,FSTYPE
	assert_eq "$output" "yes none none ext4"
}

@test "encrypted file without inlinecrypt: 0 alignment, buffered, fs-layer crypto" {
	assert_eq "$("$PAGECACHE" statx "$WORK/mnt/enc/file")" "0 0"
	run query "$WORK/mnt/enc/file" MEM-ALIGN,OFF-ALIGN,DIO,REASON
	[ "$status" -eq 0 ]
	assert_eq "$output" "0 0 buffered no-inlinecrypt"
	run query "$WORK/mnt/enc/file" ENCRYPTION,CONTENTS,FILENAMES,FLAGS,DU-SIZE,KEY,CRYPTO,SOURCE
	assert_eq "$output" "v2 AES-256-XTS AES-256-CTS PAD_32 4096 present fs-layer inferred"
}

@test "the explanation says O_DIRECT is served through the page cache" {
	run "$BLKCRYPT_QUERY" file -J -o EXPLAIN "$WORK/mnt/enc/file"
	[ "$status" -eq 0 ]
	local text
	text=$(jq -r '.files[0].explain' <<<"$output")
	[[ "$text" == *"served through the page cache"*"inlinecrypt"* ]]
}

@test "encrypted directory: not-regular, policy shown" {
	run query "$WORK/mnt/enc" TYPE,DIO,REASON,ENCRYPTION,KEY
	assert_eq "$output" "dir no not-regular v2 present"
}

@test "JSON for the encrypted file: null-free numbers, keyword strings" {
	run "$BLKCRYPT_QUERY" file -J "$WORK/mnt/enc/file"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '.files[0] | [.dio, ."mem-align", ."off-align", .key]' <<<"$output")" \
		'["buffered",0,0,"present"]'
}

@test "inlinecrypt on a kernel without blk-crypto is dropped and reported" {
	mount -o remount,inlinecrypt "$WORK/mnt" 2>/dev/null || mount -o remount "$WORK/mnt"
	if grep -q " $WORK/mnt .*inlinecrypt" /proc/self/mountinfo; then
		skip "this kernel has blk-crypto: inlinecrypt is effective"
	fi
	run query "$WORK/mnt/enc/file" DIO,REASON
	assert_eq "$output" "buffered no-inlinecrypt"
}

@test "key absent after remount: verdict no, reason key-absent" {
	umount "$WORK/mnt"
	mount -o loop "$WORK/img" "$WORK/mnt"
	# the name is encrypted now: find the file through the directory listing
	local name
	name=$(ls "$WORK/mnt/enc")
	run query "$WORK/mnt/enc/$name" DIO,REASON,KEY,ENCRYPTION
	[ "$status" -eq 0 ]
	assert_eq "$output" "no key-absent absent v2"
	"$FSCRYPT" add_key "$WORK/mnt" < "$WORK/key" >/dev/null
}

@test "unreadable path: prog: PATH: Permission denied, exit 32" {
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups "$BLKCRYPT_QUERY" --version >/dev/null 2>&1; then
		skip "the build tree is not reachable for an unprivileged user"
	fi
	mkdir -p "$WORK/mnt/locked/sub"
	chmod 000 "$WORK/mnt/locked"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BLKCRYPT_QUERY" file "$WORK/mnt/locked/sub"
	chmod 755 "$WORK/mnt/locked"
	[ "$status" -eq 32 ]
	assert_eq "$stderr" "blkcrypt-query: $WORK/mnt/locked/sub: Permission denied"
}

@test "--require-dio: 0 for the plain file, 3 for the encrypted one" {
	run "$BLKCRYPT_QUERY" file --require-dio "$WORK/mnt/plain"
	[ "$status" -eq 0 ]
	run "$BLKCRYPT_QUERY" file --require-dio "$WORK/mnt/plain" "$WORK/mnt/enc/file"
	[ "$status" -eq 3 ]
}

@test "-R stays on its filesystem unless --cross-mounts" {
	mkdir -p "$WORK/outer/mnt"
	printf x > "$WORK/outer/top"
	mount --bind "$WORK/mnt" "$WORK/outer/mnt"
	run "$BLKCRYPT_QUERY" file -R -s -J "$WORK/outer"
	local same cross
	same=$(jq '[.summary[].count] | add' <<<"$output")
	run "$BLKCRYPT_QUERY" file -R -s -J --cross-mounts "$WORK/outer"
	cross=$(jq '[.summary[].count] | add' <<<"$output")
	umount "$WORK/outer/mnt"
	assert_eq "$same" 1
	# top, plain, enc/file and lost+found's absence: at least the two mounted files
	[ "$cross" -ge 3 ]
}

@test "-R summary on the encrypted tree: buffered no-inlinecrypt counted" {
	run "$BLKCRYPT_QUERY" file -R -s -P "$WORK/mnt/enc"
	[ "$status" -eq 0 ]
	assert_eq "$output" 'DIO="buffered" REASON="no-inlinecrypt" COUNT="1"'
}

@test "--probe proves the silent fallback on the encrypted file and agrees with the inference" {
	local before
	before=$(ls -A "$WORK/mnt/enc")
	run --separate-stderr "$BLKCRYPT_QUERY" file --probe -r -n -o DIO,PROBE,CACHED "$WORK/mnt/enc/file"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	read -r dio probe cached <<<"$output"
	assert_eq "$dio $probe" "buffered buffered"
	# pages of the 1 MiB, each counted once, as fincore(1) counts them
	[ "$cached" -gt 0 ]
	[ "$cached" -le $((1048576 / $(getconf PAGESIZE))) ] || { echo "CACHED $cached: more pages than 1 MiB has"; return 1; }
	# the scratch file is gone and the user's file untouched
	assert_eq "$(ls -A "$WORK/mnt/enc")" "$before"
}

@test "--probe measures real direct I/O on the plain filesystem: nothing cached" {
	run --separate-stderr "$BLKCRYPT_QUERY" file --probe -r -n -o DIO,PROBE,CACHED "$WORK/mnt/plain"
	[ "$status" -eq 0 ]
	assert_eq "$output" "yes yes 0"
}

@test "--probe in a directory it cannot write to: a clear error" {
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups "$BLKCRYPT_QUERY" --version >/dev/null 2>&1; then
		skip "the build tree is not reachable for an unprivileged user"
	fi
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BLKCRYPT_QUERY" file --probe "$WORK/mnt/plain"
	[ "$status" -eq 32 ]
	assert_eq "$stderr" "blkcrypt-query: $WORK/mnt/plain: probe: Permission denied"
}

@test "fs: encryption supported, inlinecrypt not in effect, every mode buffered" {
	run "$BLKCRYPT_QUERY" fs -J -l "$WORK/mnt"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '[.filesystems[] | [.fstype, .encrypt, .dio, .crypto, .reason]] | unique' <<<"$output")" \
		'[["ext4",true,"buffered","fs-layer","no-inlinecrypt"]]'
	assert_eq "$(jq -r '[.filesystems[].contents] | join(" ")' <<<"$output")" \
		"AES-256-XTS AES-128-CBC Adiantum SM4-XTS"
	assert_eq "$(jq -r '.filesystems[0]."block-size"' <<<"$output")" \
		"$(stat -f -c %S "$WORK/mnt")"
	# one vocabulary: fs's DIO for the file's policy is file's verdict,
	# a string in both JSONs
	assert_eq "$(jq -r '.filesystems[] | select(.contents == "AES-256-XTS") | .dio' <<<"$output")" \
		"$("$BLKCRYPT_QUERY" file -J -o DIO "$WORK/mnt/enc/file" | jq -r '.files[0].dio')"
}

@test "fs -J nests the modes under their filesystem; with -l it is the same rows, flat" {
	run "$BLKCRYPT_QUERY" fs -J "$WORK/mnt" "$WORK/mnt/plain"
	[ "$status" -eq 0 ]
	local nested=$output
	# the filesystem's columns on the parent only, the mode's on the children only
	assert_eq "$(jq -c '[.filesystems[] | [.contents, .dio, .reason]] | unique' <<<"$nested")" '[[null,null,null]]'
	assert_eq "$(jq -c '[.filesystems[].children[] | [.mountpoint, .fstype, .encrypt]] | unique' <<<"$nested")" \
		'[[null,null,null]]'
	run "$BLKCRYPT_QUERY" fs -J -l "$WORK/mnt" "$WORK/mnt/plain"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -S -c '[.filesystems[] | . as $f | .children[] |
		with_entries(select(.value != null)) + ($f | del(.children) | with_entries(select(.value != null)))]' <<<"$nested")" \
		"$(jq -S -c '[.filesystems[] | with_entries(select(.value != null))]' <<<"$output")"
	assert_eq "$(jq '.filesystems | length' <<<"$output")" 8
}

@test "fs: a regular file or an unreadable directory still shows the filesystem's fscrypt support" {
	run "$BLKCRYPT_QUERY" fs -J "$WORK/mnt/plain"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '[.filesystems[] | .encrypt] | unique' <<<"$output")" '[true]'
	mkdir -p "$WORK/mnt/private"
	chmod 700 "$WORK/mnt/private"
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$BLKCRYPT_QUERY" fs -J -l -o ENCRYPT,REASON "$WORK/mnt/private"
	rmdir "$WORK/mnt/private"
	[ "$status" -eq 0 ]
	assert_eq "$(jq -c '[.filesystems[] | [.encrypt, .reason]] | unique' <<<"$output")" \
		'[[true,"no-inlinecrypt"]]'
}

@test "fs: a filesystem without the encrypt feature says so" {
	truncate -s 32M "$WORK/plain.img"
	mkfs.ext4 -q -F "$WORK/plain.img"
	mkdir -p "$WORK/plainmnt"
	mount -o loop "$WORK/plain.img" "$WORK/plainmnt"
	run "$BLKCRYPT_QUERY" fs -r -n -o ENCRYPT,DIO,CRYPTO,REASON "$WORK/plainmnt"
	umount "$WORK/plainmnt"
	[ "$status" -eq 0 ]
	assert_eq "$(sort -u <<<"$output")" "no no none no-encrypt-feature"
}

@test "symlink to the encrypted file: followed by default, reported itself with -L" {
	ln -sfn enc/file "$WORK/mnt/link"
	run query "$WORK/mnt/link" TYPE,DIO,REASON,MEM-ALIGN
	assert_eq "$output" "file buffered no-inlinecrypt 0"
	run "$BLKCRYPT_QUERY" file -L -r -n -o TYPE,DIO,REASON "$WORK/mnt/link"
	assert_eq "$output" "link no not-regular"
	rm "$WORK/mnt/link"
}

@test "nonexistent path on the filesystem: exit 32, prog: PATH: reason" {
	run --separate-stderr "$BLKCRYPT_QUERY" file "$WORK/mnt/enc/nope"
	[ "$status" -eq 32 ]
	assert_eq "$stderr" "blkcrypt-query: $WORK/mnt/enc/nope: No such file or directory"
}

@test "-R over plain files opens none of them: statx answers (one probe per filesystem type)" {
	command -v strace >/dev/null || { [ "${CI:-}" != true ] || return 1; skip "needs strace"; }
	local tree=$WORK/mnt/many n
	mkdir -p "$tree/a" "$tree/b"
	for n in $(seq 1 150); do : >"$tree/a/f$n"; : >"$tree/b/f$n"; done
	# LeakSanitizer cannot run under ptrace: a sanitizer build counts syscalls without it
	run env ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,open -o "$BATS_TEST_TMPDIR/trace" \
		"$BLKCRYPT_QUERY" file -R -s -P "$tree"
	[ "$status" -eq 0 ]
	assert_eq "$output" 'DIO="yes" REASON="" COUNT="300"'
	# opens of the tree's regular files: at most the one FS_IOC_GET_ENCRYPTION_IMPL
	# probe that tells a stock kernel from a patched one
	n=$(grep -c "$tree/[ab]/f\\|\"f[0-9]*\"" "$BATS_TEST_TMPDIR/trace" || true)
	[ "$n" -le 1 ] || { grep "\"f[0-9]*\"" "$BATS_TEST_TMPDIR/trace" | head >&2; return 1; }
	rm -rf "$tree"
}

@test "valgrind: a file on a filesystem without fscrypt is queried without uninitialised reads" {
	command -v valgrind >/dev/null || { [ "${CI:-}" != true ] || return 1; skip "valgrind is not installed"; }
	local bin=$BCA_BUILDDIR/.libs/blkcrypt-query
	[ -x "$bin" ] || bin=$BLKCRYPT_QUERY
	! LD_LIBRARY_PATH=$BCA_BUILDDIR/.libs ldd "$bin" | grep -q 'libasan\|libubsan' ||
		skip "a sanitizer build: valgrind cannot run AddressSanitizer binaries"
	mkdir -p "$WORK/tmpfs"
	mount -t tmpfs bca-tmpfs "$WORK/tmpfs"
	printf x >"$WORK/tmpfs/f"
	# tmpfs has no fscrypt: the policy ioctls answer ENOTTY, v1 after v2
	run --separate-stderr env LD_LIBRARY_PATH="$BCA_BUILDDIR/.libs" valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=all "$bin" file -r -n -o DIO,REASON "$WORK/tmpfs/f"
	umount "$WORK/tmpfs"
	echo "$stderr"
	[ "$status" -eq 0 ]
	assert_eq "$output" "buffered fs-no-dio"
}

@test "-R --require-dio: symlinks and FIFOs in the tree do not count, a FIFO given by name does" {
	local tree=$WORK/mnt/mixed
	mkdir -p "$tree"
	head -c 8192 /dev/urandom >"$tree/data"
	ln -s data "$tree/link"
	mkfifo "$tree/fifo"
	run "$BLKCRYPT_QUERY" file -R --require-dio -r -n -o TYPE,DIO "$tree"
	[ "$status" -eq 0 ]
	assert_eq "$(sort <<<"$output" | tr '\n' ' ')" "fifo no file yes link no "
	run "$BLKCRYPT_QUERY" file --require-dio "$tree/fifo"
	[ "$status" -eq 3 ]
	rm -rf "$tree"
}

@test "--probe on ramfs (O_TMPFILE, no O_DIRECT): verdict no, nothing left behind" {
	mkdir -p "$WORK/ramfs"
	mount -t ramfs bca-ramfs "$WORK/ramfs"
	printf x >"$WORK/ramfs/f"
	run --separate-stderr "$BLKCRYPT_QUERY" file --probe -r -n -o DIO,PROBE "$WORK/ramfs/f"
	local left
	left=$(ls -A "$WORK/ramfs")
	umount "$WORK/ramfs"
	[ "$status" -eq 0 ]
	assert_eq "$output" "no no"
	assert_eq "$left" "f"
}

@test "--probe of a symlink probes its target's directory: no false MISMATCH" {
	# the link lives on the host's filesystem, its target on the loop ext4
	ln -sfn "$WORK/mnt/enc/file" "$WORK/enc-link"
	run --separate-stderr "$BLKCRYPT_QUERY" file --probe -r -n -o DIO,PROBE "$WORK/enc-link"
	rm -f "$WORK/enc-link"
	echo "$stderr"
	[ "$status" -eq 0 ]
	[[ "$stderr" != *MISMATCH* ]]
	assert_eq "$output" "buffered buffered"
}

@test "blkcrypt-query(8) EXAMPLES run as the page shows them" {
	# the page's /srv/db is the encrypted directory (no inlinecrypt here),
	# its /data a tree of 3 plain files and 2 encrypted ones
	local page=$BCA_SRCDIR/man/blkcrypt-query.8 ex=$BCA_SRCDIR/tests/helpers/man-example
	local data=$WORK/mnt/data
	mkdir -p "$data/e"
	"$FSCRYPT" set_policy "$KEYID" "$data/e"
	for f in p1 p2 p3 e/f1 e/f2; do printf x >"$data/$f"; done
	cp "$WORK/mnt/enc/file" "$WORK/mnt/enc/data.ibd"
	export PATH="$(dirname "$BLKCRYPT_QUERY"):$PATH"
	local subst="s|/srv/db|$WORK/mnt/enc|g; s|-s /data\$|-s $data|; s| 9120\$| 3|; s| 311\$| 2|"
	"$ex" "$page" --check 'blkcrypt-query file /srv/db/data.ibd' "$subst"
	"$ex" "$page" --check "blkcrypt-query file -J -o PATH,DIO /srv/db/data.ibd | jq -r '.files[0].dio'" "$subst"
	"$ex" "$page" --check 'blkcrypt-query file -R -s /data' "$subst"
	# the provisioning script refuses the encrypted tree, takes a plain one
	"$ex" "$page" --block 3 | sed "s|/srv/db|$WORK/mnt/enc|g" >"$WORK/provision.sh"
	run --separate-stderr bash "$WORK/provision.sh"
	[ "$status" -eq 1 ]
	assert_eq "$stderr" "$WORK/mnt/enc: direct I/O would be buffered; mount with inlinecrypt"
	"$ex" "$page" --block 3 | sed "s|/srv/db|$data/plain|g" >"$WORK/provision.sh"
	mkdir "$data/plain"
	printf x >"$data/plain/f"
	run --separate-stderr bash "$WORK/provision.sh"
	[ "$status" -eq 0 ]
	rm -rf "$data" "$WORK/mnt/enc/data.ibd" "$WORK/provision.sh"
}

@test "JSON with every column validates against the schema: encrypted with key present and absent, --probe, fs" {
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "no python3-jsonschema"
	local v=$BCA_SRCDIR/tests/helpers/json-validate cols name
	cols=$("$BLKCRYPT_QUERY" file -o help | tail -n +2 | awk '{ print $1 }' | paste -sd,)
	"$BLKCRYPT_QUERY" file -J -o "$cols" --probe "$WORK/mnt/enc/file" "$WORK/mnt/enc" "$WORK/mnt/plain" >"$WORK/out.json"
	"$v" blkcrypt-query-file "$WORK/out.json"
	assert_eq "$(jq -c '[.files[] | [.encryption, .key, .dio, .probe]]' "$WORK/out.json")" \
		'[["v2","present","buffered","buffered"],["v2","present","no","buffered"],["none",null,"yes","yes"]]'
	"$BLKCRYPT_QUERY" file -R -J -o "$cols" "$WORK/mnt" | "$v" blkcrypt-query-file
	"$BLKCRYPT_QUERY" file -R -s -J "$WORK/mnt" | "$v" blkcrypt-query-file
	"$BLKCRYPT_QUERY" fs -J -o "$("$BLKCRYPT_QUERY" fs -o help | tail -n +2 | awk '{ print $1 }' | paste -sd,)" \
		"$WORK/mnt" | "$v" blkcrypt-query-fs
	# without the key: names encrypted, KEY absent
	umount "$WORK/mnt"
	mount -o loop "$WORK/img" "$WORK/mnt"
	name=$(ls "$WORK/mnt/enc")
	"$BLKCRYPT_QUERY" file -J -o "$cols" "$WORK/mnt/enc/$name" >"$WORK/out.json"
	"$FSCRYPT" add_key "$WORK/mnt" < "$WORK/key" >/dev/null
	"$v" blkcrypt-query-file "$WORK/out.json"
	assert_eq "$(jq -c '[.files[] | [.key, .dio, .reason]]' "$WORK/out.json")" '[["absent","no","key-absent"]]'
	rm -f "$WORK/out.json"
}
