// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dio_strict - selftest of RWF_DIO_STRICT (kernel/patches), run inside the
 * guest by tests/vm/uapi-*.bats.
 *
 *   dio_strict known
 *       prints "known" when the kernel knows the flag (EINVAL on a file
 *       without O_DIRECT), "unknown" when it rejects it as unknown
 *   dio_strict write|read FILE ALIGN [OPTION...]
 *       one 64 KiB O_DIRECT write or read at offset 0, with RWF_DIO_STRICT,
 *       from a buffer aligned to ALIGN bytes but not to 2*ALIGN; writes
 *       create FILE (never truncate it).  Prints "result=<bytes or errno
 *       name> cached=<pages of FILE in the page cache>" (mincore after
 *       fsync), and " workers=N" with --uring.  Options:
 *         --no-strict  without the flag
 *         --nowait     with RWF_NOWAIT too
 *         --append     O_APPEND, at the file position (writes only)
 *         --aio        through Linux AIO (io_submit) instead of pwritev2
 *         --uring      through io_uring (liburing); workers= counts the
 *                      io-wq threads the request needed (a retried
 *                      refusal shows as 1)
 *   dio_strict buffered FILE
 *       the flag on FILE opened without O_DIRECT: prints "result=..."
 *
 * Exit status: 0 the call was made (whatever it returned), 1 setup failure,
 * 2 usage error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include "uapi/dioinfo.h"

#define PROG "dio_strict"
#define LEN (64 * 1024)

enum via { VIA_SYNC, VIA_AIO, VIA_URING };

struct opts {
	int write;
	unsigned long align;
	int rwf;
	int append;
	enum via via;
};

static void die(const char *what)
{
	fprintf(stderr, PROG ": %s: %s\n", what, strerror(errno));
	exit(1);
}

