/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The direct I/O and inline-crypto uAPI of blkcryptadm's kernel patch series
 * (kernel/patches/, on Linux 6.12), for building against headers that lack
 * it (Debian 12's are 6.1's).  Must match the patches byte for byte:
 *
 *   FS_IOC_GET_ENCRYPTION_IMPL  per-file: who encrypts the contents, why
 *                               not blk-crypto, key status, and why ext4 or
 *                               f2fs would serve O_DIRECT from the page cache
 *   RWF_DIO_STRICT              preadv2/pwritev2/aio/io_uring: fail with
 *                               ENOTBLK instead of serving O_DIRECT from
 *                               the page cache (EOPNOTSUPP: not honoured)
 *
 * (STATX_DIO_READ_ALIGN is in statx.c; what the series adds for block
 * devices is in sysfs: queue/crypto_fallback and queue/crypto/passthrough,
 * read by blkdev.c.)  A kernel without the patches answers the ioctl with
 * ENOTTY and the flag with EOPNOTSUPP (unknown RWF_* flag).
 */
#ifndef BCA_UAPI_DIOINFO_H
#define BCA_UAPI_DIOINFO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#ifndef FS_IOC_GET_ENCRYPTION_IMPL
struct fscrypt_get_impl_arg {
	__u64 flags;			/* in: must be 0 */
	__u32 impl;			/* FSCRYPT_IMPL_* */
	__u32 impl_reason;		/* FSCRYPT_IMPL_REASON_* */
	__u32 key_status;		/* FSCRYPT_KEY_STATUS_*, or 0 */
	__u32 dio_read_buffered;	/* FSCRYPT_DIO_* */
	__u32 dio_write_buffered;	/* FSCRYPT_DIO_* */
	__u32 dio_write_refused;	/* FSCRYPT_DIO_* */
};

#define FSCRYPT_GET_IMPL_ARG_SIZE_VER0	32

#define FSCRYPT_IMPL_NONE		0
#define FSCRYPT_IMPL_FS_LAYER		1
#define FSCRYPT_IMPL_INLINE_HW		2
#define FSCRYPT_IMPL_INLINE_FALLBACK	3

#define FSCRYPT_IMPL_REASON_NONE		0
#define FSCRYPT_IMPL_REASON_NOT_BUILT		1
#define FSCRYPT_IMPL_REASON_NO_INLINECRYPT	2
#define FSCRYPT_IMPL_REASON_IV_INO_LBLK_32	3
#define FSCRYPT_IMPL_REASON_DEVICE		4

#define FSCRYPT_DIO_ENCRYPTION		0x00000001
#define FSCRYPT_DIO_VERITY		0x00000002
#define FSCRYPT_DIO_DATA_JOURNAL	0x00000004
#define FSCRYPT_DIO_INLINE_DATA		0x00000008
#define FSCRYPT_DIO_HOLES		0x00000010
#define FSCRYPT_DIO_COMPRESSION		0x00000020
#define FSCRYPT_DIO_ZONED		0x00000040
#define FSCRYPT_DIO_FILESYSTEM		0x00000080
#define FSCRYPT_DIO_ATOMIC		0x00000100

#define FS_IOC_GET_ENCRYPTION_IMPL	_IOWR(0x15, 4, struct fscrypt_get_impl_arg)
#endif

#ifndef RWF_DIO_STRICT
#define RWF_DIO_STRICT		0x00000200
#endif

#endif /* BCA_UAPI_DIOINFO_H */
