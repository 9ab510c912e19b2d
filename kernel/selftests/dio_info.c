// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dio_info - selftest of FS_IOC_GET_DIO_INFO (kernel/patches), run inside
 * the guest by tests/vm/uapi-*.bats.
 *
 *   dio_info show PATH    print the fields as NAME=VALUE lines
 *   dio_info abi PATH     TAP: sizes, flags, reserved fields, EFAULT, and
 *                         that no byte the kernel does not document changes
 *
 * PATH is opened read-only (O_DIRECTORY for directories).  Exit status: 0
 * success, 1 failure or a failed test, 2 usage error.
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

#define PROG "dio_info"
#include "selftest.h"

_Static_assert(sizeof(struct fs_dio_info) == FS_DIO_INFO_SIZE_VER0, "size");
_Static_assert(offsetof(struct fs_dio_info, dio) == 8, "layout");
_Static_assert(offsetof(struct fs_dio_info, data_unit_size) == 16, "layout");
_Static_assert(offsetof(struct fs_dio_info, __reserved2) == 32, "layout");

/* A buffer of size bytes filled with 0xAA, with the input fields set. */
static unsigned char *aa_buffer(size_t size, uint32_t usize)
{
	unsigned char *buf = malloc(size);
	struct fs_dio_info *d = (struct fs_dio_info *)buf;

	if (!buf)
		exit(1);
	memset(buf, 0xAA, size);
	d->size = usize;
	d->flags = 0;
	memset(d->__reserved0, 0, sizeof(d->__reserved0));
	d->__reserved1 = 0;
	memset(d->__reserved2, 0, sizeof(d->__reserved2));
	return buf;
}

static int get(int fd, void *arg)
{
	return ioctl(fd, FS_IOC_GET_DIO_INFO, arg) < 0 ? -errno : 0;
}

static int cmd_show(const char *path)
{
	struct fs_dio_info d;
	int fd = st_open(path), rc;

	memset(&d, 0, sizeof(d));
	d.size = sizeof(d);
	rc = get(fd, &d);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s: FS_IOC_GET_DIO_INFO: %s\n", path, strerror(-rc));
		return 1;
	}
	printf("size=%u\ndio=%u\nreason=%u\ncrypto_impl=%u\nkey_status=%u\n"
	       "contents_mode=%u\ndun_bytes=%u\ndata_unit_size=%u\n"
	       "dio_mem_align=%u\ndio_offset_align=%u\n",
	       d.size, d.dio, d.reason, d.crypto_impl, d.key_status,
	       d.contents_mode, d.dun_bytes, d.data_unit_size,
	       d.dio_mem_align, d.dio_offset_align);
	return 0;
}

/* The documented value ranges: a stray byte would show up here. */
static int fields_in_range(const struct fs_dio_info *d)
{
	return d->dio <= FS_DIO_BUFFERED && d->reason <= FS_DIO_REASON_UNKNOWN &&
	       d->crypto_impl <= FS_DIO_CRYPTO_UNKNOWN && d->key_status <= FS_DIO_KEY_ABSENT &&
	       d->dun_bytes <= 32 && (d->data_unit_size & (d->data_unit_size - 1)) == 0 &&
	       (d->dio_mem_align & (d->dio_mem_align - 1)) == 0 &&
	       (d->dio_offset_align & (d->dio_offset_align - 1)) == 0 &&
	       (d->dio == FS_DIO_SUPPORTED) == (d->reason == FS_DIO_REASON_NONE) &&
	       (d->dio == FS_DIO_SUPPORTED) == (d->dio_offset_align != 0);
}

static int cmd_abi(const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	struct fs_dio_info ref, *d;
	unsigned char *buf;
	int fd = st_open(path);

	plan(21);

	memset(&ref, 0, sizeof(ref));
	ref.size = sizeof(ref);
	is_int(get(fd, &ref), 0, "a zeroed VER0 struct is accepted");
	is_int(ref.size, FS_DIO_INFO_SIZE_VER0, "size out is the bytes written (64)");
	ok(fields_in_range(&ref), "every field is in its documented range");

	buf = aa_buffer(256, FS_DIO_INFO_SIZE_VER0);
	d = (struct fs_dio_info *)buf;
	is_int(get(fd, buf), 0, "output fields filled with 0xAA are ignored on input");
	ok(!memcmp(buf, &ref, sizeof(ref)), "0xAA buffer: same answer as the zeroed one");
	ok(st_all_bytes(d->__reserved0, sizeof(d->__reserved0), 0) && d->__reserved1 == 0 &&
	   st_all_bytes((unsigned char *)d->__reserved2, sizeof(d->__reserved2), 0),
	   "reserved fields and padding are zero on return");
	ok(st_all_bytes(buf + FS_DIO_INFO_SIZE_VER0, 256 - FS_DIO_INFO_SIZE_VER0, 0xAA),
	   "bytes beyond the size asked for are untouched");
	free(buf);

	buf = aa_buffer(256, 128);
	memset(buf + 64, 0, 64);
	is_int(get(fd, buf), 0, "a larger size with a zero tail is accepted");
	is_int(((struct fs_dio_info *)buf)->size, FS_DIO_INFO_SIZE_VER0,
	       "larger size: size out is what the kernel wrote");
	ok(st_all_bytes(buf + 64, 64, 0) && st_all_bytes(buf + 128, 128, 0xAA),
	   "larger size: the tail and beyond are untouched");
	((struct fs_dio_info *)buf)->size = 128;	/* the kernel set it to 64 */
	buf[100] = 1;
	is_int(get(fd, buf), -EINVAL, "a nonzero byte the kernel does not know gives EINVAL");
	free(buf);

	buf = aa_buffer(256, FS_DIO_INFO_SIZE_VER0 - 1);
	is_int(get(fd, buf), -EINVAL, "size 63 gives EINVAL");
	((struct fs_dio_info *)buf)->size = 0;
	is_int(get(fd, buf), -EINVAL, "size 0 gives EINVAL");
	((struct fs_dio_info *)buf)->size = (uint32_t)page + 1;
	is_int(get(fd, buf), -EINVAL, "size above the page size gives EINVAL");
	free(buf);

	buf = aa_buffer(256, FS_DIO_INFO_SIZE_VER0);
	d = (struct fs_dio_info *)buf;
	d->flags = 1;
	is_int(get(fd, buf), -EINVAL, "flags 1 gives EINVAL");
	d->flags = 0x80000000;
	is_int(get(fd, buf), -EINVAL, "flags 0x80000000 gives EINVAL");
	d->flags = 0;
	d->__reserved0[1] = 1;
	is_int(get(fd, buf), -EINVAL, "nonzero __reserved0 gives EINVAL");
	d->__reserved0[1] = 0;
	d->__reserved1 = 1;
	is_int(get(fd, buf), -EINVAL, "nonzero __reserved1 gives EINVAL");
	d->__reserved1 = 0;
	d->__reserved2[3] = 1ULL << 63;
	is_int(get(fd, buf), -EINVAL, "nonzero __reserved2 gives EINVAL");
	free(buf);

	st_efault(get, fd);
	close(fd);
	return done_testing();
}

int main(int argc, char **argv)
{
	return st_main(argc, argv, "PATH", cmd_show, cmd_abi);
}
