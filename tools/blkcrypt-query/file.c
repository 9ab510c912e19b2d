// SPDX-License-Identifier: GPL-2.0-or-later
/* blkcrypt-query file: the per-file direct I/O report. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "output.h"
#include "query.h"

enum {
	COL_PATH, COL_TYPE, COL_VERDICT, COL_REASON, COL_DIO_MEM, COL_DIO_OFFSET,
	COL_DIO_READ_OFFSET, COL_AWU_MIN, COL_AWU_MAX, COL_ENCRYPTION, COL_CONTENTS,
	COL_FILENAMES, COL_FLAGS, COL_DUSIZE, COL_KEY, COL_CRYPTO, COL_DEVICE,
	COL_FSTYPE, COL_SOURCE, COL_EXPLAIN, COL_PROBE, COL_CACHED, COL_STRICT,
	COL_LOOP, COL_SWAP, COL_SWAPON,
};

static const struct col_info infos[] = {
	[COL_PATH] = { "PATH", 0.3, SCOLS_FL_NOEXTREMES, COL_STR, "the path as given" },
	[COL_TYPE] = { "TYPE", 4, 0, COL_STR, "file type: file, dir, link, blk, chr, fifo, sock" },
	[COL_VERDICT] = { "DIO", 8, 0, COL_STR, "direct I/O verdict: yes, no, buffered, unknown" },
	[COL_REASON] = { "REASON", 14, 0, COL_STR, "why the verdict is not yes" },
	[COL_DIO_MEM] = { "MEM-ALIGN", 5, SCOLS_FL_RIGHT, COL_NUM, "memory buffer alignment for O_DIRECT (bytes, 0: no DIO)" },
	[COL_DIO_OFFSET] = { "OFF-ALIGN", 5, SCOLS_FL_RIGHT, COL_NUM, "file offset and length alignment for O_DIRECT (bytes)" },
	[COL_DIO_READ_OFFSET] = { "READ-ALIGN", 5, SCOLS_FL_RIGHT, COL_NUM, "file offset alignment for O_DIRECT reads, when it differs (6.14+)" },
	[COL_AWU_MIN] = { "AWU-MIN", 5, SCOLS_FL_RIGHT, COL_NUM, "atomic write unit minimum (bytes)" },
	[COL_AWU_MAX] = { "AWU-MAX", 5, SCOLS_FL_RIGHT, COL_NUM, "atomic write unit maximum (bytes)" },
	[COL_ENCRYPTION] = { "ENCRYPTION", 4, 0, COL_STR, "fscrypt policy: none, v1, v2" },
	[COL_CONTENTS] = { "CONTENTS", 8, 0, COL_STR, "contents encryption mode" },
	[COL_FILENAMES] = { "FILENAMES", 8, 0, COL_STR, "filenames encryption mode" },
	[COL_FLAGS] = { "FLAGS", 6, 0, COL_STR, "policy flags: PAD_N, DIRECT_KEY, IV_INO_LBLK_64, IV_INO_LBLK_32" },
	[COL_DUSIZE] = { "DU-SIZE", 5, SCOLS_FL_RIGHT, COL_NUM, "encryption data unit size (bytes)" },
	[COL_KEY] = { "KEY", 7, 0, COL_STR, "key status: present, absent, incompletely-removed, unknown" },
	[COL_CRYPTO] = { "CRYPTO", 8, 0, COL_STR, "who encrypts: none, fs-layer, inline-hw, inline-fallback, unknown" },
	[COL_DEVICE] = { "DEVICE", 6, 0, COL_STR, "block device holding the file" },
	[COL_FSTYPE] = { "FSTYPE", 5, 0, COL_STR, "filesystem type" },
	[COL_SOURCE] = { "SOURCE", 8, 0, COL_STR, "where the verdict comes from: kernel or inferred" },
	[COL_EXPLAIN] = { "EXPLAIN", 0.5, SCOLS_FL_WRAP, COL_STR, "the verdict in a sentence, with the alignment O_DIRECT needs" },
	[COL_PROBE] = { "PROBE", 8, 0, COL_STR, "with --probe: the verdict measured with O_DIRECT and mincore" },
	[COL_CACHED] = { "CACHED", 5, SCOLS_FL_RIGHT, COL_NUM, "with --probe: pages of the probe's 1 MiB left in the page cache by its O_DIRECT write or read (the more of the two)" },
	[COL_STRICT] = { "STRICT", 8, 0, COL_STR, "with --strict-probe: RWF_DIO_STRICT accepted, refused, unsupported (by the fs), unavailable (kernel)" },
	[COL_LOOP] = { "LOOP", 6, 0, COL_STR, "loop devices backed by the file (see blkcrypt-query device's LOOP-DIO)" },
	[COL_SWAP] = { "SWAP", 4, 0, COL_STR, "active swap: file (swapon on this file), loop (through a loop device over it: see LOOP), zram (a loop device over it is the backing device of zram swap)" },
	[COL_SWAPON] = { "SWAPON", 4, 0, COL_STR, "whether swap can use the file itself: yes (it does), no (encrypted: refused, or written unencrypted by kernels that take it), unknown" },
};

static const int default_cols[] = {
	COL_PATH, COL_VERDICT, COL_DIO_MEM, COL_DIO_OFFSET, COL_ENCRYPTION,
	COL_KEY, COL_CRYPTO, COL_SOURCE, COL_REASON,
};

static const char *type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "file";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "link";
	case S_IFBLK: return "blk";
	case S_IFCHR: return "chr";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "sock";
	default: return "unknown";
	}
}


/*
 * SWAP and SWAPON, and swap's sentence after EXPLAIN's when they are shown
 * or the file is swap now; a warning for an encrypted file in use as swap
 * (swap writes it unencrypted).  /proc/swaps and the loop devices are read
 * once per context, and only for regular files that are encrypted or when
 * the columns are shown: a plain scan does not pay for them.
 */
