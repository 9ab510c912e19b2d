// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * /proc/self/mountinfo, parsed by libmount once per context and looked up
 * by mount id (statx STATX_MNT_ID), so that a recursive scan of a million
 * files reads it once.  The superblock options are what tell whether inlinecrypt is
 * really in effect: a kernel without blk-crypto drops it silently.
 *
 * A file may sit on a mount of another mount namespace (a container's
 * files through /proc/PID/root): its id is in no table of ours.  Such a
 * file is resolved through that process's mountinfo when the path names
 * it, else through the file's own device number, which names its
 * superblock: every mount of one superblock shows the same superblock
 * options.  Each missing id costs at most one re-read, never one per file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include <libmount.h>

#include "internal.h"

struct bca_mountinfo {
	struct libmnt_table *tb;	/* libmount's parse: it owns the strings */
	struct bca_mount *mounts;	/* a view of each of its entries */
	size_t n;
	pid_t pid;		/* whose mountinfo: 0 for our own */
	int fd;			/* it, open for poll(), see changed() */
	/* the tables read before this one: file reports still point into them */
	struct bca_mountinfo *older;
};

void bca_mounts_free(struct bca_mountinfo *mi)
{
	while (mi) {
		struct bca_mountinfo *older = mi->older;

		for (size_t i = 0; i < mi->n; i++)
			free(mi->mounts[i].prefixed);
		if (mi->fd >= 0)
			close(mi->fd);
		free(mi->mounts);
		mnt_unref_table(mi->tb);
		free(mi);
		mi = older;
	}
}

/*
 * Our view of one libmount entry; prefix goes before the mount point.
 * libmount has undone the kernel's escaping; an entry without an id, a
 * mount point or a type (not a mountinfo line) is no mount of ours.
 */
static int view_fs(struct libmnt_fs *fs, const char *prefix, struct bca_mount *m)
{
	const char *target = mnt_fs_get_target(fs), *source = mnt_fs_get_source(fs);
	const char *vfs = mnt_fs_get_vfs_options(fs), *super = mnt_fs_get_fs_options(fs);
	dev_t dev = mnt_fs_get_devno(fs);
	int id = mnt_fs_get_id(fs);

	if (id < 0 || !target || !mnt_fs_get_fstype(fs))
		return -BCA_ERR_PARSE;
	m->mnt_id = (uint64_t)id;
	m->major = major(dev);
	m->minor = minor(dev);
	m->fstype = mnt_fs_get_fstype(fs);
	m->source = source ? source : "none";
	m->mount_opts = vfs ? vfs : "";
	m->super_opts = super ? super : "";
	m->mountpoint = target;
	if (*prefix) {
		if (asprintf(&m->prefixed, "%s%s", prefix, strcmp(target, "/") ? target : "") < 0) {
			m->prefixed = NULL;
			return -ENOMEM;
		}
		m->mountpoint = m->prefixed;
	}
	return 0;
}

/* A line libmount cannot read is skipped, as findmnt(8) does: 1 goes on. */
static int skip_bad_line(struct libmnt_table *tb, const char *filename, int line)
{
	struct bca_ctx *ctx = mnt_table_get_userdata(tb);

	bca_dbg(ctx, "%s: line %d: skipped, not a mountinfo line", filename, line);
	return 1;
}

/* libmount's parse of process pid's mountinfo, read from f; NULL when out of memory. */
static struct libmnt_table *parse(struct bca_ctx *ctx, FILE *f, const char *path, int *rc)
{
	struct libmnt_table *tb = mnt_new_table();

	*rc = -ENOMEM;
	if (!tb)
		return NULL;
	mnt_table_set_userdata(tb, ctx);
	mnt_table_set_parser_errcb(tb, skip_bad_line);
	*rc = mnt_table_parse_stream(tb, f, path);
	if (*rc < 0) {
		mnt_unref_table(tb);
		return NULL;
	}
	return tb;
}

/*
 * Reads the mountinfo of process pid (0: ourselves), whose mount points are
 * shown below /proc/PID/root, where this process reaches them.  The file
 * is opened here, below the sysroot, and kept open for poll(); libmount
 * parses it.
 */
