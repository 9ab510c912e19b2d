// SPDX-License-Identifier: GPL-2.0-or-later
/* fscryptctl-dio remove_key: drop a key (one user's claim or all) from a filesystem. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "fscryptctl.h"

enum { OPT_ALL_USERS = 256 };	/* past every character getopt returns */

int cmd_remove_key(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all-users", no_argument, NULL, OPT_ALL_USERS },
		{ NULL, 0, NULL, 0 }
	};
	uint8_t id[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE];
	unsigned int flags = 0, removal = 0;
	int c, fd, rc;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != OPT_ALL_USERS)
			usage(stderr);
		flags |= BCA_FSCRYPT_REMOVE_KEY_ALL_USERS;
	}
	argc -= optind;
	argv += optind;
	fd = open_key_operands(argc, argv, id);
	if (fd < 0)
		return EXIT_FAILURE;
	rc = bca_fscrypt_remove_key(fd, id, flags, &removal);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "error: removing key: %s\n", describe_fscrypt_error(-rc));
		return EXIT_FAILURE;
	}
	/* fscryptctl prints these on stdout and still succeeds */
	if (removal & BCA_FSCRYPT_REMOVAL_OTHER_USERS)
		puts("warning: other users still have this key added");
	else if (removal & BCA_FSCRYPT_REMOVAL_FILES_BUSY)
		puts("warning: some files using this key are still in-use");
	return EXIT_SUCCESS;
}
