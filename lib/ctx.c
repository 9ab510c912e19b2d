// SPDX-License-Identifier: LGPL-2.1-or-later
/* Library context: reference counting, log function, sysroot. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* BCA_NO_KERNEL_IOCTL=1 forces inference, e.g. to compare both answers. */
static bool kernel_ioctls_disabled_env(void)
{
	const char *v = getenv("BCA_NO_KERNEL_IOCTL");

	return v && *v && strcmp(v, "0") != 0;
}

bool bca_kernel_ioctls_disabled(const struct bca_ctx *ctx)
{
	return ctx->no_kernel_ioctl;
}

BCA_EXPORT int bca_new(struct bca_ctx **ctx)
{
	struct bca_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->refcount = 1;
	c->log_priority = LOG_ERR;
	c->fallback_state = BCA_FALLBACK_UNCHECKED;
	c->page_size = sysconf(_SC_PAGESIZE);
	c->no_kernel_ioctl = kernel_ioctls_disabled_env();
	c->sysroot_fd = -1;
	c->sysroot = strdup("");
	if (!c->sysroot) {
		free(c);
		return -ENOMEM;
	}
	*ctx = c;
	return 0;
}

BCA_EXPORT struct bca_ctx *bca_ref(struct bca_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

BCA_EXPORT void bca_unref(struct bca_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return;
	bca_mounts_free(ctx->mounts);
	bca_loops_free(ctx);
	bca_swaps_free(ctx);
	bca_blkdevs_free(ctx);
	if (ctx->sysroot_fd >= 0)
		close(ctx->sysroot_fd);
	free(ctx->sysroot);
	free(ctx);
}

BCA_EXPORT void bca_set_log_fn(struct bca_ctx *ctx, bca_log_fn fn, void *userdata)
{
	ctx->log_fn = fn;
	ctx->log_data = userdata;
}

BCA_EXPORT void bca_set_log_priority(struct bca_ctx *ctx, int priority)
{
	ctx->log_priority = priority;
}

BCA_EXPORT int bca_get_log_priority(const struct bca_ctx *ctx)
{
	return ctx->log_priority;
}

/*
 * Formats only when somebody listens at that priority, so debug messages
 * on hot paths (recursive scans) cost a comparison when logging is off.
 */
void bca_log(struct bca_ctx *ctx, int priority, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!ctx || !ctx->log_fn || priority > ctx->log_priority)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->log_fn(ctx, priority, msg, ctx->log_data);
}

BCA_EXPORT int bca_set_sysroot(struct bca_ctx *ctx, const char *dir)
{
	char *copy;
	size_t len;
	int fd = -1;

	if (!dir || !strcmp(dir, "/"))
		dir = "";
	/* the root every recorded path is resolved in (sysfs.c) */
	if (*dir && (fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	copy = strdup(dir);
	if (!copy) {
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	/* "/a/b/" + "/sys/..." would double the slash: harmless, but ugly in messages */
	len = strlen(copy);
	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = '\0';
	free(ctx->sysroot);
	ctx->sysroot = copy;
	if (ctx->sysroot_fd >= 0)
		close(ctx->sysroot_fd);
	ctx->sysroot_fd = fd;
	/* mounts and devices read from another root are not ours */
	bca_loops_free(ctx);
	bca_swaps_free(ctx);
	bca_mounts_free(ctx->mounts);
	ctx->mounts = NULL;
	ctx->mount_last = NULL;
	ctx->mount_foreign = NULL;
	ctx->mount_misses_n = 0;
	bca_blkdevs_free(ctx);
	ctx->fallback_state = BCA_FALLBACK_UNCHECKED;
	return 0;
}

BCA_EXPORT const char *bca_get_sysroot(const struct bca_ctx *ctx)
{
	return ctx->sysroot;
}

BCA_EXPORT const char *bca_get_library_version(void)
{
	return PACKAGE_VERSION;
}
