// SPDX-License-Identifier: GPL-2.0-or-later
/* blkcrypt-query device: inline-crypto capabilities down a device stack. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "each.h"
#include "output.h"
#include "query.h"

/* Stacks deeper than this are cut (and a loop in sysfs cannot hang us). */
#define MAX_DEPTH 16

enum {
	COL_NAME, COL_MAJMIN, COL_KIND, COL_TARGET, COL_PASSES, COL_PROFILE, COL_MODES,
	COL_DUN_BITS, COL_KEYSLOTS, COL_KEY_TYPES, COL_FILE_CRYPTO, COL_EXPLAIN,
	COL_BACKING, COL_LOOP_DIO, COL_LOOP_REASON, COL_FILE_DIO, COL_FILE_REASON,
	COL_DIO, COL_DIO_REASON, COL_SWAP, COL_ZRAM_WB, COL_ZRAM_BACKING, COL_WB_LIMIT,
	COL_BD_COUNT, COL_BD_WRITES,
};

static const struct col_info infos[] = {
	[COL_NAME] = { "NAME", 0.2, SCOLS_FL_TREE, COL_STR, "kernel device name" },
	[COL_MAJMIN] = { "MAJ:MIN", 6, 0, COL_STR, "device number" },
	[COL_KIND] = { "KIND", 4, 0, COL_STR, "disk, part, dm, loop, zram, or file (a loop device's backing file)" },
	[COL_TARGET] = { "TARGET", 6, 0, COL_STR, "device-mapper target type" },
	[COL_PASSES] = { "PASSTHROUGH", 3, 0, COL_BOOL, "whether the layer passes inline crypto through (a dm device's own profile is the evidence; empty: unknown)" },
	[COL_PROFILE] = { "PROFILE", 8, 0, COL_STR, "crypto profile: hardware, passthrough (dm), none" },
	[COL_MODES] = { "MODES", 0.3, 0, COL_STR, "modes and data unit sizes, e.g. AES-256-XTS:512,4096" },
	[COL_DUN_BITS] = { "DUN-BITS", 3, SCOLS_FL_RIGHT, COL_NUM, "maximum data unit number bits" },
	[COL_KEYSLOTS] = { "KEYSLOTS", 3, SCOLS_FL_RIGHT, COL_NUM, "number of keyslots" },
	[COL_KEY_TYPES] = { "KEY-TYPES", 4, 0, COL_STR, "accepted key types: raw, hw-wrapped" },
	[COL_FILE_CRYPTO] = { "FILE-CRYPTO", 8, 0, COL_STR, "who encrypts a file with the default policy (AES-256-XTS, 4096-byte data units) on this device mounted with inlinecrypt: inline-hw, inline-fallback, none (no blk-crypto: fscrypt's own), unknown" },
	[COL_EXPLAIN] = { "EXPLAIN", 0.4, SCOLS_FL_WRAP, COL_STR, "FILE-CRYPTO in a sentence, with its evidence" },
	[COL_BACKING] = { "BACKING-FILE", 0.3, 0, COL_STR, "a loop device's backing file" },
	[COL_LOOP_DIO] = { "LOOP-DIO", 8, 0, COL_STR, "O_DIRECT through a loop device: yes, off (loop/dio 0: the backing file's page cache), buffered (loop/dio 1 but the backing file falls back), unknown" },
	[COL_LOOP_REASON] = { "LOOP-REASON", 8, 0, COL_STR, "why the backing file does not do direct I/O (as blkcrypt-query file's REASON)" },
	[COL_FILE_DIO] = { "FILE-DIO", 8, 0, COL_STR, "on a loop device's backing-file line (KIND file): the file's direct I/O verdict, as blkcrypt-query file's DIO" },
	[COL_FILE_REASON] = { "FILE-REASON", 8, 0, COL_STR, "on a backing-file line: why the file's verdict is not yes" },
	[COL_DIO] = { "DIO", 8, 0, COL_STR, "the layer's direct I/O, in file's verdicts (yes, buffered, no, unknown): from LOOP-DIO on a loop device (off is buffered), ZRAM-WB on a zram device, FILE-DIO on a backing file; empty where the layer adds no page cache (zram without writeback too)" },
	[COL_DIO_REASON] = { "DIO-REASON", 8, 0, COL_STR, "why DIO is not yes (as blkcrypt-query file's REASON, or loop-dio-off)" },
	[COL_SWAP] = { "SWAP", 3, 0, COL_BOOL, "the device is an active swap area (/proc/swaps)" },
	[COL_ZRAM_WB] = { "ZRAM-WB", 8, 0, COL_STR, "zram writeback: yes (written-back pages reach storage without a second page-cache copy), buffered (a loop layer below caches them), none (no backing device), unknown" },
	[COL_ZRAM_BACKING] = { "ZRAM-BACKING", 8, 0, COL_STR, "a zram device's backing device (backing_dev)" },
	[COL_WB_LIMIT] = { "WB-LIMIT", 5, SCOLS_FL_RIGHT, COL_STR, "zram writeback budget left in 4 KiB pages, or off (writeback_limit_enable 0)" },
	[COL_BD_COUNT] = { "BD-COUNT", 5, SCOLS_FL_RIGHT, COL_NUM, "zram pages now on the backing device (bd_stat, 4 KiB pages)" },
	[COL_BD_WRITES] = { "BD-WRITES", 5, SCOLS_FL_RIGHT, COL_NUM, "zram pages written back since setup (bd_stat, 4 KiB pages)" },
};