static int mounts_load(struct bca_ctx *ctx, pid_t pid, struct bca_mountinfo **out)
{
	struct bca_mountinfo *mi;
	struct libmnt_iter *it = NULL;
	struct libmnt_fs *fs;
	char path[64], prefix[48] = "";
	int rc, fd;
	FILE *f;

	if (pid) {
		snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)pid);
		snprintf(prefix, sizeof(prefix), "/proc/%d/root", (int)pid);
	} else {
		snprintf(path, sizeof(path), "/proc/self/mountinfo");
	}
	fd = bca_sys_open(ctx, path);
	if (fd < 0)
		return fd;
	f = fdopen(fd, "r");
	mi = calloc(1, sizeof(*mi));
	if (!f || !mi) {
		rc = f ? -ENOMEM : -errno;
		if (f)
			fclose(f);
		else
			close(fd);
		free(mi);
		return rc;
	}
	mi->pid = pid;
	/* the same open file: a change after this read shows on it */
	mi->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	mi->tb = parse(ctx, f, path, &rc);
	fclose(f);
	if (mi->tb) {
		rc = -ENOMEM;
		it = mnt_new_iter(MNT_ITER_FORWARD);
		mi->mounts = calloc((size_t)mnt_table_get_nents(mi->tb) + 1, sizeof(*mi->mounts));
	}
	if (it && mi->mounts) {
		rc = 0;
		while (mnt_table_next_fs(mi->tb, it, &fs) == 0) {
			rc = view_fs(fs, prefix, &mi->mounts[mi->n]);
			if (rc == -ENOMEM)
				break;
			if (rc < 0) {
				bca_dbg(ctx, "%s: skipping an entry without id, mount point or type", path);
				memset(&mi->mounts[mi->n], 0, sizeof(mi->mounts[0]));
				rc = 0;
				continue;
			}
			mi->n++;
		}
	}
	mnt_free_iter(it);
	if (rc < 0) {
		bca_mounts_free(mi);
		return rc;
	}
	*out = mi;
	return 0;
}

/* The mount with id id in every table read so far, newest first. */
static const struct bca_mount *find(const struct bca_mountinfo *mi, uint64_t id)
{
	for (; mi; mi = mi->older)
		for (size_t i = 0; i < mi->n; i++)
			if (mi->mounts[i].mnt_id == id)
				return &mi->mounts[i];
	return NULL;
}

/* A mount of the superblock with device number major:minor. */
static const struct bca_mount *find_dev(const struct bca_mountinfo *mi,
					unsigned int major, unsigned int minor)
{
	for (; mi; mi = mi->older)
		for (size_t i = 0; i < mi->n; i++)
			if (mi->mounts[i].major == major && mi->mounts[i].minor == minor)
				return &mi->mounts[i];
	return NULL;
}

/*
 * Whether the mount table mi was read from changed since: mountinfo is
 * pollable, a change shows as POLLPRI on the descriptor kept open.  A
 * recorded tree (a regular file) never changes.
 */
static bool changed(const struct bca_mountinfo *mi)
{
	struct pollfd p = { .fd = mi->fd, .events = POLLPRI };

	if (mi->fd < 0)
		return true;
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLPRI | POLLERR));
}

/* The newest table of pid's mounts, NULL when none was read. */
static struct bca_mountinfo *table_of(struct bca_mountinfo *mi, pid_t pid)
{
	for (; mi; mi = mi->older)
		if (mi->pid == pid)
			return mi;
	return NULL;
}

/*
 * Reads pid's mountinfo again when it changed, or for the first time, and
 * keeps the old tables, which reports point into.
 */
static int refresh(struct bca_ctx *ctx, pid_t pid)
{
	struct bca_mountinfo *mi = table_of(ctx->mounts, pid);
	int rc;

	if (mi && !changed(mi))
		return 0;
	if (mi && mi->fd >= 0) {
		close(mi->fd);
		mi->fd = -1;
	}
	rc = mounts_load(ctx, pid, &mi);
	if (rc < 0)
		return rc;
	mi->older = ctx->mounts;
	ctx->mounts = mi;
	return 0;
}

