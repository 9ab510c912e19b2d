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
#include <fcntl.h>
#include <limits.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

struct bca_loop_map {
	dev_t dev;
	ino_t ino;
	dev_t loopdev;		/* 0 when sysfs did not say */
	char name[32];
};

/*
 * The backing file's device and inode as the loop driver holds them
 * (LOOP_GET_STATUS64).  sysfs's loop/backing_file is only a path: a
 * deleted file keeps it with " (deleted)" appended, and anybody may
 * create a file of that name.  The node is found by device number and
 * checked to be that device.
 */
int bca_loop_backing_id(dev_t devno, const char *name, dev_t *dev, ino_t *ino)
{
	struct loop_info64 li;
	char path[PATH_MAX];
	struct stat st;
	int fd, rc = 0;

	snprintf(path, sizeof(path), "/dev/block/%u:%u", major(devno), minor(devno));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && snprintf(path, sizeof(path), "/dev/%s", name) < (int)sizeof(path))
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&li, 0, sizeof(li));
	if (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != devno)
		rc = -ENODEV;
	else if (ioctl(fd, LOOP_GET_STATUS64, &li) < 0)
		rc = -errno;
	close(fd);
	if (rc < 0)
		return rc;
	/* the kernel's huge_encode_dev() */
	*dev = makedev((li.lo_device >> 8) & 0xfff, (li.lo_device & 0xff) | ((li.lo_device >> 12) & 0xfff00));
	*ino = (ino_t)li.lo_inode;
	return 0;
}

/* Whether sysfs's path of a backing file says the file was deleted. */
bool bca_loop_path_deleted(const char *path)
{
	size_t len = strlen(path), suffix = strlen(" (deleted)");

	return len >= suffix && !strcmp(path + len - suffix, " (deleted)");
}

/* Every bound loop device's backing file, as (dev, ino) -> name. */
static int read_loops(struct bca_ctx *ctx)
{
	char path[PATH_MAX], file[PATH_MAX], majmin[32];
	struct bca_loop_map *m;
	struct dirent *de;
	dev_t loopdev;
	struct stat st;
	dev_t dev;
	ino_t ino;
	DIR *dir;

	ctx->loops_read = true;
	dir = bca_sys_opendir(ctx, "/sys/block");
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "loop", 4) || strlen(de->d_name) >= sizeof(m->name))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file", de->d_name);
		if (bca_sys_read_str(ctx, path, file, sizeof(file)) < 0)
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/dev", de->d_name);
		loopdev = 0;
		if (bca_sys_read_str(ctx, path, majmin, sizeof(majmin)) < 0 ||
		    bca_devno_parse(majmin, &loopdev) < 0)
			loopdev = 0;
		if (loopdev && bca_loop_backing_id(loopdev, de->d_name, &dev, &ino) == 0) {
			st.st_dev = dev;
			st.st_ino = ino;
		} else if (bca_loop_path_deleted(file) || stat(file, &st) < 0) {
			continue;	/* without the driver's word, only a path to trust */
		}
		m = realloc(ctx->loops, (ctx->nloops + 1) * sizeof(*m));
		if (!m) {
			closedir(dir);
			return -ENOMEM;
		}
		ctx->loops = m;
		m += ctx->nloops++;
		m->dev = st.st_dev;
		m->ino = st.st_ino;
		m->loopdev = loopdev;
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

/*
 * The next loop device over the file st describes, from *i on; NULL at the
 * end.  The map is read on first use; a recorded sysfs tree names files
 * that are not here, so under a sysroot no file has a loop device.
 */
static const struct bca_loop_map *next_loop_of(struct bca_ctx *ctx, const struct bca_statx *st,
					       size_t *i, int *err)
{
	*err = 0;
	if (ctx->sysroot[0] || (!ctx->loops_read && (*err = read_loops(ctx)) < 0))
		return NULL;
	while (*i < ctx->nloops) {
		const struct bca_loop_map *m = &ctx->loops[(*i)++];

		if (major(m->dev) == st->stx_dev_major && minor(m->dev) == st->stx_dev_minor &&
		    m->ino == st->stx_ino)
			return m;
	}
	return NULL;
}

/* The loop devices over f, up to max of them in out; returns how many there are. */
int bca_loop_devnos_of(struct bca_ctx *ctx, const struct bca_file *f, dev_t *out, size_t max)
{
	const struct bca_loop_map *m;
	size_t i = 0, n = 0;
	int err;

	while ((m = next_loop_of(ctx, bca_file_statx(f), &i, &err)))
		if (m->loopdev && n++ < max)
			out[n - 1] = m->loopdev;
	return err < 0 ? err : (int)n;
}

BCA_EXPORT int bca_file_get_loop_devices(struct bca_ctx *ctx, const struct bca_file *f,
					 char *buf, size_t size)
{
	const struct bca_loop_map *m;
	size_t i = 0, len = 0;
	int n = 0, err;

	if (!ctx || !f || !buf || !size)
		return -EINVAL;
	buf[0] = '\0';
	while ((m = next_loop_of(ctx, bca_file_statx(f), &i, &err))) {
		/* truncated names stay terminated; the count is every match */
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", n ? "," : "",
						m->name);
		n++;
	}
	return err < 0 ? err : n;
}
