// SPDX-License-Identifier: GPL-2.0-or-later
/* dmcrypt-inline status and table: what a crypt/inlinecrypt device is made of. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"
#include "each.h"
#include "output.h"

enum {
	COL_NAME, COL_TARGET, COL_CIPHER, COL_FLAGS, COL_KEY, COL_KEY_PRESENT, COL_DEVICE,
	COL_BACKING, COL_BACKING_SIZE, COL_BACKING_TYPE, COL_OFFSET, COL_SECTORS, COL_SECTOR_SIZE,
	COL_PROFILE, COL_PASSTHROUGH, COL_CRYPTO_BY, COL_MANAGED,
};

static const struct col_info infos[] = {
	[COL_NAME] = { "NAME", 0.1, 0, COL_STR, "device-mapper name" },
	[COL_TARGET] = { "TARGET", 6, 0, COL_STR, "crypt or inlinecrypt" },
	[COL_CIPHER] = { "CIPHER", 10, 0, COL_STR, "cipher specification" },
	[COL_FLAGS] = { "FLAGS", 0.2, 0, COL_STR, "optional table parameters" },
	[COL_KEY] = { "KEY", 0.2, 0, COL_STR, "where the key lives: keyring:<type>:<desc>, or table (hex in the table)" },
	[COL_KEY_PRESENT] = { "KEY-PRESENT", 3, 0, COL_BOOL, "whether the keyring key is reachable now" },
	[COL_DEVICE] = { "DEVICE", 6, 0, COL_STR, "backing device (MAJ:MIN)" },
	[COL_BACKING] = { "BACKING", 6, 0, COL_STR, "backing device name" },
	[COL_BACKING_SIZE] = { "BACKING-SIZE", 8, SCOLS_FL_RIGHT, COL_NUM, "backing device size in bytes" },
	[COL_BACKING_TYPE] = { "BACKING-TYPE", 6, 0, COL_STR, "signature libblkid finds on the backing device (none expected: it holds ciphertext)" },
	[COL_OFFSET] = { "OFFSET", 5, SCOLS_FL_RIGHT, COL_NUM, "start on the backing device, sectors" },
	[COL_SECTORS] = { "SECTORS", 8, SCOLS_FL_RIGHT, COL_NUM, "size in 512-byte sectors" },
	[COL_SECTOR_SIZE] = { "SECTOR-SIZE", 4, SCOLS_FL_RIGHT, COL_NUM, "encryption sector size" },
	[COL_PROFILE] = { "PROFILE", 8, 0, COL_STR, "inline-crypto profile the device offers upward: passthrough or none" },
	[COL_PASSTHROUGH] = { "PASSTHROUGH", 3, 0, COL_BOOL, "whether the backing stack has an inline-crypto profile (hardware or passed through)" },
	[COL_CRYPTO_BY] = { "CRYPTO-BY", 8, 0, COL_STR, "who encrypts: dm-crypt (kernel crypto API), inline-hw (the backing device's inline-crypto profile has the cipher and sector size) or inline-fallback (blk-crypto-fallback)" },
	[COL_MANAGED] = { "MANAGED", 3, 0, COL_BOOL, "created by dmcrypt-inline" },
};

static const int default_cols[] = {
	COL_NAME, COL_TARGET, COL_CIPHER, COL_FLAGS, COL_KEY, COL_KEY_PRESENT, COL_BACKING,
	COL_BACKING_SIZE, COL_SECTORS, COL_SECTOR_SIZE, COL_PASSTHROUGH, COL_CRYPTO_BY, COL_MANAGED,
};

/* The table's encryption sector size: no sector_size option is 512. */
static uint32_t sector_size(const struct bca_crypt_params *p)
{
	return p->sector_size ? p->sector_size : 512;
}

/*
 * dm-inlinecrypt's bios carry a blk-crypto context to the backing device:
 * its profile does the work when it has AES-256-XTS at the sector size,
 * blk-crypto-fallback otherwise (blk_crypto_start_using_key()).
 */
static const char *crypto_by(const struct bca_crypt_params *p, const struct bca_blkdev *lower)
{
	if (p->target != BCA_TARGET_INLINECRYPT)
		return "dm-crypt";
	return bca_crypto_impl_name(bca_blkdev_crypto_for(lower, "AES-256-XTS", sector_size(p)));
}

/* What libblkid says of the backing device (it is held by dm: no O_EXCL). */
static void backing_identity(struct bca_ctx *ctx, struct out *o, struct libscols_line *ln,
			     const char *devname)
{
	struct bca_devid *id;
	char path[96];

	snprintf(path, sizeof(path), "/dev/%s", devname);
	if (bca_devid_probe(ctx, path, &id) < 0)
		return;
	out_set_u64(o, ln, COL_BACKING_SIZE, bca_devid_get_size(id));
	out_set_str(o, ln, COL_BACKING_TYPE, bca_devid_get_type(id));
	bca_devid_free(id);
}

