// SPDX-License-Identifier: GPL-2.0-or-later
/* fscryptctl-dio get_policy: print a file's or directory's v1 or v2 policy. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "fscryptctl.h"

static void print_mode(int mode, const char *what)
{
	const char *name = bca_fscrypt_mode_name(mode);

	if (name)
		printf("\t%s encryption mode: %s\n", what, name);
	else
		printf("\t%s encryption mode: Unknown (%d)\n", what, mode);
}

int cmd_get_policy(int argc, char **argv)
{
	struct bca_fscrypt_policy pol;
	char hex[2 * BCA_FSCRYPT_KEY_IDENTIFIER_SIZE + 1];
	const char *path;
	int fd, rc;

	handle_no_options(&argc, &argv);
	if (argc != 1) {
		fputs("error: must specify a single file or directory\n", stderr);
		return EXIT_FAILURE;
	}
	path = argv[0];
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);	/* a FIFO must not block */
	if (fd < 0) {
		fprintf(stderr, "error: opening %s: %s\n", path, strerror(errno));
		return EXIT_FAILURE;
	}
	rc = bca_fscrypt_get_policy(fd, &pol);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "error: getting policy for %s: %s\n", path,
			describe_get_policy_error(-rc));
		return EXIT_FAILURE;
	}

	printf("Encryption policy for %s:\n", path);
	printf("\tPolicy version: %d\n", pol.version);
	if (pol.version == 1) {
		bytes_to_hex(pol.key, BCA_FSCRYPT_KEY_DESCRIPTOR_SIZE, hex);
		printf("\tMaster key descriptor: %s\n", hex);
	} else {
		bytes_to_hex(pol.key, BCA_FSCRYPT_KEY_IDENTIFIER_SIZE, hex);
		printf("\tMaster key identifier: %s\n", hex);
	}
	print_mode(pol.contents_mode, "Contents");
	print_mode(pol.filenames_mode, "Filenames");
	fputs("\tFlags: ", stdout);
	print_policy_flags(pol.flags);
	putchar('\n');
	if (pol.version == 2) {
		if (pol.log2_data_unit_size)
			printf("\tData unit size: %u\n", 1U << pol.log2_data_unit_size);
		else
			puts("\tData unit size: default");
	}
	return EXIT_SUCCESS;
}
