// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blk_crypto_profile - selftest of BLKCRYPTOPROFILE (kernel/patches), run
 * inside the guest by tests/vm/uapi-*.bats.
 *
 *   blk_crypto_profile show DEV   print the fields as NAME=VALUE lines
 *                                 (dus_mask_N for every mode N the kernel fills)
 *   blk_crypto_profile abi DEV    TAP: sizes, flags, reserved fields, EFAULT,
 *                                 and that no undocumented byte changes
 *
 * Exit status: 0 success, 1 failure or a failed test, 2 usage error.
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

#define PROG "blk_crypto_profile"
#include "selftest.h"

_Static_assert(sizeof(struct blk_crypto_profile_info) == BLK_CRYPTO_PROFILE_INFO_SIZE_VER0,
	       "size");
_Static_assert(offsetof(struct blk_crypto_profile_info, dus_masks) == 32, "layout");
_Static_assert(offsetof(struct blk_crypto_profile_info, __reserved) == 96, "layout");

static int get(int fd, void *arg)
{
	return ioctl(fd, BLKCRYPTOPROFILE, arg) < 0 ? -errno : 0;
}

/* size bytes of 0xAA with the input fields set. */
static unsigned char *aa_buffer(size_t size, uint32_t usize)
{
	unsigned char *buf = malloc(size);
	struct blk_crypto_profile_info *p = (struct blk_crypto_profile_info *)buf;

	if (!buf)
		exit(1);
	memset(buf, 0xAA, size);
	p->size = usize;
	p->flags = 0;
	memset(p->__reserved, 0, sizeof(p->__reserved));
	return buf;
}

static int cmd_show(const char *path)
{
	struct blk_crypto_profile_info p;
	int fd = st_open(path), rc;

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	rc = get(fd, &p);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s: BLKCRYPTOPROFILE: %s\n", path, strerror(-rc));
		return 1;
	}
	printf("size=%u\nsource=%u\ncaps=%#x\nmax_dun_bits=%u\nnum_keyslots=%u\n"
	       "key_types=%#x\nnum_modes=%u\n", p.size, p.source, p.caps,
	       p.max_dun_bits, p.num_keyslots, p.key_types, p.num_modes);
	for (unsigned int i = 0; i < p.num_modes && i < 16; i++)
		printf("dus_mask_%u=%#x\n", i, p.dus_masks[i]);
	return 0;
}

static int cmd_abi(const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	struct blk_crypto_profile_info ref, *p;
	unsigned char *buf;
	int fd = st_open(path);

	plan(16);

	memset(&ref, 0, sizeof(ref));
	ref.size = sizeof(ref);
	is_int(get(fd, &ref), 0, "a zeroed VER0 struct is accepted");
	is_int(ref.size, BLK_CRYPTO_PROFILE_INFO_SIZE_VER0, "size out is the bytes written (128)");
	ok(ref.source <= BLK_CRYPTO_PROFILE_SOURCE_DM && ref.num_modes >= 5 &&
	   ref.num_modes <= 16 && !(ref.caps & ~BLK_CRYPTO_PROFILE_CAP_FALLBACK) &&
	   ref.dus_masks[0] == 0 &&
	   st_all_bytes((unsigned char *)&ref.dus_masks[ref.num_modes],
		     (16 - ref.num_modes) * sizeof(ref.dus_masks[0]), 0) &&
	   (ref.source != BLK_CRYPTO_PROFILE_SOURCE_NONE ||
	    (!ref.max_dun_bits && !ref.num_keyslots && !ref.key_types &&
	     st_all_bytes((unsigned char *)ref.dus_masks, sizeof(ref.dus_masks), 0))),
	   "fields in range; unfilled modes and a missing profile read as zero");

	buf = aa_buffer(256, BLK_CRYPTO_PROFILE_INFO_SIZE_VER0);
	p = (struct blk_crypto_profile_info *)buf;
	is_int(get(fd, buf), 0, "output fields filled with 0xAA are ignored on input");
	ok(!memcmp(buf, &ref, sizeof(ref)), "0xAA buffer: same answer as the zeroed one");
	ok(st_all_bytes((unsigned char *)p->__reserved, sizeof(p->__reserved), 0),
	   "reserved fields are zero on return");
	ok(st_all_bytes(buf + 128, 128, 0xAA), "bytes beyond the size asked for are untouched");
	free(buf);

	buf = aa_buffer(512, 256);
	memset(buf + 128, 0, 128);
	is_int(get(fd, buf), 0, "a larger size with a zero tail is accepted");
	ok(((struct blk_crypto_profile_info *)buf)->size == 128 &&
	   st_all_bytes(buf + 128, 128, 0) && st_all_bytes(buf + 256, 256, 0xAA),
	   "larger size: size out 128, tail and beyond untouched");
	((struct blk_crypto_profile_info *)buf)->size = 256;
	buf[200] = 1;
	is_int(get(fd, buf), -EINVAL, "a nonzero byte the kernel does not know gives EINVAL");
	free(buf);

	buf = aa_buffer(256, BLK_CRYPTO_PROFILE_INFO_SIZE_VER0 - 4);
	p = (struct blk_crypto_profile_info *)buf;
	is_int(get(fd, buf), -EINVAL, "size 124 gives EINVAL");
	p->size = (uint32_t)page + 1;
	is_int(get(fd, buf), -EINVAL, "size above the page size gives EINVAL");
	p->size = BLK_CRYPTO_PROFILE_INFO_SIZE_VER0;
	p->flags = 1;
	is_int(get(fd, buf), -EINVAL, "flags 1 gives EINVAL");
	p->flags = 0;
	p->__reserved[2] = 1;
	is_int(get(fd, buf), -EINVAL, "nonzero __reserved gives EINVAL");
	free(buf);

	st_efault(get, fd);
	close(fd);
	return done_testing();
}

int main(int argc, char **argv)
{
	return st_main(argc, argv, "DEV", cmd_show, cmd_abi);
}
