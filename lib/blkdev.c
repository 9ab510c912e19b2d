// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Block devices, one object per device: its name and kind, its
 * inline-crypto profile, and the devices below it (a partition's disk, a
 * dm device's slaves, a loop device's backing file's device), with what
 * each device-mapper layer does with inline crypto.  Everything is read
 * from sysfs relative to the device's directory (/sys/dev/block/MAJ:MIN
 * below the sysroot), once per context: file reports of a scan, plans and
 * device queries share the object.  The profile comes from queue/crypto/
 * (5.18+).  A kernel with blkcryptadm's patches also says there whether the
 * profile is passed through by a stacking driver (queue/crypto/passthrough)
 * and whether blk-crypto-fallback serves what the device cannot
 * (queue/crypto_fallback); elsewhere both are inferred.  A zram device's
 * backing device (backing_dev, CONFIG_ZRAM_WRITEBACK) is the device below
 * it: zram has no slaves/ links.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

struct blkdev_mode {
	char *name;
	uint64_t dus_mask;
};

struct bca_blkdev {
	int refcount;			/* the context's, and each caller's */
	unsigned int have;		/* BCA_BLKDEV_HAVE_* read so far */
	char name[64];
	unsigned int major, minor;
	enum bca_blkdev_kind kind;
	bool has_profile;
	enum bca_source source;		/* of the profile */
	bool profile_dm;		/* the kernel says: passed through (dm) */
	uint32_t num_keyslots;
	uint32_t max_dun_bits;
	unsigned int key_types;
	size_t nmodes;
	struct blkdev_mode *modes;
	int fallback;			/* blk-crypto-fallback: 1, 0, -1 unknown */
	const char *fallback_why;
	bool lower_profile;		/* some device below has a crypto profile */
	char dm_name[128];
	char target[32];
	size_t nlower;
	dev_t *lower;
	/* a bound loop device: sysfs loop/backing_file, loop/offset, loop/dio */
	char *backing;
	uint64_t loop_offset;
	int loop_dio;			/* 1, 0, -1 unknown */
	/* the file the loop driver holds (LOOP_GET_STATUS64), when it could be asked */
	bool backing_id_known;
	dev_t backing_dev;
	ino_t backing_ino;
	bool backing_unreachable;	/* deleted, or the path leads elsewhere */
	/* zram: sysfs backing_dev, writeback_limit{,_enable}, bd_stat */
	char *zram_backing;
	int zram_wb_limit;		/* 1 enabled, 0 disabled, -1 unknown */
	uint64_t zram_wb_pages;
	bool zram_bd_known;
	uint64_t zram_bd[3];		/* count, reads, writes (4 KiB pages) */
};

/* The device's sysfs directory (below the sysroot), if it has one. */
static int dev_dir(struct bca_ctx *ctx, dev_t devno, char *buf, size_t size)
{
	snprintf(buf, size, "/sys/dev/block/%u:%u", major(devno), minor(devno));
	return bca_sys_exists_at(ctx, buf, NULL) ? 0 : -ENODEV;
}

/* Reads "MAJ:MIN" from a sysfs dev attribute. */
static int read_devno_at(struct bca_ctx *ctx, const char *dir, const char *rel, dev_t *out)
{
	char buf[32];
	int rc = bca_sys_read_str_at(ctx, dir, rel, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	/* the reader took the newline the kernel ends the line with */
	return bca_devno_parse(buf, out) < 0 ? -BCA_ERR_PARSE : 0;
}

/* The kernel name from uevent's DEVNAME= line. */
static int read_name(struct bca_ctx *ctx, const char *dir, char *buf, size_t size)
{
	char text[4096], *line, *save = NULL;
	int rc = bca_sys_read_str_at(ctx, dir, "uevent", text, sizeof(text));

	if (rc < 0)
		return rc;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "DEVNAME=", 8))
			continue;
		return snprintf(buf, size, "%s", line + 8) >= (int)size ? -ENAMETOOLONG : 0;
	}
	return -ENOENT;
}

