// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmcrypt-inline create: everything is checked before anything is made;
 * then the key goes into the kernel keyring and the table references it.
 * If a later step fails, the device is removed and the key unlinked.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"

struct create_opts {
	struct bca_crypt_params p;
	const char *name, *device;
	const char *key_file, *key_desc;
	int key_fd;
	uint64_t key_bits;
	bool size_given, force, dry_run, readonly;
};

static void create_help(void)
{
	printf("Usage:\n %s create NAME DEVICE [options]\n\n", cli_prog);
	fputs("Create a dm-crypt (inline flags) or dm-inlinecrypt device NAME on DEVICE.\n"
	      "The key goes into the kernel keyring as a logon key; the table references it.\n\n"
	      "Options:\n"
	      "     --target crypt|inlinecrypt   target type (default crypt)\n"
	      "     --cipher SPEC          cipher (default aes-xts-plain64)\n"
	      "     --key-file FILE        read the raw key from FILE ('-': stdin)\n"
	      "     --key-fd N             read the raw key from file descriptor N\n"
	      "     --key-desc DESC        use the existing logon key DESC in the keyring\n"
	      "     --key-size BITS        key size (default 512 for XTS, else 256)\n"
	      "     --sector-size N        encryption sector size, 512..4096\n"
	      "     --iv-offset N          IV offset in sectors\n"
	      "     --offset SECTORS       start on DEVICE (512-byte sectors)\n"
	      "     --size SECTORS         length (default: to the end of DEVICE)\n"
	      TABLE_OPTIONS_HELP
	      "     --iv-large-sectors     IVs count sector-size units\n"
	      "     --readonly             create read-only\n"
	      "     --force                use a DEVICE that carries a signature or is in use\n"
	      "     --dry-run              print the table and stop\n"
	      " -h, --help                 display this help\n", stdout);
}

enum {
	OPT_TARGET = 256, OPT_CIPHER, OPT_KEY_FILE, OPT_KEY_FD, OPT_KEY_DESC, OPT_KEY_SIZE,
	OPT_SECTOR_SIZE, OPT_IV_OFFSET, OPT_OFFSET, OPT_SIZE, OPT_IV_LARGE_SECTORS,
	OPT_READONLY, OPT_FORCE, OPT_DRY_RUN,
};

static uint64_t number(const char *opt, const char *arg, uint64_t min, uint64_t max)
{
	uint64_t v;

	if (cli_parse_u64(arg, min, max, &v) < 0)
		cli_usage_error("create: --%s: invalid number '%s'", opt, arg);
	return v;
}

static const char *target_name(const struct create_opts *o)
{
	return bca_crypt_target_name(o->p.target);
}

/* The device's UUID (crypt_uuid()), as snprintf: the length it needs. */
static int uuid_of(const struct create_opts *o, char *buf, size_t size)
{
	return crypt_uuid(buf, size, o->p.target, NULL, NULL, o->name);
}

