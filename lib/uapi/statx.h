/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * struct statx as of Linux 6.14, for building on older headers (Debian 12
 * ships 6.1's and glibc 2.36's, which stop at stx_dio_offset_align).  We
 * call the statx system call directly with this layout; the kernel fills
 * only what it knows and says so in stx_mask.
 */
#ifndef BCA_UAPI_STATX_H
#define BCA_UAPI_STATX_H

#include <stddef.h>
#include <stdint.h>
#include <linux/stat.h>

#ifndef STATX_MNT_ID
#define STATX_MNT_ID		0x00001000U
#endif
#ifndef STATX_DIOALIGN
#define STATX_DIOALIGN		0x00002000U
#endif
#ifndef STATX_WRITE_ATOMIC
#define STATX_WRITE_ATOMIC	0x00010000U
#endif
#ifndef STATX_DIO_READ_ALIGN
#define STATX_DIO_READ_ALIGN	0x00020000U
#endif
#ifndef STATX_ATTR_VERITY
#define STATX_ATTR_VERITY	0x00100000
#endif
#ifndef STATX_ATTR_ENCRYPTED
#define STATX_ATTR_ENCRYPTED	0x00000800
#endif

struct bca_statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};

struct bca_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t __spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct bca_statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align;		/* 0x98 */
	uint32_t stx_dio_offset_align;		/* 0x9c */
	uint64_t stx_subvol;			/* 0xa0 */
	uint32_t stx_atomic_write_unit_min;	/* 0xa8 */
	uint32_t stx_atomic_write_unit_max;	/* 0xac */
	uint32_t stx_atomic_write_segments_max;	/* 0xb0 */
	uint32_t stx_dio_read_offset_align;	/* 0xb4 */
	uint64_t __spare3[9];
};

_Static_assert(sizeof(struct bca_statx) == 256, "struct statx is 256 bytes");
_Static_assert(offsetof(struct bca_statx, stx_dio_mem_align) == 0x98, "layout");
_Static_assert(offsetof(struct bca_statx, stx_atomic_write_unit_min) == 0xa8, "layout");
_Static_assert(offsetof(struct bca_statx, stx_dio_read_offset_align) == 0xb4, "layout");

#endif /* BCA_UAPI_STATX_H */