static int cmp_mode(const void *a, const void *b)
{
	const struct blkdev_mode *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Every mode file of the profile, however many the kernel has. */
static void read_modes(struct bca_ctx *ctx, struct bca_blkdev *d, const char *dir,
		       const char *crypto)
{
	char path[PATH_MAX];
	struct blkdev_mode *m;
	struct dirent *de;
	uint64_t v;
	DIR *modes;

	snprintf(path, sizeof(path), "%s/modes", crypto);
	modes = bca_sys_opendir_at(ctx, dir, path);
	if (!modes)
		return;
	while ((de = readdir(modes))) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/modes/%s", crypto, de->d_name) >= (int)sizeof(path) ||
		    bca_sys_read_u64_at(ctx, dir, path, 16, &v) < 0)
			continue;
		m = realloc(d->modes, (d->nmodes + 1) * sizeof(*m));
		if (!m)
			break;
		d->modes = m;
		m[d->nmodes].name = strdup(de->d_name);
		if (!m[d->nmodes].name)
			break;
		m[d->nmodes++].dus_mask = v;
	}
	closedir(modes);
	/* readdir order is the filesystem's: sort for stable output */
	if (d->nmodes)
		qsort(d->modes, d->nmodes, sizeof(d->modes[0]), cmp_mode);
}

/*
 * A partition has no queue/ of its own: its profile is its disk's.  Key
 * type files exist only from 6.15, and only for supported types; before,
 * blk-crypto took raw keys only.
 */
static void read_profile(struct bca_ctx *ctx, struct bca_blkdev *d, const char *dir)
{
	const char *crypto = d->kind == BCA_BLKDEV_PART ? "../queue/crypto" : "queue/crypto";
	/* BCA_NO_KERNEL_IOCTL=1: as on a stock kernel, for comparing answers */
	bool stock = bca_kernel_ioctls_disabled(ctx);
	char path[64];
	uint64_t v;

	bca_dbg(ctx, "%u:%u: reading the inline-crypto profile", d->major, d->minor);
	/* the kernel's own answer (blkcryptadm's patches) wins over configs */
	snprintf(path, sizeof(path), "%s_fallback", crypto);
	if (!stock && bca_sys_read_u64_at(ctx, dir, path, 10, &v) == 0 && v <= 1) {
		bca_fallback_from_kernel(ctx, v == 1);
		d->source = BCA_SOURCE_KERNEL;
	}
	d->fallback = bca_fallback_state(ctx, &d->fallback_why);
	snprintf(path, sizeof(path), "%s/num_keyslots", crypto);
	if (bca_sys_read_u64_at(ctx, dir, path, 10, &v) < 0)
		return;
	d->has_profile = true;
	d->num_keyslots = (uint32_t)v;
	snprintf(path, sizeof(path), "%s/passthrough", crypto);
	if (!stock && bca_sys_read_u64_at(ctx, dir, path, 10, &v) == 0)
		d->profile_dm = v == 1;
	snprintf(path, sizeof(path), "%s/max_dun_bits", crypto);
	if (bca_sys_read_u64_at(ctx, dir, path, 10, &v) == 0)
		d->max_dun_bits = (uint32_t)v;
	snprintf(path, sizeof(path), "%s/raw_keys", crypto);
	if (bca_sys_exists_at(ctx, dir, path))
		d->key_types |= BCA_KEY_TYPE_RAW;
	snprintf(path, sizeof(path), "%s/hw_wrapped_keys", crypto);
	if (bca_sys_exists_at(ctx, dir, path))
		d->key_types |= BCA_KEY_TYPE_HW_WRAPPED;
	if (!d->key_types)
		d->key_types = BCA_KEY_TYPE_RAW;
	read_modes(ctx, d, dir, crypto);
}

static int add_lower(struct bca_blkdev *d, dev_t devno)
{
	dev_t *l = realloc(d->lower, (d->nlower + 1) * sizeof(*l));

	if (!l)
		return -ENOMEM;
	d->lower = l;
	l[d->nlower++] = devno;
	return 0;
}

/*
 * A loop device's backing file, offset and direct-I/O flag.  The file is
 * below the device in the stack: what holds it is the next layer down
 * (only on the live system: a recorded sysfs tree has no files to stat).
 * The file is the device and inode the loop driver holds; the sysfs path
 * counts only when it still leads there (a deleted file's path, with
 * " (deleted)" appended, may name a file somebody planted).
 */
