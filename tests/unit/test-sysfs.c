// SPDX-License-Identifier: GPL-2.0-or-later
/* Block devices and crypto profiles from recorded sysfs trees: one object per device. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "internal.h"
#include "sysroot.h"
#include "tap.h"

static int profile_reads;

/* Counts the library's "reading the inline-crypto profile" debug messages. */
static void count_reads(struct bca_ctx *ctx, int priority, const char *msg, void *data)
{
	(void)ctx;
	(void)priority;
	(void)data;
	if (strstr(msg, "reading the inline-crypto profile"))
		profile_reads++;
}

static const struct bca_blkdev *get(struct bca_ctx *ctx, unsigned int ma, unsigned int mi,
				    unsigned int want, int *err)
{
	return bca_blkdev_get(ctx, makedev(ma, mi), want, err);
}

static void recorded_profiles(void)
{
	char root[4096];
	const struct bca_blkdev *d, *again;
	struct bca_blkdev *pub;
	struct bca_ctx *ctx;
	uint64_t v;
	int err;

	if (make_sysroot("inlinecrypt", root, sizeof(root)) < 0) {
		printf("Bail out! cannot build the recorded sysroot\n");
		exit(1);
	}
	bca_new(&ctx);
	bca_set_log_fn(ctx, count_reads, NULL);
	bca_set_log_priority(ctx, LOG_DEBUG);
	is_int(bca_set_sysroot(ctx, root), 0, "sysroot set");
	d = get(ctx, 259, 0, 0, &err);
	ok(d != NULL, "259:0 found");
	is_str(d ? bca_blkdev_get_name(d) : "", "nvme0n1", "DEVNAME from uevent");
	is_int(profile_reads, 0, "a name alone reads no profile");
	d = get(ctx, 259, 0, BCA_BLKDEV_HAVE_PROFILE, &err);
	ok(d && (bca_blkdev_mode_dus_mask(d, "AES-256-XTS") & 4096),
	   "hardware supports AES-256-XTS with 4096-byte data units");
	ok(d && !(bca_blkdev_mode_dus_mask(d, "AES-256-XTS") & 512), "but not 512-byte data units");
	ok(d && !bca_blkdev_mode_dus_mask(d, "Adiantum"), "a mode the profile lacks");
	d = get(ctx, 259, 1, BCA_BLKDEV_HAVE_PROFILE, &err);
	ok(d && (bca_blkdev_mode_dus_mask(d, "AES-256-XTS") & 4096),
	   "a partition uses its disk's profile");
	d = get(ctx, 7, 0, BCA_BLKDEV_HAVE_PROFILE, &err);
	ok(d && !bca_blkdev_has_crypto_profile(d), "a loop device has no profile");
	ok(get(ctx, 8, 99, 0, &err) == NULL && err == -ENODEV, "no such device: -ENODEV");

	profile_reads = 0;
	d = get(ctx, 259, 0, BCA_BLKDEV_HAVE_PROFILE, &err);
	again = get(ctx, 259, 0, BCA_BLKDEV_HAVE_PROFILE | BCA_BLKDEV_HAVE_STACK, &err);
	is_int(bca_blkdev_query_devno(ctx, makedev(259, 0), &pub), 0, "public query of 259:0");
	ok(d == again && again == pub, "every caller gets the context's one object");
	bca_blkdev_free(pub);
	is_str(bca_blkdev_get_name(d), "nvme0n1", "the caller's free leaves the context's");
	is_int(profile_reads, 0, "the profile is not read again");

	is_int(bca_sys_read_u64(ctx, "/sys/dev/block/259:0/queue/crypto/num_keyslots", 10, &v), 0,
	       "num_keyslots read");
	is_int(v, 32, "num_keyslots value");
	is_int(bca_sys_read_u64(ctx, "/sys/dev/block/259:0/uevent", 10, &v), -BCA_ERR_PARSE,
	       "a non-number is a parse error");
	bca_unref(ctx);
	remove_sysroot(root);
}

