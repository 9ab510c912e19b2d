// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dio_strict - selftest of RWF_DIO_STRICT (kernel/patches), run inside the
 * guest by tests/vm/uapi-*.bats.
 *
 *   dio_strict known
 *       prints "known" when the kernel knows the flag (EINVAL on a file
 *       without O_DIRECT), "unknown" when it rejects it as unknown
 *   dio_strict write|read FILE ALIGN [--no-strict]
 *       one 64 KiB O_DIRECT pwritev2/preadv2 at offset 0, with
 *       RWF_DIO_STRICT unless --no-strict, from a buffer aligned to ALIGN
 *       bytes but not to 2*ALIGN; writes create FILE.  Prints
 *       "result=<bytes or errno name> cached=<pages of FILE in the page cache>"
 *       (mincore after fsync)
 *   dio_strict buffered FILE
 *       the flag on FILE opened without O_DIRECT: prints "result=..."
 *
 * Exit status: 0 the call was made (whatever it returned), 1 setup failure,
 * 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "uapi/dioinfo.h"

#define PROG "dio_strict"
#define LEN (64 * 1024)

static void die(const char *what)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(errno));
	exit(1);
}

static const char *errname(int e)
{
	switch (e) {
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EAGAIN: return "EAGAIN";
	case ENOKEY: return "ENOKEY";
	default: return strerror(e);
	}
}

static void print_result(ssize_t n, int err)
{
	if (n < 0)
		printf("result=%s", errname(err));
	else
		printf("result=%zd", n);
}

/* Pages of the first LEN bytes of path in the page cache. */
static long cached(const char *path)
{
	size_t pages = LEN / (size_t)sysconf(_SC_PAGESIZE);
	unsigned char vec[LEN / 512];
	long n = 0;
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	if (fstat(fd, &st) < 0)
		die(path);
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	map = mmap(NULL, LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	if (mincore(map, LEN, vec) < 0)
		die("mincore");
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	munmap(map, LEN);
	close(fd);
	return n;
}

static int cmd_io(int write, const char *path, unsigned long align, int strict)
{
	unsigned char *mem;
	struct iovec iov;
	ssize_t n;
	int fd, err;

	if (posix_memalign((void **)&mem, 2 * align, LEN + 2 * align))
		die("posix_memalign");
	memset(mem, 0x5a, LEN + 2 * align);
	iov.iov_base = mem + align;	/* aligned to align, not to 2 * align */
	iov.iov_len = LEN;
	fd = open(path, (write ? O_RDWR | O_CREAT : O_RDONLY) | O_DIRECT | O_CLOEXEC, 0600);
	if (fd < 0)
		die(path);
	if (write)
		n = pwritev2(fd, &iov, 1, 0, strict ? RWF_DIO_STRICT : 0);
	else
		n = preadv2(fd, &iov, 1, 0, strict ? RWF_DIO_STRICT : 0);
	err = errno;
	if (fsync(fd) < 0)
		die("fsync");
	close(fd);
	print_result(n, err);
	printf(" cached=%ld\n", cached(path));
	free(mem);
	return 0;
}

static int cmd_buffered(const char *path)
{
	char c;
	struct iovec iov = { &c, 1 };
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	n = preadv2(fd, &iov, 1, 0, RWF_DIO_STRICT);
	print_result(n, errno);
	putchar('\n');
	close(fd);
	return 0;
}

static int cmd_known(void)
{
	char c;
	struct iovec iov = { &c, 1 };
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("/dev/zero");
	if (preadv2(fd, &iov, 1, 0, RWF_DIO_STRICT) < 0 && errno == EINVAL)
		puts("known");
	else
		puts("unknown");
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long align;

	if (argc == 2 && !strcmp(argv[1], "known"))
		return cmd_known();
	if (argc == 3 && !strcmp(argv[1], "buffered"))
		return cmd_buffered(argv[2]);
	if ((argc == 4 || (argc == 5 && !strcmp(argv[4], "--no-strict"))) &&
	    (!strcmp(argv[1], "write") || !strcmp(argv[1], "read"))) {
		errno = 0;
		align = strtoul(argv[3], &end, 10);
		if (errno || *end || !align || (align & (align - 1)) || align > 1 << 20) {
			fprintf(stderr, PROG ": bad alignment '%s'\n", argv[3]);
			return 2;
		}
		return cmd_io(!strcmp(argv[1], "write"), argv[2], align, argc == 4);
	}
	fputs("usage: " PROG " known | buffered FILE | write|read FILE ALIGN [--no-strict]\n",
	      stderr);
	return 2;
}