static void read_loop(struct bca_ctx *ctx, struct bca_blkdev *d, const char *dir)
{
	dev_t devno = makedev(d->major, d->minor);
	char file[PATH_MAX];
	uint64_t v;
	struct stat st;
	int rc;

	d->loop_dio = -1;
	if (bca_sys_read_str_at(ctx, dir, "loop/backing_file", file, sizeof(file)) < 0 || !file[0])
		return;
	d->backing = strdup(file);
	if (bca_sys_read_u64_at(ctx, dir, "loop/offset", 10, &v) == 0)
		d->loop_offset = v;
	if (bca_sys_read_u64_at(ctx, dir, "loop/dio", 10, &v) == 0)
		d->loop_dio = v != 0;
	if (ctx->sysroot[0] || !d->backing)
		return;
	rc = bca_loop_backing_id(devno, d->name, &d->backing_dev, &d->backing_ino);
	if (rc == 0) {
		d->backing_id_known = true;
		d->backing_unreachable = stat(d->backing, &st) < 0 ||
					 st.st_dev != d->backing_dev || st.st_ino != d->backing_ino;
		if (major(d->backing_dev) != 0)
			add_lower(d, d->backing_dev);
	} else {
		bca_dbg(ctx, "%s: LOOP_GET_STATUS64: %s: trusting loop/backing_file",
			d->name, bca_strerror(rc));
		d->backing_unreachable = bca_loop_path_deleted(d->backing) ||
					 stat(d->backing, &st) < 0;
		if (!d->backing_unreachable && major(st.st_dev) != 0)
			add_lower(d, st.st_dev);
	}
	if (d->backing_unreachable)
		bca_dbg(ctx, "%s: backing file %s: deleted or replaced", d->name, d->backing);
}

/* zram's backing_dev is the path zram opened ("none" before one is set). */
static void read_zram(struct bca_ctx *ctx, struct bca_blkdev *d, const char *dir)
{
	char path[PATH_MAX];
	unsigned long long v[3];
	dev_t devno;
	uint64_t n;

	d->zram_wb_limit = -1;
	if (bca_sys_read_u64_at(ctx, dir, "writeback_limit_enable", 10, &n) == 0)
		d->zram_wb_limit = n != 0;
	if (d->zram_wb_limit == 1 &&
	    bca_sys_read_u64_at(ctx, dir, "writeback_limit", 10, &d->zram_wb_pages) < 0)
		d->zram_wb_limit = -1;
	if (bca_sys_read_str_at(ctx, dir, "bd_stat", path, sizeof(path)) >= 0 &&
	    sscanf(path, "%llu %llu %llu", &v[0], &v[1], &v[2]) == 3) {
		d->zram_bd_known = true;
		for (int i = 0; i < 3; i++)
			d->zram_bd[i] = v[i];
	}
	if (bca_sys_read_str_at(ctx, dir, "backing_dev", path, sizeof(path)) < 0 ||
	    !path[0] || !strcmp(path, "none"))
		return;
	d->zram_backing = strdup(path);
	if (bca_blkdev_node_devno(ctx, path, &devno) == 0)
		add_lower(d, devno);
	else
		bca_dbg(ctx, "%s: backing device %s: not found", d->name, path);
}

/* The devices below: a partition's disk, a dm device's slaves, a loop's file's, zram's backing device. */
static void read_stack(struct bca_ctx *ctx, struct bca_blkdev *d, const char *dir)
{
	char path[NAME_MAX + 16];
	struct bca_blkdev *l;
	struct dirent *de;
	dev_t devno;
	DIR *slaves;
	int err;

	if (d->kind == BCA_BLKDEV_DM &&
	    bca_dm_target_type(ctx, d->major, d->minor, d->dm_name, d->target, sizeof(d->target)) < 0)
		d->target[0] = '\0';
	if (d->kind == BCA_BLKDEV_LOOP) {
		read_loop(ctx, d, dir);
		return;
	}
	if (d->kind == BCA_BLKDEV_ZRAM) {
		read_zram(ctx, d, dir);
		return;
	}
	if (d->kind == BCA_BLKDEV_PART) {
		if (read_devno_at(ctx, dir, "../dev", &devno) == 0)
			add_lower(d, devno);
		return;
	}
	slaves = bca_sys_opendir_at(ctx, dir, "slaves");
	if (!slaves)
		return;
	while ((de = readdir(slaves))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "slaves/%s/dev", de->d_name);
		if (read_devno_at(ctx, dir, path, &devno) == 0 && add_lower(d, devno) < 0)
			break;
	}
	closedir(slaves);
	if (d->kind != BCA_BLKDEV_DM || d->has_profile)
		return;
	for (size_t i = 0; i < d->nlower && !d->lower_profile; i++) {
		l = bca_blkdev_get(ctx, d->lower[i], BCA_BLKDEV_HAVE_PROFILE, &err);
		d->lower_profile = l && l->has_profile;
	}
}

