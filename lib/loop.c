// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The loop devices a file backs: the reverse of a loop layer's
 * loop/backing_file (blkdev.c), for blkcrypt-query file.  Read once per
 * context, since a scan asks for every file, and matched by device and
 * inode number rather than by name: sysfs keeps the name given at setup,
 * and the file may have been renamed or reached through another path.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"

struct bca_loop_map {
	dev_t dev;
	ino_t ino;
	char name[32];
};

/* Every bound loop device's backing file, as (dev, ino) -> name. */
static int read_loops(struct bca_ctx *ctx)
{
	char path[PATH_MAX], file[PATH_MAX];
	struct bca_loop_map *m;
	struct dirent *de;
	struct stat st;
	DIR *dir;

	ctx->loops_read = true;
	dir = bca_sys_opendir(ctx, "/sys/block");
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "loop", 4) || strlen(de->d_name) >= sizeof(m->name))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file", de->d_name);
		if (bca_sys_read_str(ctx, path, file, sizeof(file)) < 0 || stat(file, &st) < 0)
			continue;
		m = realloc(ctx->loops, (ctx->nloops + 1) * sizeof(*m));
		if (!m) {
			closedir(dir);
			return -ENOMEM;
		}
		ctx->loops = m;
		m += ctx->nloops++;
		m->dev = st.st_dev;
		m->ino = st.st_ino;
		snprintf(m->name, sizeof(m->name), "%s", de->d_name);
	}
	closedir(dir);
	return 0;
}

void bca_loops_free(struct bca_ctx *ctx)
{
	free(ctx->loops);
	ctx->loops = NULL;
	ctx->nloops = 0;
	ctx->loops_read = false;
}

BCA_EXPORT int bca_file_get_loop_devices(struct bca_ctx *ctx, const struct bca_file *f,
					 char *buf, size_t size)
{
	const struct bca_statx *st;
	size_t len = 0;
	int n = 0, rc;

	if (!ctx || !f || !buf || !size)
		return -EINVAL;
	buf[0] = '\0';
	/* a recorded sysfs tree names files that are not here */
	if (ctx->sysroot[0])
		return 0;
	if (!ctx->loops_read && (rc = read_loops(ctx)) < 0)
		return rc;
	st = bca_file_statx(f);
	for (size_t i = 0; i < ctx->nloops; i++) {
		const struct bca_loop_map *m = &ctx->loops[i];

		if (major(m->dev) != st->stx_dev_major || minor(m->dev) != st->stx_dev_minor ||
		    m->ino != st->stx_ino)
			continue;
		/* truncated names stay terminated; the count is every match */
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", n ? "," : "",
						m->name);
		n++;
	}
	return n;
}
