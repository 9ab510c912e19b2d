// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading /sys and /proc, always below the context's sysroot so that tests
 * can replay a recorded tree.  Every kernel text file the library parses
 * is opened here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static int sys_path(struct bca_ctx *ctx, const char *path, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s", ctx->sysroot, path);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int bca_sys_open(struct bca_ctx *ctx, const char *path, int flags)
{
	char full[PATH_MAX];
	int rc = sys_path(ctx, path, full, sizeof(full));
	int fd;

	if (rc < 0)
		return rc;
	fd = open(full, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

FILE *bca_sys_fopen(struct bca_ctx *ctx, const char *path)
{
	int fd = bca_sys_open(ctx, path, O_RDONLY);
	FILE *f;

	if (fd < 0) {
		errno = -fd;
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
	int fd = bca_sys_open(ctx, path, O_RDONLY | O_DIRECTORY);
	DIR *dir;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	dir = fdopendir(fd);
	if (!dir)
		close(fd);
	return dir;
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
	return read_line_fd(bca_sys_open(ctx, path, O_RDONLY), buf, size);
}

int bca_sys_read_u64(struct bca_ctx *ctx, const char *path, int base, uint64_t *val)
{
	char buf[64];
	int rc = bca_sys_read_str(ctx, path, buf, sizeof(buf));

	return rc < 0 ? rc : parse_u64(ctx, path, buf, base, val);
}

/*
 * A device's attributes are read relative to its directory, opened once
 * (as util-linux's ul_path does): /sys/dev/block/MAJ:MIN is a symlink, and
 * "../queue" from it is the disk's queue of a partition.
 */
int bca_sys_open_dir(struct bca_ctx *ctx, const char *path)
{
	return bca_sys_open(ctx, path, O_PATH | O_DIRECTORY);
}

int bca_sys_read_str_at(int dirfd, const char *rel, char *buf, size_t size)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC);

	return read_line_fd(fd < 0 ? -errno : fd, buf, size);
}

int bca_sys_read_u64_at(struct bca_ctx *ctx, int dirfd, const char *rel, int base,
			uint64_t *val)
{
	char buf[64];
	int rc = bca_sys_read_str_at(dirfd, rel, buf, sizeof(buf));

	return rc < 0 ? rc : parse_u64(ctx, rel, buf, base, val);
}

bool bca_sys_exists_at(int dirfd, const char *rel)
{
	return faccessat(dirfd, rel, F_OK, 0) == 0;
}

/* A subdirectory of dirfd for readdir(); NULL with errno set. */
DIR *bca_sys_opendir_at(int dirfd, const char *rel)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir;

	if (fd < 0)
		return NULL;
	dir = fdopendir(fd);
	if (!dir)
		close(fd);
	return dir;
}
