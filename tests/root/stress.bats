#!/usr/bin/env bats
# Recursive scans while the tree changes under them (issue 17): parallel
# `file -R -J` scans of an ext4 while another process adds and removes
# fscrypt keys, sets policies on new directories, renames, creates and
# deletes files.  Bounded by count, never by a rate: the mutator makes
# STRESS_MUTATIONS changes (default 200) and each scanner scans until they
# are done, at least MIN_SCANS times; STRESS_CAP_SECONDS (default 900) is
# only a safety cap against a hang, and hitting it fails the test with a
# message saying so.  Every scan must exit 0, print one valid JSON
# document (a strict parser: python3's json), and give each file only a
# verdict that file can have on this kernel; the counts go to the TAP log.

load ../helpers/common

bats_require_minimum_version 1.5.0

: "${STRESS_MUTATIONS:=200}"
: "${STRESS_CAP_SECONDS:=900}"
MIN_SCANS=2

setup_file() {
	[ "$(id -u)" -eq 0 ] && [ -e /dev/loop-control ] || return 0
	export WORK
	WORK=$(mktemp -d /var/tmp/bca-stress.XXXXXX)
	truncate -s 128M "$WORK/img"
	mkfs.ext4 -q -F -O encrypt -N 16384 "$WORK/img"
	mkdir "$WORK/mnt"
	mount -o loop "$WORK/img" "$WORK/mnt"
}

teardown_file() {
	[ -n "${WORK:-}" ] || return 0
	umount "$WORK/mnt" 2>/dev/null || umount -l "$WORK/mnt" 2>/dev/null || true
	rm -rf "$WORK"
}

setup() {
	require_root_loop
	command -v python3 >/dev/null || {
		[ "${CI:-}" != true ] || { echo "CI must run this test: python3 missing" >&2; return 1; }
		skip "needs python3"
	}
}

# The mutator: STRESS_MUTATIONS changes, one per round, unless the safety
# cap passes first.  Prints the number of mutations done.
mutate() {
	local mnt=$1 cap=$2 n=0 i keyid dir
	set +e	# a rename of a file already gone is part of the game
	cd "$mnt" || return 1
	while ((n < STRESS_MUTATIONS)) && [ "$(date +%s)" -lt "$cap" ]; do
		i=$((n % 50))
		case $((n % 8)) in
		0) mv -f "plain/f$i" "plain/sub/g$i" 2>/dev/null ;;
		1) mv -f "plain/sub/g$i" "plain/f$i" 2>/dev/null ;;
		2) rm -f "plain/f$((i + 1))"; head -c 4096 /dev/zero >"plain/f$((i + 1))" ;;
		3) mv -f "enc/e$i" "enc/x$i" 2>/dev/null || : >"enc/e$i" ;;
		4)	# a key and a policy on a new directory, files, then key gone
			keyid=$(head -c 64 /dev/urandom | "$FSCRYPTCTL_DIO" add_key .) || return 1
			dir=k$n
			mkdir "$dir"
			"$FSCRYPTCTL_DIO" set_policy "$keyid" "$dir" || return 1
			head -c 8192 /dev/urandom >"$dir/a"
			ln -s a "$dir/l"
			"$FSCRYPTCTL_DIO" remove_key "$keyid" . >/dev/null 2>&1 || true
			;;
		5)	# the key of enc/ removed and added back
			"$FSCRYPTCTL_DIO" remove_key "$(cat "$WORK/keyid")" . >/dev/null 2>&1 || true
			"$FSCRYPTCTL_DIO" add_key . <"$WORK/key" >/dev/null || return 1
			;;
		6) rm -rf "k$((n - 2 * 8))" 2>/dev/null ;;
		7) mkdir -p "plain/d$i" && mv -f "plain/d$i" "plain/sub/d$i" 2>/dev/null; rm -rf "plain/sub/d$i" ;;
		esac
		n=$((n + 1))
	done
	echo "$n"
}

# Scans the tree until the mutator is done ($WORK/mutator-done) and at
# least MIN_SCANS times; each scan's exit status, then its JSON checked by
# tests/root/stress-check.py.  Prints "scans files"; fails at the cap.
scan_loop() {
	local mnt=$1 cap=$2 id=$3 scans=0 files=0 out rc
	out=$WORK/scan$id.json
	while [ ! -e "$WORK/mutator-done" ] || ((scans < MIN_SCANS)); do
		if [ "$(date +%s)" -ge "$cap" ]; then
			echo "scanner $id: safety cap of ${STRESS_CAP_SECONDS} s hit after $scans scans" >&2
			return 1
		fi
		rc=0
		"$BLKCRYPT_QUERY" file -R -J -o PATH,TYPE,DIO,REASON,ENCRYPTION,KEY,CRYPTO \
			"$mnt" >"$out" 2>"$WORK/scan$id.err" || rc=$?
		if [ "$rc" -ne 0 ]; then
			echo "scan $id.$scans: exit $rc" >&2
			cat "$WORK/scan$id.err" >&2
			cp "$out" "$WORK/failed$id.json"
			return 1
		fi
		n=$(python3 "$BCA_SRCDIR/tests/root/stress-check.py" "$out") || {
			cp "$out" "$WORK/failed$id.json"
			return 1
		}
		files=$((files + n))
		scans=$((scans + 1))
	done
	echo "$scans $files"
}

@test "parallel -R scans while keys, policies and names change: valid JSON, only possible verdicts" {
	local mnt=$WORK/mnt i cap mpid s1 s2 muts scans files t0
	mkdir "$mnt/plain" "$mnt/plain/sub" "$mnt/enc"
	head -c 64 /dev/urandom >"$WORK/key"
	"$FSCRYPTCTL_DIO" add_key "$mnt" <"$WORK/key" >"$WORK/keyid"
	"$FSCRYPTCTL_DIO" set_policy "$(cat "$WORK/keyid")" "$mnt/enc"
	for ((i = 0; i < 60; i++)); do
		head -c 4096 /dev/zero >"$mnt/plain/f$i"
		: >"$mnt/enc/e$i"
	done
	mkfifo "$mnt/plain/fifo"
	ln -s f0 "$mnt/plain/link"
	t0=$(date +%s)
	cap=$((t0 + STRESS_CAP_SECONDS))
	rm -f "$WORK/mutator-done"
	# the scanners stop when the mutator ends, however it ends
	(
		rc=0
		mutate "$mnt" "$cap" >"$WORK/mutations" || rc=$?
		: >"$WORK/mutator-done"
		exit "$rc"
	) &
	mpid=$!
	scan_loop "$mnt" "$cap" 1 >"$WORK/s1" &
	s1=$!
	scan_loop "$mnt" "$cap" 2 >"$WORK/s2" &
	s2=$!
	wait "$s1"
	wait "$s2"
	wait "$mpid"
	muts=$(cat "$WORK/mutations")
	read -r scans files < <(cat "$WORK/s1" "$WORK/s2" |
		awk '{ s += $1; f += $2 } END { print s, f }')
	echo "stress: $scans scans ($files files reported) during $muts of $STRESS_MUTATIONS mutations, in $(($(date +%s) - t0)) s; every JSON valid, no impossible verdict" >&3
	if [ "$muts" -ne "$STRESS_MUTATIONS" ]; then
		echo "the safety cap of ${STRESS_CAP_SECONDS} s passed after $muts of $STRESS_MUTATIONS mutations" >&2
		return 1
	fi
}
