/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests' access to the recorded trees of tests/fixtures/mksysroot. */
#ifndef BCA_TEST_SYSROOT_H
#define BCA_TEST_SYSROOT_H

#include <stdio.h>
#include <stdlib.h>

/* Writes tree NAME into a new temporary directory, returned in buf. */
static inline int make_sysroot(const char *name, char *buf, size_t size)
{
	const char *srcdir = getenv("BCA_SRCDIR");
	char cmd[8192];

	snprintf(buf, size, "/tmp/bca-sysroot.XXXXXX");
	if (!mkdtemp(buf))
		return -1;
	snprintf(cmd, sizeof(cmd), "'%s/tests/fixtures/mksysroot' '%s' '%s'",
		 srcdir ? srcdir : ".", name, buf);
	return system(cmd) == 0 ? 0 : -1;
}

static inline void remove_sysroot(const char *dir)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", dir);
}

#endif /* BCA_TEST_SYSROOT_H */