/* What --require-dio needs to know across devices. */
struct device_state {
	bool require_dio;
	bool not_dio;		/* a loop or zram layer without real direct I/O */
};

static const int default_cols[] = {
	COL_NAME, COL_KIND, COL_TARGET, COL_PASSES, COL_PROFILE, COL_MODES,
	COL_DUN_BITS, COL_KEYSLOTS, COL_FILE_CRYPTO, COL_DIO, COL_SWAP,
};

static void modes_string(const struct bca_blkdev *d, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < bca_blkdev_get_mode_count(d) && len < size; i++) {
		uint64_t mask = bca_blkdev_get_mode_dus_mask(d, i);
		const char *sep = "";

		len += snprintf(buf + len, size - len, "%s%s:", i ? " " : "",
				bca_blkdev_get_mode_name(d, i));
		for (int bit = 0; bit < 64 && len < size; bit++)
			if (mask & (1ULL << bit)) {
				len += snprintf(buf + len, size - len, "%s%llu", sep, 1ULL << bit);
				sep = ",";
			}
	}
}

/* The default policy's mode and data unit size, as FILE-CRYPTO assumes. */
#define FILE_MODE "AES-256-XTS"
#define FILE_DUS 4096

/* FILE-CRYPTO, and the evidence for it in EXPLAIN. */
static void fill_file_crypto(struct out *o, struct libscols_line *ln, const struct bca_blkdev *d)
{
	enum bca_crypto_impl impl = bca_blkdev_crypto_for(d, FILE_MODE, FILE_DUS);
	const char *why = NULL;
	char buf[512];

	bca_blkdev_get_fallback(d, &why);
	out_set_str(o, ln, COL_FILE_CRYPTO, bca_crypto_impl_name(impl));
	switch (impl) {
	case BCA_CRYPTO_INLINE_HW:
		snprintf(buf, sizeof(buf), "the device's crypto profile has " FILE_MODE
			 " with %d-byte data units: inline encryption hardware", FILE_DUS);
		break;
	case BCA_CRYPTO_INLINE_FALLBACK:
		snprintf(buf, sizeof(buf), "no profile for " FILE_MODE "/%d here; blk-crypto-fallback "
			 "encrypts instead (evidence: %s)", FILE_DUS, why);
		break;
	case BCA_CRYPTO_NONE:
		snprintf(buf, sizeof(buf), "no profile for " FILE_MODE "/%d here and no "
			 "blk-crypto-fallback (evidence: %s): fscrypt encrypts in the filesystem layer, "
			 "without direct I/O", FILE_DUS, why);
		break;
	default:
		snprintf(buf, sizeof(buf), "no profile for " FILE_MODE "/%d here; whether "
			 "blk-crypto-fallback exists is unknown: %s", FILE_DUS, why);
	}
	out_set_str(o, ln, COL_EXPLAIN, buf);
}

