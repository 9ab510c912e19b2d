// SPDX-License-Identifier: GPL-2.0-or-later
/* Taking crypt and inlinecrypt table lines apart, for status, table and remove. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"

int crypt_table_parse(const char *line, struct crypt_table *t)
{
	unsigned long long start, length, iv, off;
	int n = 0;

	memset(t, 0, sizeof(*t));
	if (sscanf(line, "%llu %llu %31s %127s %511s %llu %63s %llu%n", &start, &length,
		   t->target, t->cipher, t->key, &iv, t->device, &off, &n) != 8)
		return -EINVAL;
	/*
	 * Upstream's dm-inlinecrypt 1.0.0 (7.2) reports a key type number
	 * after the key, a field its constructor does not take: the device
	 * is then the 8th field.  Devices are always "MAJ:MIN" in a status.
	 */
	if (!strcmp(t->target, "inlinecrypt") && !strchr(t->device, ':') &&
	    sscanf(line, "%*u %*u %*s %*s %*s %*u %llu %63s %llu%n", &iv, t->device, &off, &n) != 3)
		return -EINVAL;
	t->start = start;
	t->length = length;
	t->iv_offset = iv;
	t->offset = off;
	/* "<#opts> opt..." or nothing */
	while (line[n] == ' ')
		n++;
	snprintf(t->options, sizeof(t->options), "%s", line + n);
	return 0;
}

const char *crypt_table_key_desc(const struct crypt_table *t)
{
	const char *p = t->key;

	/* ":<size>:<type>:<desc>" */
	if (*p != ':')
		return NULL;
	p = strchr(p + 1, ':');
	if (!p || strncmp(p, ":logon:", 7))
		return NULL;
	return p + 7;
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