static void blkdev_put(struct bca_blkdev *d)
{
	if (!d || --d->refcount > 0)
		return;
	for (size_t i = 0; i < d->nmodes; i++)
		free(d->modes[i].name);
	free(d->modes);
	free(d->lower);
	free(d->backing);
	free(d->zram_backing);
	free(d);
}

/* A new object for devno with its name and kind, or NULL and *err. */
static struct bca_blkdev *blkdev_new(struct bca_ctx *ctx, dev_t devno, const char *dir,
				     int *err)
{
	struct bca_blkdev *d = calloc(1, sizeof(*d));

	if (!d) {
		*err = -ENOMEM;
		return NULL;
	}
	d->refcount = 1;
	d->major = major(devno);
	d->minor = minor(devno);
	d->loop_dio = -1;
	d->fallback = -1;
	d->zram_wb_limit = -1;
	*err = read_name(ctx, dir, d->name, sizeof(d->name));
	if (*err < 0) {
		free(d);
		return NULL;
	}
	if (bca_sys_read_str_at(ctx, dir, "dm/name", d->dm_name, sizeof(d->dm_name)) >= 0)
		d->kind = BCA_BLKDEV_DM;
	else if (bca_sys_exists_at(ctx, dir, "partition"))
		d->kind = BCA_BLKDEV_PART;
	else if (!strncmp(d->name, "loop", 4))
		d->kind = BCA_BLKDEV_LOOP;
	else if (!strncmp(d->name, "zram", 4) && bca_sys_exists_at(ctx, dir, "disksize"))
		d->kind = BCA_BLKDEV_ZRAM;
	else
		d->kind = BCA_BLKDEV_DISK;
	return d;
}

/* The context's object for devno, the last one asked for first (a scan's files share one). */
static struct bca_blkdev *blkdev_find(struct bca_ctx *ctx, dev_t devno)
{
	struct bca_blkdev *d = ctx->blkdev_last;

	if (d && makedev(d->major, d->minor) == devno)
		return d;
	for (size_t i = 0; i < ctx->nblkdevs; i++) {
		d = ctx->blkdevs[i];
		if (makedev(d->major, d->minor) == devno)
			return ctx->blkdev_last = d;
	}
	return NULL;
}

struct bca_blkdev *bca_blkdev_get(struct bca_ctx *ctx, dev_t devno, unsigned int want, int *err)
{
	struct bca_blkdev *d = blkdev_find(ctx, devno), **v;
	char dir[64];

	*err = 0;
	if (d && (d->have & want) == want)
		return d;
	*err = dev_dir(ctx, devno, dir, sizeof(dir));
	if (*err < 0)
		return NULL;
	if (!d) {
		d = blkdev_new(ctx, devno, dir, err);
		if (!d)
			return NULL;
		v = realloc(ctx->blkdevs, (ctx->nblkdevs + 1) * sizeof(*v));
		if (!v) {
			blkdev_put(d);
			*err = -ENOMEM;
			return NULL;
		}
		ctx->blkdevs = v;
		v[ctx->nblkdevs++] = ctx->blkdev_last = d;
	}
	/* the profile first: the stack's dm rule reads it */
	if (want && !(d->have & BCA_BLKDEV_HAVE_PROFILE)) {
		d->have |= BCA_BLKDEV_HAVE_PROFILE;
		read_profile(ctx, d, dir);
	}
	if ((want & BCA_BLKDEV_HAVE_STACK) && !(d->have & BCA_BLKDEV_HAVE_STACK)) {
		d->have |= BCA_BLKDEV_HAVE_STACK;
		read_stack(ctx, d, dir);
	}
	return d;
}

void bca_blkdevs_free(struct bca_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nblkdevs; i++)
		blkdev_put(ctx->blkdevs[i]);
	free(ctx->blkdevs);
	ctx->blkdevs = NULL;
	ctx->nblkdevs = 0;
	ctx->blkdev_last = NULL;
}

