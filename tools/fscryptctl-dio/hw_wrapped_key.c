// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fscryptctl-dio import_hw_wrapped_key, generate_hw_wrapped_key,
 * prepare_hw_wrapped_key: hardware-wrapped keys through a block device;
 * keys in and out are binary on stdin and stdout.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "fscryptctl.h"

enum op { IMPORT, GENERATE, PREPARE };

static int run(enum op op, int argc, char **argv)
{
	static const char *const verbs[] = {
		[IMPORT] = "importing", [GENERATE] = "generating", [PREPARE] = "preparing",
	};
	struct bca_secret *in = NULL, *out = NULL;
	const char *blkdev;
	size_t out_size = BCA_HW_WRAPPED_KEY_MAX_SIZE;
	int fd, rc, status = EXIT_FAILURE;

	handle_no_options(&argc, &argv);
	if (argc != 1) {
		fputs("error: must specify a single block device\n", stderr);
		return EXIT_FAILURE;
	}
	blkdev = argv[0];
	if (op == IMPORT)
		in = read_key(NULL, BCA_FSCRYPT_MIN_KEY_SIZE, BCA_FSCRYPT_MAX_KEY_SIZE);
	else if (op == PREPARE)
		/* fscryptctl's minimum for every key it reads */
		in = read_key(NULL, BCA_FSCRYPT_MIN_KEY_SIZE, BCA_HW_WRAPPED_KEY_MAX_SIZE);
	if (op != GENERATE && !in)
		return EXIT_FAILURE;
	if (bca_secret_new(out_size, &out) < 0) {
		fputs("error: failed to allocate memory\n", stderr);
		goto done;
	}
	fd = open(blkdev, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);	/* a FIFO must not block */
	if (fd < 0) {
		fprintf(stderr, "error: opening %s: %s\n", blkdev, strerror(errno));
		goto done;
	}
	switch (op) {
	case IMPORT:
		rc = bca_hw_wrapped_key_import(fd, bca_secret_get_data(in), bca_secret_get_size(in),
					       bca_secret_get_data(out), &out_size);
		break;
	case GENERATE:
		rc = bca_hw_wrapped_key_generate(fd, bca_secret_get_data(out), &out_size);
		break;
	default:
		rc = bca_hw_wrapped_key_prepare(fd, bca_secret_get_data(in), bca_secret_get_size(in),
						bca_secret_get_data(out), &out_size);
	}
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "error: %s hardware-wrapped key: %s\n", verbs[op], strerror(-rc));
		goto done;
	}
	if (write_stdout(bca_secret_get_data(out), out_size))
		status = EXIT_SUCCESS;
done:
	bca_secret_free(out);
	bca_secret_free(in);
	return status;
}

int cmd_import_hw_wrapped_key(int argc, char **argv)
{
	return run(IMPORT, argc, argv);
}

int cmd_generate_hw_wrapped_key(int argc, char **argv)
{
	return run(GENERATE, argc, argv);
}

int cmd_prepare_hw_wrapped_key(int argc, char **argv)
{
	return run(PREPARE, argc, argv);
}
