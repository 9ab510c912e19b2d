// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Choosing an fscrypt policy whose files get direct I/O: blk-crypto must
 * encrypt them, which needs an effective inlinecrypt mount option and a
 * crypto configuration (mode, data unit size, DUN size) that the device
 * under the mount supports, or blk-crypto-fallback when the device has no
 * inline encryption hardware at all.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"
#include "uapi/fscrypt.h"

struct bca_dio_plan {
	enum bca_dio_plan_status status;
	enum bca_crypto_impl impl;
	unsigned int flags;
	unsigned int log2_dus;
	uint32_t dus;
	uint32_t block_size;
	unsigned int max_dun_bits;
	unsigned int num_keyslots;
	uint32_t dev_dus_mask;
	unsigned int file_dun_bits;
	char *mountpoint;
	char *fstype;
	char *super_opts;
	char devname[64];
};

static unsigned int ilog2_u32(uint32_t v)
{
	unsigned int r = 0;

	while (v >>= 1)
		r++;
	return r;
}

/*
 * DUN bits of a policy without IV_INO_LBLK flags: the kernel uses the data
 * unit index within the file, so it needs fls64(s_maxbytes - 1) - du_bits.
 * ext4 with extents caps files at 2^32 - 1 blocks, f2fs below that: the
 * ext4 bound is a safe upper bound for both.
 */
static unsigned int file_dun_bits(uint32_t block_size, unsigned int du_bits)
{
	return 32 + ilog2_u32(block_size) - du_bits;
}

static unsigned int dun_bytes(unsigned int bits)
{
	return (bits + 7) / 8;
}

/*
 * The crypto profile of the device major:minor as bca_blkdev_query_devno()
 * reads it (a partition's is its disk's).  Returns 1 with a profile, 0
 * without one.
 */
static int read_profile(struct bca_ctx *ctx, unsigned int major, unsigned int minor,
			const char *mode_name, struct bca_dio_plan *p)
{
	int err;
	const struct bca_blkdev *d = bca_blkdev_get(ctx, makedev(major, minor),
						    BCA_BLKDEV_HAVE_PROFILE, &err);

	if (!d || !bca_blkdev_has_crypto_profile(d))
		return 0;
	p->max_dun_bits = bca_blkdev_get_max_dun_bits(d);
	p->num_keyslots = bca_blkdev_get_num_keyslots(d);
	p->dev_dus_mask = (uint32_t)bca_blkdev_mode_dus_mask(d, mode_name);
	return 1;
}

/* blk-crypto-fallback takes any mode, data unit size and DUN: the plain policy. */
static void plan_fallback(struct bca_dio_plan *p)
{
	p->status = BCA_DIO_PLAN_OK;
	p->impl = BCA_CRYPTO_INLINE_FALLBACK;
	p->dus = p->block_size;
	p->log2_dus = 0;
	p->flags = 0;
	p->file_dun_bits = file_dun_bits(p->block_size, ilog2_u32(p->block_size));
}

/* Picks flags and data unit size for inline encryption hardware. */
static void plan_hardware(struct bca_dio_plan *p, bool subblock_ok)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned int bs_bits = ilog2_u32(p->block_size);

	p->impl = BCA_CRYPTO_INLINE_HW;
	p->dus = 0;
	if (p->dev_dus_mask & p->block_size) {
		p->dus = p->block_size;
	} else if (subblock_ok) {
		/* the largest supported size below the block size, at least 512 */
		for (uint32_t d = p->block_size >> 1; d >= 512; d >>= 1) {
			if (p->dev_dus_mask & d) {
				p->dus = d;
				break;
			}
		}
	}
	if (!p->dus) {
		p->status = BCA_DIO_PLAN_DEVICE_NO_CONFIG;
		return;
	}
	p->log2_dus = p->dus == p->block_size ? 0 : ilog2_u32(p->dus);
	p->file_dun_bits = file_dun_bits(p->block_size, ilog2_u32(p->dus));
	if (p->dus == p->block_size && p->max_dun_bits >= 64) {
		/*
		 * UFS-style hardware: one key per mode for all files (inode
		 * number and block in the DUN) instead of one keyslot per file.
		 */
		p->flags = FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64;
	} else if (dun_bytes(p->file_dun_bits) <= p->max_dun_bits / 8) {
		p->flags = 0;
	} else if (p->dus == p->block_size && p->max_dun_bits >= 32 &&
		   bs_bits == ilog2_u32((uint32_t)page)) {
		/* eMMC-style 32-bit DUNs: hashed inode number plus block */
		p->flags = FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32;
	} else {
		p->status = BCA_DIO_PLAN_DEVICE_NO_CONFIG;
	}
}

BCA_EXPORT int bca_dio_plan_new(struct bca_ctx *ctx, int dirfd, const char *path,
				int contents_mode, struct bca_dio_plan **out)
{
	struct bca_statx stx;
	const struct bca_mount *m;
	int rc;

	rc = bca_statx(dirfd, path, 0, STATX_BASIC_STATS | STATX_MNT_ID, &stx);
	if (rc < 0)
		return rc;
	if (!(stx.stx_mask & STATX_MNT_ID))
		return -BCA_ERR_KERNEL_TOO_OLD;
	rc = bca_mount_of(ctx, &stx, bca_mount_ns_pid(path), &m);
	if (rc < 0)
		return rc;
	return bca_dio_plan_for_mount(ctx, m, stx.stx_blksize, contents_mode, out);
}

