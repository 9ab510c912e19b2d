/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The direct I/O and inline-crypto uAPI of blkcryptadm's kernel patch series
 * (kernel/patches/, on Linux 6.12), for building against headers that lack
 * it (Debian 12's are 6.1's).  Must match the patches byte for byte:
 *
 *   FS_IOC_GET_DIO_INFO  per-file direct I/O status (ext4, f2fs)
 *   RWF_DIO_STRICT       preadv2/pwritev2: fail with EOPNOTSUPP instead of
 *                        serving O_DIRECT from the page cache
 *
 * (What they add for block devices is in sysfs: queue/crypto_fallback and
 * queue/crypto/passthrough, read by blkstack.c.)
 * A kernel without the patches answers the ioctl with ENOTTY and the flag
 * with EOPNOTSUPP (unknown RWF_* flag).
 */
#ifndef BCA_UAPI_DIOINFO_H
#define BCA_UAPI_DIOINFO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#ifndef FS_IOC_GET_DIO_INFO
struct fs_dio_info {
	__u32 size;		/* in: bytes the caller knows; out: bytes written */
	__u32 flags;		/* in: must be 0 */
	__u8 dio;		/* out: FS_DIO_* */
	__u8 reason;		/* out: FS_DIO_REASON_* */
	__u8 crypto_impl;	/* out: FS_DIO_CRYPTO_* */
	__u8 key_status;	/* out: FS_DIO_KEY_* */
	__u8 contents_mode;	/* out: FSCRYPT_MODE_*, 0 when not encrypted */
	__u8 dun_bytes;		/* out: bytes of data unit number blk-crypto needs */
	__u8 __reserved0[2];	/* must be zero */
	__u32 data_unit_size;	/* out: encryption data unit size in bytes, or 0 */
	__u32 dio_mem_align;	/* out: as statx stx_dio_mem_align, 0: no DIO */
	__u32 dio_offset_align;	/* out: as statx stx_dio_offset_align, 0: no DIO */
	__u32 __reserved1;	/* must be zero */
	__u64 __reserved2[4];	/* must be zero */
};

#define FS_DIO_INFO_SIZE_VER0	64

#define FS_DIO_UNSUPPORTED	0
#define FS_DIO_SUPPORTED	1
#define FS_DIO_BUFFERED		2

#define FS_DIO_REASON_NONE			0
#define FS_DIO_REASON_NOT_REGULAR		1
#define FS_DIO_REASON_NO_INLINECRYPT		2
#define FS_DIO_REASON_KEY_ABSENT		3
#define FS_DIO_REASON_MODE_NO_INLINE		4
#define FS_DIO_REASON_IV_INO_LBLK_32_BLOCKSIZE	5
#define FS_DIO_REASON_VERITY			6
#define FS_DIO_REASON_DATA_JOURNAL		7
#define FS_DIO_REASON_INLINE_DATA		8
#define FS_DIO_REASON_FS_NO_DIO			9
#define FS_DIO_REASON_DEVICE_NO_CRYPTO		10
#define FS_DIO_REASON_UNKNOWN			11

#define FS_DIO_CRYPTO_NONE		0
#define FS_DIO_CRYPTO_FS_LAYER		1
#define FS_DIO_CRYPTO_INLINE_HW		2
#define FS_DIO_CRYPTO_INLINE_FALLBACK	3
#define FS_DIO_CRYPTO_UNKNOWN		4

#define FS_DIO_KEY_NONE		0
#define FS_DIO_KEY_PRESENT	1
#define FS_DIO_KEY_ABSENT	2

#define FS_IOC_GET_DIO_INFO	_IOWR('f', 64, struct fs_dio_info)
#endif

#ifndef RWF_DIO_STRICT
#define RWF_DIO_STRICT		0x00008000
#endif

#endif /* BCA_UAPI_DIOINFO_H */
