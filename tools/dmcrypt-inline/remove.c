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

/* The names of the other dm devices, collected by list_others(). */
struct others {
	const char *self;
	char **names;
	size_t n;
};

static int add_other(const struct bca_dm_device *dev, void *data)
{
	struct others *o = data;
	const char *name = bca_dm_device_get_name(dev);
	char **names;

	if (!strcmp(name, o->self))
		return 0;
	names = realloc(o->names, (o->n + 1) * sizeof(*names));
	if (!names)
		return -ENOMEM;
	o->names = names;
	o->names[o->n] = strdup(name);
	return o->names[o->n++] ? 0 : -ENOMEM;
}

/*
 * Whether a device other than self has a table referencing logon key desc:
 * 1 yes, 0 no, negative when that cannot be known (then the key stays).
 */
static int key_in_use(struct bca_ctx *ctx, const char *self, const char *desc)
{
	struct others o = { .self = self };
	int rc = bca_dm_list(ctx, add_other, &o), used = 0;

	for (size_t i = 0; i < o.n; i++) {
		struct bca_crypt_table *t = NULL;
		const char *d;

		if (rc == 0 && !used && bca_dm_get_params(ctx, o.names[i], &t, NULL) == 0 &&
		    (d = crypt_table_logon_desc(t)) && !strcmp(d, desc))
			used = 1;
		bca_crypt_table_free(t);
		free(o.names[i]);
	}
	free(o.names);
	return rc < 0 ? rc : used;
}

int cmd_remove(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bca_crypt_table *t = NULL;
	struct bca_ctx *ctx = NULL;
	char desc[512] = "", own[512];
	const char *name, *d;
	int c, rc, status = EXIT_FAIL;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			printf("Usage:\n %s remove NAME\n\nRemove device NAME and, when this tool "
			       "added its key for NAME and no other device uses it, the key.\n",
			       cli_prog);
			return EXIT_OK;
		}
		cli_usage_error("remove: bad usage");
	}
	if (argc - optind != 1)
		cli_usage_error("remove: NAME expected");
	name = argv[optind];
	if (cli_ctx_new(&ctx) < 0)
		return EXIT_FAIL;
	rc = bca_dm_get_params(ctx, name, &t, NULL);
	if (rc == -ENODEV || rc == -ENOENT) {
		dm_name_error(name, rc);
		goto out;
	}
	if (rc == 0) {
		/* only the key create added for this very device is ours to unlink */
		d = crypt_table_logon_desc(t);
		snprintf(own, sizeof(own), MANAGED_KEY_PREFIX "%s", name);
		if (d && !strcmp(d, own))
			snprintf(desc, sizeof(desc), "%s", d);
	}
	rc = bca_dm_remove(ctx, name);
	if (rc < 0) {
		cli_warnx("%s: removing the device: %s", name, bca_strerror(rc));
		goto out;
	}
	if (*desc && (rc = key_in_use(ctx, name, desc)) != 0) {
		/* another device loads it (create --key-desc): it must stay */
		if (rc < 0)
			cli_warnx("%s: key kept: cannot tell whether another device uses it: %s",
				  desc, bca_strerror(rc));
		*desc = '\0';
	}
	if (*desc && (rc = bca_keyring_remove_logon(ctx, desc)) < 0 && rc != -ENOKEY) {
		cli_warnx("%s: removing the key: %s", desc, bca_strerror(rc));
		goto out;
	}
	status = EXIT_OK;
out:
	bca_crypt_table_free(t);
	bca_unref(ctx);
	return status;
}
