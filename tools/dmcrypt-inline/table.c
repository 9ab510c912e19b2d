// SPDX-License-Identifier: GPL-2.0-or-later
/* What dmcrypt-inline reads off a parsed table (the library's model), and dm names. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"

/* The description of a logon key reference, or NULL (a key in the table, another type). */
const char *crypt_table_logon_desc(const struct bca_crypt_table *t)
{
	return t->key_type && !strcmp(t->key_type, "logon") ? t->params.key_desc : NULL;
}

/* Whether the table references a key this tool added (create without --key-desc). */
bool crypt_table_managed(const struct bca_crypt_table *t)
{
	const char *d = crypt_table_logon_desc(t);

	return d && !strncmp(d, MANAGED_KEY_PREFIX, strlen(MANAGED_KEY_PREFIX));
}

/*
 * A name we create: udev's safe set, the characters libdevmapper never
 * mangles (so the name we give is the name every tool shows), which also
 * keeps dmcrypt-inline:NAME one word of a table line (bca_table_word_ok).
 */
bool dm_name_valid(const char *name)
{
	size_t len = strlen(name);

	return len > 0 && len < 128 && strcmp(name, ".") && strcmp(name, "..") &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789#+-.:=@_") == len;
}

void dm_name_check(const char *cmd, const char *name)
{
	if (!dm_name_valid(name))
		cli_usage_error("%s: invalid device name: use 1 to 127 letters, digits "
				"and #+-.:=@_ (udev's safe characters)", cmd);
}

void dm_name_error(const char *name, int rc)
{
	if (rc == -ENODEV)
		cli_warnx("device-mapper is not available in this kernel");
	else if (rc == -ENOENT)
		cli_warnx("%s: no such device", name);
	else if (rc == -EMEDIUMTYPE)
		cli_warnx("%s: not a crypt or inlinecrypt device", name);
	else if (rc == -E2BIG)
		cli_warnx("%s: a table of several targets: status describes a device of one crypt "
			  "or inlinecrypt target ('%s table %s' shows them all)", name, cli_prog, name);
	else if (rc == -ENODATA)
		cli_warnx("%s: no table loaded", name);
	else
		cli_path_error(name, rc);
}