static void add_swap(struct out *o, struct libscols_line *ln, struct bca_ctx *ctx,
		     const char *path, const struct bca_file *f, char *explain, size_t size)
{
	bool shown = out_has_column(o, COL_SWAP) || out_has_column(o, COL_SWAPON);
	bool encrypted = bca_file_get_policy_version(f) > 0;
	enum bca_swap_use use = BCA_SWAP_NONE;
	size_t len = strlen(explain);

	if (!S_ISREG(bca_file_get_mode(f)) ||
	    (!shown && !encrypted && !out_has_column(o, COL_EXPLAIN)))
		return;
	if (bca_file_get_swap(ctx, f, &use, NULL, 0) < 0)
		return;
	/* swap bypasses fscrypt: said whatever the columns */
	if (encrypted && use == BCA_SWAP_FILE)
		cli_warnx("%s: encrypted file in use as swap: swapped pages reach the disk unencrypted",
			  path);
	if (use != BCA_SWAP_NONE)
		out_set_str(o, ln, COL_SWAP, bca_swap_use_name(use));
	out_set_str(o, ln, COL_SWAPON, bca_swapon_name(bca_file_swapon(ctx, f)));
	if ((shown || use != BCA_SWAP_NONE) && len + 2 < size) {
		snprintf(explain + len, size - len, "%s", len ? ". " : "");
		len = strlen(explain);
		bca_file_explain_swap(ctx, f, explain + len, size - len);
	}
}

static void add_file_line(struct out *o, struct libscols_line *ln, struct bca_ctx *ctx,
			  const char *path, const struct bca_file *f)
{
	int ver = bca_file_get_policy_version(f);
	char buf[1024];

	out_set_str(o, ln, COL_PATH, path);
	out_set_str(o, ln, COL_TYPE, type_name(bca_file_get_mode(f)));
	out_set_str(o, ln, COL_VERDICT, bca_dio_verdict_name(bca_file_get_verdict(f)));
	out_set_str(o, ln, COL_REASON, bca_dio_reason_name(bca_file_get_reason(f)));
	if (bca_file_dio_align_known(f)) {
		out_set_u64(o, ln, COL_DIO_MEM, bca_file_get_dio_mem_align(f));
		out_set_u64(o, ln, COL_DIO_OFFSET, bca_file_get_dio_offset_align(f));
	}
	if (bca_file_dio_read_align_known(f))
		out_set_u64(o, ln, COL_DIO_READ_OFFSET, bca_file_get_dio_read_offset_align(f));
	if (bca_file_atomic_write_known(f)) {
		out_set_u64(o, ln, COL_AWU_MIN, bca_file_get_atomic_write_unit_min(f));
		out_set_u64(o, ln, COL_AWU_MAX, bca_file_get_atomic_write_unit_max(f));
	}
	snprintf(buf, sizeof(buf), ver ? "v%d" : "none", ver);
	out_set_str(o, ln, COL_ENCRYPTION, buf);
	if (ver) {
		out_set_str(o, ln, COL_CONTENTS, bca_fscrypt_mode_name(bca_file_get_contents_mode(f)));
		out_set_str(o, ln, COL_FILENAMES, bca_fscrypt_mode_name(bca_file_get_filenames_mode(f)));
		bca_fscrypt_policy_flags_str(bca_file_get_policy_flags(f), ",", buf, sizeof(buf));
		out_set_str(o, ln, COL_FLAGS, buf);
		out_set_u64(o, ln, COL_DUSIZE, bca_file_get_data_unit_size(f));
		out_set_str(o, ln, COL_KEY, bca_key_status_name(bca_file_get_key_status(f)));
	}
	out_set_str(o, ln, COL_CRYPTO, bca_crypto_impl_name(bca_file_get_crypto_impl(f)));
	out_set_str(o, ln, COL_DEVICE, bca_file_get_device_name(f));
	out_set_str(o, ln, COL_FSTYPE, bca_file_get_fstype(f));
	out_set_str(o, ln, COL_SOURCE, bca_source_name(bca_file_get_source(f)));
	bca_file_explain(f, buf, sizeof(buf));
	add_swap(o, ln, ctx, path, f, buf, sizeof(buf));
	out_set_str(o, ln, COL_EXPLAIN, buf);
	/* a scan reads the loop devices once; only asked for when shown */
	if (out_has_column(o, COL_LOOP) && bca_file_get_loop_devices(ctx, f, buf, sizeof(buf)) > 0)
		out_set_str(o, ln, COL_LOOP, buf);
}