static void many_members(void)
{
	char root[4096];
	struct bca_blkdev *d;
	struct bca_ctx *ctx;
	char want[16];
	bool all = true;

	if (make_sysroot("many", root, sizeof(root)) < 0) {
		printf("Bail out! cannot build the recorded sysroot\n");
		exit(1);
	}
	bca_new(&ctx);
	bca_set_sysroot(ctx, root);
	is_int(bca_blkdev_query(ctx, "253:0", &d), 0, "dm-0 over 20 disks");
	is_int(d ? (int)bca_blkdev_get_lower_count(d) : -1, 20, "all 20 devices below");
	bca_blkdev_free(d);
	is_int(bca_blkdev_query(ctx, "nullb0", &d), 0, "nullb0 by name");
	is_int(d ? (int)bca_blkdev_get_mode_count(d) : -1, 10, "all 10 modes");
	for (size_t i = 0; d && i < 10; i++) {
		snprintf(want, sizeof(want), "MODE-%zu", i);
		all = all && !strcmp(bca_blkdev_get_mode_name(d, i), want);
	}
	ok(all, "sorted by name");
	bca_blkdev_free(d);
	bca_unref(ctx);
	remove_sysroot(root);
}

/* zram's writeback attributes, its backing device below it, and /proc/swaps. */
static void zram_and_swap(void)
{
	char root[4096];
	struct bca_blkdev *d = NULL, *l = NULL;
	enum bca_dio_reason reason;
	uint64_t n[3] = { 0 };
	struct bca_ctx *ctx;

	if (make_sysroot("zram", root, sizeof(root)) < 0) {
		printf("Bail out! cannot build the recorded sysroot\n");
		exit(1);
	}
	bca_new(&ctx);
	is_int(bca_set_sysroot(ctx, root), 0, "zram sysroot set");
	is_int(bca_blkdev_query(ctx, "zram0", &d), 0, "zram0 by name");
	is_int(d ? (int)bca_blkdev_get_kind(d) : -1, BCA_BLKDEV_ZRAM, "kind zram");
	is_str(d ? bca_blkdev_get_zram_backing_dev(d) : "", "/dev/loop0", "backing_dev");
	is_int(d ? bca_blkdev_get_zram_writeback_limit(d, &n[0]) : -2, 1, "writeback limit enabled");
	ok(n[0] == 1000, "writeback_limit in pages");
	is_int(d ? bca_blkdev_get_zram_bd_stat(d, &n[0], &n[1], &n[2]) : -2, 0, "bd_stat read");
	ok(n[0] == 2048 && n[1] == 0 && n[2] == 2048, "bd_stat: count, reads, writes");
	ok(d && bca_blkdev_get_lower_count(d) == 1 && bca_blkdev_get_lower(d, 0) == makedev(7, 0),
	   "the backing device is the device below");
	is_int(d ? (int)bca_blkdev_zram_writeback(ctx, d, &reason) : -1, BCA_ZRAM_WB_BUFFERED,
	       "loop/dio 0 below: buffered");
	is_int(reason, BCA_REASON_LOOP_DIO_OFF, "with loop-dio-off");
	is_int(d ? bca_blkdev_is_swap(ctx, d) : -1, 0, "zram0 is no swap area");
	bca_blkdev_free(d);
	is_int(bca_blkdev_query(ctx, "zram1", &d), 0, "zram1 by name");
	is_int(d ? bca_blkdev_is_swap(ctx, d) : -1, 1, "zram1 is a swap area (/proc/swaps)");
	is_int(d ? (int)bca_blkdev_zram_writeback(ctx, d, NULL) : -1, BCA_ZRAM_WB_NONE,
	       "backing_dev none: nothing written back");
	is_int(bca_blkdev_query(ctx, "loop0", &l), 0, "loop0 by name");
	is_int(l ? (int)bca_blkdev_zram_writeback(ctx, l, NULL) : -1, BCA_ZRAM_WB_NOT_ZRAM,
	       "a loop device is no zram");
	is_int(l ? bca_blkdev_get_zram_writeback_limit(l, NULL) : -2, -1, "no limit on a loop device");
	bca_blkdev_free(l);
	bca_blkdev_free(d);
	bca_unref(ctx);
	remove_sysroot(root);
}

int main(void)
{
	plan(40);
	recorded_profiles();
	many_members();
	zram_and_swap();
	return done_testing();
}
