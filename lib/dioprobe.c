// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Proving a verdict instead of inferring it: write and read a scratch file
 * with O_DIRECT in the directory of the path, then ask mincore(2) whether
 * the data stayed in the page cache.  The user's file is never touched;
 * the scratch file is an O_TMPFILE (or, where the filesystem lacks that,
 * a named file unlinked at once), so nothing is left behind even if we die.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define PROBE_SIZE (1024 * 1024)
#define PROBE_ALIGN 4096

static int open_scratch(int dirfd)
{
	char name[64];
	int fd;

	fd = openat(dirfd, ".", O_TMPFILE | O_RDWR | O_DIRECT | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd < 0 ? -errno : fd;
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), ".blkcrypt-probe.%d.%d", (int)getpid(), i);
		fd = openat(dirfd, name, O_CREAT | O_EXCL | O_RDWR | O_DIRECT | O_CLOEXEC, 0600);
		if (fd >= 0) {
			unlinkat(dirfd, name, 0);
			return fd;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

/* Pages of fd's first size bytes that are in the page cache. */
static int resident_pages(int fd, size_t size, uint64_t *pages)
{
	long psz = sysconf(_SC_PAGESIZE);
	size_t n = (size + (size_t)psz - 1) / (size_t)psz;
	unsigned char *vec;
	void *map;
	int rc = 0;

	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	vec = malloc(n);
	if (!vec) {
		munmap(map, size);
		return -ENOMEM;
	}
	if (mincore(map, size, vec) < 0) {
		rc = -errno;
	} else {
		*pages = 0;
		for (size_t i = 0; i < n; i++)
			*pages += vec[i] & 1;
	}
	free(vec);
	munmap(map, size);
	return rc;
}

static int probe_fd(int fd, enum bca_dio_verdict *verdict, uint64_t *cached)
{
	uint64_t after_write = 0, after_read = 0;
	void *buf;
	ssize_t n;
	int rc;

	if (posix_memalign(&buf, PROBE_ALIGN, PROBE_SIZE))
		return -ENOMEM;
	memset(buf, 0x5a, PROBE_SIZE);
	n = pwrite(fd, buf, PROBE_SIZE, 0);
	if (n < 0 && errno == EINVAL) {
		*verdict = BCA_DIO_NO;
		free(buf);
		return 0;
	}
	rc = n < 0 ? -errno : n != PROBE_SIZE ? -EIO : 0;
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (rc == 0)
		rc = resident_pages(fd, PROBE_SIZE, &after_write);
	if (rc == 0) {
		/* drop what a buffered fallback left, then read it back */
		posix_fadvise(fd, 0, PROBE_SIZE, POSIX_FADV_DONTNEED);
		n = pread(fd, buf, PROBE_SIZE, 0);
		rc = n < 0 ? -errno : n != PROBE_SIZE ? -EIO : 0;
	}
	if (rc == 0)
		rc = resident_pages(fd, PROBE_SIZE, &after_read);
	free(buf);
	if (rc < 0)
		return rc;
	*cached = after_write + after_read;
	*verdict = *cached ? BCA_DIO_BUFFERED : BCA_DIO_YES;
	return 0;
}

BCA_EXPORT int bca_file_probe(struct bca_ctx *ctx, int dirfd, const char *path,
			      enum bca_dio_verdict *verdict, uint64_t *cached_pages)
{
	char buf[PATH_MAX];
	struct stat st;
	uint64_t cached = 0;
	int dfd, fd, rc;

	if (!ctx || !path || !verdict)
		return -EINVAL;
	if (fstatat(dirfd, path, &st, 0) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode)) {
		dfd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	} else {
		if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
			return -ENAMETOOLONG;
		dfd = openat(dirfd, dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (dfd < 0)
		return -errno;
	fd = open_scratch(dfd);
	close(dfd);
	if (fd == -EINVAL) {
		/* O_DIRECT itself refused */
		*verdict = BCA_DIO_NO;
		rc = 0;
	} else if (fd < 0) {
		bca_dbg(ctx, "%s: cannot create a scratch file: %s", path, bca_strerror(fd));
		return fd;
	} else {
		rc = probe_fd(fd, verdict, &cached);
		close(fd);
	}
	if (cached_pages)
		*cached_pages = cached;
	return rc;
}