/* Counts per verdict and reason, for the summary of a scan. */
struct scan {
	struct out *o;
	struct bca_ctx *ctx;
	bool probe;
	bool strict;		/* --strict-probe */
	bool error_printed;	/* the last error was already reported */
	unsigned long mismatches;
	bool summary_only;
	bool require_dio;
	unsigned long counts[BCA_DIO_BUFFERED + 1][BCA_REASON_LAST];
	unsigned long errors;
	unsigned long not_dio;	/* regular files, or given paths, without real DIO */
};

/*
 * Counts f; a file met by a recursive scan weighs on --require-dio only
 * when it is a regular file: symlinks, FIFOs and sockets in a tree are no
 * files to do direct I/O on.  A path given by name always does.
 */
static void count(struct scan *sc, const struct bca_file *f, bool given)
{
	enum bca_dio_verdict v = bca_file_get_verdict(f);
	enum bca_dio_reason r = bca_file_get_reason(f);

	if ((unsigned int)v <= BCA_DIO_BUFFERED && (unsigned int)r < BCA_REASON_LAST)
		sc->counts[v][r]++;
	if (v != BCA_DIO_YES && (given || S_ISREG(bca_file_get_mode(f))))
		sc->not_dio++;
}

/*
 * Runs the probe and compares it with the inference.  A disagreement means
 * the inference is wrong for this kernel: say so loudly, it is a bug.
 */
static int probe(struct scan *sc, const char *path, const struct bca_file *f,
		 struct libscols_line *ln)
{
	enum bca_dio_verdict inferred = bca_file_get_verdict(f), measured;
	enum bca_probe_strict strict = BCA_PROBE_STRICT_UNAVAILABLE;
	uint64_t cached;
	int rc;

	if (sc->strict)
		rc = bca_file_probe_strict(sc->ctx, AT_FDCWD, path, &measured, &cached, &strict);
	else
		rc = bca_file_probe(sc->ctx, AT_FDCWD, path, &measured, &cached);
	if (rc < 0) {
		fprintf(stderr, "%s: %s: probe: %s\n", cli_prog, path, bca_strerror(rc));
		sc->error_printed = true;
		return rc;
	}
	if (ln) {
		/* a refusal proves buffered; STRICT says it was refused */
		out_set_str(sc->o, ln, COL_PROBE, bca_dio_verdict_name(strict == BCA_PROBE_STRICT_REFUSED ?
								       BCA_DIO_BUFFERED : measured));
		out_set_u64(sc->o, ln, COL_CACHED, cached);
		if (sc->strict)
			out_set_str(sc->o, ln, COL_STRICT, bca_probe_strict_name(strict));
	}
	if (S_ISREG(bca_file_get_mode(f)) && inferred != BCA_DIO_UNKNOWN && inferred != measured) {
		sc->mismatches++;
		fprintf(stderr, "%s: %s: MISMATCH: inferred '%s' but the probe measured '%s' "
			"(%llu pages cached): please report this with the output of "
			"'%s file -J -o +EXPLAIN %s'\n", cli_prog, path,
			bca_dio_verdict_name(inferred), bca_dio_verdict_name(measured),
			(unsigned long long)cached, cli_prog, path);
	}
	if (measured != BCA_DIO_YES && inferred == BCA_DIO_YES)
		sc->not_dio++;	/* the proof wins over the inference */
	return 0;
}

