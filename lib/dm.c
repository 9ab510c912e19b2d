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
#include "dlib.h"

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
	if (!dm_log_ctx)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/*
	 * An error is kept for the caller, who knows whether it explains
	 * anything (a failed table load) or only repeats what the caller
	 * says better ("no such device"): see dm_report_error().
	 */
	if (level <= 3)
		snprintf(dm_log_ctx->dm_error, sizeof(dm_log_ctx->dm_error), "%s", msg);
	bca_log(dm_log_ctx, LOG_DEBUG, "libdevmapper: %s", msg);
}

/* libdevmapper's last error, as an error of ours: the kernel's own words. */
static void dm_report_error(struct bca_ctx *ctx)
{
	if (ctx->dm_error[0])
		bca_err(ctx, "libdevmapper: %s", ctx->dm_error);
	ctx->dm_error[0] = '\0';
}

/* Runs and frees dmt (fault point FAULT first); a failure is reported. */
static int run_reported(struct bca_ctx *ctx, struct dm_task *dmt, const char *fault)
{
	int rc = bca_fault(fault);

	if (rc == 0 && !dm_task_run(dmt)) {
		rc = dm_task_get_errno(dmt) ? -dm_task_get_errno(dmt) : -EIO;
		dm_report_error(ctx);
	}
	dm_task_destroy(dmt);
	return rc;
}

static void dm_enter(struct bca_ctx *ctx)
{
	ctx->dm_error[0] = '\0';
	dm_log_ctx = ctx;
	dm_log_with_errno_init(dm_log_cb);
}

/* libdevmapper's default logging back, as cryptsetup does in dm_exit() */
static void dm_leave(void)
{
	dm_log_with_errno_init(NULL);
	dm_log_ctx = NULL;
}

/*
 * -ENODEV when this kernel has no device-mapper at all, which is common;
 * else libdevmapper is loaded (dlib.c) for the calls that follow.
 */
