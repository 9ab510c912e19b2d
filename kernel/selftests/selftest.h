/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the ioctl selftests share (enc_impl, built 64-bit and 32-bit, and
 * any later one): opening, byte checks of an extensible structure, EFAULT
 * checks and the `PROG show|abi PATH` shape.  Define PROG before including.
 */
#ifndef BCA_SELFTEST_H
#define BCA_SELFTEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../tests/unit/tap.h"

/* Open PATH read-only or exit 1 with "PROG: PATH: reason". */
static inline int st_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static inline int st_all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* Two TAP tests: GET (0 or -errno) faults on NULL and on an unmapped page. */
static inline void st_efault(int (*get)(int fd, void *arg), int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	void *unmapped;

	is_int(get(fd, NULL), -EFAULT, "a NULL pointer gives EFAULT");
	unmapped = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	is_int(get(fd, unmapped), -EFAULT, "an inaccessible pointer gives EFAULT");
	munmap(unmapped, (size_t)page);
}

/* `PROG show PATH` and `PROG abi PATH`; ARG names PATH in the usage. */
static inline int st_main(int argc, char **argv, const char *arg,
			  int (*show)(const char *), int (*abi)(const char *))
{
	if (argc == 3 && !strcmp(argv[1], "show"))
		return show(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "abi"))
		return abi(argv[2]);
	fprintf(stderr, "usage: " PROG " show|abi %s\n", arg);
	return 2;
}

#endif
