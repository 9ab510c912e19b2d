// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Policy planning (bca_dio_plan_for_mount()) against the recorded trees
 * "stack" (no evidence of blk-crypto-fallback), "stack+fallback" (Debian's
 * /proc/config.gz), "stack+nofallback" (a kernel without blk-crypto) and
 * "stack+patched" (queue/crypto_fallback of blkcryptadm's patches, which
 * beats a contradicting config).  The expectations are the kernel's rules:
 * blk-crypto takes a configuration (mode, data unit size, DUN bytes) only
 * when the device's queue/crypto/ lists it (blk_crypto_config_supported());
 * IV_INO_LBLK_64 needs the data unit to be the block and 64-bit DUNs; a
 * plain policy needs the file's data unit index to fit the DUN
 * (fscrypt_get_dun_bytes()); only ext4 takes a data unit below the block
 * (6.7+).  The guest checks such plans against the kernel with emulated
 * hardware (tests/vm/nullb-crypto.bats) and the fallback
 * (tests/vm/fscryptctl-dio.bats).
 */
#include "config.h"

#include <string.h>

#include "internal.h"
#include "sysroot.h"
#include "tap.h"
#include "uapi/fscrypt.h"

#define XTS	FSCRYPT_MODE_AES_256_XTS
#define CBC	FSCRYPT_MODE_AES_128_CBC
#define ADI	FSCRYPT_MODE_ADIANTUM
#define HCTR2	FSCRYPT_MODE_AES_256_HCTR2
#define LBLK64	FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64

enum variant { NOEVIDENCE, FALLBACK, NOFALLBACK, PATCHED, NVARIANTS };
static const char *const trees[NVARIANTS] = {
	"stack", "stack+fallback", "stack+nofallback", "stack+patched",
};

struct kase {
	const char *name;
	uint64_t mnt_id;
	uint32_t block_size;
	int mode;
	/* FB: no hardware for it, the answer is the fallback's */
	bool fb;
	enum bca_dio_plan_status status;
	enum bca_crypto_impl impl;
	unsigned int flags, log2_dus;
	uint32_t dus;
	unsigned int file_dun_bits;
};

/* hardware for it; no hardware (the fallback answers); refused before */
#define HW(n, id, bs, md, fl, l2, du, bits) \
	{ .name = n, .mnt_id = id, .block_size = bs, .mode = md, .status = BCA_DIO_PLAN_OK, \
	  .impl = BCA_CRYPTO_INLINE_HW, .flags = fl, .log2_dus = l2, .dus = du, .file_dun_bits = bits }
#define FB(n, id, bs, md) \
	{ .name = n, .mnt_id = id, .block_size = bs, .mode = md, .fb = true }
#define NO(n, id, st) \
	{ .name = n, .mnt_id = id, .block_size = 4096, .mode = XTS, .status = st }

static const struct kase cases[] = {
	/* nvme0n1: 32 keyslots, 64-bit DUNs, XTS at 512 and 4096, CBC at 4096 */
	HW("ext4 4k XTS on the partition: the disk's hardware, one key per mode",
	   70, 4096, XTS, LBLK64, 0, 4096, 32),
	HW("ext4 1k XTS: the hardware's 512-byte data unit, a plain policy",
	   70, 1024, XTS, 0, 9, 512, 33),
	HW("ext4 4k CBC-ESSIV", 70, 4096, CBC, LBLK64, 0, 4096, 32),
	FB("ext4 1k CBC-ESSIV: no data unit of the hardware fits", 70, 1024, CBC),
	FB("ext4 4k Adiantum: not in the profile", 70, 4096, ADI),
	{ .name = "HCTR2 is a filenames mode: no blk-crypto mode", .mnt_id = 70,
	  .block_size = 4096, .mode = HCTR2, .status = BCA_DIO_PLAN_MODE_NO_INLINE },
	/* dm-0: dm-linear passes the partition's profile through */
	HW("f2fs 4k XTS on dm-linear", 71, 4096, XTS, LBLK64, 0, 4096, 32),
	FB("f2fs 4k Adiantum: not in the profile", 71, 4096, ADI),
	/* dm-crypt and dm-linear over sda: no profile */
	FB("ext4 on dm-crypt", 72, 4096, XTS),
	FB("ext4 on dm-linear over a plain disk", 73, 4096, XTS),
	NO("ext4 without inlinecrypt", 74, BCA_DIO_PLAN_NO_INLINECRYPT),
	NO("xfs", 75, BCA_DIO_PLAN_FS_UNSUPPORTED),
};