static int report(struct scan *sc, const char *path, const struct bca_file *f, bool given)
{
	struct libscols_line *ln = NULL;

	count(sc, f, given);
	if (!sc->summary_only) {
		ln = out_new_line_streaming(sc->o);
		if (!ln)
			return -ENOMEM;
		add_file_line(sc->o, ln, sc->ctx, path, f);
	}
	return sc->probe ? probe(sc, path, f, ln) : 0;
}

/* Walk callback: directories are walked, not reported. */
static int scan_entry(const char *path, const struct bca_file *f, int err, void *data)
{
	struct scan *sc = data;

	if (err < 0) {
		cli_path_error(path, err);
		sc->errors++;
		return 0;
	}
	if (S_ISDIR(bca_file_get_mode(f)))
		return 0;
	return report(sc, path, f, false);
}

enum { SUM_DIO, SUM_REASON, SUM_COUNT };

static const struct col_info summary_infos[] = {
	[SUM_DIO] = { "DIO", 8, 0, COL_STR, "direct I/O verdict" },
	[SUM_REASON] = { "REASON", 14, 0, COL_STR, "why the verdict is not yes" },
	[SUM_COUNT] = { "COUNT", 8, SCOLS_FL_RIGHT, COL_NUM, "number of files" },
};

/* The summary table: one line per verdict and reason seen, then errors. */
static int print_summary(const struct scan *sc, const struct out *fmt)
{
	static const int cols[] = { SUM_DIO, SUM_REASON, SUM_COUNT };
	struct out o;
	int rc;

	out_init(&o, summary_infos, 3, "summary", cols, 3);
	o.mode = fmt->mode;
	o.noheadings = fmt->noheadings;
	rc = out_start(&o);
	for (int v = 0; rc == 0 && v <= BCA_DIO_BUFFERED; v++)
		for (int r = 0; r < BCA_REASON_LAST; r++) {
			struct libscols_line *ln;

			if (!sc->counts[v][r])
				continue;
			ln = out_new_line(&o);
			out_set_str(&o, ln, SUM_DIO, bca_dio_verdict_name(v));
			out_set_str(&o, ln, SUM_REASON, bca_dio_reason_name(r));
			out_set_u64(&o, ln, SUM_COUNT, sc->counts[v][r]);
		}
	if (rc == 0 && sc->errors) {
		struct libscols_line *ln = out_new_line(&o);

		/* a verdict is always one of file's; the reason says why none */
		out_set_str(&o, ln, SUM_DIO, bca_dio_verdict_name(BCA_DIO_UNKNOWN));
		out_set_str(&o, ln, SUM_REASON, "error");
		out_set_u64(&o, ln, SUM_COUNT, sc->errors);
	}
	if (rc == 0)
		rc = out_print(&o);
	out_free(&o);
	return rc;
}

static void file_help(void)
{
	printf("Usage:\n %s file [options] PATH...\n\n", cli_prog);
	fputs("Report the direct I/O verdict, alignment and encryption of each PATH.\n\n"
	      "Options:\n"
	      " -R, --recursive        report the files below each directory PATH\n"
	      "     --follow           with -R, follow symlinks (cycles are detected)\n"
	      "     --cross-mounts     with -R, descend into other mounted filesystems\n"
	      " -s, --summary          print counts per verdict and reason, not files\n"
	      "     --require-dio      exit 3 when a file would not get real direct I/O\n"
	      " -p, --probe            prove the verdict: O_DIRECT on a scratch file next to\n"
	      "                        PATH, then mincore; a mismatch is reported, exit 1\n"
	      "     --strict-probe     --probe, first with RWF_DIO_STRICT where the kernel\n"
	      "                        has it: a refusal proves the page cache fallback\n"
	      " -L, --no-dereference   report a symlink itself, not its target\n", stdout);
	out_help_options(stdout);
	fputs(" -h, --help             display this help\n", stdout);
	out_help_columns(infos, sizeof(infos) / sizeof(infos[0]), stdout);
	printf("\nExit status: 0 all paths reported, 1 a --probe mismatch or another failure,\n"
	       "2 usage error, 3 --require-dio and a file without real direct I/O,\n"
	       "32 none of the paths could be handled, 64 some could not.\n"
	       "See blkcrypt-query(8).\n");
}

