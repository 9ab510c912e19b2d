// SPDX-License-Identifier: LGPL-2.1-or-later
/* Error codes to sentences. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "internal.h"

static const char *const bca_errors[] = {
	[BCA_ERR_PARSE - BCA_ERR_BASE] = "unexpected format in a kernel interface file",
	[BCA_ERR_KERNEL_TOO_OLD - BCA_ERR_BASE] = "the running kernel lacks a needed interface",
	[BCA_ERR_KEY_UNREACHABLE - BCA_ERR_BASE] =
		"the key is only in the user keyring, which the session keyring does not link "
		"(the kernel looks keys up from the session keyring: keyctl link @u @s)",
	[BCA_ERR_NOT_LUKS - BCA_ERR_BASE] = "not a LUKS device (no header libcryptsetup can read)",
	[BCA_ERR_NOT_REGULAR - BCA_ERR_BASE] = "not a regular file where a kernel interface file was expected",
	[BCA_ERR_MOUNT_UNSEEN - BCA_ERR_BASE] =
		"the mount holding it is not in this process's mount table "
		"(a path outside the process's root, as a chroot's own root)",
};

BCA_EXPORT const char *bca_strerror(int err)
{
	if (err == INT_MIN)
		return "unknown error";	/* -INT_MIN overflows */
	if (err < 0)
		err = -err;
	if (err > BCA_ERR_BASE && err < BCA_ERR_LAST)
		return bca_errors[err - BCA_ERR_BASE];
	if (err == 0)
		return "success";
	/* glibc's strerror() is thread-safe for known values and never NULL */
	return strerror(err);
}
