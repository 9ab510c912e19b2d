// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blkcrypt-query fs: what a filesystem offers encrypted direct I/O, one
 * line per contents mode with the policy that would get it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "each.h"
#include "output.h"
#include "query.h"

enum {
	COL_MOUNTPOINT, COL_FSTYPE, COL_DEVICE, COL_BLOCK_SIZE, COL_INLINECRYPT,
	COL_ENCRYPT, COL_CONTENTS, COL_DIO, COL_CRYPTO, COL_FLAGS, COL_DUSIZE, COL_REASON,
};

static const struct col_info infos[] = {
	[COL_MOUNTPOINT] = { "MOUNTPOINT", 0.2, SCOLS_FL_TREE, COL_STR, "mount point of the filesystem" },
	[COL_FSTYPE] = { "FSTYPE", 5, 0, COL_STR, "filesystem type" },
	[COL_DEVICE] = { "DEVICE", 6, 0, COL_STR, "block device" },
	[COL_BLOCK_SIZE] = { "BLOCK-SIZE", 5, SCOLS_FL_RIGHT, COL_NUM, "filesystem block size" },
	[COL_INLINECRYPT] = { "INLINECRYPT", 3, 0, COL_BOOL, "inlinecrypt in effect (a kernel without blk-crypto drops it silently)" },
	[COL_ENCRYPT] = { "ENCRYPT", 3, 0, COL_BOOL, "the filesystem supports fscrypt (ext4: -O encrypt)" },
	[COL_CONTENTS] = { "CONTENTS", 8, 0, COL_STR, "contents encryption mode of the policy" },
	[COL_DIO] = { "DIO", 8, 0, COL_STR, "what O_DIRECT does on files with this policy, file's verdicts: yes, buffered (silently through the page cache), no, unknown" },
	[COL_CRYPTO] = { "CRYPTO", 8, 0, COL_STR, "who would encrypt: inline-hw, inline-fallback, fs-layer, none (no fscrypt)" },
	[COL_FLAGS] = { "FLAGS", 8, 0, COL_STR, "policy flags the policy needs" },
	[COL_DUSIZE] = { "DU-SIZE", 5, SCOLS_FL_RIGHT, COL_NUM, "data unit size of the policy" },
	[COL_REASON] = { "REASON", 10, 0, COL_STR, "why not: no-encrypt-feature, no-inlinecrypt, fs-no-inline-crypt, mode-no-inline, device-no-crypto (no hardware for it, no blk-crypto-fallback), fallback-unknown, unknown (fscrypt support unknown)" },
};

static const int default_cols[] = {
	COL_MOUNTPOINT, COL_FSTYPE, COL_BLOCK_SIZE, COL_INLINECRYPT, COL_ENCRYPT,
	COL_CONTENTS, COL_DIO, COL_CRYPTO, COL_FLAGS, COL_DUSIZE, COL_REASON,
};

/* The contents modes a policy may use, in fscryptctl's order of preference. */
static const int contents_modes[] = {
	BCA_FSCRYPT_MODE_AES_256_XTS, BCA_FSCRYPT_MODE_AES_128_CBC, BCA_FSCRYPT_MODE_ADIANTUM,
	BCA_FSCRYPT_MODE_SM4_XTS,
};

/* 1 the filesystem of path takes fscrypt policies, 0 it does not, -1 cannot tell. */
static int policy_support(const char *path)
{
	struct bca_fscrypt_policy pol;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = bca_fscrypt_get_policy(fd, &pol);
	close(fd);
	if (rc == 0 || rc == -ENODATA)
		return 1;
	return rc == -EOPNOTSUPP || rc == -ENOTTY ? 0 : -1;
}

/*
 * Asks the path itself (a file or a directory), else the filesystem's
 * mount point, which is readable more often than a user's directory is:
 * an unreadable path is no evidence that the filesystem lacks fscrypt.
 */
static int fs_supports_encryption(struct bca_ctx *ctx, const char *path)
{
	struct bca_dio_plan *p;
	int rc = policy_support(path);

	if (rc >= 0 || bca_dio_plan_new(ctx, AT_FDCWD, path, BCA_FSCRYPT_MODE_AES_256_XTS, &p) < 0)
		return rc;
	rc = policy_support(bca_dio_plan_get_mountpoint(p));
	bca_dio_plan_free(p);
	return rc;
}

