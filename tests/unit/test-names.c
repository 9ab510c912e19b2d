// SPDX-License-Identifier: GPL-2.0-or-later
/* Enum names are part of the output format and must stay stable. */
#include "config.h"

#include <errno.h>
#include <limits.h>

#include "blkcryptadm.h"
#include "tap.h"

int main(void)
{
	plan(31);
	is_str(bca_dio_verdict_name(BCA_DIO_YES), "yes", "verdict yes");
	is_str(bca_dio_verdict_name(BCA_DIO_BUFFERED), "buffered", "verdict buffered");
	is_str(bca_dio_verdict_name(99), "unknown", "out-of-range verdict is unknown");
	is_str(bca_dio_reason_name(BCA_REASON_NO_INLINECRYPT), "no-inlinecrypt", "reason keyword");
	ok(strstr(bca_dio_reason_describe(BCA_REASON_NO_INLINECRYPT), "inlinecrypt") != NULL,
	   "reason sentence names the mount option");
	is_str(bca_dio_reason_name(BCA_REASON_NONE), "", "no reason is empty");
	for (int r = BCA_REASON_NOT_REGULAR; r < BCA_REASON_LAST; r++)
		if (!*bca_dio_reason_name(r) || !*bca_dio_reason_describe(r))
			ok(0, "reason %d has a name and a sentence", r);
	ok(1, "every reason has a name and a sentence");
	is_str(bca_crypto_impl_name(BCA_CRYPTO_INLINE_FALLBACK), "inline-fallback", "crypto name");
	is_str(bca_fscrypt_mode_name(1), "AES-256-XTS", "mode 1");
	is_str(bca_fscrypt_mode_name(9), "Adiantum", "mode 9");
	ok(bca_fscrypt_mode_name(2) == NULL, "mode 2 (never used) has no name");
	is_int(bca_fscrypt_mode_from_name("aes-256-cts"), 4, "mode names are case-insensitive");
	is_int(bca_fscrypt_mode_from_name("AES-512"), -EINVAL, "unknown mode name");
	is_str(bca_strerror(-ENOENT), "No such file or directory", "negative errno");
	is_str(bca_strerror(-BCA_ERR_PARSE), "unexpected format in a kernel interface file", "library code");
	ok(bca_strerror(-BCA_ERR_LAST) != NULL, "out-of-range code still has a string");
	{
		bool all = true;

		/* a code added without its sentence would print "(null)" */
		for (int e = BCA_ERR_BASE + 1; e < BCA_ERR_LAST; e++)
			all = all && bca_strerror(-e) && *bca_strerror(-e);
		ok(all, "every BCA_ERR_* code has a sentence");
	}
	is_str(bca_strerror(INT_MIN), "unknown error", "INT_MIN has a string, without overflow (UBSan)");
	ok(bca_strerror(INT_MAX) != NULL, "INT_MAX has a string");
	is_str(bca_source_name(BCA_SOURCE_KERNEL), "kernel", "source kernel");
	{
		bool all = true;

		for (int k = 0; k < BCA_BLKDEV_LAST; k++)
			all = all && strcmp(bca_blkdev_kind_name(k), "unknown");
		for (int t = 0; t < BCA_TARGET_LAST; t++)
			all = all && strcmp(bca_crypt_target_name(t), "unknown");
		for (int st = BCA_DIO_PLAN_OK + 1; st < BCA_DIO_PLAN_LAST; st++)
			all = all && bca_dio_plan_status_name(st) &&
			      strcmp(bca_dio_plan_status_name(st), "unknown");
		ok(all, "every device kind, target and plan status below its _LAST has a name");
	}
	is_str(bca_blkdev_kind_name(BCA_BLKDEV_LAST), "unknown", "kind past _LAST");
	is_str(bca_crypt_target_name(BCA_TARGET_INLINECRYPT), "inlinecrypt", "target inlinecrypt");
	ok(bca_dio_plan_status_name(BCA_DIO_PLAN_OK) == NULL, "a plan without a shortfall has no name");
	{
		char buf[64];

		bca_fscrypt_policy_flags_str(3, ", ", buf, sizeof(buf));
		is_str(buf, "PAD_32", "flags: padding only");
		bca_fscrypt_policy_flags_str(BCA_FSCRYPT_POLICY_FLAG_DIRECT_KEY | 1, ",", buf, sizeof(buf));
		is_str(buf, "PAD_8,DIRECT_KEY", "flags: DIRECT_KEY");
		bca_fscrypt_policy_flags_str(0x3a, ", ", buf, sizeof(buf));
		is_str(buf, "PAD_16, IV_INO_LBLK_64, IV_INO_LBLK_32, Unknown (20)",
		       "flags: both IV schemes and an unknown bit, fscryptctl's words");
		is_int(bca_fscrypt_policy_flags_str(0x08, ", ", buf, 4), 21, "length as snprintf");
		is_str(buf, "PAD", "truncated, terminated");
		is_int(bca_fscrypt_policy_flags_str(0, ", ", NULL, 0), 5, "length alone");
		is_int(bca_fscrypt_policy_flags_str(0, NULL, buf, sizeof(buf)), -EINVAL, "no separator");
	}
	return done_testing();
}
