// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Block devices as a stack: a device's inline-crypto profile, and the
 * devices below it (a partition's disk, a dm device's slaves), with what each
 * device-mapper layer does with inline crypto.  The profile comes from sysfs
 * (queue/crypto/, 5.18+).  A kernel with blkcryptadm's patches also says
 * there whether the profile is passed through by a stacking driver
 * (queue/crypto/passthrough) and whether blk-crypto-fallback serves what the
 * device cannot (queue/crypto_fallback); elsewhere both are inferred.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

#define MAX_MODES 8
#define MAX_LOWER 16

struct bca_blkdev {
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
	struct { char name[32]; uint64_t dus_mask; } modes[MAX_MODES];
	int fallback;			/* blk-crypto-fallback: 1, 0, -1 unknown */
	const char *fallback_why;
	bool lower_profile;		/* some device below has a crypto profile */
	char dm_name[128];
	char target[32];
	size_t nlower;
	dev_t lower[MAX_LOWER];
	/* a bound loop device: sysfs loop/backing_file, loop/offset, loop/dio */
	char *backing;
	uint64_t loop_offset;
	int loop_dio;			/* 1, 0, -1 unknown */
};

/* snprintf for paths; a truncated path is never opened. */
static __attribute__((format(printf, 3, 4)))
int pathf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

