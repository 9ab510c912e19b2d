// SPDX-License-Identifier: GPL-2.0-or-later
/* Numeric options (cli_parse_u64): never octal, only what cli.h promises. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	uint64_t v = 0, max;
	int rc;

	memcpy(s, data, size);
	s[size] = '\0';
	max = size >= 8 ? (uint64_t)data[0] << 56 | (uint64_t)data[1] << 48 : UINT64_MAX;
	rc = cli_parse_u64(s, 0, max ? max : UINT64_MAX, &v);
	if (rc == 0) {
		/* accepted: digits only, or 0x and hex digits only */
		const char *d = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? s + 2 : s;
		int hex = d != s;

		for (const char *c = d; *c; c++)
			if (hex ? !isxdigit((unsigned char)*c) : !isdigit((unsigned char)*c))
				abort();
		if (v != strtoull(d, NULL, hex ? 16 : 10))
			abort();
	} else if (rc != -EINVAL && rc != -ERANGE) {
		abort();
	}
	free(s);
	return 0;
}