/*
 * DIO speaks file's verdicts on every layer (one vocabulary across
 * commands); LOOP-DIO and ZRAM-WB keep their own words.  A loop device
 * with dio off serves O_DIRECT from its backing file's page cache: that
 * is buffered, and DIO-REASON says loop-dio-off.
 */
static enum bca_dio_verdict loop_verdict(enum bca_loop_dio v)
{
	switch (v) {
	case BCA_LOOP_DIO_YES: return BCA_DIO_YES;
	case BCA_LOOP_DIO_OFF:
	case BCA_LOOP_DIO_BUFFERED: return BCA_DIO_BUFFERED;
	default: return BCA_DIO_UNKNOWN;
	}
}

/* zram without a backing device writes nothing back: no DIO to speak of. */
static enum bca_dio_verdict zram_verdict(enum bca_zram_wb v)
{
	switch (v) {
	case BCA_ZRAM_WB_YES: return BCA_DIO_YES;
	case BCA_ZRAM_WB_BUFFERED: return BCA_DIO_BUFFERED;
	default: return BCA_DIO_UNKNOWN;
	}
}

/* A loop layer: its backing file, and whether its O_DIRECT is real. */
static void fill_loop(struct out *o, struct libscols_line *ln, const struct bca_blkdev *d,
		      const struct bca_file *backing, struct device_state *st)
{
	enum bca_dio_reason reason;
	enum bca_loop_dio v;

	if (!bca_blkdev_get_loop_backing_file(d))
		return;
	out_set_str(o, ln, COL_BACKING, bca_blkdev_get_loop_backing_file(d));
	v = bca_blkdev_loop_dio(d, backing, &reason);
	out_set_str(o, ln, COL_LOOP_DIO, bca_loop_dio_name(v));
	out_set_str(o, ln, COL_DIO, bca_dio_verdict_name(loop_verdict(v)));
	if (reason != BCA_REASON_NONE)
		out_set_str(o, ln, COL_LOOP_REASON, bca_dio_reason_name(reason));
	/* LOOP-DIO says off itself; DIO needs the reason next to it */
	if (v == BCA_LOOP_DIO_OFF && reason == BCA_REASON_NONE)
		reason = BCA_REASON_LOOP_DIO_OFF;
	if (reason != BCA_REASON_NONE)
		out_set_str(o, ln, COL_DIO_REASON, bca_dio_reason_name(reason));
	if (v != BCA_LOOP_DIO_YES)
		st->not_dio = true;
}

