/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Hardware-wrapped inline-encryption keys (Linux 6.15,
 * include/uapi/linux/blk-crypto.h), for building on older headers.
 */
#ifndef BCA_UAPI_BLK_CRYPTO_KEYS_H
#define BCA_UAPI_BLK_CRYPTO_KEYS_H

#include <linux/ioctl.h>
#include <linux/types.h>

#ifndef BLKCRYPTOIMPORTKEY
struct blk_crypto_import_key_arg {
	__u64 raw_key_ptr;
	__u64 raw_key_size;
	__u64 lt_key_ptr;
	__u64 lt_key_size;
	__u64 reserved[4];
};

struct blk_crypto_generate_key_arg {
	__u64 lt_key_ptr;
	__u64 lt_key_size;
	__u64 reserved[4];
};

struct blk_crypto_prepare_key_arg {
	__u64 lt_key_ptr;
	__u64 lt_key_size;
	__u64 eph_key_ptr;
	__u64 eph_key_size;
	__u64 reserved[4];
};

#define BLKCRYPTOIMPORTKEY	_IOWR(0x12, 137, struct blk_crypto_import_key_arg)
#define BLKCRYPTOGENERATEKEY	_IOWR(0x12, 138, struct blk_crypto_generate_key_arg)
#define BLKCRYPTOPREPAREKEY	_IOWR(0x12, 139, struct blk_crypto_prepare_key_arg)
#endif

#endif /* BCA_UAPI_BLK_CRYPTO_KEYS_H */
