// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every libdevmapper call of the library lives here.  libdevmapper logs to
 * stderr by default; we route its messages to the context's log function,
 * because the library never prints.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
	struct dm_task *dmt;	/* the table task, for the library's own callbacks */
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

/* The caller's libdevmapper name mangling, restored by dm_leave(). */
static __thread dm_string_mangling_t dm_saved_mangling;

/*
 * Names go to and come from the kernel as they are: libdevmapper's default
 * ("auto") decodes \xNN in listed names, so devices "xA" and "x\x41" were
 * listed alike and then looked up as one (the wrong one's key removed).
 */
static void dm_enter(struct bca_ctx *ctx)
{
	ctx->dm_error[0] = '\0';
	dm_log_ctx = ctx;
	dm_log_with_errno_init(dm_log_cb);
	dm_saved_mangling = dm_get_name_mangling_mode();
	dm_set_name_mangling_mode(DM_STRING_MANGLING_NONE);
}

/* libdevmapper's default logging back, as cryptsetup does in dm_exit() */
static void dm_leave(void)
{
	dm_set_name_mangling_mode(dm_saved_mangling);
	dm_log_with_errno_init(NULL);
	dm_log_ctx = NULL;
}

/*
 * -ENODEV when this kernel has no device-mapper at all, which is common;
 * else libdevmapper is loaded (dlib.c) for the calls that follow.  The
 * node is opened, not only looked for: dmsetup and cryptsetup create it
 * on kernels without device-mapper, and opening such a node fails with
 * ENODEV (opening it also loads dm-mod where it is a module).
 */
static int dm_check_available(struct bca_ctx *ctx)
{
	int fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		int err = errno;

		bca_dbg(ctx, "/dev/mapper/control: %s", strerror(err));
		return err == EACCES || err == EPERM ? -err : -ENODEV;
	}
	close(fd);
	return bca_dm_lib_load(ctx);
}

/*
 * Loads the table of device DEV (by number: a name may be reused or
 * mangled meanwhile) and hands a description to fn while the task, which
 * owns the strings, is alive.
 */
static int describe_and_call(const char *name, dev_t dev, bca_dm_list_fn fn, void *data)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_TABLE);
	struct bca_dm_device d = { .name = name, .target = "", .dmt = dmt };
	struct dm_info info;
	uint64_t start, length;
	char *type = NULL, *params;
	void *next = NULL;
	int rc = -EIO;

	if (!dmt)
		return -ENOMEM;
	if (!dm_task_set_major(dmt, (int)major(dev)) || !dm_task_set_minor(dmt, (int)minor(dev)) ||
	    !dm_task_secure_data(dmt))
		goto out;
	if (!dm_task_run(dmt)) {
		rc = dm_task_get_errno(dmt) == ENXIO ? -ENOENT : -EIO;
		goto out;
	}
	if (!dm_task_get_info(dmt, &info))
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
	/* a table may hold a key in hex: the task's buffers are wiped (secure data) */
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
		rc = describe_and_call(names->name, (dev_t)names->dev, fn, data);
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

/*
 * Whether crypt or inlinecrypt params ("cipher key ...") load the logon key
 * DESC (or, with PREFIX, one whose description starts with DESC): the key
 * field is ":<size>:logon:<desc>" for a keyring key.
 */
static bool params_use_logon(const char *params, const char *desc, bool prefix)
{
	const char *key = strchr(params, ' '), *type, *d;
	size_t len;

	if (!key || *++key != ':')
		return false;
	type = strchr(key + 1, ':');
	if (!type || strncmp(type, ":logon:", 7))
		return false;
	d = type + 7;
	len = strcspn(d, " ");
	if (prefix)
		return len >= strlen(desc) && !strncmp(d, desc, strlen(desc));
	return len == strlen(desc) && !strncmp(d, desc, len);
}

/* bca_dm_list() callback state of bca_dm_logon_key_in_use(). */
struct key_scan {
	const char *desc;
	int used;
};

/*
 * Every target of the device's table, not only the first: any may load the
 * key.  The table is the one bca_dm_list() loaded (secure data: wiped).
 */
