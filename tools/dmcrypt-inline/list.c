// SPDX-License-Identifier: GPL-2.0-or-later
/* dmcrypt-inline list: crypt and inlinecrypt devices, lsblk-style. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "output.h"
#include "dmcrypt.h"

enum { COL_NAME, COL_TARGET, COL_TARGETS, COL_SECTORS, COL_MAJMIN, COL_UUID, COL_TYPE, COL_MANAGED };

static const struct col_info infos[] = {
	[COL_NAME] = { "NAME", 0.2, 0, COL_STR, "device-mapper name" },
	[COL_TARGET] = { "TARGET", 8, 0, COL_STR, "type of the first target" },
	[COL_TARGETS] = { "TARGETS", 3, SCOLS_FL_RIGHT, COL_NUM, "number of targets in the table" },
	[COL_SECTORS] = { "SECTORS", 8, SCOLS_FL_RIGHT, COL_NUM, "size in 512-byte sectors" },
	[COL_MAJMIN] = { "MAJ:MIN", 6, 0, COL_STR, "device number" },
	[COL_UUID] = { "UUID", 0.2, 0, COL_STR, "device-mapper UUID" },
	[COL_TYPE] = { "TYPE", 5, 0, COL_STR, "LUKS2, LUKS1 or PLAIN, from cryptsetup's UUID form (CRYPT-TYPE-...)" },
	[COL_MANAGED] = { "MANAGED", 3, 0, COL_BOOL, "created by dmcrypt-inline (its key is a " MANAGED_KEY_PREFIX " one, or its UUID CRYPT-INLINECRYPT-...)" },
};

static const int default_cols[] = { COL_NAME, COL_TARGET, COL_TYPE, COL_SECTORS, COL_MAJMIN, COL_MANAGED };

struct list_state {
	struct out *o;
	bool all;
	bool managed_only;
};

/* The TYPE word of CRYPT-[INLINECRYPT-]TYPE-..., cryptsetup's UUID form. */
static bool uuid_type(const char *uuid, char *buf, size_t size)
{
	size_t n;

	if (strncmp(uuid, "CRYPT-", 6))
		return false;
	uuid += 6;
	if (!strncmp(uuid, "INLINECRYPT-", 12))
		uuid += 12;
	n = strcspn(uuid, "-");
	if (!n || !uuid[n] || n >= size)
		return false;
	memcpy(buf, uuid, n);
	buf[n] = '\0';
	return true;
}

static int add_device(const struct bca_dm_device *d, void *data)
{
	struct list_state *st = data;
	const char *target = bca_dm_device_get_target(d);
	struct libscols_line *ln;
	char majmin[32];
	dev_t dev = bca_dm_device_get_devno(d);

	const char *uuid = bca_dm_device_get_uuid(d);
	/*
	 * Only this tool makes CRYPT-INLINECRYPT- UUIDs; upstream
	 * dm-inlinecrypt 1.0.0 reports the key in hex, whatever it loaded.
	 */
	bool managed = !strncmp(uuid, OLD_MANAGED_UUID_PREFIX, strlen(OLD_MANAGED_UUID_PREFIX)) ||
		       !strncmp(uuid, "CRYPT-INLINECRYPT-", 18) ||
		       bca_dm_device_loads_logon_prefix(d, MANAGED_KEY_PREFIX);
	char type[16];

	if (!st->all && strcmp(target, "crypt") && strcmp(target, "inlinecrypt"))
		return 0;
	if (st->managed_only && !managed)
		return 0;
	ln = out_new_line(st->o);
	if (!ln)
		return -ENOMEM;
	snprintf(majmin, sizeof(majmin), "%u:%u", major(dev), minor(dev));
	out_set_str(st->o, ln, COL_NAME, bca_dm_device_get_name(d));
	out_set_str(st->o, ln, COL_TARGET, target);
	out_set_u64(st->o, ln, COL_TARGETS, bca_dm_device_get_target_count(d));
	out_set_u64(st->o, ln, COL_SECTORS, bca_dm_device_get_sectors(d));
	out_set_str(st->o, ln, COL_MAJMIN, majmin);
	out_set_str(st->o, ln, COL_UUID, uuid);
	if (uuid_type(uuid, type, sizeof(type)))
		out_set_str(st->o, ln, COL_TYPE, type);
	out_set_bool(st->o, ln, COL_MANAGED, managed);
	return 0;
}

static void list_help(void)
{
	printf("Usage:\n %s list [options]\n\n", cli_prog);
	fputs("List the device-mapper devices whose table is crypt or inlinecrypt, whoever\n"
	      "made them; MANAGED says which ones dmcrypt-inline created.\n\n"
	      "Options:\n"
	      " -a, --all              list every device-mapper device\n"
	      " -m, --managed          only the devices dmcrypt-inline created\n", stdout);
	out_help_options(stdout);
	fputs(" -h, --help             display this help\n", stdout);
	out_help_columns(infos, sizeof(infos) / sizeof(infos[0]), stdout);
}

int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		OUT_LONGOPTS,
		{ "all", no_argument, NULL, 'a' },
		{ "managed", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct list_state st = { 0 };
	struct bca_ctx *ctx = NULL;
	struct out o;
	int c, rc;

	out_init(&o, infos, sizeof(infos) / sizeof(infos[0]), "devices",
		 default_cols, sizeof(default_cols) / sizeof(default_cols[0]));
	while ((c = getopt_long(argc, argv, OUT_SHORTOPTS "amh", longopts, NULL)) != -1) {
		if (out_option(&o, c, optarg))
			continue;
		switch (c) {
		case 'a':
			st.all = true;
			break;
		case 'm':
			st.managed_only = true;
			break;
		case 'h':
			list_help();
			return EXIT_OK;
		default:
			cli_usage_error("list: bad usage");
		}
	}
	if (optind < argc)
		cli_usage_error("list: unexpected argument '%s'", argv[optind]);

	st.o = &o;
	rc = cli_ctx_new(&ctx);
	if (rc == 0)
		rc = out_start(&o);
	if (rc == 0)
		rc = bca_dm_list(ctx, add_device, &st);
	if (rc == 0)
		out_print(&o);
	else if (rc == -ENODEV)
		dm_name_error(NULL, rc);
	else
		cli_warnx("listing device-mapper devices: %s", bca_strerror(rc));
	out_free(&o);
	bca_unref(ctx);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
