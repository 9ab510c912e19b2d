// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Recursive scans.  Depth-first with one open directory per level and one
 * path buffer, so memory is bounded by the depth of the tree, not its size:
 * a million files cost what ten do.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

/* Directories nested deeper than this are reported as -ELOOP, not entered. */
#define WALK_MAX_DEPTH 4096

struct walk {
	struct bca_ctx *ctx;
	unsigned int flags;
	bca_walk_fn fn;
	void *data;
	char *path;
	size_t cap;
	uint64_t root_mnt_id;
	dev_t root_dev;
	/* (dev, ino) of the directories being walked, to stop symlink cycles */
	struct { dev_t dev; uint64_t ino; } *stack;
	size_t depth;
	struct bca_file *f;	/* the report of the entry at hand, reused */
	pid_t ns_pid;		/* whose mount namespace the root path leads into */
};

static int path_set(struct walk *w, size_t at, const char *name)
{
	size_t need = at + 1 + strlen(name) + 1;

	if (need > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		char *p;

		while (cap < need)
			cap *= 2;
		p = realloc(w->path, cap);
		if (!p)
			return -ENOMEM;
		w->path = p;
		w->cap = cap;
	}
	if (at && w->path[at - 1] != '/')
		w->path[at++] = '/';
	strcpy(w->path + at, name);
	return 0;
}

static bool on_stack(const struct walk *w, dev_t dev, uint64_t ino)
{
	for (size_t i = 0; i < w->depth; i++)
		if (w->stack[i].dev == dev && w->stack[i].ino == ino)
			return true;
	return false;
}

/* Whether to descend into the directory just reported as f. */
static bool enter(const struct walk *w, const struct bca_file *f)
{
	const struct bca_statx *st = bca_file_statx(f);

	if (!S_ISDIR(st->stx_mode))
		return false;
	if (w->flags & BCA_WALK_CROSS_MOUNTS)
		return true;
	if (st->stx_mask & STATX_MNT_ID)
		return st->stx_mnt_id == w->root_mnt_id;
	return bca_file_get_devno(f) == w->root_dev;
}

static int walk_dir(struct walk *w, int dfd, size_t len);

/*
 * An entry readdir() listed is gone when we look at it: deleted, renamed,
 * or listed under a no-key name that adding its key invalidated.  Not an
 * error of the scan (find's -ignore_readdir_race): skipped.
 */
static int vanished(const struct walk *w)
{
	bca_dbg(w->ctx, "%s: gone during the scan, skipped", w->path);
	return 0;
}

static int walk_entry(struct walk *w, DIR *d, const char *name, size_t len)
{
	unsigned int qflags = (w->flags & BCA_WALK_FOLLOW_SYMLINKS) ? 0 : BCA_QUERY_NOFOLLOW;
	struct bca_file *f = w->f;
	bool descend;
	dev_t dev;
	uint64_t ino;
	int rc, cfd;

	rc = path_set(w, len, name);
	if (rc < 0)
		return rc;
	rc = bca_file_query_into(w->ctx, dirfd(d), name, qflags, w->ns_pid, f);
	if (rc == -ENOENT)
		return vanished(w);
	if (rc < 0)
		return w->fn(w->path, NULL, rc, w->data);
	rc = w->fn(w->path, f, 0, w->data);
	descend = rc >= 0 && enter(w, f);
	dev = bca_file_get_devno(f);
	ino = bca_file_statx(f)->stx_ino;
	if (!descend)
		return rc;
	if (on_stack(w, dev, ino))
		return w->fn(w->path, NULL, -ELOOP, w->data);
	if (w->depth >= WALK_MAX_DEPTH)
		return w->fn(w->path, NULL, -ELOOP, w->data);
	cfd = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		     ((w->flags & BCA_WALK_FOLLOW_SYMLINKS) ? 0 : O_NOFOLLOW));
	if (cfd < 0)
		return errno == ENOENT ? vanished(w) : w->fn(w->path, NULL, -errno, w->data);
	w->stack[w->depth].dev = dev;
	w->stack[w->depth].ino = ino;
	w->depth++;
	rc = walk_dir(w, cfd, strlen(w->path));
	w->depth--;
	return rc;
}

static int walk_dir(struct walk *w, int dfd, size_t len)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		rc = -errno;
		close(dfd);
		return w->fn(w->path, NULL, rc, w->data);
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				w->path[len] = '\0';
				rc = w->fn(w->path, NULL, -errno, w->data);
			}
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = walk_entry(w, d, de->d_name, len);
		if (rc < 0)
			break;
	}
	closedir(d);
	return rc;
}

BCA_EXPORT int bca_file_walk(struct bca_ctx *ctx, const char *dir, unsigned int flags,
			     bca_walk_fn fn, void *data)
{
	struct walk w = { .ctx = ctx, .flags = flags, .fn = fn, .data = data };
	struct bca_statx st;
	int rc, dfd;

	if (!ctx || !dir || !fn || (flags & ~(BCA_WALK_FOLLOW_SYMLINKS | BCA_WALK_CROSS_MOUNTS)))
		return -EINVAL;
	rc = bca_statx(AT_FDCWD, dir, 0, STATX_TYPE | STATX_INO | STATX_MNT_ID, &st);
	if (rc < 0)
		return rc;
	if (!S_ISDIR(st.stx_mode))
		return -ENOTDIR;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	w.root_mnt_id = st.stx_mnt_id;
	w.root_dev = makedev(st.stx_dev_major, st.stx_dev_minor);
	w.stack = calloc(WALK_MAX_DEPTH + 1, sizeof(*w.stack));
	w.f = bca_file_new();
	rc = w.stack && w.f ? path_set(&w, 0, dir) : -ENOMEM;
	if (rc < 0) {
		close(dfd);
		free(w.stack);
		free(w.f);
		return rc;
	}
	w.stack[0].dev = w.root_dev;
	w.stack[0].ino = st.stx_ino;
	w.depth = 1;
	w.ns_pid = bca_mount_ns_pid(dir);
	rc = walk_dir(&w, dfd, strlen(w.path));
	free(w.path);
	free(w.stack);
	free(w.f);
	return rc < 0 ? rc : 0;
}
