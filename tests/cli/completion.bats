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
