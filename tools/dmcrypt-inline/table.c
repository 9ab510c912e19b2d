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

bool dm_name_valid(const char *name)
{
	size_t len = strlen(name);

	return len > 0 && len < 128 && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..") && !strpbrk(name, " \t\n");
}

void dm_name_error(const char *name, int rc)
{
	if (rc == -ENODEV)
		cli_warnx("device-mapper is not available in this kernel (no /dev/mapper/control)");
	else if (rc == -ENOENT)
		cli_warnx("%s: no such device", name);
	else if (rc == -EMEDIUMTYPE)
		cli_warnx("%s: not a crypt or inlinecrypt device", name);
	else
		cli_path_error(name, rc);
}
