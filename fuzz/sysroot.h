/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A scratch sysroot for the fuzz targets that read kernel files. */
#ifndef BCA_FUZZ_SYSROOT_H
#define BCA_FUZZ_SYSROOT_H

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The scratch root, made once per process and removed at exit. */
static const char *fuzz_root(void)
{
	static char root[64];

	if (!root[0]) {
		snprintf(root, sizeof(root), "/tmp/bca-fuzz.XXXXXX");
		if (!mkdtemp(root))
			abort();
	}
	return root;
}

/* Writes n bytes to ROOT/rel, making its directories. */
static void fuzz_file(const char *rel, const void *data, size_t n)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", fuzz_root(), rel);
	for (char *p = path + strlen(fuzz_root()) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (n && write(fd, data, n) != (ssize_t)n))
		abort();
	close(fd);
}

/* The i-th NUL-separated part of the input (empty when there are fewer). */
static size_t fuzz_part(const uint8_t *data, size_t size, int i, const uint8_t **part)
{
	const uint8_t *p = data, *end = data + size, *z;

	for (; i > 0 && p < end; i--) {
		z = memchr(p, '\0', (size_t)(end - p));
		p = z ? z + 1 : end;
	}
	z = memchr(p, '\0', (size_t)(end - p));
	*part = p;
	return (size_t)((z ? z : end) - p);
}

#endif
