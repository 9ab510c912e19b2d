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
	struct bca_statx st = { .stx_mask = STATX_MNT_ID };

	plan(36);
	if (make_sysroot("inlinecrypt", root, sizeof(root)) < 0) {
		printf("Bail out! cannot build the recorded sysroot\n");
		return 1;
	}
	is_int(bca_new(&ctx), 0, "context");
	is_int(bca_set_sysroot(ctx, root), 0, "sysroot set");
	st.stx_mnt_id = 61;
	is_int(bca_mount_of(ctx, &st, 0, &m), 0, "mount 61 found");
	is_str(m->fstype, "ext4", "fstype");
	is_str(m->mountpoint, "/mnt/with space", "octal escapes undone in the mount point");
	ok(bca_opt_has(m->super_opts, "inlinecrypt", NULL), "inlinecrypt in superblock options");
	ok(!bca_opt_has(m->mount_opts, "inlinecrypt", NULL), "not in per-mount options");
	is_int(m->major, 7, "major");
	is_int(m->minor, 0, "minor");
	st.stx_mnt_id = 62;
	is_int(bca_mount_of(ctx, &st, 0, &m), 0, "mount 62 found");
	ok(!bca_opt_has(m->super_opts, "inlinecrypt", NULL), "no inlinecrypt on a plain mount");
	ok(bca_opt_has(m->super_opts, "data", &val) && val && !strncmp(val, "journal", 7),
	   "data=journal value");
	ok(!bca_opt_has("rw,inlinecryptx", "inlinecrypt", NULL), "option prefix does not match");
	ok(bca_opt_has("rw,inlinecrypt", "inlinecrypt", &val) && !val, "no value: NULL");
	/* after a line that is not one: skipped, the rest still read */
	st.stx_mnt_id = 63;
	is_int(bca_mount_of(ctx, &st, 0, &m), 0, "mount 63 found after an unparsable line");
	is_str(m->mountpoint, "/mnt/ctx", "its mount point");
	/* a quoted value (an SELinux context) is one option, commas and all */
	ok(!bca_opt_has(m->super_opts, "inlinecrypt", NULL), "inlinecrypt inside a quoted value is none");
	ok(!bca_opt_has(m->super_opts, "c2\"", NULL), "nor is the part after a quoted comma");
	st.stx_mnt_id = 999;
	is_int(bca_mount_of(ctx, &st, 0, &m), -BCA_ERR_MOUNT_UNSEEN, "unknown mount id: not in the table");
	is_int(bca_mount_of(ctx, &st, 0, &m), -BCA_ERR_MOUNT_UNSEEN, "unknown mount id, again");
	is_int((int)ctx->mount_misses_n, 1, "one miss recorded for both lookups");
	st.stx_mask = 0;
	is_int(bca_mount_of(ctx, &st, 0, &m), -ENOENT, "no mount id from statx");
	st.stx_mask = STATX_MNT_ID;

	/* a mount of another namespace: the file's superblock is mounted here too */
	st.stx_mnt_id = 500;
	st.stx_dev_major = 7;
	st.stx_dev_minor = 1;
	is_int(bca_mount_of(ctx, &st, 0, &m), 1, "foreign mount answered by its superblock");
	is_str(m->mountpoint, "/mnt/plain", "a mount of that superblock");
	ok(bca_opt_has(m->super_opts, "data", NULL), "with the superblock's options");
	is_int(bca_mount_of(ctx, &st, 0, &m), 1, "the same foreign mount again");

	/* ... or only there, reached through /proc/PID/root */
	is_int(bca_mount_ns_pid("/proc/4242/root/data/f"), 4242, "namespace of /proc/4242/root/...");
	is_int(bca_mount_ns_pid("/proc/4242/root"), 4242, "namespace of /proc/4242/root");
	is_int(bca_mount_ns_pid("/proc/4242/rootx"), 0, "not a root link");
	is_int(bca_mount_ns_pid("/proc/self/root/x"), 0, "our own root");
	is_int(bca_mount_ns_pid("/proc/0123/root"), 0, "no leading zero");
	is_int(bca_mount_ns_pid("proc/4242/root"), 0, "relative path");
	st.stx_mnt_id = 90;
	st.stx_dev_major = 7;
	st.stx_dev_minor = 5;
	is_int(bca_mount_of(ctx, &st, 4242, &m), 0, "mount of the other namespace found");
	is_str(m->mountpoint, "/proc/4242/root/data", "mount point as this process reaches it");
	ok(bca_opt_has(m->super_opts, "inlinecrypt", NULL), "its superblock options");
	is_int(bca_set_sysroot(ctx, "/nonexistent-sysroot"), -ENOENT, "missing sysroot refused");
	bca_unref(ctx);
	remove_sysroot(root);
	return done_testing();
}
