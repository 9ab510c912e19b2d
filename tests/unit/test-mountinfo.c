// SPDX-License-Identifier: GPL-2.0-or-later
/* mountinfo parsing against a recorded /proc/self/mountinfo. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "internal.h"
#include "sysroot.h"
#include "tap.h"

int main(void)
{
	char root[4096];
	const struct bca_mount *m;
	const char *val;
	struct bca_ctx *ctx;

	plan(15);
	if (make_sysroot("inlinecrypt", root, sizeof(root)) < 0) {
		printf("Bail out! cannot build the recorded sysroot\n");
		return 1;
	}
	is_int(bca_new(&ctx), 0, "context");
	is_int(bca_set_sysroot(ctx, root), 0, "sysroot set");
	is_int(bca_mount_by_id(ctx, 61, &m), 0, "mount 61 found");
	is_str(m->fstype, "ext4", "fstype");
	is_str(m->mountpoint, "/mnt/with space", "octal escapes undone in the mount point");
	ok(bca_opt_has(m->super_opts, "inlinecrypt", NULL), "inlinecrypt in superblock options");
	ok(!bca_opt_has(m->mount_opts, "inlinecrypt", NULL), "not in per-mount options");
	is_int(m->major, 7, "major");
	is_int(m->minor, 0, "minor");
	is_int(bca_mount_by_id(ctx, 62, &m), 0, "mount 62 found");
	ok(!bca_opt_has(m->super_opts, "inlinecrypt", NULL), "no inlinecrypt on a plain mount");
	ok(bca_opt_has(m->super_opts, "data", &val) && val && !strncmp(val, "journal", 7),
	   "data=journal value");
	ok(!bca_opt_has("rw,inlinecryptx", "inlinecrypt", NULL), "option prefix does not match");
	is_int(bca_mount_by_id(ctx, 999, &m), -ENOENT, "unknown mount id");
	is_int(bca_set_sysroot(ctx, "/nonexistent-sysroot"), -ENOENT, "missing sysroot refused");
	bca_unref(ctx);
	remove_sysroot(root);
	return done_testing();
}
