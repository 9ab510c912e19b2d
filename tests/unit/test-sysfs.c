// SPDX-License-Identifier: GPL-2.0-or-later
/* Block device names and crypto profiles from recorded sysfs trees. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "internal.h"
#include "sysroot.h"
#include "tap.h"

int main(void)
{
	char root[4096], name[64];
	struct bca_ctx *ctx;
	uint64_t v;

	plan(11);
	if (make_sysroot("inlinecrypt", root, sizeof(root)) < 0) {
		printf("Bail out! cannot build the recorded sysroot\n");
		return 1;
	}
	bca_new(&ctx);
	is_int(bca_set_sysroot(ctx, root), 0, "sysroot set");
	is_int(bca_blkdev_name(ctx, 259, 0, name, sizeof(name)), 0, "name of 259:0");
	is_str(name, "nvme0n1", "DEVNAME from uevent");
	is_int(bca_blkdev_crypto_supports(ctx, 259, 0, "AES-256-XTS", 4096), 1,
	       "hardware supports AES-256-XTS with 4096-byte data units");
	is_int(bca_blkdev_crypto_supports(ctx, 259, 0, "AES-256-XTS", 512), 0,
	       "but not 512-byte data units");
	is_int(bca_blkdev_crypto_supports(ctx, 259, 0, "Adiantum", 4096), 0,
	       "a mode the profile lacks");
	is_int(bca_blkdev_crypto_supports(ctx, 259, 1, "AES-256-XTS", 4096), 1,
	       "a partition uses its disk's profile");
	is_int(bca_blkdev_crypto_supports(ctx, 7, 0, "AES-256-XTS", 4096), 0,
	       "a loop device has no profile");
	is_int(bca_sys_read_u64(ctx, "/sys/dev/block/259:0/queue/crypto/num_keyslots", 10, &v), 0,
	       "num_keyslots read");
	is_int(v, 32, "num_keyslots value");
	is_int(bca_sys_read_u64(ctx, "/sys/dev/block/259:0/uevent", 10, &v), -BCA_ERR_PARSE,
	       "a non-number is a parse error");
	bca_unref(ctx);
	remove_sysroot(root);
	return done_testing();
}
