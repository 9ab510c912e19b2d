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

int cmd_remove(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct crypt_table t;
	struct bca_ctx *ctx = NULL;
	char *line = NULL, desc[512] = "";
	const char *name, *d;
	int c, rc, status = EXIT_FAIL;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			printf("Usage:\n %s remove NAME\n\nRemove device NAME and, when this tool "
			       "added its key, the key.\n", cli_prog);
			return EXIT_OK;
		}
		cli_usage_error("remove: bad usage");
	}
	if (argc - optind != 1)
		cli_usage_error("remove: NAME expected");
	name = argv[optind];
	if (bca_new(&ctx) < 0)
		return EXIT_FAIL;
	rc = bca_dm_get_table(ctx, name, false, &line, NULL);
	if (rc == -ENODEV || rc == -ENOENT) {
		dm_name_error(name, rc);
		goto out;
	}
	if (rc == 0 && crypt_table_parse(line, &t) == 0 &&
	    (!strcmp(t.target, "crypt") || !strcmp(t.target, "inlinecrypt"))) {
		d = crypt_table_key_desc(&t);
		if (d && !strncmp(d, MANAGED_KEY_PREFIX, strlen(MANAGED_KEY_PREFIX)))
			snprintf(desc, sizeof(desc), "%s", d);
	}
	rc = bca_dm_remove(ctx, name);
	if (rc < 0) {
		cli_warnx("%s: removing the device: %s", name, bca_strerror(rc));
		goto out;
	}
	if (*desc && (rc = bca_keyring_remove_logon(ctx, desc)) < 0 && rc != -ENOKEY) {
		cli_warnx("%s: removing the key: %s", desc, bca_strerror(rc));
		goto out;
	}
	status = EXIT_OK;
out:
	free(line);
	bca_unref(ctx);
	return status;
}