enum { OPT_FOLLOW = 256, OPT_CROSS_MOUNTS, OPT_REQUIRE_DIO, OPT_STRICT_PROBE };

int cmd_file(int argc, char **argv)
{
	static const struct option longopts[] = {
		OUT_LONGOPTS,
		{ "recursive", no_argument, NULL, 'R' },
		{ "follow", no_argument, NULL, OPT_FOLLOW },
		{ "cross-mounts", no_argument, NULL, OPT_CROSS_MOUNTS },
		{ "summary", no_argument, NULL, 's' },
		{ "require-dio", no_argument, NULL, OPT_REQUIRE_DIO },
		{ "probe", no_argument, NULL, 'p' },
		{ "strict-probe", no_argument, NULL, OPT_STRICT_PROBE },
		{ "no-dereference", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned int qflags = 0, wflags = 0;
	bool recursive = false;
	struct bca_ctx *ctx = NULL;
	struct scan sc = { 0 };
	struct out o;
	int c, rc, failed = 0, handled = 0;

	out_init(&o, infos, sizeof(infos) / sizeof(infos[0]), "files",
		 default_cols, sizeof(default_cols) / sizeof(default_cols[0]));
	while ((c = getopt_long(argc, argv, OUT_SHORTOPTS "RsLph", longopts, NULL)) != -1) {
		if (out_option(&o, c, optarg))
			continue;
		switch (c) {
		case 'R':
			recursive = true;
			break;
		case OPT_FOLLOW:
			wflags |= BCA_WALK_FOLLOW_SYMLINKS;
			break;
		case OPT_CROSS_MOUNTS:
			wflags |= BCA_WALK_CROSS_MOUNTS;
			break;
		case 's':
			sc.summary_only = true;
			break;
		case OPT_REQUIRE_DIO:
			sc.require_dio = true;
			break;
		case 'p':
			sc.probe = true;
			break;
		case OPT_STRICT_PROBE:
			sc.probe = sc.strict = true;
			break;
		case 'L':
			qflags |= BCA_QUERY_NOFOLLOW;
			break;
		case 'h':
			file_help();
			return EXIT_OK;
		default:
			cli_usage_error("file: bad usage");
		}
	}
	if (optind >= argc)
		cli_usage_error("file: no path given");
	if (wflags && !recursive)
		cli_usage_error("file: --follow and --cross-mounts need --recursive");
	if (sc.probe && recursive)
		cli_usage_error("file: --probe writes 1 MiB per file: not with --recursive");
	if (sc.probe && !out_has_column(&o, COL_PROBE)) {
		out_option(&o, 'o', sc.strict ? "+PROBE,CACHED,STRICT" : "+PROBE,CACHED");
	}

	sc.o = &o;
	rc = cli_ctx_new(&ctx);
	sc.ctx = ctx;
	if (rc == 0)
		rc = out_start(&o);
	if (rc < 0) {
		cli_warnx("%s", bca_strerror(rc));
		bca_unref(ctx);
		out_free(&o);
		return EXIT_FAIL;
	}
	for (int i = optind; i < argc; i++) {
		struct bca_file *f;

		rc = bca_file_query(ctx, AT_FDCWD, argv[i], qflags, &f);
		if (rc == 0 && recursive && S_ISDIR(bca_file_get_mode(f))) {
			bca_file_free(f);
			rc = bca_file_walk(ctx, argv[i], wflags, scan_entry, &sc);
		} else if (rc == 0) {
			rc = report(&sc, argv[i], f, true);
			bca_file_free(f);
		}
		if (rc < 0) {
			if (!sc.error_printed)
				cli_path_error(argv[i], rc);
			sc.error_printed = false;
			failed++;
			continue;
		}
		handled++;
	}
	if (!sc.summary_only && handled)
		out_print(&o);
	out_free(&o);
	/* only when asked for, as lsblk and findmnt print no totals */
	if (sc.summary_only)
		print_summary(&sc, &o);
	bca_unref(ctx);
	if (!handled)
		return EXIT_NONE_HANDLED;
	if (failed || sc.errors)
		return EXIT_SOME_FAILED;
	if (sc.mismatches)
		return EXIT_FAIL;
	return sc.require_dio && sc.not_dio ? EXIT_NOT_DIO : EXIT_OK;
}
