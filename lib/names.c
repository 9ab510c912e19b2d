// SPDX-License-Identifier: LGPL-2.1-or-later
/* Stable keywords and sentences for the library's enums. */
#include "config.h"

#include <errno.h>
#include <strings.h>

#include "internal.h"
#include "uapi/fscrypt.h"

/* the header's numbers are the kernel's */
_Static_assert(BCA_FSCRYPT_MODE_AES_256_XTS == FSCRYPT_MODE_AES_256_XTS &&
	       BCA_FSCRYPT_MODE_AES_128_CBC == FSCRYPT_MODE_AES_128_CBC &&
	       BCA_FSCRYPT_MODE_SM4_XTS == FSCRYPT_MODE_SM4_XTS &&
	       BCA_FSCRYPT_MODE_ADIANTUM == FSCRYPT_MODE_ADIANTUM &&
	       BCA_FSCRYPT_MODE_AES_256_HCTR2 == FSCRYPT_MODE_AES_256_HCTR2, "modes");
_Static_assert(BCA_FSCRYPT_POLICY_FLAG_DIRECT_KEY == FSCRYPT_POLICY_FLAG_DIRECT_KEY &&
	       BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64 == FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64 &&
	       BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32 == FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32 &&
	       BCA_FSCRYPT_POLICY_FLAGS_PAD_MASK == FSCRYPT_POLICY_FLAGS_PAD_MASK, "flags");

#define NAME_OR(table, i, fallback) \
	((unsigned int)(i) < BCA_ARRAY_SIZE(table) && (table)[i] ? (table)[i] : (fallback))

static const char *const verdict_names[] = {
	[BCA_DIO_UNKNOWN] = "unknown",
	[BCA_DIO_YES] = "yes",
	[BCA_DIO_NO] = "no",
	[BCA_DIO_BUFFERED] = "buffered",
};

BCA_EXPORT const char *bca_dio_verdict_name(enum bca_dio_verdict v)
{
	return NAME_OR(verdict_names, v, "unknown");
}

static const struct {
	const char *name;
	const char *text;
} reasons[] = {
	[BCA_REASON_NONE] = { "", "" },
	[BCA_REASON_NOT_REGULAR] = { "not-regular",
		"not a regular file" },
	[BCA_REASON_NO_INLINECRYPT] = { "no-inlinecrypt",
		"encrypted, but the filesystem is not mounted with an effective inlinecrypt option" },
	[BCA_REASON_KEY_ABSENT] = { "key-absent",
		"encrypted and the key has not been added" },
	[BCA_REASON_MODE_NO_INLINE] = { "mode-no-inline",
		"the contents encryption mode has no inline-crypto equivalent" },
	[BCA_REASON_IV_INO_LBLK_32_BLOCKSIZE] = { "iv-ino-lblk-32-blocksize",
		"IV_INO_LBLK_32 policy on a filesystem whose block size is not the page size" },
	[BCA_REASON_VERITY] = { "verity",
		"fs-verity file: reads go through the page cache" },
	[BCA_REASON_DATA_JOURNAL] = { "data-journal",
		"ext4 data=journal: data goes through the journal and the page cache" },
	[BCA_REASON_INLINE_DATA] = { "inline-data",
		"the data is stored inline in the inode" },
	[BCA_REASON_FS_NO_DIO] = { "fs-no-dio",
		"the filesystem does not support direct I/O" },
	[BCA_REASON_DEVICE_NO_CRYPTO] = { "device-no-crypto",
		"no device under the filesystem supports the crypto configuration and blk-crypto-fallback is not available" },
	[BCA_REASON_UNKNOWN] = { "unknown",
		"the kernel reports no direct I/O support and the cause is unknown" },
	[BCA_REASON_BACKING_UNREACHABLE] = { "backing-unreachable",
		"the loop device's backing file was deleted or its path leads to another file: no report on it" },
	[BCA_REASON_LOOP_DIO_OFF] = { "loop-dio-off",
		"a loop device below has direct I/O off (loop/dio 0): its backing file's page cache keeps a copy of what goes through it" },
};

BCA_EXPORT const char *bca_dio_reason_name(enum bca_dio_reason r)
{
	return (unsigned int)r < BCA_ARRAY_SIZE(reasons) ? reasons[r].name : "unknown";
}