uint64_t bca_blkdev_mode_dus_mask(const struct bca_blkdev *d, const char *name)
{
	for (size_t i = 0; i < d->nmodes; i++)
		if (!strcmp(d->modes[i].name, name))
			return d->modes[i].dus_mask;
	return 0;
}

/*
 * The caller's reference to the context's object: a device reads sysfs
 * once per context, whoever asks.
 */
BCA_EXPORT int bca_blkdev_query_devno(struct bca_ctx *ctx, dev_t devno, struct bca_blkdev **out)
{
	int err;
	struct bca_blkdev *d;

	if (!ctx || !out)
		return -EINVAL;
	d = bca_blkdev_get(ctx, devno, BCA_BLKDEV_HAVE_PROFILE | BCA_BLKDEV_HAVE_STACK, &err);
	if (!d)
		return err == -ENOENT ? -ENODEV : err;
	d->refcount++;
	*out = d;
	return 0;
}

/* "", "." and ".." are one path component too, and would climb out of class/block. */
int bca_blkdev_name_devno(struct bca_ctx *ctx, const char *name, dev_t *out)
{
	char path[PATH_MAX];

	if (!*name || strchr(name, '/') || strlen(name) >= 64 || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return -ENOENT;
	snprintf(path, sizeof(path), "/sys/class/block/%s", name);
	return read_devno_at(ctx, path, "dev", out) < 0 ? -ENOENT : 0;
}

int bca_blkdev_node_devno(struct bca_ctx *ctx, const char *node, dev_t *out)
{
	const char *base = strrchr(node, '/');
	struct stat st;

	if (!ctx->sysroot[0] && stat(node, &st) == 0 && S_ISBLK(st.st_mode)) {
		*out = st.st_rdev;
		return 0;
	}
	return bca_blkdev_name_devno(ctx, base ? base + 1 : node, out);
}

/*
 * SPEC is MAJ:MIN, a kernel name ("nvme0n1", "dm-0"), a block device
 * node, or any other path, meaning the device holding it.
 */
BCA_EXPORT int bca_blkdev_query(struct bca_ctx *ctx, const char *spec, struct bca_blkdev **out)
{
	struct stat st;
	dev_t devno;
	int rc;

	if (!ctx || !spec || !out)
		return -EINVAL;
	rc = bca_devno_parse(spec, &devno);
	if (rc == 0)
		return bca_blkdev_query_devno(ctx, devno, out);
	if (rc == -ERANGE)
		return rc;	/* MAJ:MIN, but no device can have it */
	if (bca_blkdev_name_devno(ctx, spec, &devno) == 0)
		return bca_blkdev_query_devno(ctx, devno, out);
	if (stat(spec, &st) < 0)
		return -errno;
	devno = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
	if (major(devno) == 0)
		return -ENODEV;	/* btrfs, overlayfs, tmpfs: no single block device */
	return bca_blkdev_query_devno(ctx, devno, out);
}

BCA_EXPORT void bca_blkdev_free(struct bca_blkdev *d)
{
	blkdev_put(d);
}

BCA_EXPORT const char *bca_blkdev_get_name(const struct bca_blkdev *d) { return d->name; }
BCA_EXPORT dev_t bca_blkdev_get_devno(const struct bca_blkdev *d) { return makedev(d->major, d->minor); }
BCA_EXPORT enum bca_blkdev_kind bca_blkdev_get_kind(const struct bca_blkdev *d) { return d->kind; }
BCA_EXPORT bool bca_blkdev_has_crypto_profile(const struct bca_blkdev *d) { return d->has_profile; }
BCA_EXPORT uint32_t bca_blkdev_get_num_keyslots(const struct bca_blkdev *d) { return d->num_keyslots; }
BCA_EXPORT uint32_t bca_blkdev_get_max_dun_bits(const struct bca_blkdev *d) { return d->max_dun_bits; }
BCA_EXPORT unsigned int bca_blkdev_get_key_types(const struct bca_blkdev *d) { return d->key_types; }
BCA_EXPORT enum bca_source bca_blkdev_get_source(const struct bca_blkdev *d) { return d->source; }
BCA_EXPORT size_t bca_blkdev_get_mode_count(const struct bca_blkdev *d) { return d->nmodes; }

BCA_EXPORT const char *bca_blkdev_get_mode_name(const struct bca_blkdev *d, size_t i)
{
	return i < d->nmodes ? d->modes[i].name : NULL;
}

BCA_EXPORT uint64_t bca_blkdev_get_mode_dus_mask(const struct bca_blkdev *d, size_t i)
{
	return i < d->nmodes ? d->modes[i].dus_mask : 0;
}

BCA_EXPORT const char *bca_blkdev_get_dm_name(const struct bca_blkdev *d)
{
	return d->kind == BCA_BLKDEV_DM ? d->dm_name : NULL;
}

BCA_EXPORT const char *bca_blkdev_get_dm_target(const struct bca_blkdev *d)
{
	return d->kind == BCA_BLKDEV_DM && d->target[0] ? d->target : NULL;
}

/*
 * The evidence is the dm device's own profile: dm-table builds one exactly
 * when every target passes crypto through and the devices below have
 * profiles.  So a profile means yes, none over a device that has one means
 * no, and none over devices without one says nothing: which targets pass
 * crypto changes between kernels (thin from 6.17), and a list would guess.
 * Only dm-crypt is known without evidence: it encrypts itself, and never
 * offers a profile above it.
 */
BCA_EXPORT int bca_blkdev_passes_crypto(const struct bca_blkdev *d)
{
	if (d->kind == BCA_BLKDEV_PART)
		return 1;
	if (d->kind != BCA_BLKDEV_DM)
		return -1;
	if (d->has_profile || d->profile_dm)
		return 1;
	if (d->lower_profile || !strcmp(d->target, "crypt"))
		return 0;
	return -1;
}

/*
 * The kernel says so (queue/crypto/passthrough, blkcryptadm's patches);
 * otherwise every dm profile is one, dm having no hardware of its own.
 */
BCA_EXPORT bool bca_blkdev_profile_passed_through(const struct bca_blkdev *d)
{
	return d->has_profile && (d->profile_dm || d->kind == BCA_BLKDEV_DM);
}

BCA_EXPORT int bca_blkdev_get_fallback(const struct bca_blkdev *d, const char **why)
{
	if (why)
		*why = d->fallback_why;
	return d->fallback;
}

BCA_EXPORT size_t bca_blkdev_get_lower_count(const struct bca_blkdev *d) { return d->nlower; }

BCA_EXPORT dev_t bca_blkdev_get_lower(const struct bca_blkdev *d, size_t i)
{
	return i < d->nlower ? d->lower[i] : 0;
}

BCA_EXPORT enum bca_crypto_impl bca_blkdev_crypto_for(const struct bca_blkdev *d,
						       const char *mode, uint32_t data_unit_size)
{
	if (bca_blkdev_mode_dus_mask(d, mode) & data_unit_size)
		return BCA_CRYPTO_INLINE_HW;
	switch (d->fallback) {
	case 1:
		return BCA_CRYPTO_INLINE_FALLBACK;
	case 0:
		return BCA_CRYPTO_NONE;
	default:
		return BCA_CRYPTO_UNKNOWN;
	}
}

BCA_EXPORT const char *bca_blkdev_get_loop_backing_file(const struct bca_blkdev *d)
{
	return d->backing;
}

BCA_EXPORT uint64_t bca_blkdev_get_loop_offset(const struct bca_blkdev *d) { return d->loop_offset; }
BCA_EXPORT int bca_blkdev_get_loop_dio(const struct bca_blkdev *d) { return d->backing ? d->loop_dio : -1; }

/*
 * The report on a loop device's backing file.  Under a sysroot the path
 * names a file of the recorded system, not one here: no report then.
 */
BCA_EXPORT int bca_blkdev_query_backing_file(struct bca_ctx *ctx, const struct bca_blkdev *d,
					     struct bca_file **out)
{
	const struct bca_statx *st;
	int rc;

	if (!ctx || !d || !out)
		return -EINVAL;
	if (!d->backing)
		return -ENOENT;
	if (ctx->sysroot[0])
		return -ENODEV;
	if (d->backing_unreachable)
		return -ESTALE;
	rc = bca_file_query(ctx, AT_FDCWD, d->backing, 0, out);
	if (rc < 0 || !d->backing_id_known)
		return rc;
	/* the path may have been replaced since the device was read */
	st = bca_file_statx(*out);
	if (makedev(st->stx_dev_major, st->stx_dev_minor) != d->backing_dev ||
	    st->stx_ino != d->backing_ino) {
		bca_file_free(*out);
		*out = NULL;
		return -ESTALE;
	}
	return 0;
}

/*
 * Whether a loop device really does direct I/O: loop/dio says whether the
 * driver sends O_DIRECT to the backing file, and the file's own report
 * whether the filesystem then bypasses its page cache.  Kernels before the
 * project's loop patch (and upstream at offset 0) set loop/dio on files
 * that only accept O_DIRECT, so 1 alone proves nothing.
 */
BCA_EXPORT enum bca_loop_dio bca_blkdev_loop_dio(const struct bca_blkdev *d,
						 const struct bca_file *backing,
						 enum bca_dio_reason *reason)
{
	enum bca_dio_verdict v;

	if (reason)
		*reason = BCA_REASON_NONE;
	if (!d || !d->backing)
		return BCA_LOOP_DIO_NOT_LOOP;
	if (!backing && d->backing_unreachable && reason)
		*reason = BCA_REASON_BACKING_UNREACHABLE;
	if (!backing)
		return d->loop_dio == 0 ? BCA_LOOP_DIO_OFF : BCA_LOOP_DIO_UNKNOWN;
	v = bca_file_get_verdict(backing);
	if (reason && v != BCA_DIO_YES)
		*reason = bca_file_get_reason(backing);
	if (d->loop_dio == 0)
		return BCA_LOOP_DIO_OFF;
	if (d->loop_dio < 0 || v == BCA_DIO_UNKNOWN)
		return BCA_LOOP_DIO_UNKNOWN;
	return v == BCA_DIO_YES ? BCA_LOOP_DIO_YES : BCA_LOOP_DIO_BUFFERED;
}

BCA_EXPORT const char *bca_blkdev_get_zram_backing_dev(const struct bca_blkdev *d)
{
	return d->kind == BCA_BLKDEV_ZRAM ? d->zram_backing : NULL;
}

BCA_EXPORT int bca_blkdev_get_zram_writeback_limit(const struct bca_blkdev *d, uint64_t *pages)
{
	if (d->kind != BCA_BLKDEV_ZRAM)
		return -1;
	if (pages)
		*pages = d->zram_wb_pages;
	return d->zram_wb_limit;
}

BCA_EXPORT int bca_blkdev_get_zram_bd_stat(const struct bca_blkdev *d, uint64_t *count,
					   uint64_t *reads, uint64_t *writes)
{
	if (d->kind != BCA_BLKDEV_ZRAM || !d->zram_bd_known)
		return -1;
	if (count)
		*count = d->zram_bd[0];
	if (reads)
		*reads = d->zram_bd[1];
	if (writes)
		*writes = d->zram_bd[2];
	return 0;
}

/* How deep stack_cached() follows a stack (a recorded tree may loop). */
#define STACK_DEPTH_MAX 16

/*
 * Whether bios sent to d reach storage without a page cache in between:
 * 1 yes, 0 no (*reason why), -1 unknown.  dm targets, partitions and
 * disks pass bios down; a loop device goes through its backing file's page
 * cache unless it does real direct I/O, and its file's filesystem then
 * sends bios to the device below.  Any caching layer decides; without one,
 * any unknown layer does.
 */
static int stack_cached(struct bca_ctx *ctx, const struct bca_blkdev *d, int depth,
			enum bca_dio_reason *reason)
{
	enum bca_dio_reason r = BCA_REASON_NONE;
	struct bca_file *backing = NULL;
	int verdict = 1, v, err;

	if (depth > STACK_DEPTH_MAX)
		return -1;
	if (d->kind == BCA_BLKDEV_LOOP && d->backing) {
		if (bca_blkdev_query_backing_file(ctx, d, &backing) < 0)
			backing = NULL;
		switch (bca_blkdev_loop_dio(d, backing, &r)) {
		case BCA_LOOP_DIO_OFF:
			r = BCA_REASON_LOOP_DIO_OFF;
			/* fall through */
		case BCA_LOOP_DIO_BUFFERED:
			verdict = 0;
			break;
		case BCA_LOOP_DIO_YES:
			break;
		default:
			verdict = -1;
		}
		bca_file_free(backing);
		if (verdict == 0) {
			*reason = r;
			return 0;
		}
	}
	for (size_t i = 0; i < d->nlower; i++) {
		const struct bca_blkdev *l = bca_blkdev_get(ctx, d->lower[i], BCA_BLKDEV_HAVE_PROFILE |
							    BCA_BLKDEV_HAVE_STACK, &err);

		v = l ? stack_cached(ctx, l, depth + 1, &r) : -1;
		if (v == 0) {
			*reason = r;
			return 0;
		}
		if (v < 0)
			verdict = -1;
	}
	return verdict;
}

BCA_EXPORT enum bca_zram_wb bca_blkdev_zram_writeback(struct bca_ctx *ctx,
						       const struct bca_blkdev *d,
						       enum bca_dio_reason *reason)
{
	enum bca_dio_reason r = BCA_REASON_NONE;
	int v;

	if (reason)
		*reason = BCA_REASON_NONE;
	if (!ctx || !d || d->kind != BCA_BLKDEV_ZRAM)
		return BCA_ZRAM_WB_NOT_ZRAM;
	if (!d->zram_backing)
		return BCA_ZRAM_WB_NONE;
	/* a backing device zram names but we cannot find proves nothing */
	if (!d->nlower)
		return BCA_ZRAM_WB_UNKNOWN;
	v = stack_cached(ctx, d, 0, &r);
	if (v == 0 && reason)
		*reason = r;
	return v > 0 ? BCA_ZRAM_WB_YES : v == 0 ? BCA_ZRAM_WB_BUFFERED : BCA_ZRAM_WB_UNKNOWN;
}

static int not_dot(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/* The entries of /sys/class/block below the sysroot, in version order (sda2 before sda10). */
static int class_block_names(struct bca_ctx *ctx, struct dirent ***names)
{
	DIR *dir = bca_sys_opendir(ctx, "/sys/class/block");
	int n;

	if (!dir)
		return -errno;
	n = scandirat(dirfd(dir), ".", names, not_dot, versionsort);
	n = n < 0 ? -errno : n;
	closedir(dir);
	return n;
}

/*
 * Which devices another one uses up: a dm table's slaves, a partition's
 * disk, a zram device's backing device.  A loop device's backing file's
 * device is not: that disk holds a filesystem with other files, so it is
 * a stack of its own, as lsblk lists it.
 */
static bool is_held(dev_t devno, struct bca_blkdev *const *devs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!devs[i] || devs[i]->kind == BCA_BLKDEV_LOOP)
			continue;
		for (size_t j = 0; j < devs[i]->nlower; j++)
			if (devs[i]->lower[j] == devno)
				return true;
	}
	return false;
}

