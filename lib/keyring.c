// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Kernel keyring (libkeyutils): logon keys that dm-crypt and dm-inlinecrypt
 * tables reference as ":<size>:logon:<desc>", so that key bytes never
 * appear in a table, argv or the environment.  A logon key cannot be read
 * back from user space, only used by the kernel.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <keyutils.h>

#include "internal.h"
#include "dlib.h"

/* The logon key desc in keyring ring, libkeyutils loaded first: its serial, or -errno. */
static key_serial_t search(struct bca_ctx *ctx, key_serial_t ring, const char *desc)
{
	int rc = bca_keyutils_lib_load(ctx);
	long id;

	if (rc < 0)
		return rc;
	id = keyctl_search(ring, "logon", desc, 0);
	return id < 0 ? -errno : (key_serial_t)id;
}

/*
 * dm-crypt looks the key up with request_key() in the loading process's
 * keyrings; the user keyring outlives this process (the device needs the
 * key again on a table reload), and is reached from the session keyring.
 * Where the session keyring does not link it, we link it.
 */
BCA_EXPORT int bca_keyring_add_logon(struct bca_ctx *ctx, const char *desc,
				     const void *key, size_t size, int32_t *serial)
{
	key_serial_t id;
	int rc;

	if (!desc || !key || !size)
		return -EINVAL;
	rc = bca_fault("key-add");
	if (rc < 0)
		return rc;
	rc = bca_keyutils_lib_load(ctx);
	if (rc < 0)
		return rc;
	id = add_key("logon", desc, key, size, KEY_SPEC_USER_KEYRING);
	if (id < 0)
		return -errno;
	if (search(ctx, KEY_SPEC_SESSION_KEYRING, desc) < 0) {
		bca_dbg(ctx, "linking the user keyring into the session keyring");
		if (keyctl_link(KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING) < 0) {
			int err = -errno;

			keyctl_invalidate(id);
			return err;
		}
	}
	if (serial)
		*serial = id;
	return 0;
}

/*
 * Invalidates (removes from every keyring) the logon key DESC a table load
 * would find, the session keyring's view first, as bca_keyring_find_logon().
 * -ENOKEY if none.
 */
BCA_EXPORT int bca_keyring_remove_logon(struct bca_ctx *ctx, const char *desc)
{
	key_serial_t id;
	int rc = bca_fault("key-remove");

	if (rc < 0)
		return rc;
	id = search(ctx, KEY_SPEC_SESSION_KEYRING, desc);
	if (id == -ENOKEY)
		id = search(ctx, KEY_SPEC_USER_KEYRING, desc);
	if (id < 0)
		return id;
	if (keyctl_invalidate(id) < 0)
		return -errno;
	bca_dbg(ctx, "removed logon key %s", desc);
	return 0;
}

/*
 * Searches as a table load will: dm-crypt's request_key() looks in the
 * loading process's thread, process and session keyrings (the user
 * keyring only through a link), so a key found in the user keyring alone
 * would pass our check and then fail the load "Required key not available".
 * We say so instead of linking: a lookup must not change the keyrings.
 */
BCA_EXPORT int bca_keyring_find_logon(struct bca_ctx *ctx, const char *desc)
{
	key_serial_t id;

	if (!desc)
		return -EINVAL;
	id = search(ctx, KEY_SPEC_SESSION_KEYRING, desc);
	if (id == -ENOKEY && search(ctx, KEY_SPEC_USER_KEYRING, desc) >= 0)
		return -BCA_ERR_KEY_UNREACHABLE;
	return id < 0 ? id : 0;
}

/*
 * What an interrupted create or remove leaves is a key without its table:
 * it may go when no target of a live table loads it (dm-crypt looks the
 * key up again on every table reload).  Removed while reachable, checked
 * after: another key of the description, in another keyring, would be the
 * one the next table loads.
 */
BCA_EXPORT int bca_keyring_reclaim_logon(struct bca_ctx *ctx, const char *desc)
{
	int rc = bca_keyring_find_logon(ctx, desc);

	/*
	 * Revoked or expired (one we invalidated a moment ago, before the GC
	 * ran): no table load can use it, and a new key added beside it is
	 * the one a search finds.
	 */
	if (rc == -ENOKEY || rc == -EKEYREVOKED || rc == -EKEYEXPIRED)
		return 0;
	if (rc < 0 && rc != -BCA_ERR_KEY_UNREACHABLE)
		return rc;
	rc = bca_dm_logon_key_in_use(ctx, desc);
	if (rc != 0)
		return rc > 0 ? -EBUSY : rc;
	rc = bca_keyring_remove_logon(ctx, desc);
	if (rc < 0)
		return rc;
	/*
	 * The invalidated key stays in its keyrings until the key garbage
	 * collector runs, and a search meanwhile says EKEYREVOKED, not ENOKEY.
	 */
	rc = bca_keyring_find_logon(ctx, desc);
	if (rc == 0 || rc == -BCA_ERR_KEY_UNREACHABLE)
		return -EEXIST;
	return rc == -ENOKEY || rc == -EKEYREVOKED ? 1 : rc;
}
