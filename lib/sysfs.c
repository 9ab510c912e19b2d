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

/* Reads a one-line sysfs attribute, without its trailing newline. */
int bca_sys_read_str(struct bca_ctx *ctx, const char *path, char *buf, size_t size)
{
	int fd = bca_sys_open(ctx, path, O_RDONLY);
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

int bca_sys_read_u64(struct bca_ctx *ctx, const char *path, int base, uint64_t *val)
{
	char buf[64], *end;
	unsigned long long v;
	int rc = bca_sys_read_str(ctx, path, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	errno = 0;
	v = strtoull(buf, &end, base);
	if (errno || end == buf || *end) {
		bca_dbg(ctx, "%s: not a number: '%s'", path, buf);
		return -BCA_ERR_PARSE;
	}
	*val = v;
	return 0;
}