static int show(struct bca_ctx *ctx, struct out *o, const char *name)
{
	struct bca_crypt_table *t;
	const struct bca_crypt_params *p;
	struct libscols_line *ln;
	struct bca_blkdev *dev = NULL, *lower = NULL;
	char buf[600];
	dev_t devno;
	int rc = bca_dm_get_params(ctx, name, &t, &devno);

	if (rc < 0)
		return rc;
	p = &t->params;
	ln = out_new_line(o);
	if (!ln) {
		bca_crypt_table_free(t);
		return -ENOMEM;
	}
	out_set_str(o, ln, COL_NAME, name);
	out_set_str(o, ln, COL_TARGET, bca_crypt_target_name(p->target));
	out_set_str(o, ln, COL_CIPHER, p->cipher);
	out_set_str(o, ln, COL_FLAGS, t->options);
	if (t->key_type) {
		snprintf(buf, sizeof(buf), "keyring:%s:%s", t->key_type, p->key_desc);
		out_set_str(o, ln, COL_KEY, buf);
		/* Left empty when the keyring cannot be asked: no evidence either way. */
		if (!strcmp(t->key_type, "logon")) {
			int found = bca_keyring_find_logon(ctx, p->key_desc);

			if (found == 0 || found == -ENOKEY || found == -BCA_ERR_KEY_UNREACHABLE)
				out_set_bool(o, ln, COL_KEY_PRESENT, found == 0);
		}
	} else {
		out_set_str(o, ln, COL_KEY, "table");
	}
	snprintf(buf, sizeof(buf), "%u:%u", major(p->device), minor(p->device));
	out_set_str(o, ln, COL_DEVICE, buf);
	if (bca_blkdev_query_devno(ctx, p->device, &lower) == 0) {
		out_set_str(o, ln, COL_BACKING, bca_blkdev_get_name(lower));
		backing_identity(ctx, o, ln, bca_blkdev_get_name(lower));
		out_set_bool(o, ln, COL_PASSTHROUGH, bca_blkdev_has_crypto_profile(lower));
		out_set_str(o, ln, COL_CRYPTO_BY, crypto_by(p, lower));
		bca_blkdev_free(lower);
	}
	out_set_u64(o, ln, COL_OFFSET, p->offset);
	out_set_u64(o, ln, COL_SECTORS, p->size);
	out_set_u64(o, ln, COL_SECTOR_SIZE, sector_size(p));
	if (bca_blkdev_query_devno(ctx, devno, &dev) == 0) {
		out_set_str(o, ln, COL_PROFILE, bca_blkdev_has_crypto_profile(dev) ? "passthrough" : "none");
		bca_blkdev_free(dev);
	}
	out_set_bool(o, ln, COL_MANAGED, crypt_table_managed(t));
	bca_crypt_table_free(t);
	return 0;
}

static int report_status(struct bca_ctx *ctx, struct out *o, const char *name, void *data)
{
	int rc = show(ctx, o, name);

	if (rc < 0)
		dm_name_error(name, rc);
	return rc;
}

static void status_help(void)
{
	printf("Usage:\n %s status [options] NAME...\n\n", cli_prog);
	fputs("Show what crypt and inlinecrypt devices are made of.\n\nOptions:\n", stdout);
	out_help_options(stdout);
	fputs(" -h, --help             display this help\n", stdout);
	out_help_columns(infos, sizeof(infos) / sizeof(infos[0]), stdout);
}

int cmd_status(int argc, char **argv)
{
	struct out o;

	out_init(&o, infos, sizeof(infos) / sizeof(infos[0]), "devices",
		 default_cols, sizeof(default_cols) / sizeof(default_cols[0]));
	out_parse_args(&o, argc, argv, "status", status_help);
	if (optind >= argc)
		cli_usage_error("status: NAME expected");
	return cli_each(&o, NULL, argv + optind, argc - optind, report_status, NULL);
}

/* Writes s and a newline to standard output with write(2): 0 or -errno. */
static int write_line(const char *s)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)s, .iov_len = strlen(s) },
		{ .iov_base = "\n", .iov_len = 1 },
	};
	size_t left = iov[0].iov_len + 1;

	while (left) {
		ssize_t n = writev(STDOUT_FILENO, iov, 2);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		left -= (size_t)n;
		for (int i = 0; i < 2; i++) {
			size_t k = (size_t)n < iov[i].iov_len ? (size_t)n : iov[i].iov_len;

			iov[i].iov_base = (char *)iov[i].iov_base + k;
			iov[i].iov_len -= k;
			n -= (ssize_t)k;
		}
	}
	return 0;
}

int cmd_table(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "showkeys", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bca_ctx *ctx = NULL;
	bool showkeys = false;
	char *line = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 's') {
			showkeys = true;
			continue;
		}
		if (c == 'h') {
			printf("Usage:\n %s table [--showkeys] NAME\n\nPrint the loaded table; a key "
			       "in the table is shown as '-' unless --showkeys.\n", cli_prog);
			return EXIT_OK;
		}
		cli_usage_error("table: bad usage");
	}
	if (argc - optind != 1)
		cli_usage_error("table: NAME expected");
	if (cli_ctx_new(&ctx) < 0)
		return EXIT_FAIL;
	if (showkeys) {
		struct bca_secret *keyed = NULL;

		rc = bca_dm_get_table_keys(ctx, argv[optind], &keyed);
		/* write(2) from the locked line: no stdio buffer holds the key */
		if (rc == 0)
			rc = write_line(bca_secret_get_data(keyed));
		bca_secret_free(keyed);
	} else {
		rc = bca_dm_get_table(ctx, argv[optind], &line, NULL);
		if (rc == 0)
			printf("%s\n", line);
		free(line);
	}
	if (rc < 0)
		dm_name_error(argv[optind], rc);
	bca_unref(ctx);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
