// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "MAJ:MIN" wherever the library reads one (a device argument, a sysfs dev
 * file, a dm table): decimal digits only, major below 2^12 and minor below
 * 2^20 as the kernel's dev_t, never a wrapped or signed number taken for
 * another device.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/sysmacros.h>

#include "blkcryptadm.h"
#include "internal.h"
#include "sysroot.h"
#include "tap.h"

/* sda of the recorded tree is 8:0: each of these once read as 8:0 (sscanf %u) */
static const char *const hostile[] = {
	"4294967304:0",		/* 2^32 + 8 */
	"-4294967288:0",	/* -(2^32 - 8) */
	"8:4294967296",		/* 2^32 + 0 */
	"18446744073709551624:0",	/* 2^64 + 8 */
	" 8: 0",
	"+8:+0",
	"8:0 ",
	"8:0\n",
	"8 :0",
	"0x8:0",
	"8:-0",
};

/* s with a newline shown as \n, for the TAP line */
static const char *shown(const char *s)
{
	static char buf[64];
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 3; s++) {
		if (*s == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	return buf;
}

static void device_argument(const char *root)
{
	struct bca_blkdev *d;
	struct bca_ctx *ctx;
	int rc;

	bca_new(&ctx);
	bca_set_sysroot(ctx, root);
	rc = bca_blkdev_query(ctx, "8:0", &d);
	is_int(rc, 0, "8:0 is sda");
	if (rc == 0) {
		is_str(bca_blkdev_get_name(d), "sda", "by its device number");
		bca_blkdev_free(d);
	}
	rc = bca_blkdev_query(ctx, "008:000", &d);
	is_int(rc, 0, "leading zeros are still decimal digits");
	if (rc == 0)
		bca_blkdev_free(d);
	for (size_t i = 0; i < BCA_ARRAY_SIZE(hostile); i++) {
		d = NULL;
		rc = bca_blkdev_query(ctx, hostile[i], &d);
		ok(rc < 0 && !d, "device argument '%s' is not 8:0", shown(hostile[i]));
		if (rc == 0) {
			printf("#   got %s\n", bca_blkdev_get_name(d));
			bca_blkdev_free(d);
		}
	}
	is_int(bca_blkdev_query(ctx, "4096:0", &d), -ERANGE, "major 4096 is past 12 bits");
	is_int(bca_blkdev_query(ctx, "8:1048576", &d), -ERANGE, "minor 2^20 is past 20 bits");
	is_int(bca_blkdev_query(ctx, "4095:1048575", &d), -ENODEV,
	       "the largest device number is one, just not in this tree");
	bca_unref(ctx);
}

/* A sysfs dev file of sda holding text, read through "sda". */
static int dev_file_query(const char *root, const char *text)
{
	char path[4200];
	struct bca_blkdev *d;
	struct bca_ctx *ctx;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/sys/class/block/sda/dev", root);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	fclose(f);
	bca_new(&ctx);
	bca_set_sysroot(ctx, root);
	rc = bca_blkdev_query(ctx, "sda", &d);
	if (rc == 0)
		bca_blkdev_free(d);
	bca_unref(ctx);
	return rc;
}

static void sysfs_dev_file(const char *root)
{
	is_int(dev_file_query(root, "8:0\n"), 0, "sysfs dev file '8:0\\n' (as the kernel writes it)");
	ok(dev_file_query(root, "4294967304:0\n") < 0, "sysfs dev file '4294967304:0' is refused");
	ok(dev_file_query(root, "8:4294967296\n") < 0, "sysfs dev file '8:4294967296' is refused");
	ok(dev_file_query(root, "+8:+0\n") < 0, "sysfs dev file '+8:+0' is refused");
	ok(dev_file_query(root, "8:0junk\n") < 0, "sysfs dev file '8:0junk' is refused");
	is_int(dev_file_query(root, "8:0\n"), 0, "and '8:0' again");
}

static int table_device(const char *devfield, dev_t *dev)
{
	char line[256];
	struct bca_crypt_table *t;
	int rc;

	snprintf(line, sizeof(line), "0 8 crypt aes-xts-plain64 00112233445566778899aabbccddeeff "
		 "0 %s 0", devfield);
	rc = bca_crypt_table_parse(line, &t);
	if (rc == 0) {
		*dev = t->params.device;
		bca_crypt_table_free(t);
	}
	return rc;
}

static void dm_table(void)
{
	dev_t dev = 0;

	is_int(table_device("7:2", &dev), 0, "table device 7:2");
	ok(major(dev) == 7 && minor(dev) == 2, "read as 7:2");
	is_int(table_device("4095:1048575", &dev), 0, "table device 4095:1048575");
	ok(major(dev) == 4095 && minor(dev) == 1048575, "read as 4095:1048575");
	is_int(table_device("4294967303:2", &dev), -EINVAL, "table device 4294967303:2 refused");
	is_int(table_device("-4294967289:2", &dev), -EINVAL, "table device -4294967289:2 refused");
	is_int(table_device("7:4294967298", &dev), -EINVAL, "table device 7:4294967298 refused");
	is_int(table_device("+7:+2", &dev), -EINVAL, "table device +7:+2 refused");
	is_int(table_device("4096:0", &dev), -EINVAL, "table device 4096:0 refused");
}

/* The parser itself: every hostile form, the limits, the valid forms. */
static void parser(void)
{
	dev_t dev = 0;
	bool all = true;

	for (size_t i = 0; i < BCA_ARRAY_SIZE(hostile); i++)
		if (bca_devno_parse(hostile[i], &dev) == 0) {
			printf("#   '%s' accepted\n", shown(hostile[i]));
			all = false;
		}
	ok(all, "bca_devno_parse() refuses every hostile form");
	is_int(bca_devno_parse("4294967303:1", &dev), -ERANGE, "4294967303:1: -ERANGE");
	is_int(bca_devno_parse("7:4294967297", &dev), -ERANGE, "7:4294967297: -ERANGE");
	is_int(bca_devno_parse("-4294967289:1", &dev), -EINVAL, "-4294967289:1: -EINVAL");
	is_int(bca_devno_parse(" 7: 1", &dev), -EINVAL, "' 7: 1': -EINVAL");
	is_int(bca_devno_parse("+7:+1", &dev), -EINVAL, "+7:+1: -EINVAL");
	is_int(bca_devno_parse("7:", &dev), -EINVAL, "7: without a minor");
	is_int(bca_devno_parse(":1", &dev), -EINVAL, ":1 without a major");
	is_int(bca_devno_parse("7:1:2", &dev), -EINVAL, "7:1:2");
	is_int(bca_devno_parse("", &dev), -EINVAL, "empty");
	is_int(bca_devno_parse("99999999999999999999999999:1", &dev), -ERANGE,
	       "a major of 26 digits: -ERANGE, without overflow");
	is_int(bca_devno_parse("00000000000000000000000007:1", &dev), 0,
	       "leading zeros, however many");
	ok(major(dev) == 7 && minor(dev) == 1, "read as 7:1");
	is_int(bca_devno_parse("4095:1048575", &dev), 0, "the largest: 4095:1048575");
	ok(major(dev) == 4095 && minor(dev) == 1048575, "read as 4095:1048575");
	is_int(bca_devno_parse("4096:0", &dev), -ERANGE, "4096:0: -ERANGE");
	is_int(bca_devno_parse("0:1048576", &dev), -ERANGE, "0:1048576: -ERANGE");
	is_int(bca_devno_parse("0:0", &dev), 0, "0:0");
}

int main(void)
{
	char root[4096];

	plan(50);
	if (make_sysroot("stack", root, sizeof(root)) < 0) {
		printf("Bail out! cannot build the recorded sysroot\n");
		return 1;
	}
	device_argument(root);
	sysfs_dev_file(root);
	dm_table();
	parser();
	remove_sysroot(root);
	return done_testing();
}
