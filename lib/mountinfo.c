// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * /proc/self/mountinfo, parsed once per context and looked up by mount id
 * (statx STATX_MNT_ID), so that a recursive scan of a million files reads
 * it once.  The superblock options are what tell whether inlinecrypt is
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

#include "internal.h"

struct bca_mountinfo {
	struct bca_mount *mounts;
	size_t n;
	pid_t pid;		/* whose mountinfo: 0 for our own */
	int fd;			/* it, open for poll(), see changed() */
	/* the tables read before this one: file reports still point into them */
	struct bca_mountinfo *older;
};

static void mount_clear(struct bca_mount *m)
{
	free(m->mountpoint);
	free(m->fstype);
	free(m->source);
	free(m->mount_opts);
	free(m->super_opts);
}

void bca_mounts_free(struct bca_mountinfo *mi)
{
	while (mi) {
		struct bca_mountinfo *older = mi->older;

		for (size_t i = 0; i < mi->n; i++)
			mount_clear(&mi->mounts[i]);
		if (mi->fd >= 0)
			close(mi->fd);
		free(mi->mounts);
		free(mi);
		mi = older;
	}
}

/* Undoes the kernel's octal escaping of space, tab, newline and backslash. */
static char *unescape(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* Parses one mountinfo line; prefix goes before the mount point. */
static int parse_line(char *line, const char *prefix, struct bca_mount *m)
{
	char *save = NULL, *tok[6], *sep;
	unsigned long long id;
	int i;

	/* fields after " - " are: fstype source super_options */
	sep = strstr(line, " - ");
	if (!sep)
		return -BCA_ERR_PARSE;
	*sep = '\0';
	for (i = 0; i < 6; i++) {
		tok[i] = strtok_r(i ? NULL : line, " ", &save);
		if (!tok[i])
			return -BCA_ERR_PARSE;
	}
	if (sscanf(tok[0], "%llu", &id) != 1 ||
	    sscanf(tok[2], "%u:%u", &m->major, &m->minor) != 2)
		return -BCA_ERR_PARSE;
	m->mnt_id = id;
	m->mountpoint = unescape(tok[4]);
	if (m->mountpoint && *prefix) {
		char *full;

		if (asprintf(&full, "%s%s", prefix, strcmp(m->mountpoint, "/") ? m->mountpoint : "") < 0)
			full = NULL;
		free(m->mountpoint);
		m->mountpoint = full;
	}
	m->mount_opts = strdup(tok[5]);

	save = NULL;
	tok[0] = strtok_r(sep + 3, " \n", &save);
	tok[1] = strtok_r(NULL, " \n", &save);
	tok[2] = strtok_r(NULL, " \n", &save);
	if (!tok[0] || !tok[1])
		return -BCA_ERR_PARSE;
	m->fstype = strdup(tok[0]);
	m->source = unescape(tok[1]);
	m->super_opts = strdup(tok[2] ? tok[2] : "");
	if (!m->mountpoint || !m->mount_opts || !m->fstype || !m->source || !m->super_opts)
		return -ENOMEM;
	return 0;
}

/*
 * Reads the mountinfo of process pid (0: ourselves), whose mount points are
 * shown below /proc/PID/root, where this process reaches them.
 */
static int mounts_load(struct bca_ctx *ctx, pid_t pid, struct bca_mountinfo **out)
{
	struct bca_mountinfo *mi;
	char *line = NULL, path[64], prefix[48] = "";
	size_t cap = 0, alloc = 0;
	int rc = 0, fd;
	FILE *f;

	if (pid) {
		snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)pid);
		snprintf(prefix, sizeof(prefix), "/proc/%d/root", (int)pid);
	} else {
		snprintf(path, sizeof(path), "/proc/self/mountinfo");
	}
	fd = bca_sys_open(ctx, path, O_RDONLY);
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
	while (getline(&line, &cap, f) > 0) {
		if (mi->n == alloc) {
			size_t nalloc = alloc ? alloc * 2 : 64;
			struct bca_mount *nm = realloc(mi->mounts, nalloc * sizeof(*nm));

			if (!nm) {
				rc = -ENOMEM;
				break;
			}
			mi->mounts = nm;
			alloc = nalloc;
		}
		memset(&mi->mounts[mi->n], 0, sizeof(mi->mounts[0]));
		rc = parse_line(line, prefix, &mi->mounts[mi->n]);
		if (rc < 0) {
			mount_clear(&mi->mounts[mi->n]);
			if (rc == -ENOMEM)
				break;
			bca_dbg(ctx, "mountinfo: skipping unparsable line");
			rc = 0;
			continue;
		}
		mi->n++;
	}
	free(line);
	fclose(f);
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
		return -ENOENT;
	bca_dbg(ctx, "mount %llu: not ours, superblock %u:%u mounted on %s",
		(unsigned long long)st->stx_mnt_id, st->stx_dev_major, st->stx_dev_minor,
		m->mountpoint);
	ctx->mount_foreign = m;
	ctx->mount_foreign_id = st->stx_mnt_id;
	*out = m;
	return 1;
}

bool bca_opt_has(const char *opts, const char *opt, const char **value)
{
	size_t len = strlen(opt);
	const char *p = opts;

	while (p && *p) {
		if (!strncmp(p, opt, len) && (p[len] == ',' || p[len] == '\0' || p[len] == '=')) {
			if (value)
				*value = p[len] == '=' ? p + len + 1 : NULL;
			return true;
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}
