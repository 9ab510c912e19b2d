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
	COL_FSTYPE, COL_SOURCE, COL_EXPLAIN,
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

static void flags_string(unsigned int flags, char *buf, size_t size)
{
	static const int pad[] = { 4, 8, 16, 32 };

	snprintf(buf, size, "PAD_%d%s%s%s", pad[flags & 3],
		 flags & 0x04 ? ",DIRECT_KEY" : "",
		 flags & 0x08 ? ",IV_INO_LBLK_64" : "",
		 flags & 0x10 ? ",IV_INO_LBLK_32" : "");
}

static void add_file_line(struct out *o, const char *path, const struct bca_file *f)
{
	struct libscols_line *ln = out_new_line(o);
	int ver = bca_file_get_policy_version(f);
	char buf[512];

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
		flags_string(bca_file_get_policy_flags(f), buf, sizeof(buf));
		out_set_str(o, ln, COL_FLAGS, buf);
		out_set_u64(o, ln, COL_DUSIZE, bca_file_get_data_unit_size(f));
		out_set_str(o, ln, COL_KEY, bca_key_status_name(bca_file_get_key_status(f)));
	}
	out_set_str(o, ln, COL_CRYPTO, bca_crypto_impl_name(bca_file_get_crypto_impl(f)));
	out_set_str(o, ln, COL_DEVICE, bca_file_get_device_name(f));
	out_set_str(o, ln, COL_FSTYPE, bca_file_get_fstype(f));
	out_set_str(o, ln, COL_SOURCE, bca_source_name(bca_file_get_source(f)));
	bca_file_explain(f, buf, sizeof(buf));
	out_set_str(o, ln, COL_EXPLAIN, buf);
}

static void file_help(void)
{
	printf("Usage:\n %s file [options] PATH...\n\n", cli_prog);
	fputs("Report the direct I/O verdict, alignment and encryption of each PATH.\n\n"
	      "Options:\n"
	      " -L, --no-dereference   report a symlink itself, not its target\n", stdout);
	out_help_options(stdout);
	fputs(" -h, --help             display this help\n", stdout);
	out_help_columns(infos, sizeof(infos) / sizeof(infos[0]), stdout);
	printf("\nExit status: 0 all paths reported, 32 none could be, 64 some could not,\n"
	       "2 usage error, 1 other failure.  See blkcrypt-query(8).\n");
}

int cmd_file(int argc, char **argv)
{
	static const struct option longopts[] = {
		OUT_LONGOPTS,
		{ "no-dereference", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned int qflags = 0;
	struct bca_ctx *ctx = NULL;
	struct out o;
	int c, rc, failed = 0, handled = 0;

	out_init(&o, infos, sizeof(infos) / sizeof(infos[0]), "files",
		 default_cols, sizeof(default_cols) / sizeof(default_cols[0]));
	while ((c = getopt_long(argc, argv, OUT_SHORTOPTS "Lh", longopts, NULL)) != -1) {
		if (out_option(&o, c, optarg))
			continue;
		switch (c) {
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

	rc = bca_new(&ctx);
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
		if (rc < 0) {
			cli_path_error(argv[i], rc);
			failed++;
			continue;
		}
		add_file_line(&o, argv[i], f);
		bca_file_free(f);
		handled++;
	}
	if (handled)
		out_print(&o);
	out_free(&o);
	bca_unref(ctx);
	if (!handled)
		return EXIT_NONE_HANDLED;
	return failed ? EXIT_SOME_FAILED : EXIT_OK;
}
