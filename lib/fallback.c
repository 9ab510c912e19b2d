// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Whether the running kernel has blk-crypto-fallback, with the evidence.
 * Stock sysfs does not say: the queue/crypto/ directory exists only for
 * devices with a crypto profile, and a kernel without blk-crypto looks the
 * same as one whose devices have no hardware.  The evidence, in order:
 * the kernel itself (queue/crypto_fallback of blkcryptadm's patches,
 * recorded by blkdev.c), then the kernel's build configuration in
 * /proc/config.gz or /boot/config-RELEASE.  Without either the answer is
 * "unknown": a mount that kept inlinecrypt proves blk-crypto
 * (CONFIG_FS_ENCRYPTION_INLINE_CRYPT) but not the fallback, which is a
 * separate option (CONFIG_BLK_INLINE_ENCRYPTION_FALLBACK).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "internal.h"
#include "dlib.h"

#define OPT_FALLBACK "CONFIG_BLK_INLINE_ENCRYPTION_FALLBACK"
#define OPT_BLK_CRYPTO "CONFIG_BLK_INLINE_ENCRYPTION"

/*
 * Scans one line of a kernel .config: 1 fallback built in, 0 known absent,
 * -1 the line says nothing about it.
 */
int bca_config_line_fallback(const char *line)
{
	if (!strncmp(line, OPT_FALLBACK "=y", sizeof(OPT_FALLBACK "=y") - 1))
		return 1;
	if (!strncmp(line, "# " OPT_FALLBACK " is not set", sizeof("# " OPT_FALLBACK " is not set") - 1))
		return 0;
	if (!strncmp(line, "# " OPT_BLK_CRYPTO " is not set", sizeof("# " OPT_BLK_CRYPTO " is not set") - 1))
		return 0;
	return -1;
}

/* Reads a (possibly gzip-compressed) .config below the sysroot: 1, 0 or -1. */
static int config_fallback(struct bca_ctx *ctx, const char *path)
{
	char line[256];
	int fd = bca_sys_open(ctx, path);
	int state = -1, v;
	gzFile gz;

	if (fd < 0)
		return -1;
	if (bca_z_lib_load(ctx) < 0) {
		close(fd);
		return -1;
	}
	gz = gzdopen(fd, "r");	/* reads plain files as they are, too */
	if (!gz) {
		close(fd);
		return -1;
	}
	while (gzgets(gz, line, sizeof(line))) {
		v = bca_config_line_fallback(line);
		if (v >= 0) {
			state = v;
			if (v == 1)
				break;	/* "not set" of the parent may come first */
		}
	}
	gzclose(gz);
	return state;
}

int bca_fallback_state(struct bca_ctx *ctx, const char **why)
{
	char release[128], path[192];

	if (ctx->fallback_state != BCA_FALLBACK_UNCHECKED)
		goto out;
	ctx->fallback_state = config_fallback(ctx, "/proc/config.gz");
	if (ctx->fallback_state >= 0) {
		ctx->fallback_why = "the kernel configuration in /proc/config.gz";
		goto out;
	}
	if (bca_sys_read_str(ctx, "/proc/sys/kernel/osrelease", release, sizeof(release)) > 0 &&
	    snprintf(path, sizeof(path), "/boot/config-%s", release) < (int)sizeof(path)) {
		ctx->fallback_state = config_fallback(ctx, path);
		if (ctx->fallback_state >= 0) {
			ctx->fallback_why = "the kernel configuration in /boot";
			goto out;
		}
	}
	ctx->fallback_why = "no kernel configuration found (/proc/config.gz, /boot/config-*) "
			    "and the kernel cannot be asked";
out:
	if (why)
		*why = ctx->fallback_why;
	return ctx->fallback_state;
}

/* The kernel's own answer wins over any configuration file. */
void bca_fallback_from_kernel(struct bca_ctx *ctx, bool available)
{
	ctx->fallback_state = available;
	ctx->fallback_why = "the kernel (queue/crypto_fallback in sysfs)";
}
