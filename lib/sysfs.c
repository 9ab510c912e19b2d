// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading /sys and /proc, always below the context's sysroot so that tests
 * can replay a recorded tree.  Every kernel text file the library parses
 * is opened here, by sys_open(): a recording is any directory tree, so
 * nothing in it may hang a read (a FIFO), open a device, or lead out of it
 * (an absolute symlink, "..").
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* DIR/REL, or PATH alone when REL is NULL or empty. */
static int join(char *buf, size_t size, const char *dir, const char *rel)
{
	int n = rel && *rel ? snprintf(buf, size, "%s/%s", dir, rel)
			    : snprintf(buf, size, "%s", dir);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * path (absolute, as on the recorded system) resolved inside the sysroot
 * as if it were "/": absolute symlinks and ".." stay in the recording.
 * openat2() (5.6) does it; without it (ENOSYS, or a seccomp filter's
 * EPERM) a recording is refused rather than read by a resolution that
 * could leave it.  Retried on EAGAIN, which a concurrent rename may cause.
 */
static int open_in_root(struct bca_ctx *ctx, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = -1;

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	for (int tries = 0; tries < 8; tries++) {
		fd = (int)syscall(SYS_openat2, ctx->sysroot_fd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	if (fd >= 0)
		return fd;
	if (errno == ENOSYS || errno == EPERM) {
		bca_dbg(ctx, "%s: openat2: %s: a recorded tree cannot be read safely",
			path, bca_strerror(-errno));
		return -BCA_ERR_KERNEL_TOO_OLD;
	}
	return -errno;
}

static int open_path(struct bca_ctx *ctx, const char *path, int flags)
{
	int fd;

	if (ctx->sysroot_fd >= 0)
		return open_in_root(ctx, path, flags);
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * The one opener of files below the sysroot.  want is S_IFREG (a file to
 * read), S_IFDIR (a directory to list) or 0 (an O_PATH descriptor of
 * anything, to test existence).  A file is first opened O_PATH, which opens
 * no FIFO and no device, and checked to be a regular file; only then is
 * that same inode opened to read, non-blocking, through /proc/self/fd
 * (without /proc, by its path again and checked once more).
 */
static int sys_open(struct bca_ctx *ctx, const char *path, mode_t want)
{
	char proc[32];
	struct stat st;
	int opath, fd;

	if (want == S_IFDIR)
		return open_path(ctx, path, O_RDONLY | O_DIRECTORY | O_NONBLOCK);
	opath = open_path(ctx, path, O_PATH);
	if (opath < 0 || !want)
		return opath;
	if (fstat(opath, &st) < 0 || !S_ISREG(st.st_mode)) {
		bca_dbg(ctx, "%s%s: not a regular file", ctx->sysroot, path);
		close(opath);
		return -BCA_ERR_NOT_REGULAR;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", opath);
	fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = open_path(ctx, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
			close(fd);
			fd = -BCA_ERR_NOT_REGULAR;
		}
	} else if (fd < 0) {
		fd = -errno;
	}
	close(opath);
	return fd;
}

int bca_sys_open(struct bca_ctx *ctx, const char *path)
{
	return sys_open(ctx, path, S_IFREG);
}

FILE *bca_sys_fopen(struct bca_ctx *ctx, const char *path)
{
	int fd = bca_sys_open(ctx, path);
	FILE *f;

	if (fd < 0) {
		errno = fd <= -BCA_ERR_BASE ? EINVAL : -fd;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

/* A sysfs directory below the sysroot, for readdir(); NULL with errno set. */
DIR *bca_sys_opendir(struct bca_ctx *ctx, const char *path)
{
	return bca_sys_opendir_at(ctx, path, NULL);
}

/* One line of an attribute open on fd, without its trailing newline; closes fd. */
static int read_line_fd(int fd, char *buf, size_t size)
{
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return (int)n;
}

static int parse_u64(struct bca_ctx *ctx, const char *what, const char *buf, int base,
		     uint64_t *val)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(buf, &end, base);
	if (errno || end == buf || *end) {
		bca_dbg(ctx, "%s: not a number: '%s'", what, buf);
		return -BCA_ERR_PARSE;
	}
	*val = v;
	return 0;
}

/* Reads a one-line sysfs attribute, without its trailing newline. */
int bca_sys_read_str(struct bca_ctx *ctx, const char *path, char *buf, size_t size)
{
	return bca_sys_read_str_at(ctx, path, NULL, buf, size);
}

int bca_sys_read_u64(struct bca_ctx *ctx, const char *path, int base, uint64_t *val)
{
	return bca_sys_read_u64_at(ctx, path, NULL, base, val);
}

/*
 * A device's attributes are read by the path of its directory joined with
 * theirs, resolved by the kernel: /sys/dev/block/MAJ:MIN is a symlink, and
 * "../queue" from it is the disk's queue of a partition.  (A descriptor of
 * the directory would be a root that ".." cannot leave inside a sysroot.)
 */
int bca_sys_read_str_at(struct bca_ctx *ctx, const char *dir, const char *rel, char *buf,
			size_t size)
{
	char path[PATH_MAX];
	int rc = join(path, sizeof(path), dir, rel);

	return rc < 0 ? rc : read_line_fd(sys_open(ctx, path, S_IFREG), buf, size);
}

int bca_sys_read_u64_at(struct bca_ctx *ctx, const char *dir, const char *rel, int base,
			uint64_t *val)
{
	char buf[64];
	int rc = bca_sys_read_str_at(ctx, dir, rel, buf, sizeof(buf));

	return rc < 0 ? rc : parse_u64(ctx, rel ? rel : dir, buf, base, val);
}

bool bca_sys_exists_at(struct bca_ctx *ctx, const char *dir, const char *rel)
{
	char path[PATH_MAX];
	int fd;

	if (join(path, sizeof(path), dir, rel) < 0)
		return false;
	fd = sys_open(ctx, path, 0);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* A directory below the sysroot for readdir(); NULL with errno set. */
DIR *bca_sys_opendir_at(struct bca_ctx *ctx, const char *dir, const char *rel)
{
	char path[PATH_MAX];
	int fd = join(path, sizeof(path), dir, rel);
	DIR *d;

	if (fd == 0)
		fd = sys_open(ctx, path, S_IFDIR);
	if (fd < 0) {
		errno = fd <= -BCA_ERR_BASE ? EINVAL : -fd;
		return NULL;
	}
	d = fdopendir(fd);
	if (!d)
		close(fd);
	return d;
}