BCA_EXPORT const char *bca_dio_reason_describe(enum bca_dio_reason r)
{
	return (unsigned int)r < BCA_ARRAY_SIZE(reasons) ? reasons[r].text : "";
}

static const char *const crypto_names[] = {
	[BCA_CRYPTO_NONE] = "none",
	[BCA_CRYPTO_FS_LAYER] = "fs-layer",
	[BCA_CRYPTO_INLINE_HW] = "inline-hw",
	[BCA_CRYPTO_INLINE_FALLBACK] = "inline-fallback",
	[BCA_CRYPTO_UNKNOWN] = "unknown",
};

BCA_EXPORT const char *bca_crypto_impl_name(enum bca_crypto_impl c)
{
	return NAME_OR(crypto_names, c, "unknown");
}

static const char *const key_names[] = {
	[BCA_KEY_NOT_APPLICABLE] = "",
	[BCA_KEY_PRESENT] = "present",
	[BCA_KEY_ABSENT] = "absent",
	[BCA_KEY_INCOMPLETELY_REMOVED] = "incompletely-removed",
	[BCA_KEY_UNKNOWN] = "unknown",
};

BCA_EXPORT const char *bca_key_status_name(enum bca_key_status k)
{
	return NAME_OR(key_names, k, "unknown");
}

static const char *const source_names[] = {
	[BCA_SOURCE_INFERRED] = "inferred",
	[BCA_SOURCE_KERNEL] = "kernel",
};

BCA_EXPORT const char *bca_source_name(enum bca_source s)
{
	return NAME_OR(source_names, s, "inferred");
}

BCA_EXPORT const char *bca_blkdev_kind_name(enum bca_blkdev_kind k)
{
	static const char *const names[] = {
		[BCA_BLKDEV_DISK] = "disk",
		[BCA_BLKDEV_PART] = "part",
		[BCA_BLKDEV_DM] = "dm",
		[BCA_BLKDEV_LOOP] = "loop",
		[BCA_BLKDEV_ZRAM] = "zram",
	};

	return NAME_OR(names, k, "unknown");
}

BCA_EXPORT const char *bca_crypt_target_name(enum bca_crypt_target t)
{
	static const char *const names[] = {
		[BCA_TARGET_CRYPT] = "crypt",
		[BCA_TARGET_INLINECRYPT] = "inlinecrypt",
	};

	return NAME_OR(names, t, "unknown");
}

BCA_EXPORT const char *bca_dio_plan_status_name(enum bca_dio_plan_status s)
{
	static const char *const names[] = {
		[BCA_DIO_PLAN_OK] = NULL,
		[BCA_DIO_PLAN_NO_INLINECRYPT] = "no-inlinecrypt",
		[BCA_DIO_PLAN_FS_UNSUPPORTED] = "fs-no-inline-crypt",
		[BCA_DIO_PLAN_MODE_NO_INLINE] = "mode-no-inline",
		[BCA_DIO_PLAN_DEVICE_NO_CONFIG] = "device-no-crypto",
		[BCA_DIO_PLAN_FALLBACK_UNKNOWN] = "fallback-unknown",
	};

	if (s == BCA_DIO_PLAN_OK)
		return NULL;
	return NAME_OR(names, s, "unknown");
}

/*
 * One table of the contents and filenames modes: fscryptctl's spelling (so
 * that output and --contents= values match it), and blk-crypto's name of
 * the modes it implements (the queue/crypto/modes/ files).
 */
static const struct {
	const char *name, *blk_crypto;
} modes[] = {
	[FSCRYPT_MODE_AES_256_XTS] = { "AES-256-XTS", "AES-256-XTS" },
	[FSCRYPT_MODE_AES_256_CTS] = { "AES-256-CTS", NULL },
	[FSCRYPT_MODE_AES_128_CBC] = { "AES-128-CBC", "AES-128-CBC-ESSIV" },
	[FSCRYPT_MODE_AES_128_CTS] = { "AES-128-CTS", NULL },
	[FSCRYPT_MODE_SM4_XTS] = { "SM4-XTS", "SM4-XTS" },
	[FSCRYPT_MODE_SM4_CTS] = { "SM4-CTS", NULL },
	[FSCRYPT_MODE_ADIANTUM] = { "Adiantum", "Adiantum" },
	[FSCRYPT_MODE_AES_256_HCTR2] = { "AES-256-HCTR2", NULL },
};