static void parse(struct create_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "cipher", required_argument, NULL, OPT_CIPHER },
		{ "key-file", required_argument, NULL, OPT_KEY_FILE },
		{ "key-fd", required_argument, NULL, OPT_KEY_FD },
		{ "key-desc", required_argument, NULL, OPT_KEY_DESC },
		{ "key-size", required_argument, NULL, OPT_KEY_SIZE },
		{ "sector-size", required_argument, NULL, OPT_SECTOR_SIZE },
		{ "iv-offset", required_argument, NULL, OPT_IV_OFFSET },
		{ "offset", required_argument, NULL, OPT_OFFSET },
		{ "size", required_argument, NULL, OPT_SIZE },
		TABLE_LONGOPTS,
		{ "iv-large-sectors", no_argument, NULL, OPT_IV_LARGE_SECTORS },
		{ "readonly", no_argument, NULL, OPT_READONLY },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, sources = 0;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (table_option(c, &o->p.flags))
			continue;
		switch (c) {
		case OPT_TARGET: o->p.target = parse_target("create", optarg); break;
		case OPT_CIPHER: o->p.cipher = optarg; break;
		case OPT_KEY_FILE: o->key_file = optarg; sources++; break;
		case OPT_KEY_FD: o->key_fd = (int)number("key-fd", optarg, 0, 1 << 20); sources++; break;
		case OPT_KEY_DESC: o->key_desc = optarg; sources++; break;
		case OPT_KEY_SIZE: o->key_bits = number("key-size", optarg, 8, 1024); break;
		case OPT_SECTOR_SIZE: o->p.sector_size = (uint32_t)number("sector-size", optarg, 512, 4096); break;
		case OPT_IV_OFFSET: o->p.iv_offset = number("iv-offset", optarg, 0, UINT64_MAX); break;
		case OPT_OFFSET: o->p.offset = number("offset", optarg, 0, UINT64_MAX >> 9); break;
		case OPT_SIZE:
			o->p.size = number("size", optarg, 1, UINT64_MAX >> 9);
			o->size_given = true;
			break;
		case OPT_IV_LARGE_SECTORS: o->p.flags |= BCA_CRYPT_IV_LARGE_SECTORS; break;
		case OPT_READONLY: o->readonly = true; break;
		case OPT_FORCE: o->force = true; break;
		case OPT_DRY_RUN: o->dry_run = true; break;
		case 'h':
			create_help();
			exit(EXIT_OK);
		default:
			cli_usage_error("create: bad usage");
		}
	}
	if (argc - optind != 2)
		cli_usage_error("create: NAME and DEVICE expected");
	o->name = argv[optind];
	o->device = argv[optind + 1];
	dm_name_check("create", o->name);
	/* never truncated: a cut description names another key, a cut UUID fails late */
	if (o->key_desc && strlen(o->key_desc) > MAX_KEY_DESC)
		cli_usage_error("create: --key-desc is longer than %d bytes", MAX_KEY_DESC);
	/* the kernel splits table words at 0xA0 too: another key, another device */
	if (o->key_desc && !bca_crypt_key_desc_valid(o->key_desc))
		cli_usage_error("create: --key-desc: use printable ASCII without blanks or "
				"backslashes (the table's parser would split or unescape it)");
	if (uuid_of(o, NULL, 0) >= DM_UUID_MAX) {
		char form[64];

		crypt_uuid(form, sizeof(form), o->p.target, NULL, NULL, "NAME");
		cli_usage_error("create: device name '%s' too long for --target %s: its UUID "
				"%s must fit device-mapper's %d bytes", o->name, target_name(o),
				form, DM_UUID_MAX - 1);
	}
	if (sources != 1)
		cli_usage_error("create: exactly one of --key-file, --key-fd, --key-desc is needed");
	if (o->key_bits % 8)
		cli_usage_error("create: --key-size must be a multiple of 8 bits");
	if (!o->key_bits)
		o->key_bits = strstr(o->p.cipher, "xts") ? 512 : 256;
	/*
	 * Checked before this process opens anything: a closed descriptor's
	 * number is the next one open() returns (the device-mapper control
	 * node, a block device), and the key would be read from there.
	 */
	if (o->key_file && !strcmp(o->key_file, "-") && fcntl(0, F_GETFD) < 0)
		cli_usage_error("create: --key-file -: standard input is closed");
	if (o->key_fd >= 0 && fcntl(o->key_fd, F_GETFD) < 0)
		cli_usage_error("create: --key-fd %d: not an open file descriptor", o->key_fd);
	o->p.key_size = (uint32_t)(o->key_bits / 8);
}

/* The device: a block device, unused and blank unless --force, big enough. */
static int check_device(struct bca_ctx *ctx, struct create_opts *o)
{
	struct bca_devid *id;
	uint64_t sectors;
	int rc = 0;

	if (probe_block_device(ctx, o->device, &o->p.device, &id) < 0)
		return -1;
	sectors = bca_devid_get_size(id) / 512;
	if (!o->force && bca_devid_get_type(id)) {
		cli_warnx("%s: carries a %s signature; use --force to overwrite it", o->device,
			  bca_devid_get_type(id));
		rc = -1;
	} else if (!o->force && bca_devid_is_busy(id)) {
		cli_warnx("%s: in use (mounted or held by another device); use --force", o->device);
		rc = -1;
	} else if (o->p.offset >= sectors) {
		cli_warnx("%s: --offset %llu is beyond the device's %llu sectors", o->device,
			  (unsigned long long)o->p.offset, (unsigned long long)sectors);
		rc = -1;
	} else if (o->size_given && o->p.size > sectors - o->p.offset) {
		cli_warnx("%s: --size %llu at --offset %llu goes beyond the device's %llu sectors",
			  o->device, (unsigned long long)o->p.size, (unsigned long long)o->p.offset,
			  (unsigned long long)sectors);
		rc = -1;
	} else if (!o->size_given) {
		o->p.size = sectors - o->p.offset;
		/* whole encryption sectors only */
		if (o->p.sector_size > 512)
			o->p.size -= o->p.size % (o->p.sector_size / 512);
		if (!o->p.size) {
			cli_warnx("%s: less than one %u-byte sector after --offset %llu", o->device,
				  o->p.sector_size, (unsigned long long)o->p.offset);
			rc = -1;
		}
	}
	bca_devid_free(id);
	return rc;
}

