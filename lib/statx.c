// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * statx(2) through the raw system call: glibc 2.36's struct statx stops
 * before the direct I/O read alignment and atomic write fields, and we want
 * whatever the running kernel knows.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

int bca_statx(int dirfd, const char *path, int at_flags, unsigned int mask,
	      struct bca_statx *stx)
{
	memset(stx, 0, sizeof(*stx));
	if (syscall(SYS_statx, dirfd, path, at_flags, mask, stx) < 0)
		return -errno;
	return 0;
}