/* What a plan without hardware is in each tree. */
static void fallback_answer(enum variant v, const struct kase *c, struct kase *want)
{
	*want = *c;
	switch (v) {
	case FALLBACK:
	case PATCHED:
		want->status = BCA_DIO_PLAN_OK;
		want->impl = BCA_CRYPTO_INLINE_FALLBACK;
		want->flags = 0;
		want->log2_dus = 0;
		want->dus = c->block_size;
		want->file_dun_bits = 32;
		break;
	case NOFALLBACK:
		want->status = BCA_DIO_PLAN_DEVICE_NO_CONFIG;
		want->impl = BCA_CRYPTO_FS_LAYER;
		break;
	default:
		want->status = BCA_DIO_PLAN_FALLBACK_UNKNOWN;
		want->impl = BCA_CRYPTO_UNKNOWN;
	}
}

static void check(enum variant v, const struct bca_dio_plan *p, const struct kase *c)
{
	struct kase want = *c;
	char what[256];

	if (c->fb)
		fallback_answer(v, c, &want);
	snprintf(what, sizeof(what), "%s: %s", trees[v], c->name);
	if (bca_dio_plan_get_status(p) != want.status) {
		ok(false, "%s (status %d, want %d)", what, bca_dio_plan_get_status(p), want.status);
		return;
	}
	if (want.status == BCA_DIO_PLAN_OK || c->fb) {
		ok(bca_dio_plan_get_crypto_impl(p) == want.impl &&
		   (want.status != BCA_DIO_PLAN_OK ||
		    (bca_dio_plan_get_flags(p) == want.flags &&
		     bca_dio_plan_get_log2_data_unit_size(p) == want.log2_dus &&
		     bca_dio_plan_get_data_unit_size(p) == want.dus &&
		     bca_dio_plan_get_file_dun_bits(p) == want.file_dun_bits)),
		   "%s (impl %d flags %#x log2 %u dus %u dun bits %u)", what,
		   bca_dio_plan_get_crypto_impl(p), bca_dio_plan_get_flags(p),
		   bca_dio_plan_get_log2_data_unit_size(p), bca_dio_plan_get_data_unit_size(p),
		   bca_dio_plan_get_file_dun_bits(p));
		return;
	}
	ok(true, "%s", what);
}

int main(void)
{
	struct bca_statx st = { .stx_mask = STATX_MNT_ID };
	const struct bca_mount *m;
	struct bca_dio_plan *p;
	struct bca_ctx *ctx;
	char root[4096];

	plan((int)(NVARIANTS * BCA_ARRAY_SIZE(cases)) + 6);
	for (int v = 0; v < NVARIANTS; v++) {
		if (make_sysroot(trees[v], root, sizeof(root)) < 0 || bca_new(&ctx) < 0 ||
		    bca_set_sysroot(ctx, root) < 0) {
			printf("Bail out! cannot set up the recorded tree %s\n", trees[v]);
			return 1;
		}
		for (size_t i = 0; i < BCA_ARRAY_SIZE(cases); i++) {
			const struct kase *c = &cases[i];

			st.stx_mnt_id = c->mnt_id;
			if (bca_mount_of(ctx, &st, 0, &m) != 0 ||
			    bca_dio_plan_for_mount(ctx, m, c->block_size, c->mode, &p) < 0) {
				ok(false, "%s: %s: planned", trees[v], c->name);
				continue;
			}
			check(v, p, c);
			bca_dio_plan_free(p);
		}
		if (v == NOEVIDENCE) {
			/* what a plan reports of where it was made */
			st.stx_mnt_id = 70;
			if (bca_mount_of(ctx, &st, 0, &m) == 0 &&
			    bca_dio_plan_for_mount(ctx, m, 4096, XTS, &p) == 0) {
				is_str(bca_dio_plan_get_mountpoint(p), "/mnt/nvme", "mount point");
				is_str(bca_dio_plan_get_fstype(p), "ext4", "filesystem type");
				is_str(bca_dio_plan_get_super_options(p), "rw,inlinecrypt",
				       "superblock options as the kernel shows them");
				is_str(bca_dio_plan_get_device_name(p), "nvme0n1p1", "device name");
				is_int((int)bca_dio_plan_get_num_keyslots(p), 32, "keyslots of the disk");
				is_int((int)bca_dio_plan_get_device_data_unit_sizes(p), 0x1200,
				       "data unit sizes of the disk for the mode");
				bca_dio_plan_free(p);
			} else {
				for (int k = 0; k < 6; k++)
					ok(false, "plan for mount 70");
			}
		}
		bca_unref(ctx);
		remove_sysroot(root);
	}
	return done_testing();
}