static const char *errname(int e)
{
	switch (e) {
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOTBLK: return "ENOTBLK";
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
	if (S_ISREG(st.st_mode) && st.st_size == 0) {
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

/* The io-wq worker threads of this process ("iou-wrk-PID"). */
static int io_workers(void)
{
	char path[320], comm[32];
	struct dirent *d;
	int n = 0;
	DIR *dir = opendir("/proc/self/task");

	if (!dir)
		die("/proc/self/task");
	while ((d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "iou-wrk-", 8))
			n++;
		fclose(f);
	}
	closedir(dir);
	return n;
}

/* One request through Linux AIO: its result, or -errno. */
static ssize_t via_aio(int fd, const struct opts *o, struct iovec *iov)
{
	aio_context_t ctx = 0;
	struct iocb cb, *cbs[1] = { &cb };
	struct io_event ev;
	ssize_t res;

	if (syscall(SYS_io_setup, 1, &ctx) < 0)
		die("io_setup");
	memset(&cb, 0, sizeof(cb));
	cb.aio_fildes = (uint32_t)fd;
	cb.aio_lio_opcode = o->write ? IOCB_CMD_PWRITEV : IOCB_CMD_PREADV;
	cb.aio_buf = (uint64_t)(uintptr_t)iov;
	cb.aio_nbytes = 1;
	cb.aio_offset = 0;
	cb.aio_rw_flags = o->rwf;
	if (syscall(SYS_io_submit, ctx, 1, cbs) != 1) {
		res = -errno;	/* refused at submission */
	} else {
		if (syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL) != 1)
			die("io_getevents");
		res = ev.res;
	}
	syscall(SYS_io_destroy, ctx);
	return res;
}

/* One request through io_uring: its result, or -errno; *workers as above. */
static ssize_t via_uring(int fd, const struct opts *o, struct iovec *iov, int *workers)
{
#ifdef HAVE_LIBURING
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	ssize_t res;
	int rc = io_uring_queue_init(4, &ring, 0);

	if (rc < 0) {
		errno = -rc;
		die("io_uring_queue_init");
	}
	sqe = io_uring_get_sqe(&ring);
	if (o->write)
		io_uring_prep_writev(sqe, fd, iov, 1, o->append ? (uint64_t)-1 : 0);
	else
		io_uring_prep_readv(sqe, fd, iov, 1, 0);
	sqe->rw_flags = o->rwf;
	rc = io_uring_submit(&ring);
	if (rc != 1) {
		errno = rc < 0 ? -rc : EIO;
		die("io_uring_submit");
	}
	rc = io_uring_wait_cqe(&ring, &cqe);
	if (rc < 0) {
		errno = -rc;
		die("io_uring_wait_cqe");
	}
	res = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	*workers = io_workers();
	io_uring_queue_exit(&ring);
	return res;
#else
	(void)fd, (void)o, (void)iov, (void)workers;
	fputs(PROG ": built without liburing (Debian: liburing-dev)\n", stderr);
	exit(1);
#endif
}

static int cmd_io(const char *path, const struct opts *o)
{
	int flags = O_DIRECT | O_CLOEXEC, workers = -1, fd, err = 0;
	unsigned char *mem;
	struct iovec iov;
	ssize_t n;

	if (posix_memalign((void **)&mem, 2 * o->align, LEN + 2 * o->align))
		die("posix_memalign");
	memset(mem, 0x5a, LEN + 2 * o->align);
	iov.iov_base = mem + o->align;	/* aligned to align, not to 2 * align */
	iov.iov_len = LEN;
	flags |= o->write ? O_RDWR | O_CREAT : O_RDONLY;
	if (o->append)
		flags |= O_APPEND;
	fd = open(path, flags, 0600);
	if (fd < 0)
		die(path);
	switch (o->via) {
	case VIA_AIO:
		n = via_aio(fd, o, &iov);
		break;
	case VIA_URING:
		n = via_uring(fd, o, &iov, &workers);
		break;
	default:
		if (o->write)
			n = pwritev2(fd, &iov, 1, o->append ? -1 : 0, o->rwf);
		else
			n = preadv2(fd, &iov, 1, 0, o->rwf);
		if (n < 0)
			n = -errno;
		break;
	}
	if (n < 0)
		err = (int)-n;
	if (fsync(fd) < 0)
		die("fsync");
	close(fd);
	print_result(n < 0 ? -1 : n, err);
	printf(" cached=%ld", cached(path));
	if (workers >= 0)
		printf(" workers=%d", workers);
	putchar('\n');
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

static int usage(void)
{
	fputs("usage: " PROG " known | buffered FILE | write|read FILE ALIGN "
	      "[--no-strict] [--nowait] [--append] [--aio|--uring]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o = { .rwf = RWF_DIO_STRICT };
	char *end;

	if (argc == 2 && !strcmp(argv[1], "known"))
		return cmd_known();
	if (argc == 3 && !strcmp(argv[1], "buffered"))
		return cmd_buffered(argv[2]);
	if (argc < 4 || (strcmp(argv[1], "write") && strcmp(argv[1], "read")))
		return usage();
	o.write = !strcmp(argv[1], "write");
	errno = 0;
	o.align = strtoul(argv[3], &end, 10);
	if (errno || *end || !o.align || (o.align & (o.align - 1)) || o.align > 1 << 20) {
		fprintf(stderr, PROG ": bad alignment '%s'\n", argv[3]);
		return 2;
	}
	for (int i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "--no-strict"))
			o.rwf &= ~RWF_DIO_STRICT;
		else if (!strcmp(argv[i], "--nowait"))
			o.rwf |= RWF_NOWAIT;
		else if (!strcmp(argv[i], "--append") && o.write)
			o.append = 1;
		else if (!strcmp(argv[i], "--aio"))
			o.via = VIA_AIO;
		else if (!strcmp(argv[i], "--uring"))
			o.via = VIA_URING;
		else
			return usage();
	}
	return cmd_io(argv[2], &o);
}