BCA_EXPORT int bca_blkdev_foreach_top(struct bca_ctx *ctx, bca_blkdev_fn fn, void *data)
{
	struct bca_blkdev **devs = NULL;
	struct dirent **names = NULL;
	char rel[NAME_MAX + 8];
	bool called = false;
	uint64_t size;
	size_t n;
	int rc;

	if (!ctx || !fn)
		return -EINVAL;
	rc = class_block_names(ctx, &names);
	if (rc < 0)
		return rc;
	n = (size_t)rc;
	rc = 0;
	if (n && !(devs = calloc(n, sizeof(*devs))))
		rc = -ENOMEM;
	/* a device that vanished meanwhile, or cannot be read, is skipped */
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (bca_blkdev_query(ctx, names[i]->d_name, &devs[i]) < 0)
			devs[i] = NULL;
	/*
	 * A cycle of slaves (a damaged recording; real sysfs cannot) leaves no
	 * top: then every device is one, rather than none said at all.
	 */
	for (int pass = 0; rc == 0 && pass < 2 && !called; pass++) {
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (!devs[i] || (!pass && is_held(bca_blkdev_get_devno(devs[i]), devs, n)))
				continue;
			/* unbound loop devices, zram without a disksize: nothing there */
			snprintf(rel, sizeof(rel), "%s/size", names[i]->d_name);
			if (bca_sys_read_u64_at(ctx, "/sys/class/block", rel, 10, &size) == 0 && !size)
				continue;
			called = true;
			rc = fn(devs[i]->name, data);
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (devs)
			bca_blkdev_free(devs[i]);
		free(names[i]);
	}
	free(devs);
	free(names);
	return rc;
}
