// SPDX-License-Identifier: GPL-2.0-or-later
/* fscryptctl-dio set_policy: a v2 policy on an empty directory, optionally chosen for DIO. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "fscryptctl.h"


enum {
	OPT_CONTENTS = 256,
	OPT_FILENAMES,
	OPT_PADDING,
	OPT_DIRECT_KEY,
	OPT_IV_INO_LBLK_64,
	OPT_IV_INO_LBLK_32,
	OPT_DATA_UNIT_SIZE,
	OPT_FOR_DIO,
};

int cmd_set_policy(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "contents", required_argument, NULL, OPT_CONTENTS },
		{ "filenames", required_argument, NULL, OPT_FILENAMES },
		{ "padding", required_argument, NULL, OPT_PADDING },
		{ "direct-key", no_argument, NULL, OPT_DIRECT_KEY },
		{ "iv-ino-lblk-64", no_argument, NULL, OPT_IV_INO_LBLK_64 },
		{ "iv-ino-lblk-32", no_argument, NULL, OPT_IV_INO_LBLK_32 },
		{ "data-unit-size", required_argument, NULL, OPT_DATA_UNIT_SIZE },
		/* fscryptctl's options above, ours below */
		{ "for-dio", no_argument, NULL, OPT_FOR_DIO },
		{ NULL, 0, NULL, 0 }
	};
	struct bca_fscrypt_policy pol = {
		.version = 2,
		.contents_mode = 1,	/* AES-256-XTS */
		.filenames_mode = 4,	/* AES-256-CTS */
		.flags = 3,		/* PAD_32: leak the least about name lengths */
	};
	const char *conflict = NULL, *dir;
	bool for_dio = false;
	uint8_t pad;
	int c, fd, rc, err;

	compat_long_options(argc, argv, longopts, 7);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CONTENTS:
			if (!parse_mode(optarg, &pol.contents_mode)) {
				fprintf(stderr, "error: invalid contents mode: %s\n", optarg);
				return EXIT_FAILURE;
			}
			break;
		case OPT_FILENAMES:
			if (!parse_mode(optarg, &pol.filenames_mode)) {
				fprintf(stderr, "error: invalid filenames mode: %s\n", optarg);
				return EXIT_FAILURE;
			}
			break;
		case OPT_PADDING:
			if (!parse_padding(optarg, &pad)) {
				fprintf(stderr, "error: invalid padding: %s\n", optarg);
				return EXIT_FAILURE;
			}
			pol.flags = (uint8_t)((pol.flags & ~3u) | pad);
			break;
		case OPT_DIRECT_KEY:
			pol.flags |= BCA_FSCRYPT_POLICY_FLAG_DIRECT_KEY;
			conflict = "--direct-key";
			break;
		case OPT_IV_INO_LBLK_64:
			pol.flags |= BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64;
			conflict = "--iv-ino-lblk-64";
			break;
		case OPT_IV_INO_LBLK_32:
			/* on stdout, as fscryptctl */
			puts("warning: --iv-ino-lblk-32 should normally not be used");
			cli_flush_stdout();	/* before any error; a failure is told later */
			pol.flags |= BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32;
			conflict = "--iv-ino-lblk-32";
			break;
		case OPT_DATA_UNIT_SIZE:
			if (!parse_data_unit_size(optarg, &pol.log2_data_unit_size)) {
				fprintf(stderr, "error: invalid data unit size: %s\n", optarg);
				return EXIT_FAILURE;
			}
			conflict = "--data-unit-size";
			break;
		case OPT_FOR_DIO:
			for_dio = true;
			break;
		default:
			usage(stderr);
		}
	}
	argc -= optind;
	argv += optind;
	if (for_dio && conflict)
		cli_usage_error("--for-dio chooses the flags and data unit size itself: "
				"it cannot be combined with %s", conflict);
	if (argc != 2) {
		fputs("error: must specify a key and a directory\n", stderr);
		return EXIT_FAILURE;
	}
	dir = argv[1];
	if (!hex_to_bytes(argv[0], pol.key, BCA_FSCRYPT_KEY_IDENTIFIER_SIZE)) {
		fprintf(stderr, "error: invalid key identifier: %s\n", argv[0]);
		return EXIT_FAILURE;
	}

	fd = open(dir, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);	/* a FIFO must not block */
	if (fd < 0) {
		fprintf(stderr, "error: opening %s: %s\n", dir, strerror(errno));
		return EXIT_FAILURE;
	}
	if (for_dio) {
		rc = for_dio_plan(dir, &pol);
		if (rc == EXIT_SUCCESS && (err = cli_flush_stdout())) {
			/* a plan nobody can read is no reason to change the directory */
			fprintf(stderr, "error: not setting a direct-I/O policy on %s: writing the "
				"plan failed: %s\n", dir, strerror(err));
			cli_stdout_error_reported();
			rc = EXIT_FAILURE;
		}
		if (rc != EXIT_SUCCESS) {
			close(fd);
			return rc;
		}
	}
	rc = bca_fscrypt_set_policy(fd, &pol);
	if (rc < 0) {
		fprintf(stderr, "error: setting policy for %s: %s\n", dir,
			describe_set_policy_error(-rc));
		if (for_dio && rc == -EINVAL && (pol.flags & (BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64 | BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32)))
			fputs("hint: IV_INO_LBLK policies need the filesystem feature stable_inodes "
			      "(tune2fs -O stable_inodes)\n", stderr);
		else if (for_dio && rc == -EINVAL && pol.log2_data_unit_size)
			fputs("hint: a data unit size other than the block size needs Linux 6.7 or later\n",
			      stderr);
		close(fd);
		return EXIT_FAILURE;
	}
	rc = for_dio ? for_dio_verify(fd, dir) : EXIT_SUCCESS;
	close(fd);
	err = cli_flush_stdout();
	if (err) {
		/* a policy stays for good: see fscryptctl-dio(8) for undoing it */
		fprintf(stderr, "error: policy set on %s, but writing to standard output failed: %s\n",
			dir, strerror(err));
		cli_stdout_error_reported();
		rc = EXIT_FAILURE;
	}
	return rc;
}
