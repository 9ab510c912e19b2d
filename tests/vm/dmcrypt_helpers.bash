# Shared by the dmcrypt-inline suites (tests/vm/dmcrypt-inline.bats for
# dm-crypt, tests/vm/dm-inlinecrypt.bats for dm-inlinecrypt): the dm disk,
# a random 64-byte key file, and the check that nothing of ours is left.
# shellcheck shell=bash

load vm_helpers

# dmci_setup MIB: vm_setup, DISK (its first MIB MiB zeroed: no signature
# left by an earlier test), DMCI, KEY, PATTERN; devices bca-t and bca-u
# and our keys are removed at teardown.
dmci_setup() {
	vm_setup
	DISK=$(vm_disk dm)
	DMCI=$(vm_tool dmcrypt-inline)
	KEY=$BATS_TEST_TMPDIR/key
	head -c 64 /dev/urandom >"$KEY"
	PATTERN="dmcrypt-inline-plaintext-$RANDOM$RANDOM"
	dd if=/dev/zero of="$DISK" bs=1M count="$1" oflag=direct status=none
	vm_on_teardown "dmsetup remove --noudevsync bca-u 2>/dev/null || true"
	vm_on_teardown "dmsetup remove --noudevsync bca-t 2>/dev/null || true"
	vm_on_teardown "keyctl purge -p logon dmcrypt-inline: >/dev/null 2>&1 || true"
}

# Nothing of ours left: no dm device, no key in any keyring we can see.
assert_clean() {
	run dmsetup ls
	[[ "$output" != *bca-t* && "$output" != *bca-u* ]] || { echo "device left: $output"; return 1; }
	if keyctl search @u logon "dmcrypt-inline:bca-t" >/dev/null 2>&1; then
		echo "key dmcrypt-inline:bca-t left in the user keyring"
		return 1
	fi
}

# pattern_file FILE MIB: MIB MiB of lines of $PATTERN.
pattern_file() {
	{ yes "$PATTERN" || true; } | head -c $(($2 * 1024 * 1024)) >"$1"
}
