// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmcrypt-inline refresh: new table options for a live device, as
 * "cryptsetup refresh --perf-*" gives them: the same table with other
 * workqueue, priority and discard options, loaded and swapped in while
 * the device stays open.  The key stays where the table references it.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"

enum { OPT_DRY_RUN = 256 };

static void refresh_help(void)
{
	printf("Usage:\n %s refresh NAME [options]\n\n", cli_prog);
	fputs("Reload the crypt or inlinecrypt device NAME with the options given, which\n"
	      "replace its workqueue, priority and discard options (none given: all off).\n"
	      "Cipher, key reference, sectors and IV options stay.  The key must be in the\n"
	      "keyring the table references (devices made by dmcrypt-inline keep it there).\n\n"
	      "Options:\n"
	      TABLE_OPTIONS_HELP
	      "     --dry-run              print the new table and stop\n"
	      " -h, --help                 display this help\n", stdout);
}

/* What refresh cannot reload as it was: the table's key or options we cannot say. */
static const char *not_refreshable(const struct bca_crypt_table *t)
{
	if (!t->key_type)
		return "its key is in the table, not in the keyring: use cryptsetup refresh";
	if (strcmp(t->key_type, "logon"))
		return "its key is not a logon key";
	if (t->unknown_options)
		return "its table has options dmcrypt-inline cannot reload (e.g. integrity)";
	return NULL;
}

int cmd_refresh(int argc, char **argv)
{
	static const struct option longopts[] = {
		TABLE_LONGOPTS,
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bca_ctx *ctx = NULL;
	struct bca_crypt_table *t = NULL;
	struct bca_crypt_params p;
	char table[BCA_KEY_DESC_MAX + 1024];
	const char *name, *why;
	uint32_t flags = 0;
	bool dry_run = false;
	int c, rc, status = EXIT_FAIL;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (table_option(c, &flags))
			continue;
		switch (c) {
		case OPT_DRY_RUN: dry_run = true; break;
		case 'h':
			refresh_help();
			return EXIT_OK;
		default:
			cli_usage_error("refresh: bad usage");
		}
	}
	if (argc - optind != 1)
		cli_usage_error("refresh: NAME expected");
	name = argv[optind];
	if (cli_ctx_new(&ctx) < 0)
		return EXIT_FAIL;
	rc = bca_dm_get_params(ctx, name, &t, NULL);
	if (rc < 0) {
		dm_name_error(name, rc);
		goto out;
	}
	why = not_refreshable(t);
	if (why) {
		cli_warnx("%s: cannot refresh: %s", name, why);
		goto out;
	}
	p = t->params;
	p.flags = (p.flags & BCA_CRYPT_IV_LARGE_SECTORS) | flags;
	if (bca_crypt_format_table(&p, table, sizeof(table)) < 0) {
		cli_warnx("%s: %s", name, bca_crypt_params_reason(&p));
		status = EXIT_USAGE;
		goto out;
	}
	if (dry_run) {
		printf("%s\n", table);
		status = EXIT_OK;
		goto out;
	}
	if (check_target(ctx, &p) < 0)
		goto out;
	/* dm-crypt looks the key up again when the table loads */
	rc = bca_keyring_find_logon(ctx, p.key_desc);
	if (rc == -ENOKEY) {
		cli_warnx("%s: the key %s is not in the keyring (cryptsetup drops its keys once "
			  "loaded): use cryptsetup refresh", name, p.key_desc);
		goto out;
	}
	if (rc < 0) {
		cli_warnx("%s: looking up the key: %s", p.key_desc, bca_strerror(rc));
		goto out;
	}
	rc = bca_dm_reload(ctx, name, table);
	if (rc < 0) {
		cli_warnx("%s: reloading the table: %s", name, bca_strerror(rc));
		goto out;
	}
	status = EXIT_OK;
out:
	bca_crypt_table_free(t);
	bca_unref(ctx);
	return status;
}