/*
 * Records id as looked up in vain; false when it already was, or when the
 * record is full (then nothing is re-read any more: a scan over more
 * missing mounts than that is in a namespace we cannot see).
 */
static bool miss_first(struct bca_ctx *ctx, uint64_t id)
{
	for (size_t i = 0; i < ctx->mount_misses_n; i++)
		if (ctx->mount_misses[i] == id)
			return false;
	if (ctx->mount_misses_n == BCA_MOUNT_MISSES_MAX)
		return false;
	ctx->mount_misses[ctx->mount_misses_n++] = id;
	return true;
}

pid_t bca_mount_ns_pid(const char *path)
{
	unsigned long pid;
	char *end;

	if (!path || strncmp(path, "/proc/", 6) || !(path[6] >= '1' && path[6] <= '9'))
		return 0;
	errno = 0;
	pid = strtoul(path + 6, &end, 10);
	if (errno || pid > INT_MAX || strncmp(end, "/root", 5) || (end[5] != '/' && end[5] != '\0'))
		return 0;
	return (pid_t)pid;
}

int bca_mount_of(struct bca_ctx *ctx, const struct bca_statx *st, pid_t pid,
		 const struct bca_mount **out)
{
	const struct bca_mount *m;
	int rc;

	if (!(st->stx_mask & STATX_MNT_ID))
		return -ENOENT;
	/* a scan asks for the same mount file after file */
	if (ctx->mount_last && ctx->mount_last->mnt_id == st->stx_mnt_id) {
		*out = ctx->mount_last;
		return 0;
	}
	if (ctx->mount_foreign && ctx->mount_foreign_id == st->stx_mnt_id) {
		*out = ctx->mount_foreign;
		return 1;
	}
	if (!ctx->mounts && (rc = refresh(ctx, 0)) < 0)
		return rc;
	m = find(ctx->mounts, st->stx_mnt_id);
	if (!m && miss_first(ctx, st->stx_mnt_id)) {
		/* a new mount, or one of the namespace the path leads into */
		rc = refresh(ctx, 0);
		if (rc < 0)
			return rc;
		m = find(ctx->mounts, st->stx_mnt_id);
		if (!m && pid && (rc = refresh(ctx, pid)) < 0)
			bca_dbg(ctx, "/proc/%d/mountinfo: %s", (int)pid, bca_strerror(rc));
		m = find(ctx->mounts, st->stx_mnt_id);
	}
	if (m) {
		ctx->mount_last = m;
		*out = m;
		return 0;
	}
	m = find_dev(ctx->mounts, st->stx_dev_major, st->stx_dev_minor);
	if (!m)
		return -BCA_ERR_MOUNT_UNSEEN;
	bca_dbg(ctx, "mount %llu: not ours, superblock %u:%u mounted on %s",
		(unsigned long long)st->stx_mnt_id, st->stx_dev_major, st->stx_dev_minor,
		m->mountpoint);
	ctx->mount_foreign = m;
	ctx->mount_foreign_id = st->stx_mnt_id;
	*out = m;
	return 1;
}

BCA_EXPORT int bca_mount_foreach(struct bca_ctx *ctx, bca_mount_fn fn, void *data)
{
	const struct bca_mountinfo *mi;
	int rc = refresh(ctx, 0);

	if (rc < 0)
		return rc;
	/* fn may read mountinfo again through ctx: older tables stay */
	mi = table_of(ctx->mounts, 0);
	for (size_t i = 0; mi && i < mi->n; i++) {
		rc = fn(mi->mounts[i].mountpoint, mi->mounts[i].fstype, data);
		if (rc)
			return rc;
	}
	return 0;
}

/* libmount's reading of option strings: quotes, "name" and "name=value". */
bool bca_opt_has(const char *opts, const char *opt, const char **value)
{
	char *val = NULL;
	size_t size = 0;

	if (!opts || mnt_optstr_get_option(opts, opt, &val, &size) != 0)
		return false;
	if (value)
		*value = size ? val : NULL;
	return true;
}