/* A zram layer: its backing device, writeback budget and verdict. */
static void fill_zram(struct out *o, struct libscols_line *ln, struct bca_ctx *ctx,
		      const struct bca_blkdev *d, struct device_state *st)
{
	enum bca_dio_reason reason;
	enum bca_zram_wb v;
	uint64_t n[3];
	char buf[32];
	int limit;

	if (bca_blkdev_get_kind(d) != BCA_BLKDEV_ZRAM)
		return;
	v = bca_blkdev_zram_writeback(ctx, d, &reason);
	out_set_str(o, ln, COL_ZRAM_WB, bca_zram_wb_name(v));
	if (v != BCA_ZRAM_WB_NONE)
		out_set_str(o, ln, COL_DIO, bca_dio_verdict_name(zram_verdict(v)));
	if (reason != BCA_REASON_NONE)
		out_set_str(o, ln, COL_DIO_REASON, bca_dio_reason_name(reason));
	out_set_str(o, ln, COL_ZRAM_BACKING, bca_blkdev_get_zram_backing_dev(d));
	limit = bca_blkdev_get_zram_writeback_limit(d, &n[0]);
	if (limit >= 0) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)n[0]);
		out_set_str(o, ln, COL_WB_LIMIT, limit ? buf : "off");
	}
	if (bca_blkdev_get_zram_bd_stat(d, &n[0], &n[1], &n[2]) == 0) {
		out_set_u64(o, ln, COL_BD_COUNT, n[0]);
		out_set_u64(o, ln, COL_BD_WRITES, n[2]);
	}
	if (v == BCA_ZRAM_WB_BUFFERED || v == BCA_ZRAM_WB_UNKNOWN)
		st->not_dio = true;
}

static void fill_line(struct out *o, struct libscols_line *ln, struct bca_ctx *ctx,
		      const struct bca_blkdev *d, const struct bca_file *backing,
		      struct device_state *st)
{
	char buf[512];
	dev_t dev = bca_blkdev_get_devno(d);
	int passes = bca_blkdev_passes_crypto(d);
	unsigned int kt = bca_blkdev_get_key_types(d);
	bool profile = bca_blkdev_has_crypto_profile(d);
	int swap;

	out_set_str(o, ln, COL_NAME, bca_blkdev_get_name(d));
	snprintf(buf, sizeof(buf), "%u:%u", major(dev), minor(dev));
	out_set_str(o, ln, COL_MAJMIN, buf);
	out_set_str(o, ln, COL_KIND, bca_blkdev_kind_name(bca_blkdev_get_kind(d)));
	out_set_str(o, ln, COL_TARGET, bca_blkdev_get_dm_target(d));
	fill_loop(o, ln, d, backing, st);
	fill_zram(o, ln, ctx, d, st);
	/* /proc/swaps is read once per context, and only when shown */
	if (out_has_column(o, COL_SWAP) && (swap = bca_blkdev_is_swap(ctx, d)) >= 0)
		out_set_bool(o, ln, COL_SWAP, swap);
	if (passes >= 0)
		out_set_bool(o, ln, COL_PASSES, passes);
	out_set_str(o, ln, COL_PROFILE, !profile ? "none" :
		    bca_blkdev_profile_passed_through(d) ? "passthrough" : "hardware");
	if (!profile)
		goto file_crypto;
	modes_string(d, buf, sizeof(buf));
	out_set_str(o, ln, COL_MODES, buf);
	out_set_u64(o, ln, COL_DUN_BITS, bca_blkdev_get_max_dun_bits(d));
	out_set_u64(o, ln, COL_KEYSLOTS, bca_blkdev_get_num_keyslots(d));
	snprintf(buf, sizeof(buf), "%s%s%s", kt & BCA_KEY_TYPE_RAW ? "raw" : "",
		 (kt & BCA_KEY_TYPE_RAW) && (kt & BCA_KEY_TYPE_HW_WRAPPED) ? "," : "",
		 kt & BCA_KEY_TYPE_HW_WRAPPED ? "hw-wrapped" : "");
	out_set_str(o, ln, COL_KEY_TYPES, buf);
file_crypto:
	fill_file_crypto(o, ln, d);
}

/*
 * A loop device's backing file, as a line of its own between the loop
 * device and the device holding the file, with the file's report: the
 * tree (and JSON) then shows which file the loop layer sits on and what
 * that file does with direct I/O.  Returns the line the devices below go
 * under.
 */
static struct libscols_line *add_backing_file(struct out *o, const struct bca_blkdev *d,
					      const struct bca_file *f,
					      struct libscols_line *parent)
{
	const char *path = bca_blkdev_get_loop_backing_file(d);
	struct libscols_line *ln;
	char buf[512];

