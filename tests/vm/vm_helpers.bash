# Shared setup for the VM suites (tests/vm/*.bats).  They run inside the
# guest started by kernel/scripts/vm-run, as root, on throw-away virtio disks:
#   BCA_DISK_<name>   the disks given with vm-run --disk <name>:<size>
#   BCA_BUILDDIR      the build tree (helpers in tests/helpers/)
#   BCA_HELPERS_DIR   overrides $BCA_BUILDDIR/tests/helpers
# Everything a test sets up is registered with vm_on_teardown and undone in
# reverse order by vm_teardown, whether the test passed or not.

# BCA_VM_DEBUG_BUILDDIR: the build tree whose tools the KASAN and lockdep
# guests run (vm-suite.sh).  Those guests test our kernel code; the
# sanitized tools are tested on every other guest and on the host, and
# ASan's shadow memory under KASAN and TCG makes each run of a tool cost
# the guest more than a second.
if [[ ${BCA_VM_KERNEL_NAME:-} == *-debug && -n ${BCA_VM_DEBUG_BUILDDIR:-} ]]; then
	BCA_BUILDDIR=$BCA_VM_DEBUG_BUILDDIR
fi

# Never touch real disks: outside the guest every test is skipped.
vm_setup() {
	[[ "${BCA_VM:-}" == 1 ]] || skip "runs only inside the VM (kernel/scripts/vm-run)"
	VM_CLEANUP="$BATS_TEST_TMPDIR/cleanup"
	: >"$VM_CLEANUP"
	export DM_DISABLE_UDEV=1
	# For vm_tool: the uninstalled libblkcryptadm, never an installed one,
	# copied once per guest to its tmpfs with the tools, not run from
	# .libs/: every program the tests run looks for each of its libraries
	# there first, a miss on 9p is a round trip to the host, and the build
	# shares have no page cache, so each run of a tool read it and the
	# library (1.4 MB under the sanitizers) from the host again.
	local libs=/run/bca-vm-libs
	if [[ -n "${BCA_BUILDDIR:-}" && -d "$BCA_BUILDDIR/.libs" ]]; then
		if [[ ! -d "$libs" ]]; then
			rm -rf "$libs.tmp"
			mkdir -p "$libs.tmp" && cp -a "$BCA_BUILDDIR"/.libs/*.so* "$libs.tmp"/ &&
				for t in blkcrypt-query fscryptctl-dio dmcrypt-inline; do
					[[ ! -x "$BCA_BUILDDIR/.libs/$t" ]] || cp "$BCA_BUILDDIR/.libs/$t" "$libs.tmp/" || break
				done &&
				mv -T "$libs.tmp" "$libs"
		fi
		export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	fi
}

# Undo in reverse order; keep going on errors so one failure does not leave
# the disks busy for the next test, but report it.
# vm_setup, plus what the file-level suites use: DISK (the fs disk), MNT,
# BQ (blkcrypt-query) and PC (tests/helpers/pagecache).
vm_fs_setup() {
	vm_setup
	DISK=$(vm_disk fs)
	MNT=$BATS_TEST_TMPDIR/mnt
	BQ=$(vm_tool blkcrypt-query)
	PC=$(vm_helper pagecache)
}

vm_teardown() {
	[[ -n "${VM_CLEANUP:-}" && -f "$VM_CLEANUP" ]] || return 0
	local -a lines
	local i rc=0
	# builtins only: every exec costs the guest ~0.1 s under TCG
	mapfile -t lines <"$VM_CLEANUP"
	for ((i = ${#lines[@]} - 1; i >= 0; i--)); do
		eval "${lines[i]}" || { echo "# teardown: '${lines[i]}' failed" >&3; rc=1; }
	done
	: >"$VM_CLEANUP"
	return "$rc"
}

vm_on_teardown() {
	printf '%s\n' "$*" >>"$VM_CLEANUP"
}

vm_helper() {
	local p="${BCA_HELPERS_DIR:-${BCA_BUILDDIR:-/nonexistent}/tests/helpers}/$1"
	if [[ ! -x "$p" ]]; then
		echo "helper $1 not found at $p (set BCA_BUILDDIR or BCA_HELPERS_DIR)" >&2
		return 1
	fi
	echo "$p"
}

# vm_tool NAME: the build tree's NAME as a program to run.  With a shared
# libblkcryptadm, ./NAME is libtool's wrapper script, which costs the guest
# most of a second of shell per run under TCG (the suites run tools some
# hundreds of times); run the real binary in .libs/, with the library path
# the wrapper would have set (vm_setup exports it).
vm_tool() {
	local b=${BCA_BUILDDIR:?BCA_BUILDDIR is not set}
	if [[ -x "/run/bca-vm-libs/$1" ]]; then
		echo "/run/bca-vm-libs/$1"
	elif [[ -x "$b/.libs/$1" ]]; then
		echo "$b/.libs/$1"
	else
		echo "$b/$1"
	fi
}

vm_disk() {
	local var="BCA_DISK_$1"
	if [[ -z "${!var:-}" || ! -b "${!var}" ]]; then
		echo "disk '$1' missing: run with vm-run --disk $1:SIZE" >&2
		return 1
	fi
	echo "${!var}"
}

# 4 KiB blocks explicitly: mke2fs would pick 1 KiB on a small disk.
vm_mkfs_ext4() {
	mkfs.ext4 -q -F -b 4096 -O encrypt \
		-E lazy_itable_init=1,lazy_journal_init=1 "$@"
}

# vm_mount DEV DIR [OPTIONS]
vm_mount() {
	mkdir -p "$2"
	mount ${3:+-o "$3"} "$1" "$2"
	vm_on_teardown "umount $(printf %q "$2")"
}

# vm_nullb_create NAME MODES KEYSLOTS BLOCKSIZE DISCARD [ZONE_MIB]: a
# 128 MiB memory-backed null_blk with emulated inline-crypto hardware
# (kernel patch 18: crypto_modes MODES, 8 DUN bytes; none when MODES is
# empty), host-managed with ZONE_MIB zones (all sequential) when given (the
# emulated hardware refuses zoned devices), powered on and powered off and
# removed at teardown; prints /dev/NAME (made here: the guest has no udev).
vm_nullb_create() {
	local d=/sys/kernel/config/nullb/$1
	mkdir "$d"
	vm_on_teardown "rmdir $d"
	echo 1 >"$d/memory_backed"
	echo 128 >"$d/size"
	echo "$4" >"$d/blocksize"
	echo "$5" >"$d/discard"
	if [[ -n "${6:-}" ]]; then
		echo 1 >"$d/zoned"
		echo "$6" >"$d/zone_size"
		echo 0 >"$d/zone_nr_conv"
	fi
	if [[ -n "$2" ]]; then
		echo "$2" >"$d/crypto_modes"
		echo 8 >"$d/crypto_dun_bytes"
		echo "$3" >"$d/crypto_keyslots"
	fi
	echo 1 >"$d/power"
	vm_on_teardown "echo 0 >$d/power"
	[[ -b /dev/$1 ]] || mknod "/dev/$1" b "$(cut -d: -f1 "/sys/block/$1/dev")" \
		"$(cut -d: -f2 "/sys/block/$1/dev")"
	echo "/dev/$1"
}

# vm_dm_create NAME TABLE: no udev in the guest, dmsetup makes the node.
vm_dm_create() {
	dmsetup create --noudevsync "$1" --table "$2"
	vm_on_teardown "dmsetup remove --noudevsync $(printf %q "$1")"
	[[ -b "/dev/mapper/$1" ]]
}

# The options of the mount on DIR as the kernel reports them: per-mount
# (field 6 of mountinfo) and file-system ones (last field, where ext4 puts
# inlinecrypt), comma-separated.
vm_mount_options() {
	awk -v d="$1" '$5 == d { print $6 "," $NF }' /proc/self/mountinfo | tail -n1
}

# vm_fscrypt_add_key MNT KEYFILE: prints the key identifier.
vm_fscrypt_add_key() {
	local fscrypt ident
	fscrypt=$(vm_helper vm-fscrypt)
	ident=$("$fscrypt" add_key "$1" <"$2")
	[[ "$ident" =~ ^[0-9a-f]{32}$ ]] || { echo "bad identifier '$ident'" >&2; return 1; }
	echo "$ident"
}

# vm_fscrypt_dir MNT DIR [KEYFILE]: a v2-encrypted directory; a fresh random
# key (kept in KEYFILE when given).
vm_fscrypt_dir() {
	local key=${3:-$BATS_TEST_TMPDIR/key} ident
	[[ -n "${3:-}" && -s "$key" ]] || head -c 64 /dev/urandom >"$key"
	ident=$(vm_fscrypt_add_key "$1" "$key")
	mkdir "$2"
	"$(vm_helper vm-fscrypt)" set_policy "$ident" "$2"
}
