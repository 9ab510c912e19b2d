// SPDX-License-Identifier: GPL-2.0-or-later
/* fscryptctl-dio key_status: is a key present on a filesystem, and for whom. */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "fscryptctl.h"


int cmd_key_status(int argc, char **argv)
{
	uint8_t id[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE];
	struct bca_fscrypt_key_status st;
	uint32_t other;
	int fd, rc;

	handle_no_options(&argc, &argv);
	fd = open_key_operands(argc, argv, id);
	if (fd < 0)
		return EXIT_FAILURE;
	rc = bca_fscrypt_key_status(fd, id, &st);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "error: getting key status: %s\n", describe_fscrypt_error(-rc));
		return EXIT_FAILURE;
	}
	switch (st.status) {
	case BCA_KEY_PRESENT:
		fputs("Present", stdout);
		if (st.user_count || st.status_flags) {
			printf(" (user_count=%u", st.user_count);
			if (st.status_flags & BCA_FSCRYPT_KEY_STATUS_FLAG_ADDED_BY_SELF)
				fputs(", added_by_self", stdout);
			other = st.status_flags & ~(uint32_t)BCA_FSCRYPT_KEY_STATUS_FLAG_ADDED_BY_SELF;
			if (other)
				printf(", unknown_flags=0x%08x", other);
			putchar(')');
		}
		putchar('\n');
		break;
	case BCA_KEY_ABSENT:
		puts("Absent");
		break;
	case BCA_KEY_INCOMPLETELY_REMOVED:
		puts("Incompletely removed");
		break;
	default:
		printf("Unknown status (%u)\n", st.raw_status);
	}
	return EXIT_SUCCESS;
}
