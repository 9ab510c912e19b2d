// SPDX-License-Identifier: GPL-2.0-or-later
/* fscryptctl-dio add_key: a key from stdin (or a file) onto a filesystem. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "fscryptctl.h"

enum { OPT_HW_WRAPPED_KEY = 256, OPT_KEY_FILE };

int cmd_add_key(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "hw-wrapped-key", no_argument, NULL, OPT_HW_WRAPPED_KEY },
		{ "key-file", required_argument, NULL, OPT_KEY_FILE },
		{ NULL, 0, NULL, 0 }
	};
	uint8_t id[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE];
	char hex[2 * BCA_FSCRYPT_KEY_IDENTIFIER_SIZE + 1];
	unsigned int flags = 0;
	const char *key_file = NULL, *mountpoint;
	struct bca_secret *key;
	size_t max = BCA_FSCRYPT_MAX_KEY_SIZE;
	int c, fd, rc;

	compat_long_options(argc, argv, longopts, 1);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_HW_WRAPPED_KEY:
			flags |= BCA_FSCRYPT_ADD_KEY_HW_WRAPPED;
			max = BCA_HW_WRAPPED_KEY_MAX_SIZE;
			break;
		case OPT_KEY_FILE:
			key_file = optarg;
			break;
		default:
			usage(stderr);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1) {
		fputs("error: must specify a single mountpoint\n", stderr);
		return EXIT_FAILURE;
	}
	mountpoint = argv[0];

	key = read_key(key_file, BCA_FSCRYPT_MIN_KEY_SIZE, max);
	if (!key)
		return EXIT_FAILURE;
	fd = open(mountpoint, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);	/* a FIFO must not block */
	if (fd < 0) {
		fprintf(stderr, "error: opening %s: %s\n", mountpoint, strerror(errno));
		bca_secret_free(key);
		return EXIT_FAILURE;
	}
	rc = bca_fscrypt_add_key(fd, bca_secret_get_data(key), bca_secret_get_size(key),
				 flags, id);
	close(fd);
	bca_secret_free(key);
	if (rc < 0) {
		fprintf(stderr, "error: adding key to %s: %s\n", mountpoint,
			describe_fscrypt_error(-rc));
		return EXIT_FAILURE;
	}
	bytes_to_hex(id, sizeof(id), hex);
	puts(hex);
	rc = cli_flush_stdout();
	if (rc) {
		/* the key stays: see fscryptctl-dio(8) for finding and removing it */
		fprintf(stderr, "error: key added to %s, but writing its identifier failed: %s\n",
			mountpoint, strerror(rc));
		cli_stdout_error_reported();
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
