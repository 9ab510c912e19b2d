/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fscrypt uAPI additions newer than Debian 12's <linux/fscrypt.h> (6.1).
 * Policy v2 gained log2_data_unit_size in 6.7 in what 6.1 calls
 * __reserved[0]; add_key gained FSCRYPT_ADD_KEY_FLAG_HW_WRAPPED in 6.16.
 */
#ifndef BCA_UAPI_FSCRYPT_H
#define BCA_UAPI_FSCRYPT_H

#include <linux/fscrypt.h>

/* Older headers name byte 4 of the v2 policy __reserved[0]. */
#define BCA_POLICY_V2_LOG2_DUS(p)	((p)->__reserved[0])

#ifndef FSCRYPT_MODE_SM4_XTS
#define FSCRYPT_MODE_SM4_XTS		7
#endif
#ifndef FSCRYPT_MODE_SM4_CTS
#define FSCRYPT_MODE_SM4_CTS		8
#endif
#ifndef FSCRYPT_MODE_AES_256_HCTR2
#define FSCRYPT_MODE_AES_256_HCTR2	10
#endif
#ifndef FSCRYPT_ADD_KEY_FLAG_HW_WRAPPED
#define FSCRYPT_ADD_KEY_FLAG_HW_WRAPPED	0x00000001
#endif

#endif /* BCA_UAPI_FSCRYPT_H */
