#!/usr/bin/env bats
# After make install DESTDIR=..., a program built with
# pkg-config --cflags --libs blkcryptadm links and runs.

load ../helpers/common

setup() {
	DEST=$(mktemp -d)
}

teardown() {
	rm -rf "$DEST"
}

@test "installed library, header, .pc and man pages work for a client program" {
	${MAKE:-make} -s -C "$BCA_BUILDDIR" install DESTDIR="$DEST" >/dev/null 2>&1
	local pc prefix libdir
	pc=$(find "$DEST" -name blkcryptadm.pc)
	[ -n "$pc" ]
	prefix=$(sed -n 's/^prefix=//p' "$pc")
	libdir=$(sed -n 's/^libdir=//p' "$pc" | sed "s|\${exec_prefix}|$prefix|;s|\${prefix}|$prefix|")
	[ -e "$DEST$libdir/libblkcryptadm.so" ]
	[ -n "$(find "$DEST" -name blkcrypt-query.8)" ]
	[ -n "$(find "$DEST" -name libblkcryptadm.3)" ]
	cat > "$DEST/client.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <blkcryptadm.h>
int main(int argc, char **argv)
{
	struct bca_ctx *ctx;
	struct bca_file *f;
	if (argc != 2 || bca_new(&ctx) < 0 || bca_file_query(ctx, AT_FDCWD, argv[1], 0, &f) < 0)
		return 1;
	printf("%s %s\n", bca_get_library_version(), bca_dio_verdict_name(bca_file_get_verdict(f)));
	bca_file_free(f);
	bca_unref(ctx);
	return 0;
}
C
	local flags
	flags=$(PKG_CONFIG_SYSROOT_DIR="$DEST" PKG_CONFIG_PATH="$(dirname "$pc")" \
		pkg-config --cflags --libs blkcryptadm)
	# BCA_CLIENT_FLAGS: the sanitizer runtime, in a sanitizer build
	cc ${BCA_CLIENT_FLAGS:-} -o "$DEST/client" "$DEST/client.c" $flags
	run env LD_LIBRARY_PATH="$DEST$libdir" "$DEST/client" "$DEST"
	[ "$status" -eq 0 ]
	[[ "$output" == *" no" ]]
	# read-only queries in bin (as lsblk, findmnt, fscryptctl), the one that
	# makes devices in sbin (as cryptsetup); completion below the prefix
	[ -x "$DEST$prefix/bin/blkcrypt-query" ]
	[ -x "$DEST$prefix/bin/fscryptctl-dio" ]
	[ -x "$DEST$prefix/sbin/dmcrypt-inline" ]
	local t
	for t in blkcrypt-query fscryptctl-dio dmcrypt-inline; do
		[ -e "$DEST$prefix/share/bash-completion/completions/$t" ] ||
			{ echo "no completion for $t below $prefix: $(find "$DEST" -path '*completions*')"; return 1; }
	done
	# and the installed library exports only bca_* symbols
	run sh -c "nm -D --defined-only '$DEST$libdir/libblkcryptadm.so' | awk '\$2 == \"T\" {print \$3}' | grep -v '^bca_'"
	assert_eq "$output" ""
}
