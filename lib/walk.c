// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Recursive scans.  Depth-first, iterative, with one path buffer and one
 * small record per level, so memory is bounded by the depth of the tree,
 * not its size: a million files cost what ten do.  Open directories are
 * bounded too: only the WALK_OPEN_MAX deepest levels stay open, and a
 * level closed on the way down is reopened on the way back up (by "..",
 * checked by device and inode, else by its path) and continued where it
 * stopped (seekdir), so a tree of any depth fits in `ulimit -n 1024`
 * and the order of the report is the one readdir gives.
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

/* Directories open at once during a scan, whatever its depth. */
#define WALK_OPEN_MAX 32

struct level {
	DIR *d;			/* NULL while closed to spare descriptors */
	long pos;		/* telldir() when closed */
	dev_t dev;		/* of the directory: reopening checks them, */
	uint64_t ino;		/* and symlink cycles are stopped with them */
	size_t len;		/* its path's length in the path buffer */
	size_t name_at;		/* where its name starts there (0: the root) */
};

struct walk {
	struct bca_ctx *ctx;
	unsigned int flags;
	bca_walk_fn fn;
	void *data;
	char *path;
	size_t cap;
	uint64_t root_mnt_id;
	dev_t root_dev;
	const char *root;	/* the path the scan started from */
	struct level *lv;	/* lv[0] the root, lv[depth - 1] the directory being read */
	size_t depth, lv_cap;
	size_t open_lo;		/* lv[open_lo .. depth - 1] are open, the others closed */
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
	return (int)at;
}

static bool on_stack(const struct walk *w, dev_t dev, uint64_t ino)
{
	for (size_t i = 0; i < w->depth; i++)
		if (w->lv[i].dev == dev && w->lv[i].ino == ino)
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

/* Whether directory fd is the one level l was: the same device and inode. */
static bool same_dir(int fd, const struct level *l)
{
	struct bca_statx st;

	return bca_statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_INO, &st) == 0 &&
	       S_ISDIR(st.stx_mode) && st.stx_ino == l->ino &&
	       makedev(st.stx_dev_major, st.stx_dev_minor) == l->dev;
}

/*
 * Opens level i again by its path: from the root, one name at a time (a
 * path may be longer than PATH_MAX), each checked by device and inode.
 * Only when ".." did not lead back (a directory entered through a symlink
 * with --follow, or one moved during the scan).
 */
static int reopen_by_path(struct walk *w, size_t i)
{
	int nofollow = (w->flags & BCA_WALK_FOLLOW_SYMLINKS) ? 0 : O_NOFOLLOW;
	int fd = open(w->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), next;
	char *name;

	if (fd >= 0 && !same_dir(fd, &w->lv[0])) {
		close(fd);
		return -ESTALE;
	}
	for (size_t k = 1; fd >= 0 && k <= i; k++) {
		name = strndup(w->path + w->lv[k].name_at, w->lv[k].len - w->lv[k].name_at);
		if (!name) {
			close(fd);
			return -ENOMEM;
		}
		next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | nofollow);
		free(name);
		close(fd);
		fd = next;
		if (fd >= 0 && !same_dir(fd, &w->lv[k])) {
			close(fd);
			return -ESTALE;
		}
	}
	return fd < 0 ? -errno : fd;
}

/*
 * Opens level i again, closed on the way down, and continues it after the
 * entry it stopped at.  child (-1 for none) is level i + 1 still open:
 * its ".." is tried first (one openat, not one per level), then the path.
 */