/* Reads exactly key_size bytes into locked memory; a clear error for any other size. */
static struct bca_secret *read_key(const struct create_opts *o)
{
	struct bca_secret *s = NULL;
	const char *what = o->key_file ? o->key_file : "key file descriptor";
	int fd = o->key_fd, rc;

	if (o->key_file) {
		fd = strcmp(o->key_file, "-") ? open(o->key_file, O_RDONLY | O_CLOEXEC) : 0;
		if (fd < 0) {
			cli_path_error(o->key_file, -errno);
			return NULL;
		}
	}
	rc = bca_secret_read_fd(fd, o->p.key_size, &s);
	if (o->key_file && fd > 0)
		close(fd);
	if (rc == -EFBIG || (rc == 0 && bca_secret_get_size(s) != o->p.key_size)) {
		cli_warnx("%s: wrong key size: %s, --key-size %u needs exactly %u bytes", what,
			  rc == -EFBIG ? "too long" : "too short", o->p.key_size * 8, o->p.key_size);
		bca_secret_free(s);
		return NULL;
	}
	if (rc < 0) {
		cli_warnx("%s: reading the key: %s", what, bca_strerror(rc));
		return NULL;
	}
	return s;
}

int cmd_create(int argc, char **argv)
{
	struct create_opts o = {
		.p = { .struct_size = sizeof(struct bca_crypt_params), .cipher = "aes-xts-plain64" },
		.key_fd = -1,
	};
	struct bca_ctx *ctx = NULL;
	struct bca_secret *key = NULL;
	char desc[MAX_KEY_DESC + 1], uuid[DM_UUID_MAX], table[MAX_KEY_DESC + 1024];
	int rc, status = EXIT_FAIL;

	parse(&o, argc, argv);
	if (o.key_desc)
		snprintf(desc, sizeof(desc), "%s", o.key_desc);
	else
		snprintf(desc, sizeof(desc), MANAGED_KEY_PREFIX "%s", o.name);
	o.p.key_desc = desc;
	uuid_of(&o, uuid, sizeof(uuid));

	if (cli_ctx_new(&ctx) < 0)
		return EXIT_FAIL;
	/* everything that can be checked is checked before anything is made */
	if (check_device(ctx, &o) < 0)
		goto out;
	rc = bca_crypt_format_table(&o.p, table, sizeof(table));
	if (rc < 0) {
		cli_warnx("%s", bca_crypt_params_reason(&o.p));
		status = EXIT_USAGE;
		goto out;
	}
	if (o.dry_run) {
		/* the key is read and its size checked as a real create would */
		if (!o.key_desc) {
			key = read_key(&o);
			if (!key)
				goto out;
		}
		/* the table references the keyring: there are no key bytes to mask */
		printf("%s\n", table);
		status = EXIT_OK;
		goto out;
	}
	if (check_target(ctx, &o.p) < 0 || check_name_free(ctx, o.name) < 0)
		goto out;
	if (o.key_desc) {
		rc = bca_keyring_find_logon(ctx, o.key_desc);
		if (rc == -ENOKEY) {
			cli_warnx("%s: no such logon key in the keyring", o.key_desc);
			goto out;
		}
		if (rc < 0) {
			cli_warnx("%s: looking up the key: %s", o.key_desc, bca_strerror(rc));
			goto out;
		}
	} else {
		key = read_key(&o);
		if (!key)
			goto out;
	}
	if (activate_with_key(ctx, o.name, uuid, &o.p, table, key, o.readonly) < 0)
		goto out;
	status = EXIT_OK;
out:
	bca_secret_free(key);
	bca_unref(ctx);
	return status;
}