	if (!path || !(ln = out_new_child(o, parent)))
		return parent;
	out_set_str(o, ln, COL_NAME, path);
	out_set_str(o, ln, COL_KIND, "file");
	if (!f) {
		enum bca_dio_reason reason;

		/* deleted or replaced: no report, but say so */
		bca_blkdev_loop_dio(d, NULL, &reason);
		if (reason == BCA_REASON_BACKING_UNREACHABLE) {
			out_set_str(o, ln, COL_FILE_DIO, bca_dio_verdict_name(BCA_DIO_UNKNOWN));
			out_set_str(o, ln, COL_DIO, bca_dio_verdict_name(BCA_DIO_UNKNOWN));
			out_set_str(o, ln, COL_FILE_REASON, bca_dio_reason_name(reason));
			out_set_str(o, ln, COL_DIO_REASON, bca_dio_reason_name(reason));
			out_set_str(o, ln, COL_EXPLAIN, bca_dio_reason_describe(reason));
		}
		return ln;
	}
	out_set_str(o, ln, COL_FILE_DIO, bca_dio_verdict_name(bca_file_get_verdict(f)));
	out_set_str(o, ln, COL_DIO, bca_dio_verdict_name(bca_file_get_verdict(f)));
	if (bca_file_get_reason(f) != BCA_REASON_NONE) {
		out_set_str(o, ln, COL_FILE_REASON, bca_dio_reason_name(bca_file_get_reason(f)));
		out_set_str(o, ln, COL_DIO_REASON, bca_dio_reason_name(bca_file_get_reason(f)));
	}
	out_set_str(o, ln, COL_FILE_CRYPTO, bca_crypto_impl_name(bca_file_get_crypto_impl(f)));
	bca_file_explain(f, buf, sizeof(buf));
	out_set_str(o, ln, COL_EXPLAIN, buf);
	return ln;
}

/* The devices a tree has expanded, so that each is expanded once. */
struct seen {
	dev_t *devs;
	size_t n, cap;
};

/* Whether dev was expanded already; if not, remember it. */
static int seen_before(struct seen *s, dev_t dev)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->devs[i] == dev)
			return 1;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		dev_t *d = realloc(s->devs, cap * sizeof(*d));

		if (!d)
			return -ENOMEM;
		s->devs = d;
		s->cap = cap;
	}
	s->devs[s->n++] = dev;
	return 0;
}

/*
 * Adds d and, below it, the devices it sits on.  A device met again (a
 * disk under two partitions, or a recorded tree whose slaves point back)
 * is shown but not expanded again: breadth is bounded by the number of
 * devices, not only the depth.
 */
static int add_stack(struct out *o, struct bca_ctx *ctx, const struct bca_blkdev *d,
		     struct libscols_line *parent, int depth, struct seen *seen,
		     struct device_state *st)
{
	struct libscols_line *ln = out_new_child(o, parent), *below = ln;
	struct bca_file *backing = NULL;
	int rc;

	if (!ln)
		return -ENOMEM;
	/* one report on a loop device's backing file serves both of its lines */
	if (bca_blkdev_query_backing_file(ctx, d, &backing) < 0)
		backing = NULL;
	fill_line(o, ln, ctx, d, backing, st);
	rc = seen_before(seen, bca_blkdev_get_devno(d));
	if (rc == 0 && depth < MAX_DEPTH && bca_blkdev_get_kind(d) == BCA_BLKDEV_LOOP)
		below = add_backing_file(o, d, backing, ln);
	bca_file_free(backing);
	if (rc != 0 || depth >= MAX_DEPTH)
		return rc < 0 ? rc : 0;
	for (size_t i = 0; i < bca_blkdev_get_lower_count(d) && rc == 0; i++) {
		struct bca_blkdev *lower;

		rc = bca_blkdev_query_devno(ctx, bca_blkdev_get_lower(d, i), &lower);
		if (rc < 0)
			break;
		rc = add_stack(o, ctx, lower, below, depth + 1, seen, st);
		bca_blkdev_free(lower);
	}
	return rc;
}

