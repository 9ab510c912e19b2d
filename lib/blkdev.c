// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Block devices: names and inline-crypto capabilities from sysfs
 * (/sys/dev/block/MAJ:MIN, queue/crypto/ since 5.18).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <string.h>

#include "internal.h"
#include "uapi/fscrypt.h"

int bca_blkdev_name(struct bca_ctx *ctx, unsigned int major, unsigned int minor,
		    char *buf, size_t size)
{
	char path[64], line[256];
	FILE *f;
	int rc = -ENOENT;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major, minor);
	f = bca_sys_fopen(ctx, path);
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DEVNAME=", 8))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (snprintf(buf, size, "%s", line + 8) >= (int)size)
			rc = -ENAMETOOLONG;
		else
			rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

/* A scan asks for the same device file after file: remember the last one. */
int bca_blkdev_name_cached(struct bca_ctx *ctx, unsigned int major, unsigned int minor,
			   char *buf, size_t size)
{
	size_t len;
	int rc;

	if (!ctx->devname_valid || ctx->devname_major != major || ctx->devname_minor != minor) {
		rc = bca_blkdev_name(ctx, major, minor, ctx->devname, sizeof(ctx->devname));
		if (rc < 0)
			return rc;
		ctx->devname_major = major;
		ctx->devname_minor = minor;
		ctx->devname_valid = true;
	}
	/* no printf here: this runs once per file of a scan */
	len = strlen(ctx->devname);
	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(buf, ctx->devname, len + 1);
	return 0;
}

const char *bca_blk_crypto_mode_of(int mode)
{
	switch (mode) {
	case FSCRYPT_MODE_AES_256_XTS:
		return "AES-256-XTS";
	case FSCRYPT_MODE_AES_128_CBC:
		return "AES-128-CBC-ESSIV";
	case FSCRYPT_MODE_ADIANTUM:
		return "Adiantum";
	case FSCRYPT_MODE_SM4_XTS:
		return "SM4-XTS";
	default:
		return NULL;
	}
}

/*
 * A partition has no queue/ of its own: the profile is its whole disk's,
 * one directory up.
 */
int bca_blkdev_crypto_dir(struct bca_ctx *ctx, unsigned int major, unsigned int minor,
			  char *buf, size_t size)
{
	static const char *const queue_dirs[] = { "queue", "../queue" };
	int fd;

	for (size_t i = 0; i < BCA_ARRAY_SIZE(queue_dirs); i++) {
		if (snprintf(buf, size, "/sys/dev/block/%u:%u/%s/crypto", major, minor,
			     queue_dirs[i]) >= (int)size)
			return -ENAMETOOLONG;
		fd = bca_sys_open(ctx, buf, O_RDONLY | O_DIRECTORY);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (fd != -ENOENT && fd != -ENOTDIR)
			return fd;
	}
	return -ENOENT;
}

static int crypto_supports(struct bca_ctx *ctx, unsigned int major, unsigned int minor,
			   const char *mode_name, uint32_t data_unit_size)
{
	char path[PATH_MAX];
	size_t len;
	uint64_t mask;
	int rc = bca_blkdev_crypto_dir(ctx, major, minor, path, sizeof(path));

	if (rc == -ENOENT)
		return 0;	/* no profile: no hardware for anything */
	if (rc < 0)
		return rc;
	len = strlen(path);
	if (snprintf(path + len, sizeof(path) - len, "/modes/%s", mode_name) >=
	    (int)(sizeof(path) - len))
		return -ENAMETOOLONG;
	rc = bca_sys_read_u64(ctx, path, 16, &mask);
	if (rc == -ENOENT)
		return 0;	/* a profile without the mode */
	if (rc < 0)
		return rc;
	return (mask & data_unit_size) ? 1 : 0;
}

/* Encrypted files of a scan share a device and a policy: remember the last answer. */
int bca_blkdev_crypto_supports(struct bca_ctx *ctx, unsigned int major, unsigned int minor,
			       const char *mode_name, uint32_t data_unit_size)
{
	typeof(ctx->crypto_cache) *c = &ctx->crypto_cache;

	if (c->valid && c->major == major && c->minor == minor && c->dus == data_unit_size &&
	    !strcmp(c->mode, mode_name))
		return c->result;
	c->result = crypto_supports(ctx, major, minor, mode_name, data_unit_size);
	c->valid = snprintf(c->mode, sizeof(c->mode), "%s", mode_name) < (int)sizeof(c->mode);
	c->major = major;
	c->minor = minor;
	c->dus = data_unit_size;
	return c->result;
}
