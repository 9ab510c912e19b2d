// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A recorded block device: its uevent, dm name, crypto profile files and
 * kernel configuration come from the input (NUL-separated parts), read as
 * blkcrypt-query device --sysroot reads them.
 */
#include <stdint.h>
#include <sys/sysmacros.h>

#include "internal.h"
#include "sysroot.h"

static const char *const files[] = {
	"sys/dev/block/8:0/uevent",
	"sys/dev/block/8:0/queue/crypto/num_keyslots",
	"sys/dev/block/8:0/queue/crypto/max_dun_bits",
	"sys/dev/block/8:0/queue/crypto/modes/AES-256-XTS",
	"sys/dev/block/8:0/queue/crypto/modes/Adiantum",
	"sys/dev/block/8:0/dm/name",
	"sys/dev/block/8:0/slaves/x/dev",
	"proc/config.gz",
	"dm-tables/x",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bca_blkdev *d;
	struct bca_ctx *ctx;
	const uint8_t *part;
	const char *why;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t n = fuzz_part(data, size, (int)i, &part);

		fuzz_file(files[i], part, n);
	}
	if (bca_new(&ctx) < 0 || bca_set_sysroot(ctx, fuzz_root()) < 0)
		abort();
	if (bca_blkdev_query_devno(ctx, makedev(8, 0), &d) == 0) {
		for (size_t i = 0; i < bca_blkdev_get_mode_count(d); i++)
			if (!bca_blkdev_get_mode_name(d, i))
				abort();
		bca_blkdev_crypto_for(d, "AES-256-XTS", 4096);
		bca_blkdev_passes_crypto(d);
		bca_blkdev_get_fallback(d, &why);
		if (!why)
			abort();
		for (size_t i = 0; i < bca_blkdev_get_lower_count(d); i++)
			bca_blkdev_get_lower(d, i);
		bca_blkdev_free(d);
	}
	{
		int err;
		const struct bca_blkdev *p = bca_blkdev_get(ctx, makedev(8, 0),
							    BCA_BLKDEV_HAVE_PROFILE, &err);

		if (p)
			bca_blkdev_mode_dus_mask(p, "AES-256-XTS");
	}
	bca_unref(ctx);
	return 0;
}
