// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * set_policy --for-dio: pick the policy flags and data unit size with which
 * files in a directory get direct I/O through blk-crypto, say why, refuse
 * when the mount cannot give it, and check a new file once the policy is set.
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "fscryptctl.h"

/* A bitmask of data unit sizes as "512 4096", or "none". */
static void print_sizes(FILE *out, uint32_t mask)
{
	const char *sep = "";

	if (!mask)
		fputs("none", out);
	for (unsigned int b = 9; b < 32; b++) {
		if (mask & (1u << b)) {
			fprintf(out, "%s%u", sep, 1u << b);
			sep = " ";
		}
	}
}

/* One line on stderr, fscryptctl-style, for a mount that cannot give DIO. */
static int refuse(const char *dir, const struct bca_dio_plan *p, int contents_mode)
{
	const char *mnt = bca_dio_plan_get_mountpoint(p);
	const char *fs = bca_dio_plan_get_fstype(p);
	const char *dev = bca_dio_plan_get_device_name(p);

	fprintf(stderr, "error: not setting a direct-I/O policy on %s: ", dir);
	switch (bca_dio_plan_get_status(p)) {
	case BCA_DIO_PLAN_NO_INLINECRYPT:
		fprintf(stderr, "inlinecrypt is not in effect on %s (%s on %s): mount it with "
			"-o inlinecrypt; a kernel without blk-crypto (CONFIG_BLK_INLINE_ENCRYPTION) "
			"drops the option, see the kernel log\n", mnt, fs, dev);
		break;
	case BCA_DIO_PLAN_FS_UNSUPPORTED:
		fprintf(stderr, "%s (%s) has no inline encryption; only ext4 and f2fs have\n",
			mnt, fs);
		break;
	case BCA_DIO_PLAN_MODE_NO_INLINE:
		fprintf(stderr, "contents mode %s has no inline encryption equivalent\n",
			bca_fscrypt_mode_name(contents_mode));
		break;
	case BCA_DIO_PLAN_FALLBACK_UNKNOWN:
		fprintf(stderr, "%s has no inline encryption hardware for %s, and whether this "
			"kernel has blk-crypto-fallback (CONFIG_BLK_INLINE_ENCRYPTION_FALLBACK) is "
			"unknown: no kernel configuration in /proc/config.gz or /boot\n", dev,
			bca_fscrypt_mode_name(contents_mode));
		break;
	default:
		fprintf(stderr, "this kernel has no blk-crypto-fallback and the inline encryption "
			"hardware of %s supports no usable configuration for %s (data unit sizes: ",
			dev, bca_fscrypt_mode_name(contents_mode));
		print_sizes(stderr, bca_dio_plan_get_device_data_unit_sizes(p));
		fprintf(stderr, "; max_dun_bits %u, files need %u)\n",
			bca_dio_plan_get_max_dun_bits(p), bca_dio_plan_get_file_dun_bits(p));
	}
	return EXIT_FAILURE;
}

int for_dio_plan(const char *dir, struct bca_fscrypt_policy *pol)
{
	struct bca_ctx *ctx;
	struct bca_dio_plan *p;
	unsigned int flags;
	int rc;

	rc = cli_ctx_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, "error: %s\n", bca_strerror(rc));
		return EXIT_FAILURE;
	}
	rc = bca_dio_plan_new(ctx, AT_FDCWD, dir, pol->contents_mode, &p);
	bca_unref(ctx);
	if (rc < 0) {
		fprintf(stderr, "error: examining the mount of %s: %s\n", dir, bca_strerror(rc));
		return EXIT_FAILURE;
	}
	if (bca_dio_plan_get_status(p) != BCA_DIO_PLAN_OK) {
		rc = refuse(dir, p, pol->contents_mode);
		bca_dio_plan_free(p);
		return rc;
	}
	flags = bca_dio_plan_get_flags(p);
	pol->flags = (uint8_t)(pol->flags | flags);
	pol->log2_data_unit_size = (uint8_t)bca_dio_plan_get_log2_data_unit_size(p);

	printf("Direct-I/O policy for %s:\n", dir);
	printf("\tMount: %s (%s on %s), inlinecrypt in effect\n",
	       bca_dio_plan_get_mountpoint(p), bca_dio_plan_get_fstype(p),
	       bca_dio_plan_get_device_name(p));
	if (bca_dio_plan_get_crypto_impl(p) == BCA_CRYPTO_INLINE_HW) {
		printf("\tInline encryption: hardware of %s (max_dun_bits %u, %u keyslots, "
		       "data unit sizes ", bca_dio_plan_get_device_name(p),
		       bca_dio_plan_get_max_dun_bits(p), bca_dio_plan_get_num_keyslots(p));
		print_sizes(stdout, bca_dio_plan_get_device_data_unit_sizes(p));
		puts(")");
	} else if (bca_dio_plan_get_num_keyslots(p)) {
		/* a profile, but not for this mode and data unit size */
		printf("\tInline encryption: blk-crypto-fallback (the inline encryption hardware "
		       "of %s cannot do %s with %u-byte data units; the kernel encrypts in "
		       "software below the filesystem)\n", bca_dio_plan_get_device_name(p),
		       bca_fscrypt_mode_name(pol->contents_mode), bca_dio_plan_get_data_unit_size(p));
	} else {
		printf("\tInline encryption: blk-crypto-fallback (%s has no inline encryption "
		       "hardware; the kernel encrypts in software below the filesystem)\n",
		       bca_dio_plan_get_device_name(p));
	}
	printf("\tContents encryption mode: %s\n", bca_fscrypt_mode_name(pol->contents_mode));
	fputs("\tFlags: ", stdout);
	print_policy_flags(pol->flags);
	if (flags & BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64)
		puts(" (64-bit DUNs: one key per mode serves every file, instead of one "
		     "keyslot per file)");
	else if (flags & BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32)
		printf(" (the device's %u-bit DUNs are too small for per-file block numbers "
		       "of %u bits)\n", bca_dio_plan_get_max_dun_bits(p),
		       bca_dio_plan_get_file_dun_bits(p));
	else if (bca_dio_plan_get_crypto_impl(p) == BCA_CRYPTO_INLINE_HW)
		printf(" (per-file keys: the %u-bit file block numbers fit the device's DUNs)\n",
		       bca_dio_plan_get_file_dun_bits(p));
	else
		puts(" (per-file keys: the fallback takes any DUN size)");
	if (pol->log2_data_unit_size)
		printf("\tData unit size: %u (the largest the device supports below the "
		       "block size %u)\n", bca_dio_plan_get_data_unit_size(p),
		       bca_dio_plan_get_block_size(p));
	else
		printf("\tData unit size: default (the block size, %u)\n",
		       bca_dio_plan_get_block_size(p));
	cli_flush_stdout();	/* set_policy checks the result before setting */
	bca_dio_plan_free(p);
	return EXIT_SUCCESS;
}

int for_dio_verify(int dirfd, const char *dir)
{
	uint32_t mem, off;
	int rc = bca_dio_probe_new_file(dirfd, &mem, &off);

	if (rc < 0) {
		printf("\tVerified: not possible, a new file could not be created: %s\n", bca_strerror(rc));
		return EXIT_SUCCESS;
	}
	if (!mem || !off) {
		puts("\tVerified: no");
		fprintf(stderr, "error: the policy is set on %s, but a new file in it gets no "
			"direct I/O: check it with 'fscryptctl-dio check_dio'\n", dir);
		return EXIT_FAILURE;
	}
	printf("\tVerified: new files get direct I/O (memory alignment %u, offset alignment %u)\n",
	       mem, off);
	return EXIT_SUCCESS;
}