static int scan_device_keys(const struct bca_dm_device *dev, void *data)
{
	struct key_scan *ks = data;
	uint64_t start, length;
	char *type = NULL, *params = NULL;
	void *next = NULL;

	do {
		next = dm_get_next_target(dev->dmt, next, &start, &length, &type, &params);
		if (!ks->used && type && params &&
		    (!strcmp(type, "crypt") || !strcmp(type, "inlinecrypt")) &&
		    params_use_logon(params, ks->desc, false))
			ks->used = 1;
	} while (type && next);
	return 0;
}

BCA_EXPORT int bca_dm_logon_key_in_use(struct bca_ctx *ctx, const char *desc)
{
	struct key_scan ks = { .desc = desc };
	int rc;

	if (!desc)
		return -EINVAL;
	rc = bca_dm_list(ctx, scan_device_keys, &ks);
	return rc < 0 ? rc : ks.used;
}

BCA_EXPORT bool bca_dm_device_loads_logon_prefix(const struct bca_dm_device *d,
						 const char *prefix)
{
	uint64_t start, length;
	char *type = NULL, *params = NULL;

	dm_get_next_target(d->dmt, NULL, &start, &length, &type, &params);
	return type && params && (!strcmp(type, "crypt") || !strcmp(type, "inlinecrypt")) &&
	       params_use_logon(params, prefix, true);
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

/* "start length type params": the offset of params, or -EINVAL. */
static int split_line(const char *table, unsigned long long *start, unsigned long long *len,
		      char type[32])
{
	int n = 0;

	if (sscanf(table, "%llu %llu %31s %n", start, len, type, &n) != 3 || !n)
		return -EINVAL;
	return n;
}

/*
 * Loads the one-target line TABLE into NAME's inactive slot (secure data:
 * the line may reference or hold a key).  0, -EINVAL for a line that is
 * not "start length type params", or the load's error (reported).
 */
static int load_table(struct bca_ctx *ctx, const char *name, const char *table, bool readonly)
{
	unsigned long long start, len;
	char type[32];
	struct dm_task *dmt;
	int n = split_line(table, &start, &len, type);

	if (n < 0)
		return n;
	dmt = named_task(DM_DEVICE_RELOAD, name);
	if (!dmt || !dm_task_secure_data(dmt) || (readonly && !dm_task_set_ro(dmt)) ||
	    !dm_task_add_target(dmt, start, len, type, table + n)) {
		if (dmt)
			dm_task_destroy(dmt);
		return -ENOMEM;
	}
	/* a failure says "reload ioctl on NAME failed: Invalid argument": see dmesg */
	return run_reported(ctx, dmt, "dm-load");
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
	struct dm_task *dmt = NULL;
	int rc = dm_check_available(ctx);

	if (rc < 0)
		return rc;
	/* a malformed line creates nothing */
	if (split_line(table, &start, &len, type) < 0)
		return -EINVAL;
	dm_enter(ctx);

	dmt = named_task(DM_DEVICE_CREATE, name);
	rc = -ENOMEM;
	if (!dmt || (uuid && !dm_task_set_uuid(dmt, uuid)))
		goto out;
	rc = run_reported(ctx, dmt, "dm-create");
	dmt = NULL;
	if (rc < 0)
		goto out;

	rc = load_table(ctx, name, table, readonly);
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
		rc = bca_fault("dm-created");
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

/*
 * Loads a one-target table into NAME's inactive slot with the live
 * table's read-only mode, then resumes: the kernel suspends the device,
 * swaps the tables and resumes it, as "cryptsetup refresh" does.  A load
 * the kernel refuses leaves the live table untouched.
 */
BCA_EXPORT int bca_dm_reload(struct bca_ctx *ctx, const char *name, const char *table)
{
	struct dm_task *dmt;
	struct dm_info info;
	int rc = dm_check_available(ctx);

	if (rc < 0)
		return rc;
	dm_enter(ctx);
	dmt = named_task(DM_DEVICE_INFO, name);
	rc = -ENOMEM;
	if (!dmt)
		goto out;
	rc = -EIO;
	if (!dm_task_run(dmt) || !dm_task_get_info(dmt, &info))
		goto out;
	rc = -ENOENT;
	if (!info.exists)
		goto out;
	dm_task_destroy(dmt);
	dmt = NULL;
	rc = load_table(ctx, name, table, info.read_only);
	if (rc < 0)
		goto out;
	dmt = named_task(DM_DEVICE_RESUME, name);
	rc = -ENOMEM;
	if (!dmt)
		goto out;
	rc = run_with_cookie(dmt);
	if (rc < 0 && dm_task_get_errno(dmt))
		rc = -dm_task_get_errno(dmt);
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
	rc = bca_fault("dm-remove");
	if (rc < 0)
		return rc;
	dm_enter(ctx);
	rc = dm_remove_locked(name);
	dm_leave();
	return rc;
}

/* Appends "start length type params" to the table text in *line, one target a line. */
static int append_target(struct bca_secret **line, size_t *len, uint64_t start, uint64_t length,
			 const char *type, const char *params)
{
	struct bca_secret *grown;
	int n = snprintf(NULL, 0, "%s%llu %llu %s %s", *len ? "\n" : "",
			 (unsigned long long)start, (unsigned long long)length, type, params);
	size_t size = *len + (size_t)n + 1;
	int rc = bca_secret_new(size, &grown);

	if (rc < 0)
		return rc;
	if (*line)
		memcpy(bca_secret_get_data(grown), bca_secret_get_data(*line), *len);
	snprintf((char *)bca_secret_get_data(grown) + *len, (size_t)n + 1, "%s%llu %llu %s %s",
		 *len ? "\n" : "", (unsigned long long)start, (unsigned long long)length, type,
		 params);
	bca_secret_free(*line);
	*line = grown;
	*len = size - 1;
	return 0;
}

/*
 * The live table of NAME, every target a line as "dmsetup table" prints
 * it, built in locked memory (a bca_secret): it holds the keys until
 * masked, and key bytes never pass through ordinary heap.  libdevmapper's
 * own buffer is wiped (dm_task_secure_data()).
 */
static int get_table_secret(struct bca_ctx *ctx, const char *name, struct bca_secret **out,
			    dev_t *devno)
{
	struct dm_task *dmt;
	struct dm_info info;
	uint64_t start, length;
	char *type = NULL, *params = NULL;
	struct bca_secret *line = NULL;
	void *next = NULL;
	size_t len = 0;
	int rc = dm_check_available(ctx);

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
	rc = 0;
	do {
		next = dm_get_next_target(dmt, next, &start, &length, &type, &params);
		if (!type)
			break;
		rc = append_target(&line, &len, start, length, type, params ? params : "");
		if (params)
			explicit_bzero(params, strlen(params));
	} while (rc == 0 && next);
	if (rc == 0 && !line)
		rc = -ENODATA;
	if (rc == 0) {
		*out = line;
		line = NULL;
	}
out:
	bca_secret_free(line);
	if (dmt)
		dm_task_destroy(dmt);
	dm_leave();
	return rc;
}

/*
 * Masks the hex key of every crypt or inlinecrypt line of a table text.
 * The key is the 5th field, well before the line's end: masking moves the
 * rest of the text, later lines included, up.
 */
static void mask_keys(char *text)
{
	for (char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		char type[16];

		if (sscanf(l, "%*s %*s %15s", type) == 1 &&
		    (!strcmp(type, "crypt") || !strcmp(type, "inlinecrypt")))
			bca_table_mask_key(l);
	}
}

BCA_EXPORT int bca_dm_get_table(struct bca_ctx *ctx, const char *name, char **out, dev_t *devno)
{
	struct bca_secret *line;
	char *copy;
	int rc = get_table_secret(ctx, name, &line, devno);

	if (rc < 0)
		return rc;
	mask_keys(bca_secret_get_data(line));
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
	/* one crypt target is what the model describes; more would be half an answer */
	rc = strchr(line, '\n') ? -E2BIG : bca_crypt_table_parse(line, out);
	free(line);
	return rc;
}

BCA_EXPORT int bca_dm_get_table_keys(struct bca_ctx *ctx, const char *name,
				     struct bca_secret **out)
{
	if (!out)
		return -EINVAL;
	return get_table_secret(ctx, name, out, NULL);
}
