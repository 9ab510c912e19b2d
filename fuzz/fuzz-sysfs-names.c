// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A device name as a user types it ("sda", "dm-0") goes into a sysfs path
 * (/sys/class/block/NAME): whatever the name, the device found must be the
 * one of that name.  The recorded tree holds sda (8:0) and decoys one and
 * two levels up (9:8, 9:9), reachable only by a name that climbs out of
 * /sys/class/block (".", ".."): finding a decoy aborts.
 */
#include <stdint.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "internal.h"
#include "sysroot.h"

static void record(void)
{
	static int done;

	if (done++)
		return;
	fuzz_file("sys/class/block/sda/dev", "8:0\n", 4);
	fuzz_file("sys/class/block/dev", "9:9\n", 4);
	fuzz_file("sys/class/dev", "9:8\n", 4);
	fuzz_file("sys/dev/block/8:0/uevent", "MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\n", 42);
	fuzz_file("sys/dev/block/9:9/uevent", "MAJOR=9\nMINOR=9\nDEVNAME=decoy\nDEVTYPE=disk\n", 44);
	fuzz_file("sys/dev/block/9:8/uevent", "MAJOR=9\nMINOR=8\nDEVNAME=decoy\nDEVTYPE=disk\n", 44);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bca_blkdev *d;
	struct bca_ctx *ctx;
	char name[80];
	dev_t dev;

	if (size >= sizeof(name) || memchr(data, '\0', size))
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	/* a path names the device holding it (the host's), MAJ:MIN any device */
	if (strchr(name, '/') || bca_devno_parse(name, &dev) == 0)
		return 0;
	record();
	if (bca_new(&ctx) < 0 || bca_set_sysroot(ctx, fuzz_root()) < 0)
		abort();
	if (bca_blkdev_query(ctx, name, &d) == 0) {
		dev = bca_blkdev_get_devno(d);
		if (major(dev) == 9)
			abort();	/* a decoy: the name climbed out of class/block */
		if (dev == makedev(8, 0) && strcmp(name, "sda"))
			abort();
		bca_blkdev_free(d);
	}
	bca_unref(ctx);
	return 0;
}