static int report_device(struct bca_ctx *ctx, struct out *o, const char *arg, void *data)
{
	struct bca_blkdev *d;
	int rc = bca_blkdev_query(ctx, arg, &d);

	if (rc == -ENODEV) {
		cli_warnx("%s: not a block device, nor on a filesystem with one", arg);
		return rc;
	}
	if (rc == 0) {
		struct seen seen = { 0 };

		rc = add_stack(o, ctx, d, NULL, 0, &seen, data);
		free(seen.devs);
		bca_blkdev_free(d);
	}
	if (rc < 0)
		cli_path_error(arg, rc);
	return rc;
}

static int add_device(const char *name, void *data)
{
	return cli_args_add(data, name);
}

static int gather_devices(struct bca_ctx *ctx, struct cli_args *a)
{
	return bca_blkdev_foreach_top(ctx, add_device, a);
}

static void device_help(void)
{
	printf("Usage:\n %s device [options] [DEVICE|PATH...]\n\n", cli_prog);
	fputs("Show the inline-crypto capabilities of a block device and of every device\n"
	      "below it (partition's disk, device-mapper slaves, a loop device's backing\n"
	      "file's device, a zram device's backing device), and whether each layer's\n"
	      "I/O bypasses the page cache (DIO).  DEVICE is a device node, a kernel name\n"
	      "(dm-0) or MAJ:MIN; any other PATH means its filesystem's device.  With none,\n"
	      "every device at the top of a stack, as lsblk -s lists them (empty loop and\n"
	      "zram devices left out).\n\n"
	      "Options:\n"
	      "     --require-dio      exit 3 when a loop or zram layer would not get real\n"
	      "                        direct I/O (or it is unknown)\n"
	      "     --sysroot <dir>    read a recorded sysfs tree below <dir>\n", stdout);
	out_help_options(stdout);
	fputs(" -h, --help             display this help\n", stdout);
	out_help_columns(infos, sizeof(infos) / sizeof(infos[0]), stdout);
	printf("\nExit status: 0 all devices reported, 32 none could be, 64 some could not,\n"
	       "3 --require-dio and a loop or zram layer without real direct I/O, 2 usage error,\n"
	       "1 other failure.  See blkcrypt-query(8).\n");
}

enum { OPT_SYSROOT = 256, OPT_REQUIRE_DIO };

int cmd_device(int argc, char **argv)
{
	static const struct option longopts[] = {
		OUT_LONGOPTS,
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "require-dio", no_argument, NULL, OPT_REQUIRE_DIO },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct device_state st = { 0 };
	struct cli_args devices = { 0 };
	const char *sysroot = NULL;
	struct out o;
	int c, rc;

	out_init(&o, infos, sizeof(infos) / sizeof(infos[0]), "devices",
		 default_cols, sizeof(default_cols) / sizeof(default_cols[0]));
	while ((c = getopt_long(argc, argv, OUT_SHORTOPTS "h", longopts, NULL)) != -1) {
		if (out_option(&o, c, optarg))
			continue;
		switch (c) {
		case OPT_SYSROOT:
			sysroot = optarg;
			break;
		case OPT_REQUIRE_DIO:
			st.require_dio = true;
			break;
		case 'h':
			device_help();
			return EXIT_OK;
		default:
			cli_usage_error("device: bad usage");
		}
	}
	if (optind < argc)
		rc = cli_each(&o, sysroot, argv + optind, argc - optind, report_device, &st);
	else
		rc = cli_each_gathered(&o, sysroot, gather_devices, &devices, "/sys/class/block",
				       report_device, &st);
	return rc == EXIT_OK && st.require_dio && st.not_dio ? EXIT_NOT_DIO : rc;
}