static int reopen_level(struct walk *w, size_t i, int child)
{
	struct level *l = &w->lv[i];
	int fd = child >= 0 ? openat(child, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (fd >= 0 && !same_dir(fd, l)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		fd = reopen_by_path(w, i);
	if (fd < 0)
		return fd;
	l->d = fdopendir(fd);
	if (!l->d) {
		close(fd);
		return -errno;
	}
	seekdir(l->d, l->pos);
	w->open_lo = i;
	return 0;
}

/* Makes directory cfd (the entry just reported) the deepest level. */
static int push(struct walk *w, int cfd, dev_t dev, uint64_t ino, size_t name_at)
{
	struct level *l;

	if (w->depth == w->lv_cap) {
		size_t cap = w->lv_cap * 2;

		l = realloc(w->lv, cap * sizeof(*l));
		if (!l) {
			close(cfd);
			return -ENOMEM;
		}
		w->lv = l;
		w->lv_cap = cap;
	}
	l = &w->lv[w->depth];
	l->d = fdopendir(cfd);
	if (!l->d) {
		int rc = -errno;

		close(cfd);
		return w->fn(w->path, NULL, rc, w->data);
	}
	l->dev = dev;
	l->ino = ino;
	l->len = strlen(w->path);
	l->name_at = name_at;
	w->depth++;
	/* the shallowest open level makes room; its place is kept */
	if (w->depth - w->open_lo > WALK_OPEN_MAX) {
		struct level *old = &w->lv[w->open_lo++];

		old->pos = telldir(old->d);
		closedir(old->d);
		old->d = NULL;
	}
	return 0;
}

static int walk_entry(struct walk *w, const char *name)
{
	unsigned int qflags = (w->flags & BCA_WALK_FOLLOW_SYMLINKS) ? 0 : BCA_QUERY_NOFOLLOW;
	struct level *cur = &w->lv[w->depth - 1];
	struct bca_file *f = w->f;
	bool descend;
	dev_t dev;
	uint64_t ino;
	int rc, cfd, at;

	at = path_set(w, cur->len, name);
	if (at < 0)
		return at;
	rc = bca_file_query_into(w->ctx, dirfd(cur->d), name, qflags, w->ns_pid, f);
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
	cfd = openat(dirfd(cur->d), name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		     ((w->flags & BCA_WALK_FOLLOW_SYMLINKS) ? 0 : O_NOFOLLOW));
	if (cfd < 0)
		return errno == ENOENT ? vanished(w) : w->fn(w->path, NULL, -errno, w->data);
	return push(w, cfd, dev, ino, (size_t)at);
}

/* Ends the deepest level; its parent is open again if it can be. */
static void pop(struct walk *w)
{
	struct level *l = &w->lv[w->depth - 1];

	if (w->depth >= 2 && !w->lv[w->depth - 2].d)
		reopen_level(w, w->depth - 2, dirfd(l->d));
	closedir(l->d);
	l->d = NULL;
	w->depth--;
	if (w->open_lo > w->depth)
		w->open_lo = w->depth;
}

static int walk_tree(struct walk *w)
{
	struct dirent *de;
	int rc = 0;

	while (w->depth > 0 && rc >= 0) {
		struct level *l = &w->lv[w->depth - 1];

		if (!l->d) {
			/* ".." did not lead back: by path, else the rest of it is lost */
			rc = reopen_level(w, w->depth - 1, -1);
			if (rc < 0) {
				w->path[l->len] = '\0';
				rc = w->fn(w->path, NULL, rc, w->data);
				w->depth--;
				w->open_lo = w->depth;
				continue;
			}
		}
		errno = 0;
		de = readdir(l->d);
		if (!de) {
			if (errno) {
				w->path[l->len] = '\0';
				rc = w->fn(w->path, NULL, -errno, w->data);
				if (rc < 0)
					break;
			}
			pop(w);
			continue;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = walk_entry(w, de->d_name);
	}
	while (w->depth > 0) {
		if (w->lv[w->depth - 1].d)
			closedir(w->lv[w->depth - 1].d);
		w->depth--;
	}
	return rc;
}

BCA_EXPORT int bca_file_walk(struct bca_ctx *ctx, const char *dir, unsigned int flags,
			     bca_walk_fn fn, void *data)
{
	struct walk w = { .ctx = ctx, .flags = flags, .fn = fn, .data = data, .root = dir };
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
	w.lv_cap = 64;
	w.lv = calloc(w.lv_cap, sizeof(*w.lv));
	w.f = bca_file_new();
	rc = w.lv && w.f ? path_set(&w, 0, dir) : -ENOMEM;
	if (rc >= 0 && !(w.lv[0].d = fdopendir(dfd)))
		rc = -errno;
	if (rc < 0) {
		if (!w.lv || !w.lv[0].d)
			close(dfd);
		else
			closedir(w.lv[0].d);
		free(w.path);
		free(w.lv);
		free(w.f);
		return rc;
	}
	w.lv[0].dev = w.root_dev;
	w.lv[0].ino = st.stx_ino;
	w.lv[0].len = strlen(w.path);
	w.depth = 1;
	w.ns_pid = bca_mount_ns_pid(dir);
	rc = walk_tree(&w);
	free(w.path);
	free(w.lv);
	free(w.f);
	return rc < 0 ? rc : 0;
}