/*
 * The verdict `file` would give a file with the policy, in the same words
 * (one vocabulary across commands): ext4 and f2fs serve O_DIRECT on a file
 * their own layer encrypts from the page cache, silently; a filesystem
 * without inline encryption of either kind is not ours to guess about.
 */
static enum bca_dio_verdict policy_verdict(int encrypt, enum bca_dio_plan_status st)
{
	if (encrypt == 0)
		return BCA_DIO_NO;	/* no fscrypt: no such file can exist */
	if (encrypt < 0 || st == BCA_DIO_PLAN_FALLBACK_UNKNOWN || st == BCA_DIO_PLAN_FS_UNSUPPORTED)
		return BCA_DIO_UNKNOWN;
	return st == BCA_DIO_PLAN_OK ? BCA_DIO_YES : BCA_DIO_BUFFERED;
}

/*
 * The filesystem's own columns, on the line of each mode or, when JSON
 * nests the modes under their filesystem, on the parent line only.
 */
static void set_fs_columns(struct out *o, struct libscols_line *ln, struct bca_dio_plan *p,
			   enum bca_dio_plan_status st, int encrypt)
{
	out_set_str(o, ln, COL_MOUNTPOINT, bca_dio_plan_get_mountpoint(p));
	out_set_str(o, ln, COL_FSTYPE, bca_dio_plan_get_fstype(p));
	out_set_str(o, ln, COL_DEVICE, bca_dio_plan_get_device_name(p));
	out_set_u64(o, ln, COL_BLOCK_SIZE, bca_dio_plan_get_block_size(p));
	out_set_bool(o, ln, COL_INLINECRYPT, st != BCA_DIO_PLAN_NO_INLINECRYPT &&
		     st != BCA_DIO_PLAN_FS_UNSUPPORTED);
	if (encrypt >= 0)
		out_set_bool(o, ln, COL_ENCRYPT, encrypt);
}

/*
 * One contents mode: a line of its own, or with *parent (JSON without -l)
 * a child of the filesystem's line, which the first mode creates.
 */
static int add_mode(struct out *o, struct bca_ctx *ctx, const char *path, int mode, int encrypt,
		    struct libscols_line **parent)
{
	struct bca_dio_plan *p;
	struct libscols_line *ln;
	enum bca_dio_plan_status st;
	unsigned int flags;
	int rc = bca_dio_plan_new(ctx, AT_FDCWD, path, mode, &p);

	if (rc < 0)
		return rc;
	st = bca_dio_plan_get_status(p);
	if (parent && !*parent) {
		*parent = out_new_line(o);
		if (*parent)
			set_fs_columns(o, *parent, p, st, encrypt);
	}
	ln = !parent ? out_new_line(o) : *parent ? out_new_child(o, *parent) : NULL;
	if (!ln) {
		bca_dio_plan_free(p);
		return -ENOMEM;
	}
	flags = bca_dio_plan_get_flags(p);
	if (!parent)
		set_fs_columns(o, ln, p, st, encrypt);
	out_set_str(o, ln, COL_CONTENTS, bca_fscrypt_mode_name(mode));
	out_set_str(o, ln, COL_DIO, bca_dio_verdict_name(policy_verdict(encrypt, st)));
	out_set_str(o, ln, COL_CRYPTO, bca_crypto_impl_name(!encrypt ? BCA_CRYPTO_NONE :
		    encrypt < 0 ? BCA_CRYPTO_UNKNOWN :
		    st == BCA_DIO_PLAN_OK || st == BCA_DIO_PLAN_FALLBACK_UNKNOWN ?
		    bca_dio_plan_get_crypto_impl(p) : BCA_CRYPTO_FS_LAYER));
	if (st == BCA_DIO_PLAN_OK && encrypt > 0) {
		out_set_str(o, ln, COL_FLAGS, flags & BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64 ? "IV_INO_LBLK_64" :
					      flags & BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32 ? "IV_INO_LBLK_32" : "");
		out_set_u64(o, ln, COL_DUSIZE, bca_dio_plan_get_data_unit_size(p));
	}
	out_set_str(o, ln, COL_REASON, !encrypt ? "no-encrypt-feature" :
		    encrypt < 0 ? "unknown" : bca_dio_plan_status_name(st));
	bca_dio_plan_free(p);
	return 0;
}

