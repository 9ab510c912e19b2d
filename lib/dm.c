// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every libdevmapper call of the library lives here.  libdevmapper logs to
 * stderr by default; we route its messages to the context's log function,
 * because the library never prints.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <libdevmapper.h>

#include "internal.h"

struct bca_dm_device {
	const char *name;
	const char *uuid;
	const char *target;	/* first target's type, "" for a device with no table */
	unsigned int ntargets;
	unsigned int major, minor;
	uint64_t sectors;
};

/* libdevmapper's log hook is process-wide: remember whose call is running. */
static __thread struct bca_ctx *dm_log_ctx;

static void dm_log_cb(int level, const char *file, int line, int dm_errno_or_class,
		      const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int prio = level <= 3 ? LOG_ERR : level <= 4 ? LOG_WARNING : LOG_DEBUG;

	if (!dm_log_ctx || prio > dm_log_ctx->log_priority)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bca_log(dm_log_ctx, prio, "libdevmapper: %s", msg);
}

static void dm_enter(struct bca_ctx *ctx)
{
	dm_log_ctx = ctx;
	dm_log_with_errno_init(dm_log_cb);
}

static void dm_leave(void)
{
	dm_log_ctx = NULL;
}

/* -ENODEV when this kernel has no device-mapper at all, which is common. */
static int dm_check_available(struct bca_ctx *ctx)
{
	if (access("/dev/mapper/control", F_OK) < 0) {
		bca_dbg(ctx, "/dev/mapper/control: %s", strerror(errno));
		return -ENODEV;
	}
	return 0;
}

/*
 * Loads NAME's table and hands a description to fn while the task, which
 * owns the strings, is alive.
 */
static int describe_and_call(const char *name, bca_dm_list_fn fn, void *data)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_TABLE);
	struct bca_dm_device d = { .name = name, .target = "" };
	struct dm_info info;
	uint64_t start, length;
	char *type = NULL, *params;
	void *next = NULL;
	int rc = -EIO;

	if (!dmt)
		return -ENOMEM;
	if (!dm_task_set_name(dmt, name) || !dm_task_run(dmt) || !dm_task_get_info(dmt, &info))
		goto out;
	rc = -ENOENT;
	if (!info.exists)
		goto out;
	d.major = info.major;
	d.minor = info.minor;
	d.uuid = dm_task_get_uuid(dmt);
	if (!d.uuid)
		d.uuid = "";
	do {
		next = dm_get_next_target(dmt, next, &start, &length, &type, &params);
		if (!type)
			break;
		if (!d.ntargets++)
			d.target = type;
		d.sectors += length;
	} while (next);
	rc = fn(&d, data);
out:
	dm_task_destroy(dmt);
	return rc;
}

BCA_EXPORT int bca_dm_list(struct bca_ctx *ctx, bca_dm_list_fn fn, void *data)
{
	struct dm_task *dmt;
	struct dm_names *names;
	unsigned int next = 0;
	int rc;

	rc = dm_check_available(ctx);
	if (rc < 0)
		return rc;
	dm_enter(ctx);
	dmt = dm_task_create(DM_DEVICE_LIST);
	if (!dmt) {
		dm_leave();
		return -ENOMEM;
	}
	if (!dm_task_run(dmt)) {
		rc = -EIO;
		goto out;
	}
	names = dm_task_get_names(dmt);
	if (!names || !names->dev)
		goto out;
	do {
		names = (struct dm_names *)((char *)names + next);
		rc = describe_and_call(names->name, fn, data);
		if (rc == -ENOENT)	/* removed meanwhile */
			rc = 0;
		if (rc < 0)
			break;
		next = names->next;
	} while (next);
out:
	dm_task_destroy(dmt);
	dm_leave();
	return rc;
}

BCA_EXPORT const char *bca_dm_device_get_name(const struct bca_dm_device *d) { return d->name; }
BCA_EXPORT const char *bca_dm_device_get_uuid(const struct bca_dm_device *d) { return d->uuid; }
BCA_EXPORT const char *bca_dm_device_get_target(const struct bca_dm_device *d) { return d->target; }
BCA_EXPORT unsigned int bca_dm_device_get_target_count(const struct bca_dm_device *d) { return d->ntargets; }
BCA_EXPORT uint64_t bca_dm_device_get_sectors(const struct bca_dm_device *d) { return d->sectors; }

BCA_EXPORT dev_t bca_dm_device_get_devno(const struct bca_dm_device *d)
{
	return makedev(d->major, d->minor);
}

/* The type field of the first line of a "dmsetup table" listing. */
static int first_target_of_listing(const char *line, char *buf, size_t size)
{
	unsigned long long start, len;
	char type[32];

	if (sscanf(line, "%llu %llu %31s", &start, &len, type) != 3)
		return -BCA_ERR_PARSE;
	return snprintf(buf, size, "%s", type) >= (int)size ? -ENAMETOOLONG : 0;
}

int bca_dm_target_type(struct bca_ctx *ctx, unsigned int major, unsigned int minor,
		       const char *name, char *buf, size_t size)
{
	uint64_t start, length;
	char *type = NULL, *params, path[256], line[512];
	struct dm_task *dmt;
	int rc;

	if (*ctx->sysroot) {
		FILE *f;

		snprintf(path, sizeof(path), "/dm-tables/%s", name);
		f = bca_sys_fopen(ctx, path);
		if (!f)
			return -errno;
		rc = fgets(line, sizeof(line), f) ? first_target_of_listing(line, buf, size)
						 : -BCA_ERR_PARSE;
		fclose(f);
		return rc;
	}
	rc = dm_check_available(ctx);
	if (rc < 0)
		return rc;
	dm_enter(ctx);
	dmt = dm_task_create(DM_DEVICE_TABLE);
	rc = -ENOMEM;
	if (!dmt)
		goto out;
	rc = -EIO;
	if (!dm_task_set_major(dmt, (int)major) || !dm_task_set_minor(dmt, (int)minor) ||
	    !dm_task_run(dmt))
		goto out;
	dm_get_next_target(dmt, NULL, &start, &length, &type, &params);
	rc = -ENOENT;
	if (type)
		rc = snprintf(buf, size, "%s", type) >= (int)size ? -ENAMETOOLONG : 0;
out:
	if (dmt)
		dm_task_destroy(dmt);
	dm_leave();
	return rc;
}
