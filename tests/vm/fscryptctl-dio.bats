#!/usr/bin/env bats
# fscryptctl-dio set_policy --for-dio and check_dio inside the guest, whose
# kernel has blk-crypto and blk-crypto-fallback: on an inlinecrypt mount of
# a virtio disk (no inline encryption hardware) --for-dio picks the
# fallback configuration and files get real direct I/O; without inlinecrypt
# it refuses and files stay buffered.
# Needs kernel/patches/series (6.12): make check-vm runs it on the 6.12
# guest only, until the mainline series has the same interfaces.
# bats file_tags=needs-series

load vm_helpers
bats_require_minimum_version 1.5.0

setup() {
	vm_setup
	DISK=$(vm_disk fs)
	MNT=$BATS_TEST_TMPDIR/mnt
	FSCRYPTCTL_DIO=$(vm_tool fscryptctl-dio)
	PAGECACHE=$(vm_helper pagecache)
	KEY=$BATS_TEST_TMPDIR/key
	head -c 64 /dev/urandom >"$KEY"
	vm_mkfs_ext4 "$DISK"
}

teardown() { vm_teardown; }

# add_key KEYFILE: adds the key with fscryptctl-dio, removed again at teardown.
add_key() {
	local id
	id=$("$FSCRYPTCTL_DIO" add_key --key-file "$1" "$MNT")
	[[ "$id" =~ ^[0-9a-f]{32}$ ]]
	vm_on_teardown "$(printf '%q ' "$FSCRYPTCTL_DIO" remove_key --all-users "$id" "$MNT") >/dev/null"
	echo "$id"
}

# Fails with what was expected and what came (vm_helpers has no assert_eq).
assert_eq_vm() {
	if [ "$1" != "$2" ]; then
		echo "expected: '$2'" >&2
		echo "got:      '$1'" >&2
		return 1
	fi
}

@test "--for-dio on an inlinecrypt mount picks the fallback config, verified by a new file" {
	vm_mount "$DISK" "$MNT" inlinecrypt
	local id dev
	dev=$(basename "$DISK")
	id=$(add_key "$KEY")
	mkdir "$MNT/enc"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --for-dio "$id" "$MNT/enc"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == "Direct-I/O policy for $MNT/enc:"* ]]
	[[ "$output" == *"Mount: $MNT (ext4 on $dev), inlinecrypt in effect"* ]]
	[[ "$output" == *"Inline encryption: blk-crypto-fallback ($dev has no inline encryption hardware"* ]]
	[[ "$output" == *"Flags: PAD_32 (per-file keys: the fallback takes any DUN size)"* ]]
	[[ "$output" == *"Data unit size: default (the block size, 4096)"* ]]
	[[ "$output" == *"Verified: new files get direct I/O (memory alignment "*", offset alignment 4096)"* ]]
	# the policy is fscryptctl's default one: the fallback needs nothing else
	run "$FSCRYPTCTL_DIO" get_policy "$MNT/enc"
	[[ "$output" == *"Master key identifier: $id"*"Flags: PAD_32"*"Data unit size: default" ]]
}

@test "files in a --for-dio directory: check_dio yes, statx alignment, O_DIRECT bypasses the cache" {
	vm_mount "$DISK" "$MNT" inlinecrypt
	local id
	id=$(add_key "$KEY")
	mkdir "$MNT/enc"
	"$FSCRYPTCTL_DIO" set_policy --for-dio "$id" "$MNT/enc" >/dev/null
	"$PAGECACHE" dio-write "$MNT/enc/file" 16
	run "$FSCRYPTCTL_DIO" check_dio "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[[ "$output" == "$MNT/enc/file: yes: "* ]]
	run "$PAGECACHE" statx "$MNT/enc/file"
	assert_eq_vm "$output" "4096 4096"
	run "$PAGECACHE" resident "$MNT/enc/file"
	[ "$output" = 0 ]
}

@test "--for-dio without inlinecrypt: refused, nothing set, files stay buffered" {
	vm_mount "$DISK" "$MNT"
	local id
	id=$(add_key "$KEY")
	mkdir "$MNT/enc"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --for-dio "$id" "$MNT/enc"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "error: not setting a direct-I/O policy on $MNT/enc: inlinecrypt is not in effect on $MNT (ext4 on $(basename "$DISK")): mount it with -o inlinecrypt"* ]]
	run "$FSCRYPTCTL_DIO" get_policy "$MNT/enc"
	[ "$status" -eq 1 ]
	# the plain policy works, but its files are buffered
	"$FSCRYPTCTL_DIO" set_policy "$id" "$MNT/enc"
	touch "$MNT/enc/file"
	run "$FSCRYPTCTL_DIO" check_dio "$MNT/enc/file"
	[ "$status" -eq 0 ]
	[[ "$output" == "$MNT/enc/file: buffered: "* ]]
}

@test "--for-dio with Adiantum contents: allowed, the fallback has Adiantum" {
	vm_mount "$DISK" "$MNT" inlinecrypt
	local id
	id=$(add_key "$KEY")
	mkdir "$MNT/enc"
	run --separate-stderr "$FSCRYPTCTL_DIO" set_policy --for-dio --contents=Adiantum \
		--filenames=Adiantum "$id" "$MNT/enc"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Contents encryption mode: Adiantum"* ]]
	[[ "$output" == *"Inline encryption: blk-crypto-fallback"* ]]
}

@test "fscryptctl-dio(8) EXAMPLES run as the page shows them" {
	local page=$BCA_SRCDIR/man/fscryptctl-dio.8 ex=$BCA_SRCDIR/tests/helpers/man-example
	local name=${DISK#/dev/} cmd
	# the page's /dev/sdb1 and /mnt are the guest's disk and a scratch mount
	local subst="s|/dev/sdb1|$DISK|g; s|sdb1|$name|g; s|/mnt|$MNT|g"
	mkdir -p "$MNT"
	vm_on_teardown "umount $MNT 2>/dev/null || true"
	export MAN_EXAMPLE_STATE=$BATS_TEST_TMPDIR/state PATH="$(dirname "$FSCRYPTCTL_DIO"):$PATH"
	cd "$BATS_TEST_TMPDIR"
	for cmd in 'mount -o inlinecrypt /dev/sdb1 /mnt' \
		'head -c 64 /dev/urandom > key' \
		'id=$(fscryptctl-dio add_key --key-file key /mnt)' \
		'mkdir /mnt/dir' \
		'fscryptctl-dio set_policy --for-dio "$id" /mnt/dir'; do
		"$ex" "$page" --check "$cmd" "$subst"
	done
	head -c 1M /dev/urandom >"$MNT/dir/file"
	"$ex" "$page" --check 'fscryptctl-dio check_dio /mnt/dir/file' "$subst"
	run "$FSCRYPTCTL_DIO" check_dio "$MNT/dir/file"
	[ "$status" -eq 0 ]
	"$FSCRYPTCTL_DIO" remove_key --all-users "$(bash -c '. "$1"; echo "$id"' - "$MAN_EXAMPLE_STATE")" "$MNT" >/dev/null
}
