// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * enc_impl - selftest of FS_IOC_GET_ENCRYPTION_IMPL (kernel/patches), run
 * inside the guest by tests/vm/uapi-*.bats, built 64-bit and, where the
 * compiler can, 32-bit (enc_impl32: the compat_ioctl path).
 *
 *   enc_impl show PATH    print the fields as NAME=VALUE lines
 *   enc_impl abi PATH     TAP: sizes through _IOC_SIZE, E2BIG, flags,
 *                         matching by type, number and direction, EFAULT
 *   enc_impl atomic PATH  f2fs: start an atomic write on PATH (f2fs allows
 *                         it only without O_DIRECT), then print what the
 *                         ioctl says of it and what a 4 KiB O_DIRECT write
 *                         through a second descriptor does:
 *                         "write_refused=0x... write=<bytes or errno>"
 *
 * PATH is opened read-only.  Exit status: 0 success, 1 failure or a failed
 * test, 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi/dioinfo.h"
#include "uapi/fscrypt.h"

#define PROG "enc_impl"
#include "selftest.h"

/* The layout the kernel has, on 64-bit and 32-bit alike. */
_Static_assert(sizeof(struct fscrypt_get_impl_arg) == FSCRYPT_GET_IMPL_ARG_SIZE_VER0, "size");
_Static_assert(offsetof(struct fscrypt_get_impl_arg, impl) == 8, "layout");
_Static_assert(offsetof(struct fscrypt_get_impl_arg, dio_write_refused) == 28, "layout");

#define VER0 FSCRYPT_GET_IMPL_ARG_SIZE_VER0
/* The command for a caller whose struct has size bytes. */
#define CMD(size) _IOC(_IOC_READ | _IOC_WRITE, 0x15, 4, (size))

static int get_cmd(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static int get(int fd, void *arg)
{
	return get_cmd(fd, FS_IOC_GET_ENCRYPTION_IMPL, arg);
}

static int cmd_show(const char *path)
{
	struct fscrypt_get_impl_arg a;
	int fd = st_open(path), rc;

	memset(&a, 0, sizeof(a));
	rc = get(fd, &a);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s: FS_IOC_GET_ENCRYPTION_IMPL: %s\n", path,
			strerror(-rc));
		return 1;
	}
	printf("impl=%u\nimpl_reason=%u\nkey_status=%u\nread_buffered=%#x\n"
	       "write_buffered=%#x\nwrite_refused=%#x\n",
	       a.impl, a.impl_reason, a.key_status, a.dio_read_buffered,
	       a.dio_write_buffered, a.dio_write_refused);
	return 0;
}

/* The documented value ranges: a stray byte would show up here. */
static int fields_in_range(const struct fscrypt_get_impl_arg *a)
{
	const uint32_t bits = 0x1ff;

	return a->flags == 0 && a->impl <= FSCRYPT_IMPL_INLINE_FALLBACK &&
	       a->impl_reason <= FSCRYPT_IMPL_REASON_DEVICE &&
	       (a->impl == FSCRYPT_IMPL_FS_LAYER) == (a->impl_reason != 0) &&
	       a->key_status <= FSCRYPT_KEY_STATUS_INCOMPLETELY_REMOVED &&
	       !(a->dio_read_buffered & ~bits) && !(a->dio_write_buffered & ~bits) &&
	       !(a->dio_write_refused & ~bits) &&
	       !!(a->dio_read_buffered & FSCRYPT_DIO_ENCRYPTION) ==
		       (a->impl == FSCRYPT_IMPL_FS_LAYER);
}

/* A page-aligned buffer of size bytes, 0xAA everywhere, flags 0. */
static unsigned char *aa_buffer(size_t size)
{
	unsigned char *buf = aligned_alloc(4096, (size + 4095) & ~(size_t)4095);

	if (!buf)
		exit(1);
	memset(buf, 0xAA, size);
	memset(buf, 0, sizeof(uint64_t));
	return buf;
}