static int dm_check_available(struct bca_ctx *ctx)
{
	if (access("/dev/mapper/control", F_OK) < 0) {
		bca_dbg(ctx, "/dev/mapper/control: %s", strerror(errno));
		return -ENODEV;
	}
	return bca_dm_lib_load(ctx);
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

BCA_EXPORT int bca_dm_target_version(struct bca_ctx *ctx, const char *target,
				     unsigned int version[3])
{
	struct dm_task *dmt;
	struct dm_versions *v, *last;
	int rc = dm_check_available(ctx);

	if (rc < 0)
		return rc;
	dm_enter(ctx);
	dmt = dm_task_create(DM_DEVICE_LIST_VERSIONS);
	rc = -ENOMEM;
	if (!dmt)
		goto out;
	rc = -EIO;
	if (!dm_task_run(dmt))
		goto out;
	rc = -ENOENT;
	v = dm_task_get_versions(dmt);
	do {
		last = v;
		if (!strcmp(v->name, target)) {
			memcpy(version, v->version, 3 * sizeof(unsigned int));
			rc = 0;
			break;
		}
		v = (struct dm_versions *)((char *)v + v->next);
	} while (last != v);
out:
	if (dmt)
		dm_task_destroy(dmt);
	dm_leave();
	return rc;
}

/* Runs a task that creates, resumes or removes a node, synchronised with udev. */
static int run_with_cookie(struct dm_task *dmt)
{
	uint32_t cookie = 0;
	int ok;

	if (!dm_task_set_cookie(dmt, &cookie, 0))
		return -EIO;
	ok = dm_task_run(dmt);
	dm_udev_wait(cookie);
	return ok ? 0 : -EIO;
}

static struct dm_task *named_task(int type, const char *name)
{
	struct dm_task *dmt = dm_task_create(type);

	if (dmt && !dm_task_set_name(dmt, name)) {
		dm_task_destroy(dmt);
		return NULL;
	}
	return dmt;
}

static int dm_remove_locked(const char *name)
{
	struct dm_task *dmt = named_task(DM_DEVICE_REMOVE, name);
	int rc;

	if (!dmt)
		return -ENOMEM;
	dm_task_retry_remove(dmt);
	rc = run_with_cookie(dmt);
	if (rc < 0 && dm_task_get_errno(dmt))
		rc = -dm_task_get_errno(dmt);
	dm_task_destroy(dmt);
	return rc;
}

/*
 * Create, load, resume as three steps (not libdevmapper's combined create)
 * so that each can fail on its own in tests; any failure after the create
 * removes the device again.  The table line may reference a key:
 * dm_task_secure_data() makes libdevmapper wipe its ioctl buffers.
 */
BCA_EXPORT int bca_dm_activate(struct bca_ctx *ctx, const char *name, const char *uuid,
			       const char *table, bool readonly)
{
	unsigned long long start, len;
	char type[32];
	const char *params;
	struct dm_task *dmt = NULL;
	int rc = dm_check_available(ctx), n = 0;

	if (rc < 0)
		return rc;
	if (sscanf(table, "%llu %llu %31s %n", &start, &len, type, &n) != 3 || !n)
		return -EINVAL;
	params = table + n;
	dm_enter(ctx);

	dmt = named_task(DM_DEVICE_CREATE, name);
	rc = -ENOMEM;
	if (!dmt || (uuid && !dm_task_set_uuid(dmt, uuid)))
		goto out;
	rc = run_reported(ctx, dmt, "dm-create");
	dmt = NULL;
	if (rc < 0)
		goto out;

	dmt = named_task(DM_DEVICE_RELOAD, name);
	rc = -ENOMEM;
	if (!dmt || !dm_task_secure_data(dmt) || (readonly && !dm_task_set_ro(dmt)) ||
	    !dm_task_add_target(dmt, start, len, type, params))
		goto undo;
	/* a failure says "reload ioctl on NAME failed: Invalid argument": see dmesg */
	rc = run_reported(ctx, dmt, "dm-load");
	dmt = NULL;
	if (rc < 0)
		goto undo;

	dmt = named_task(DM_DEVICE_RESUME, name);
	rc = -ENOMEM;
	if (!dmt)
		goto undo;
	rc = bca_fault("dm-resume");
	if (rc == 0)
		rc = run_with_cookie(dmt);
	dm_task_destroy(dmt);
	dmt = NULL;
	if (rc == 0)
		goto out;
undo:
	if (dmt)
		dm_task_destroy(dmt);
	dmt = NULL;
	if (dm_remove_locked(name) < 0)
		bca_err(ctx, "%s: could not remove the half-made device", name);
out:
	if (dmt)
		dm_task_destroy(dmt);
	dm_leave();
	return rc;
}

BCA_EXPORT int bca_dm_remove(struct bca_ctx *ctx, const char *name)
{
	int rc = dm_check_available(ctx);

	if (rc < 0)
		return rc;
	dm_enter(ctx);
	rc = dm_remove_locked(name);
	dm_leave();
	return rc;
}

/*
 * The live table of a single-target device as "start length type params".
 * With showkeys false a hex key in crypt/inlinecrypt params is replaced by
 * "-"; keyring references (":64:logon:desc") are not secret and stay.
 */
/*
 * The live table line of NAME, built in locked memory (a bca_secret): it
 * holds the key until masked, and key bytes never pass through ordinary
 * heap.  libdevmapper's own buffer is wiped (dm_task_secure_data()).
 */
static int get_table_secret(struct bca_ctx *ctx, const char *name, struct bca_secret **out,
			    dev_t *devno, bool *is_crypt)
{
	struct dm_task *dmt;
	struct dm_info info;
	uint64_t start, length;
	char *type = NULL, *params = NULL;
	struct bca_secret *line = NULL;
	int n, rc = dm_check_available(ctx);

	if (rc < 0)
		return rc;
	dm_enter(ctx);
	dmt = named_task(DM_DEVICE_TABLE, name);
	rc = -ENOMEM;
	if (!dmt || !dm_task_secure_data(dmt))
		goto out;
	if (!dm_task_run(dmt)) {
		/* the kernel's ENXIO: no device of that name */
		rc = dm_task_get_errno(dmt) == ENXIO ? -ENOENT :
		     dm_task_get_errno(dmt) ? -dm_task_get_errno(dmt) : -EIO;
		goto out;
	}
	rc = -EIO;
	if (!dm_task_get_info(dmt, &info))
		goto out;
	rc = -ENOENT;
	if (!info.exists)
		goto out;
	if (devno)
		*devno = makedev(info.major, info.minor);
	dm_get_next_target(dmt, NULL, &start, &length, &type, &params);
	rc = -ENODATA;
	if (!type)
		goto out;
	n = snprintf(NULL, 0, "%llu %llu %s %s", (unsigned long long)start,
		     (unsigned long long)length, type, params ? params : "");
	rc = bca_secret_new((size_t)n + 1, &line);
	if (rc < 0)
		goto out;
	snprintf(bca_secret_get_data(line), (size_t)n + 1, "%llu %llu %s %s",
		 (unsigned long long)start, (unsigned long long)length, type, params ? params : "");
	*is_crypt = !strcmp(type, "crypt") || !strcmp(type, "inlinecrypt");
	*out = line;
	rc = 0;
out:
	if (params)
		explicit_bzero(params, strlen(params));
	if (dmt)
		dm_task_destroy(dmt);
	dm_leave();
	return rc;
}

BCA_EXPORT int bca_dm_get_table(struct bca_ctx *ctx, const char *name, char **out, dev_t *devno)
{
	struct bca_secret *line;
	bool is_crypt = false;
	char *copy;
	int rc = get_table_secret(ctx, name, &line, devno, &is_crypt);

	if (rc < 0)
		return rc;
	if (is_crypt)
		bca_table_mask_key(bca_secret_get_data(line));
	/* masked: no key left to keep out of ordinary memory */
	copy = strdup(bca_secret_get_data(line));
	bca_secret_free(line);
	if (!copy)
		return -ENOMEM;
	*out = copy;
	return 0;
}

BCA_EXPORT int bca_dm_get_params(struct bca_ctx *ctx, const char *name,
				 struct bca_crypt_table **out, dev_t *devno)
{
	char *line;
	int rc;

	if (!out)
		return -EINVAL;
	rc = bca_dm_get_table(ctx, name, &line, devno);
	if (rc < 0)
		return rc;
	rc = bca_crypt_table_parse(line, out);
	free(line);
	return rc;
}

BCA_EXPORT int bca_dm_get_table_keys(struct bca_ctx *ctx, const char *name,
				     struct bca_secret **out)
{
	bool is_crypt;

	if (!out)
		return -EINVAL;
	return get_table_secret(ctx, name, out, NULL, &is_crypt);
}
