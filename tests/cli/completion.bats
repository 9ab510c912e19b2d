#!/usr/bin/env bats
# bash-completion/blkcryptadm, sourced in a bash with the built tools first
# in PATH: subcommands, options and -o columns come from the tools' help,
# so each answer is compared with what the tool itself accepts.

load ../helpers/common

setup() {
	PATH=$BCA_BUILDDIR:$PATH
	# shellcheck source=/dev/null
	source "$BCA_SRCDIR/bash-completion/blkcryptadm"
}

# comp WORD...: what completing the last word offers, one line
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_bca_complete "$1"
	echo "${COMPREPLY[*]}"
}

@test "registered for the three tools" {
	run complete -p blkcrypt-query fscryptctl-dio dmcrypt-inline
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ ${lines[0]} == "complete -F _bca_complete "* ]]
}

@test "subcommands" {
	assert_eq "$(comp blkcrypt-query '')" "file device fs --help --version"
	assert_eq "$(comp dmcrypt-inline '')" "create open refresh remove status table list attach detach --help --version"
	assert_eq "$(comp fscryptctl-dio ge)" "get_policy generate_hw_wrapped_key"
	assert_eq "$(comp fscryptctl-dio check)" "check_dio"
}

@test "options of a subcommand, each one the tool accepts" {
	local o
	[[ " $(comp blkcrypt-query file --re) " == *" --recursive "* ]]
	assert_eq "$(comp dmcrypt-inline table --)" "--help --showkeys"
	assert_eq "$(comp fscryptctl-dio set_policy --con)" "--contents="
	assert_eq "$(comp fscryptctl-dio remove_key --)" "--all-users --help"
	# the tool knows every option offered (getopt would say "unrecognized")
	for o in $(comp blkcrypt-query file --); do
		run blkcrypt-query file "$o" --help
		[[ $output != *"unrecognized option"* && $output != *"invalid option"* ]] || {
			echo "offered $o, refused: $output"; return 1; }
	done
}

@test "-o: the columns the subcommand lists, comma lists and +" {
	assert_eq "$(comp blkcrypt-query device -o FILE-C)" "FILE-CRYPTO"
	assert_eq "$(comp blkcrypt-query device -o LOOP-)" "LOOP-DIO LOOP-REASON"
	assert_eq "$(comp blkcrypt-query file -o DIO,RE)" "DIO,REASON DIO,READ-ALIGN"
	assert_eq "$(comp blkcrypt-query file --output +EXP)" "+EXPLAIN"
	# every column offered is one the tool takes
	local c
	for c in $(comp blkcrypt-query fs -o ''); do
		run blkcrypt-query fs -o "$c" /
		[ "$status" -eq 0 ] || { echo "offered $c: $output"; return 1; }
	done
}

@test "arguments: block devices for device, files elsewhere" {
	local first
	first=$(ls /sys/class/block | head -n1)
	[ -n "$first" ] || skip "no block devices"
	[[ " $(comp blkcrypt-query device /dev/) " == *" /dev/$first "* ]]
	[[ " $(comp blkcrypt-query file "$BCA_SRCDIR/bash-completion/") " == *"/bash-completion/blkcryptadm "* ]]
}

@test "option values: each value offered is one the tool accepts" {
	local v out
	assert_eq "$(comp dmcrypt-inline create --target '')" "crypt inlinecrypt"
	# as bash splits at "=" (COMP_WORDBREAKS), and as one word
	assert_eq "$(comp fscryptctl-dio set_policy --contents = Ad)" "Adiantum"
	assert_eq "$(comp fscryptctl-dio set_policy --contents=AES-2)" "AES-256-XTS"
	# the parsers complain about a bad value before anything else
	for v in $(comp dmcrypt-inline create --sector-size ''); do
		out=$(dmcrypt-inline create --dry-run --sector-size "$v" x /nonexistent 2>&1) || true
		[[ $out != *"--sector-size"* ]] || { echo "--sector-size $v: $out"; return 1; }
	done
	for v in $(comp dmcrypt-inline create --key-size ''); do
		out=$(dmcrypt-inline create --dry-run --key-size "$v" x /nonexistent 2>&1) || true
		[[ $out != *"--key-size"* ]] || { echo "--key-size $v: $out"; return 1; }
	done
	local o
	for o in contents filenames padding data-unit-size; do
		v=$(comp fscryptctl-dio set_policy "--$o=")
		[ -n "$v" ]
		for v in $v; do
			out=$(fscryptctl-dio set_policy "--$o=$v" 2>&1) || true
			[[ $out != *invalid* ]] || { echo "--$o=$v: $out"; return 1; }
		done
	done
	# and a bad one is refused, so the checks above can fail
	out=$(fscryptctl-dio set_policy --contents=Bogus 2>&1) || true
	[[ $out == *"invalid contents mode"* ]]
	out=$(dmcrypt-inline create --dry-run --sector-size 333 x /nonexistent 2>&1) || true
	[[ $out == *"--sector-size"* ]]
}

@test "option values: dmcrypt-inline --cipher offers specs create takes (root: a loop device)" {
	[ "$(id -u)" -eq 0 ] || skip "needs root for a loop device"
	local v dev out
	truncate -s 16M "$BATS_TEST_TMPDIR/img"
	dev=$(losetup -f --show "$BATS_TEST_TMPDIR/img")
	for v in $(comp dmcrypt-inline create --cipher ''); do
		out=$(dmcrypt-inline create --dry-run --cipher "$v" --key-size 256 \
			--key-file <(head -c 32 /dev/zero) x "$dev" 2>&1) || true
		[[ $out == "0 32768 crypt $v :32:logon:dmcrypt-inline:x 0 "* ]] || { echo "--cipher $v: $out"; losetup -d "$dev"; return 1; }
	done
	out=$(dmcrypt-inline create --dry-run --cipher bogus --key-file <(head -c 64 /dev/zero) x "$dev" 2>&1) || true
	losetup -d "$dev"
	[[ $out == *"invalid cipher specification"* ]]
}
