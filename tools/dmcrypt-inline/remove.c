// SPDX-License-Identifier: GPL-2.0-or-later
/* dmcrypt-inline remove: the device, then the key this tool put in the keyring. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"

/*
 * Unlinks the key create added for NAME (dmcrypt-inline:NAME) unless a
 * live table still loads it: after the device went, or when a create or
 * remove was killed half-way and left the key without its device.
 * 1 removed, 0 none or kept (in use), -1 on an error (reported).
 */
static int reclaim_own_key(struct bca_ctx *ctx, const char *name)
{
	char desc[512];
	int rc;

	snprintf(desc, sizeof(desc), MANAGED_KEY_PREFIX "%s", name);
	rc = bca_keyring_reclaim_logon(ctx, desc);
	if (rc == -EBUSY)	/* another device loads it (create --key-desc): it stays */
		return 0;
	if (rc < 0) {
		cli_warnx("%s: key kept: %s", desc, bca_strerror(rc));
		return -1;
	}
	return rc;
}

int cmd_remove(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bca_ctx *ctx = NULL;
	char *table = NULL;
	const char *name;
	int c, rc, status = EXIT_FAIL;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			printf("Usage:\n %s remove NAME\n\nRemove device NAME and the key this tool "
			       "added for it (%sNAME) unless another device loads that key.\n"
			       "A key left without its device by an interrupted create or remove "
			       "is removed too.\n", cli_prog, MANAGED_KEY_PREFIX);
			return EXIT_OK;
		}
		cli_usage_error("remove: bad usage");
	}
	if (argc - optind != 1)
		cli_usage_error("remove: NAME expected");
	name = argv[optind];
	if (cli_ctx_new(&ctx) < 0)
		return EXIT_FAIL;
	rc = bca_dm_get_table(ctx, name, &table, NULL);
	if (rc == -ENOENT) {
		/* no device: what an interrupted create or remove left is still ours */
		rc = reclaim_own_key(ctx, name);
		if (rc == 0)
			dm_name_error(name, -ENOENT);
		status = rc > 0 ? EXIT_OK : EXIT_FAIL;
		goto out;
	}
	if (rc < 0 && rc != -ENODATA) {
		dm_name_error(name, rc);
		goto out;
	}
	rc = bca_dm_remove(ctx, name);
	if (rc < 0) {
		cli_warnx("%s: removing the device: %s", name, bca_strerror(rc));
		goto out;
	}
	if (reclaim_own_key(ctx, name) >= 0)
		status = EXIT_OK;
out:
	free(table);
	bca_unref(ctx);
	return status;
}
