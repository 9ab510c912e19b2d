// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What create and open share once their table is known: the target's
 * version check, the device-mapper UUID, and the key-then-device sequence
 * that undoes itself on any failure (no device, no key left behind).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"

/*
 * cryptsetup's forms, so that lsblk (TYPE is the UUID's first word),
 * udev, systemd and cryptsetup itself take a dm-crypt device of ours for
 * theirs: CRYPT-PLAIN-NAME, CRYPT-LUKS2-<uuid without dashes>-NAME.
 * dm-inlinecrypt devices add INLINECRYPT- after CRYPT-: lsblk still says
 * crypt, while cryptsetup and udisks, which cannot handle the target, do
 * not take them for LUKS or plain dm-crypt devices of theirs.
 */
int crypt_uuid(char *buf, size_t size, enum bca_crypt_target target, const char *luks_type,
	       const char *luks_uuid, const char *name)
{
	char hex[40];
	size_t n = 0;

	for (const char *s = luks_uuid; s && *s && n < sizeof(hex) - 1; s++)
		if (*s != '-')
			hex[n++] = *s;
	hex[n] = '\0';
	return snprintf(buf, size, "CRYPT-%s%s-%s%s%s", target == BCA_TARGET_INLINECRYPT ?
			"INLINECRYPT-" : "", luks_type ? luks_type : "PLAIN", hex, n ? "-" : "", name);
}

int probe_block_device(struct bca_ctx *ctx, const char *path, dev_t *devno,
		       struct bca_devid **id)
{
	struct stat st;
	int rc;

	if (stat(path, &st) < 0) {
		cli_path_error(path, -errno);
		return -1;
	}
	if (!S_ISBLK(st.st_mode)) {
		cli_warnx("%s: not a block device", path);
		return -1;
	}
	rc = bca_devid_probe(ctx, path, id);
	if (rc < 0) {
		cli_path_error(path, rc);
		return -1;
	}
	*devno = st.st_rdev;
	return 0;
}

int check_target(struct bca_ctx *ctx, const struct bca_crypt_params *p)
{
	const char *target = bca_crypt_target_name(p->target);
	unsigned int have[3], need[3];
	const char *why;
	int rc = bca_dm_target_version(ctx, target, have);

	if (rc == -ENODEV) {
		dm_name_error(NULL, rc);
		return -1;
	}
	if (rc == -ENOENT) {
		cli_warnx("the running kernel has no dm-%s target", target);
		return -1;
	}
	if (rc < 0) {
		cli_warnx("probing the dm-%s target: %s", target, bca_strerror(rc));
		return -1;
	}
	bca_crypt_required_version(p, need, &why);
	if (have[0] < need[0] || (have[0] == need[0] && have[1] < need[1])) {
		cli_warnx("%s needs dm-%s %u.%u.0, the running kernel has %u.%u.%u", why, target,
			  need[0], need[1], have[0], have[1], have[2]);
		return -1;
	}
	return 0;
}

int check_name_free(struct bca_ctx *ctx, const char *name)
{
	char *existing = NULL;
	int rc = bca_dm_get_table(ctx, name, &existing, NULL);

	free(existing);
	if (rc == 0 || rc == -ENODATA) {
		cli_warnx("%s: a device-mapper device of that name exists", name);
		return -1;
	}
	return 0;
}

/*
 * A key dmcrypt-inline:NAME with no device NAME is what a create or remove
 * killed half-way leaves: reclaimed when no live table loads it (a device
 * made with --key-desc may share it: then it stays and create stops).
 */
static int reclaim_leftover_key(struct bca_ctx *ctx, const char *desc)
{
	int rc = bca_keyring_reclaim_logon(ctx, desc);

	if (rc == -EBUSY || rc == -EEXIST)
		cli_warnx("%s: a logon key of that description exists already%s", desc,
			  rc == -EBUSY ? ", and a device loads it" : "");
	else if (rc < 0)
		cli_warnx("%s: looking up the key: %s", desc, bca_strerror(rc));
	return rc < 0 ? -1 : 0;
}

int activate_with_key(struct bca_ctx *ctx, const char *name, const char *uuid,
		      const struct bca_crypt_params *p, const char *table,
		      struct bca_secret *key, bool readonly)
{
	bool key_added = false;
	int rc;

	if (key) {
		if (reclaim_leftover_key(ctx, p->key_desc) < 0)
			return -1;
		rc = bca_keyring_add_logon(ctx, p->key_desc, bca_secret_get_data(key),
					   bca_secret_get_size(key), NULL);
		if (rc < 0) {
			cli_warnx("adding the key to the kernel keyring: %s", bca_strerror(rc));
			return -1;
		}
		key_added = true;
	}
	rc = bca_dm_activate(ctx, name, uuid, table, readonly);
	if (rc == -ENOENT)
		/* crypt_alloc_tfms(): the crypto API has no such algorithm */
		cli_warnx("%s: creating the device: the kernel has no cipher %s (see /proc/crypto)",
			  name, p->cipher);
	else if (rc < 0)
		cli_warnx("%s: creating the device: %s%s", name, bca_strerror(rc),
			  rc == -EINVAL ? " (the kernel refused the table: unknown cipher or option? see dmesg)" : "");
	if (rc < 0 && key_added && bca_keyring_remove_logon(ctx, p->key_desc) < 0)
		cli_warnx("%s: could not remove the key from the keyring", p->key_desc);
	return rc < 0 ? -1 : 0;
}
