// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Hardware-wrapped inline-encryption keys: the BLKCRYPTO*KEY block device
 * ioctls (6.15).  Every buffer that holds key material is a bca_secret.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"
#include "uapi/blk-crypto-keys.h"

/* Runs one ioctl with its input copied into and its output taken from locked memory. */
static int run(int fd, unsigned long req, void *arg, const void *in, size_t in_size,
	       __u64 *in_ptr, __u64 *in_len, void *out, size_t *out_size,
	       __u64 *out_ptr, __u64 *out_len)
{
	struct bca_secret *ibuf = NULL, *obuf = NULL;
	int rc;

	if (in) {
		if (!in_size || in_size > BCA_HW_WRAPPED_KEY_MAX_SIZE)
			return -EINVAL;
		rc = bca_secret_new(in_size, &ibuf);
		if (rc < 0)
			return rc;
		memcpy(bca_secret_get_data(ibuf), in, in_size);
		*in_ptr = (uintptr_t)bca_secret_get_data(ibuf);
		*in_len = in_size;
	}
	rc = bca_secret_new(BCA_HW_WRAPPED_KEY_MAX_SIZE, &obuf);
	if (rc < 0)
		goto out;
	*out_ptr = (uintptr_t)bca_secret_get_data(obuf);
	*out_len = BCA_HW_WRAPPED_KEY_MAX_SIZE;
	if (ioctl(fd, req, arg) < 0) {
		rc = -errno;
	} else if (*out_len > *out_size || *out_len > BCA_HW_WRAPPED_KEY_MAX_SIZE) {
		rc = -EOVERFLOW;
	} else {
		memcpy(out, bca_secret_get_data(obuf), *out_len);
		*out_size = *out_len;
		rc = 0;
	}
out:
	bca_secret_free(obuf);
	bca_secret_free(ibuf);
	return rc;
}

BCA_EXPORT int bca_hw_wrapped_key_import(int fd, const void *raw, size_t raw_size,
					 void *out, size_t *out_size)
{
	struct blk_crypto_import_key_arg arg;

	memset(&arg, 0, sizeof(arg));
	return run(fd, BLKCRYPTOIMPORTKEY, &arg, raw, raw_size, &arg.raw_key_ptr,
		   &arg.raw_key_size, out, out_size, &arg.lt_key_ptr, &arg.lt_key_size);
}

BCA_EXPORT int bca_hw_wrapped_key_generate(int fd, void *out, size_t *out_size)
{
	struct blk_crypto_generate_key_arg arg;

	memset(&arg, 0, sizeof(arg));
	return run(fd, BLKCRYPTOGENERATEKEY, &arg, NULL, 0, NULL, NULL,
		   out, out_size, &arg.lt_key_ptr, &arg.lt_key_size);
}

BCA_EXPORT int bca_hw_wrapped_key_prepare(int fd, const void *lt_key, size_t lt_size,
					  void *out, size_t *out_size)
{
	struct blk_crypto_prepare_key_arg arg;

	memset(&arg, 0, sizeof(arg));
	return run(fd, BLKCRYPTOPREPAREKEY, &arg, lt_key, lt_size, &arg.lt_key_ptr,
		   &arg.lt_key_size, out, out_size, &arg.eph_key_ptr, &arg.eph_key_size);
}