int bca_dio_plan_for_mount(struct bca_ctx *ctx, const struct bca_mount *m, uint32_t block_size,
			   int contents_mode, struct bca_dio_plan **out)
{
	struct bca_dio_plan *p;
	const struct bca_blkdev *d;
	const char *mode_name;
	int rc;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->mountpoint = strdup(m->mountpoint);
	p->fstype = strdup(m->fstype);
	p->super_opts = strdup(m->super_opts);
	if (!p->mountpoint || !p->fstype || !p->super_opts) {
		bca_dio_plan_free(p);
		return -ENOMEM;
	}
	d = bca_blkdev_get(ctx, makedev(m->major, m->minor), 0, &rc);
	snprintf(p->devname, sizeof(p->devname), "%s", d ? bca_blkdev_get_name(d) : m->source);
	p->block_size = block_size;
	plan_fallback(p);
	*out = p;

	if (strcmp(p->fstype, "ext4") && strcmp(p->fstype, "f2fs")) {
		p->status = BCA_DIO_PLAN_FS_UNSUPPORTED;
		return 0;
	}
	if (!bca_opt_has(p->super_opts, "inlinecrypt", NULL)) {
		p->status = BCA_DIO_PLAN_NO_INLINECRYPT;
		return 0;
	}
	mode_name = bca_blk_crypto_mode_of(contents_mode);
	if (!mode_name) {
		p->status = BCA_DIO_PLAN_MODE_NO_INLINE;
		return 0;
	}
	rc = read_profile(ctx, m->major, m->minor, mode_name, p);
	if (rc == 1) {
		/* only ext4 lets a policy pick a data unit below the block size */
		plan_hardware(p, !strcmp(p->fstype, "ext4"));
		if (p->status == BCA_DIO_PLAN_OK)
			return 0;
	}
	/*
	 * No hardware for it: blk-crypto uses the fallback, when the kernel
	 * has one (blk_crypto_config_supported()); without it fscrypt keeps
	 * its own crypto, and without evidence either way we say so.
	 */
	switch (bca_fallback_state(ctx, NULL)) {
	case 1:
		plan_fallback(p);
		break;
	case 0:
		p->status = BCA_DIO_PLAN_DEVICE_NO_CONFIG;
		p->impl = BCA_CRYPTO_FS_LAYER;
		break;
	default:
		p->status = BCA_DIO_PLAN_FALLBACK_UNKNOWN;
		p->impl = BCA_CRYPTO_UNKNOWN;
	}
	return 0;
}

BCA_EXPORT void bca_dio_plan_free(struct bca_dio_plan *p)
{
	if (!p)
		return;
	free(p->mountpoint);
	free(p->fstype);
	free(p->super_opts);
	free(p);
}

BCA_EXPORT enum bca_dio_plan_status bca_dio_plan_get_status(const struct bca_dio_plan *p)
{
	return p->status;
}

BCA_EXPORT enum bca_crypto_impl bca_dio_plan_get_crypto_impl(const struct bca_dio_plan *p)
{
	return p->impl;
}

BCA_EXPORT unsigned int bca_dio_plan_get_flags(const struct bca_dio_plan *p)
{
	return p->flags;
}

BCA_EXPORT unsigned int bca_dio_plan_get_log2_data_unit_size(const struct bca_dio_plan *p)
{
	return p->log2_dus;
}

BCA_EXPORT uint32_t bca_dio_plan_get_data_unit_size(const struct bca_dio_plan *p)
{
	return p->dus;
}

BCA_EXPORT uint32_t bca_dio_plan_get_block_size(const struct bca_dio_plan *p)
{
	return p->block_size;
}

BCA_EXPORT unsigned int bca_dio_plan_get_max_dun_bits(const struct bca_dio_plan *p)
{
	return p->max_dun_bits;
}

BCA_EXPORT unsigned int bca_dio_plan_get_num_keyslots(const struct bca_dio_plan *p)
{
	return p->num_keyslots;
}

BCA_EXPORT uint32_t bca_dio_plan_get_device_data_unit_sizes(const struct bca_dio_plan *p)
{
	return p->dev_dus_mask;
}

BCA_EXPORT unsigned int bca_dio_plan_get_file_dun_bits(const struct bca_dio_plan *p)
{
	return p->file_dun_bits;
}

BCA_EXPORT const char *bca_dio_plan_get_mountpoint(const struct bca_dio_plan *p)
{
	return p->mountpoint;
}

BCA_EXPORT const char *bca_dio_plan_get_fstype(const struct bca_dio_plan *p)
{
	return p->fstype;
}

BCA_EXPORT const char *bca_dio_plan_get_super_options(const struct bca_dio_plan *p)
{
	return p->super_opts;
}

BCA_EXPORT const char *bca_dio_plan_get_device_name(const struct bca_dio_plan *p)
{
	return p->devname;
}

/*
 * An O_TMPFILE inode gets its directory's policy exactly like a named new
 * file, but leaves nothing behind: the one honest test of what the kernel
 * will do with files created there.
 */
BCA_EXPORT int bca_dio_probe_new_file(int dirfd, uint32_t *mem_align, uint32_t *offset_align)
{
	struct bca_statx stx;
	int fd, rc;

	fd = openat(dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EISDIR ? -EOPNOTSUPP : -errno;
	rc = bca_statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx);
	close(fd);
	if (rc < 0)
		return rc;
	if (!(stx.stx_mask & STATX_DIOALIGN))
		return -EOPNOTSUPP;
	*mem_align = stx.stx_dio_mem_align;
	*offset_align = stx.stx_dio_offset_align;
	return 0;
}