static int report_fs(struct bca_ctx *ctx, struct out *o, const char *arg, void *data)
{
	int encrypt = fs_supports_encryption(ctx, arg);
	/*
	 * JSON nests the modes under their filesystem as lsblk its children,
	 * in MOUNTPOINT's tree (the table's lines are flat, so it draws none)
	 */
	struct libscols_line *fs_line = NULL;
	struct libscols_line **parent = o->mode == OUT_JSON && !o->list &&
		out_has_column(o, COL_MOUNTPOINT) ? &fs_line : NULL;
	int rc = 0;

	for (size_t m = 0; m < sizeof(contents_modes) / sizeof(contents_modes[0]) && rc == 0; m++)
		rc = add_mode(o, ctx, arg, contents_modes[m], encrypt, parent);
	if (rc < 0)
		cli_path_error(arg, rc);
	return rc;
}

/*
 * Filesystems that hold no files' data (kernel interfaces, device nodes):
 * with no MOUNTPOINT, fs leaves them out unless -a asks for every mount.
 */
static const char *const pseudo_fstypes[] = {
	"autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs",
	"devpts", "devtmpfs", "efivarfs", "fusectl", "hugetlbfs", "mqueue", "nsfs",
	"proc", "pstore", "rpc_pipefs", "securityfs", "selinuxfs", "sysfs", "tracefs",
};

static int add_mount(const char *mountpoint, const char *fstype, void *data)
{
	struct cli_args *a = data;

	for (size_t i = 0; !a->all && i < sizeof(pseudo_fstypes) / sizeof(pseudo_fstypes[0]); i++)
		if (!strcmp(fstype, pseudo_fstypes[i]))
			return 0;
	return cli_args_add(a, mountpoint);
}

static int gather_mounts(struct bca_ctx *ctx, struct cli_args *a)
{
	return bca_mount_foreach(ctx, add_mount, a);
}

static void fs_help(void)
{
	printf("Usage:\n %s fs [options] [MOUNTPOINT...]\n\n", cli_prog);
	fputs("For the filesystem holding each MOUNTPOINT (with none, every mounted\n"
	      "filesystem that holds files, as findmnt lists them): type, block size, whether\n"
	      "inlinecrypt is in effect and fscrypt supported, and for each contents mode\n"
	      "whether files would get direct I/O, who would encrypt them, and the policy\n"
	      "flags and data unit size that get it (as fscryptctl-dio set_policy --for-dio).\n\n"
	      "Options:\n", stdout);
	out_help_options(stdout);
	fputs(" -a, --all              with no MOUNTPOINT, proc, sysfs and the other\n"
	      "                        filesystems without files' data too\n"
	      " -h, --help             display this help\n", stdout);
	out_help_columns(infos, sizeof(infos) / sizeof(infos[0]), stdout);
	printf("\nExit status: 0 all reported, 32 none could be, 64 some could not,\n"
	       "2 usage error, 1 other failure.  See blkcrypt-query(8).\n");
}

int cmd_fs(int argc, char **argv)
{
	static const struct option longopts[] = {
		OUT_LONGOPTS,
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cli_args mounts = { 0 };
	struct out o;
	int c;

	out_init(&o, infos, sizeof(infos) / sizeof(infos[0]), "filesystems",
		 default_cols, sizeof(default_cols) / sizeof(default_cols[0]));
	while ((c = getopt_long(argc, argv, OUT_SHORTOPTS "ah", longopts, NULL)) != -1) {
		if (out_option(&o, c, optarg))
			continue;
		switch (c) {
		case 'a':
			mounts.all = true;
			break;
		case 'h':
			fs_help();
			return EXIT_OK;
		default:
			cli_usage_error("fs: bad usage");
		}
	}
	if (optind < argc)
		return cli_each(&o, NULL, argv + optind, argc - optind, report_fs, NULL);
	return cli_each_gathered(&o, NULL, gather_mounts, &mounts, "/proc/self/mountinfo",
				 report_fs, NULL);
}
