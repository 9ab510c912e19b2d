// SPDX-License-Identifier: GPL-2.0-or-later
/* The table options create, open and refresh share: one spelling, one meaning. */
#include "config.h"

#include <string.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"

bool table_option(int c, uint32_t *flags)
{
	switch (c) {
	case OPT_INLINE:
		*flags |= BCA_CRYPT_NO_READ_WORKQUEUE | BCA_CRYPT_NO_WRITE_WORKQUEUE;
		return true;
	case OPT_NO_READ_WQ: *flags |= BCA_CRYPT_NO_READ_WORKQUEUE; return true;
	case OPT_NO_WRITE_WQ: *flags |= BCA_CRYPT_NO_WRITE_WORKQUEUE; return true;
	case OPT_HIGH_PRIORITY: *flags |= BCA_CRYPT_HIGH_PRIORITY; return true;
	case OPT_ALLOW_DISCARDS: *flags |= BCA_CRYPT_ALLOW_DISCARDS; return true;
	default: return false;
	}
}

enum bca_crypt_target parse_target(const char *cmd, const char *arg)
{
	if (!strcmp(arg, "crypt"))
		return BCA_TARGET_CRYPT;
	if (!strcmp(arg, "inlinecrypt"))
		return BCA_TARGET_INLINECRYPT;
	cli_usage_error("%s: --target: 'crypt' or 'inlinecrypt', not '%s'", cmd, arg);
}
