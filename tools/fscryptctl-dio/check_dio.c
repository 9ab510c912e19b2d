// SPDX-License-Identifier: GPL-2.0-or-later
/* fscryptctl-dio check_dio: the library's verdict, one line per path. */
#include "config.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "fscryptctl.h"

int cmd_check_dio(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct bca_ctx *ctx;
	int c, rc, failed = 0;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			printf("Usage: %s check_dio PATH...\n", cli_prog);
			return EXIT_OK;
		}
		cli_usage_error("check_dio: bad usage");
	}
	if (optind >= argc)
		cli_usage_error("must specify at least one file or directory");
	rc = cli_ctx_new(&ctx);
	if (rc < 0) {
		cli_warnx("%s", bca_strerror(rc));
		return EXIT_FAIL;
	}
	for (int i = optind; i < argc; i++) {
		struct bca_file *f;
		char why[512], *enc;

		rc = bca_file_query(ctx, AT_FDCWD, argv[i], 0, &f);
		if (rc < 0) {
			cli_path_error(argv[i], rc);
			failed++;
			continue;
		}
		bca_file_explain(f, why, sizeof(why));
		/*
		 * one line per path, whose first ':' ends the path: a newline
		 * or a ':' in a name must not forge another line or verdict
		 */
		enc = cli_encode(argv[i], CLI_ENCODE_CONTROLS | CLI_ENCODE_COLON);
		printf("%s: %s: %s\n", enc ? enc : "?", bca_dio_verdict_name(bca_file_get_verdict(f)),
		       why);
		free(enc);
		bca_file_free(f);
	}
	bca_unref(ctx);
	/* fscryptctl's statuses: 0, or 1 for any failure */
	return failed ? EXIT_FAILURE : EXIT_OK;
}