static bool sys_exists(struct bca_ctx *ctx, const char *path)
{
	int fd = bca_sys_open(ctx, path, O_PATH);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Reads "MAJ:MIN" from a sysfs dev attribute. */
static int read_devno(struct bca_ctx *ctx, const char *path, dev_t *out)
{
	char buf[32];
	unsigned int ma, mi;
	int rc = bca_sys_read_str(ctx, path, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	if (sscanf(buf, "%u:%u", &ma, &mi) != 2)
		return -BCA_ERR_PARSE;
	*out = makedev(ma, mi);
	return 0;
}

static int cmp_mode(const void *a, const void *b)
{
	return strcmp(a, b);	/* the name is the first member */
}

static void read_modes(struct bca_ctx *ctx, struct bca_blkdev *d, const char *crypto)
{
	char path[PATH_MAX];
	struct dirent *de;
	uint64_t v;
	DIR *dir;

	pathf(path, sizeof(path), "%s/modes", crypto);
	dir = bca_sys_opendir(ctx, path);
	if (!dir)
		return;
	while ((de = readdir(dir)) && d->nmodes < MAX_MODES) {
		if (de->d_name[0] == '.')
			continue;
		pathf(path, sizeof(path), "%s/modes/%s", crypto, de->d_name);
		if (bca_sys_read_u64(ctx, path, 16, &v) < 0)
			continue;
		snprintf(d->modes[d->nmodes].name, sizeof(d->modes[0].name), "%.31s", de->d_name);
		d->modes[d->nmodes++].dus_mask = v;
	}
	closedir(dir);
	/* readdir order is the filesystem's: sort for stable output */
	qsort(d->modes, d->nmodes, sizeof(d->modes[0]), cmp_mode);
}

/*
 * A partition has no queue/ of its own: its profile is its disk's.  Key
 * type files exist only from 6.15, and only for supported types; before,
 * blk-crypto took raw keys only.
 */
static void read_profile(struct bca_ctx *ctx, struct bca_blkdev *d, const char *base)
{
	char crypto[PATH_MAX], path[PATH_MAX];
	/* BCA_NO_KERNEL_IOCTL=1: as on a stock kernel, for comparing answers */
	bool stock = bca_kernel_ioctls_disabled(ctx);
	uint64_t v;

	pathf(crypto, sizeof(crypto), "%s%s/queue/crypto", base,
		 d->kind == BCA_BLKDEV_PART ? "/.." : "");
	/* the kernel's own answer (blkcryptadm's patches) wins over configs */
	pathf(path, sizeof(path), "%s_fallback", crypto);
	if (!stock && bca_sys_read_u64(ctx, path, 10, &v) == 0 && v <= 1) {
		bca_fallback_from_kernel(ctx, v == 1);
		d->source = BCA_SOURCE_KERNEL;
	}
	pathf(path, sizeof(path), "%s/num_keyslots", crypto);
	if (bca_sys_read_u64(ctx, path, 10, &v) < 0)
		return;
	d->has_profile = true;
	d->num_keyslots = (uint32_t)v;
	pathf(path, sizeof(path), "%s/passthrough", crypto);
	if (!stock && bca_sys_read_u64(ctx, path, 10, &v) == 0)
		d->profile_dm = v == 1;
	pathf(path, sizeof(path), "%s/max_dun_bits", crypto);
	if (bca_sys_read_u64(ctx, path, 10, &v) == 0)
		d->max_dun_bits = (uint32_t)v;
	pathf(path, sizeof(path), "%s/raw_keys", crypto);
	if (sys_exists(ctx, path))
		d->key_types |= BCA_KEY_TYPE_RAW;
	pathf(path, sizeof(path), "%s/hw_wrapped_keys", crypto);
	if (sys_exists(ctx, path))
		d->key_types |= BCA_KEY_TYPE_HW_WRAPPED;
	if (!d->key_types)
		d->key_types = BCA_KEY_TYPE_RAW;
	read_modes(ctx, d, crypto);
}

/*
 * A loop device's backing file, offset and direct-I/O flag.  The file is
 * below the device in the stack: what holds it is the next layer down
 * (only on the live system: a recorded sysfs tree has no files to stat).
 */
static void read_loop(struct bca_ctx *ctx, struct bca_blkdev *d, const char *base)
{
	char path[PATH_MAX], file[PATH_MAX];
	uint64_t v;
	struct stat st;

	d->loop_dio = -1;
	pathf(path, sizeof(path), "%s/loop/backing_file", base);
	if (bca_sys_read_str(ctx, path, file, sizeof(file)) < 0 || !file[0])
		return;
	d->backing = strdup(file);
	pathf(path, sizeof(path), "%s/loop/offset", base);
	if (bca_sys_read_u64(ctx, path, 10, &v) == 0)
		d->loop_offset = v;
	pathf(path, sizeof(path), "%s/loop/dio", base);
	if (bca_sys_read_u64(ctx, path, 10, &v) == 0)
		d->loop_dio = v != 0;
	if (!ctx->sysroot[0] && d->backing && stat(d->backing, &st) == 0 &&
	    major(st.st_dev) != 0)
		d->lower[d->nlower++] = st.st_dev;
}

/* The devices below: a partition's disk, or a dm device's slaves. */
static void read_lower(struct bca_ctx *ctx, struct bca_blkdev *d, const char *base)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	if (d->kind == BCA_BLKDEV_LOOP) {
		read_loop(ctx, d, base);
		return;
	}
	if (d->kind == BCA_BLKDEV_PART) {
		pathf(path, sizeof(path), "%s/../dev", base);
		if (read_devno(ctx, path, &d->lower[0]) == 0)
			d->nlower = 1;
		return;
	}
	pathf(path, sizeof(path), "%s/slaves", base);
	dir = bca_sys_opendir(ctx, path);
	if (!dir)
		return;
	while ((de = readdir(dir)) && d->nlower < MAX_LOWER) {
		if (de->d_name[0] == '.')
			continue;
		pathf(path, sizeof(path), "%s/slaves/%s/dev", base, de->d_name);
		if (read_devno(ctx, path, &d->lower[d->nlower]) == 0)
			d->nlower++;
	}
	closedir(dir);
}

BCA_EXPORT int bca_blkdev_query_devno(struct bca_ctx *ctx, dev_t devno, struct bca_blkdev **out)
{
	struct bca_blkdev *d;
	char base[64], path[PATH_MAX];
	int rc;

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->major = major(devno);
	d->minor = minor(devno);
	pathf(base, sizeof(base), "/sys/dev/block/%u:%u", d->major, d->minor);
	rc = bca_blkdev_name(ctx, d->major, d->minor, d->name, sizeof(d->name));
	if (rc < 0) {
		free(d);
		return rc == -ENOENT ? -ENODEV : rc;
	}
	pathf(path, sizeof(path), "%s/dm/name", base);
	if (bca_sys_read_str(ctx, path, d->dm_name, sizeof(d->dm_name)) >= 0) {
		d->kind = BCA_BLKDEV_DM;
		if (bca_dm_target_type(ctx, d->major, d->minor, d->dm_name,
				       d->target, sizeof(d->target)) < 0)
			d->target[0] = '\0';
	} else {
		pathf(path, sizeof(path), "%s/partition", base);
		d->kind = sys_exists(ctx, path) ? BCA_BLKDEV_PART :
			  !strncmp(d->name, "loop", 4) ? BCA_BLKDEV_LOOP : BCA_BLKDEV_DISK;
	}
	read_profile(ctx, d, base);
	read_lower(ctx, d, base);
	if (d->kind == BCA_BLKDEV_DM && !d->has_profile)
		for (size_t i = 0; i < d->nlower && !d->lower_profile; i++)
			d->lower_profile = bca_blkdev_crypto_dir(ctx, major(d->lower[i]),
							minor(d->lower[i]), path, sizeof(path)) == 0;
	d->fallback = bca_fallback_state(ctx, &d->fallback_why);
	*out = d;
	return 0;
}

/*
 * SPEC is MAJ:MIN, a kernel name ("nvme0n1", "dm-0"), a block device
 * node, or any other path, meaning the device holding it.
 */
BCA_EXPORT int bca_blkdev_query(struct bca_ctx *ctx, const char *spec, struct bca_blkdev **out)
{
	unsigned int ma, mi;
	char path[PATH_MAX], extra;
	struct stat st;
	dev_t devno;

	if (!ctx || !spec || !out)
		return -EINVAL;
	if (sscanf(spec, "%u:%u%c", &ma, &mi, &extra) == 2)
		return bca_blkdev_query_devno(ctx, makedev(ma, mi), out);
	if (!strchr(spec, '/') && strlen(spec) < 64) {
		pathf(path, sizeof(path), "/sys/class/block/%s/dev", spec);
		if (read_devno(ctx, path, &devno) == 0)
			return bca_blkdev_query_devno(ctx, devno, out);
	}
	if (stat(spec, &st) < 0)
		return -errno;
	devno = S_ISBLK(st.st_mode) ? st.st_rdev : st.st_dev;
	if (major(devno) == 0)
		return -ENODEV;	/* btrfs, overlayfs, tmpfs: no single block device */
	return bca_blkdev_query_devno(ctx, devno, out);
}

BCA_EXPORT void bca_blkdev_free(struct bca_blkdev *d)
{
	if (d)
		free(d->backing);
	free(d);
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
	for (size_t i = 0; i < d->nmodes; i++)
		if (!strcmp(d->modes[i].name, mode) && (d->modes[i].dus_mask & data_unit_size))
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
	if (!ctx || !d || !out)
		return -EINVAL;
	if (!d->backing)
		return -ENOENT;
	if (ctx->sysroot[0])
		return -ENODEV;
	return bca_file_query(ctx, AT_FDCWD, d->backing, 0, out);
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