BCA_EXPORT const char *bca_fscrypt_mode_name(int mode)
{
	return (unsigned int)mode < BCA_ARRAY_SIZE(modes) ? modes[mode].name : NULL;
}

const char *bca_blk_crypto_mode_of(int mode)
{
	return (unsigned int)mode < BCA_ARRAY_SIZE(modes) ? modes[mode].blk_crypto : NULL;
}

BCA_EXPORT int bca_fscrypt_policy_flags_str(unsigned int flags, const char *sep,
					    char *buf, size_t size)
{
	static const struct { unsigned int bit; const char *name; } names[] = {
		{ BCA_FSCRYPT_POLICY_FLAG_DIRECT_KEY, "DIRECT_KEY" },
		{ BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64, "IV_INO_LBLK_64" },
		{ BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32, "IV_INO_LBLK_32" },
	};
	size_t n;
	int len;

	if (!sep || (!buf && size))
		return -EINVAL;
	len = snprintf(buf, size, "PAD_%u", 4u << (flags & BCA_FSCRYPT_POLICY_FLAGS_PAD_MASK));
	flags &= ~BCA_FSCRYPT_POLICY_FLAGS_PAD_MASK;
	for (size_t i = 0; i < BCA_ARRAY_SIZE(names); i++) {
		if (!(flags & names[i].bit))
			continue;
		n = (size_t)len < size ? (size_t)len : size;
		len += snprintf(buf ? buf + n : NULL, size - n, "%s%s", sep, names[i].name);
		flags &= ~names[i].bit;
	}
	if (flags) {
		n = (size_t)len < size ? (size_t)len : size;
		len += snprintf(buf ? buf + n : NULL, size - n, "%sUnknown (%02x)", sep, flags);
	}
	return len;
}

BCA_EXPORT int bca_fscrypt_mode_from_name(const char *name)
{
	for (unsigned int i = 0; i < BCA_ARRAY_SIZE(modes); i++)
		if (modes[i].name && !strcasecmp(modes[i].name, name))
			return (int)i;
	return -EINVAL;
}

BCA_EXPORT const char *bca_loop_dio_name(enum bca_loop_dio v)
{
	static const char *const names[] = {
		[BCA_LOOP_DIO_NOT_LOOP] = "",
		[BCA_LOOP_DIO_YES] = "yes",
		[BCA_LOOP_DIO_OFF] = "off",
		[BCA_LOOP_DIO_BUFFERED] = "buffered",
		[BCA_LOOP_DIO_UNKNOWN] = "unknown",
	};

	return (unsigned int)v < BCA_ARRAY_SIZE(names) ? names[v] : "unknown";
}

BCA_EXPORT const char *bca_zram_wb_name(enum bca_zram_wb v)
{
	static const char *const names[] = {
		[BCA_ZRAM_WB_NOT_ZRAM] = "",
		[BCA_ZRAM_WB_YES] = "yes",
		[BCA_ZRAM_WB_BUFFERED] = "buffered",
		[BCA_ZRAM_WB_NONE] = "none",
		[BCA_ZRAM_WB_UNKNOWN] = "unknown",
	};

	return NAME_OR(names, v, "unknown");
}

BCA_EXPORT const char *bca_swap_use_name(enum bca_swap_use u)
{
	static const char *const names[] = {
		[BCA_SWAP_NONE] = "",
		[BCA_SWAP_FILE] = "file",
		[BCA_SWAP_LOOP] = "loop",
		[BCA_SWAP_ZRAM] = "zram",
	};

	return NAME_OR(names, u, "");
}

BCA_EXPORT const char *bca_swapon_name(enum bca_swapon s)
{
	static const char *const names[] = {
		[BCA_SWAPON_UNKNOWN] = "unknown",
		[BCA_SWAPON_YES] = "yes",
		[BCA_SWAPON_NO] = "no",
	};

	return NAME_OR(names, s, "unknown");
}