static int cmd_abi(const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	struct fscrypt_get_impl_arg ref;
	unsigned char *buf, *ro;
	int fd = st_open(path);

	plan(19);

	memset(&ref, 0, sizeof(ref));
	is_int(get(fd, &ref), 0, "a zeroed VER0 struct is accepted");
	ok(fields_in_range(&ref), "every field is in its documented range");

	buf = aa_buffer(256);
	is_int(get(fd, buf), 0, "output fields filled with 0xAA are ignored on input");
	ok(!memcmp(buf, &ref, sizeof(ref)), "0xAA buffer: the same answer as the zeroed one");
	ok(st_all_bytes(buf + VER0, 256 - VER0, 0xAA), "bytes beyond the struct are untouched");
	free(buf);

	/* a newer caller: a 72-byte struct, its new fields zeroed */
	buf = aa_buffer(256);
	memset(buf + VER0, 0, 72 - VER0);
	is_int(get_cmd(fd, CMD(72), buf), 0, "a grown 72-byte struct with a zero tail is accepted");
	ok(!memcmp(buf, &ref, sizeof(ref)) && st_all_bytes(buf + VER0, 72 - VER0, 0),
	   "grown struct: the known fields filled in, the unknown ones zero");
	ok(st_all_bytes(buf + 72, 256 - 72, 0xAA), "grown struct: nothing written beyond its size");
	buf[VER0 + 7] = 1;
	is_int(get_cmd(fd, CMD(72), buf), -E2BIG, "a nonzero byte the kernel does not know: E2BIG");
	free(buf);

	buf = aa_buffer(256);
	is_int(get_cmd(fd, CMD(VER0 - 8), buf), -EINVAL, "a 24-byte struct gives EINVAL");
	ok(st_all_bytes(buf + 8, 256 - 8, 0xAA), "a refused call writes nothing");
	is_int(get_cmd(fd, _IOC(_IOC_READ, 0x15, 4, VER0), buf), -ENOTTY,
	       "the same number and size with another direction is not this ioctl");
	is_int(get_cmd(fd, _IOC(_IOC_READ | _IOC_WRITE, 'f', 4, VER0), buf), -ENOTTY,
	       "the same number with another type is not this ioctl");
	memset(buf, 0, 8);
	buf[0] = 1;
	is_int(get(fd, buf), -EINVAL, "flags 1 gives EINVAL");
	memset(buf, 0, 8);
	buf[7] = 0x80;
	is_int(get(fd, buf), -EINVAL, "flags bit 63 gives EINVAL");
	free(buf);

	st_efault(get, fd);
	ro = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	is_int(get(fd, ro), -EFAULT, "a read-only struct gives EFAULT");
	ok(st_all_bytes(ro, (size_t)page, 0), "and stays as it was");
	munmap(ro, (size_t)page);
	close(fd);
	return done_testing();
}

#ifndef F2FS_IOC_START_ATOMIC_WRITE
#define F2FS_IOC_START_ATOMIC_WRITE _IO(0xf5, 1)
#endif

/* What the kernel reports for an f2fs atomic-write file, and what it does. */
static int cmd_atomic(const char *path)
{
	struct fscrypt_get_impl_arg a;
	void *buf;
	ssize_t n;
	int fd = open(path, O_RDWR | O_CLOEXEC), dfd, rc;

	if (fd < 0 || ioctl(fd, F2FS_IOC_START_ATOMIC_WRITE) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return 1;
	}
	memset(&a, 0, sizeof(a));
	rc = get(fd, &a);
	dfd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (rc < 0 || dfd < 0 || posix_memalign(&buf, 4096, 4096)) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(rc < 0 ? -rc : errno));
		return 1;
	}
	memset(buf, 0x5a, 4096);
	n = pwrite(dfd, buf, 4096, 0);
	if (n < 0)
		printf("write_refused=%#x write=%s\n", a.dio_write_refused,
		       errno == EOPNOTSUPP ? "EOPNOTSUPP" : strerror(errno));
	else
		printf("write_refused=%#x write=%zd\n", a.dio_write_refused, n);
	free(buf);
	close(dfd);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "atomic"))
		return cmd_atomic(argv[2]);
	return st_main(argc, argv, "PATH", cmd_show, cmd_abi);
}
