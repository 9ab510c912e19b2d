// SPDX-License-Identifier: GPL-2.0-or-later
/* Masking the key of a dm-crypt table line, on buffers of exactly its size. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"
#include "tap.h"

/* Masks a heap copy of exactly strlen(in) + 1 bytes, so ASan sees any overrun. */
static void check(const char *in, const char *want, const char *name)
{
	size_t n = strlen(in) + 1;
	char *line = malloc(n);

	memcpy(line, in, n);
	bca_table_mask_key(line);
	is_str(line, want, name);
	free(line);
}

int main(void)
{
	plan(5);
	check("0 8 crypt aes-xts-plain64 00112233aabbccdd 0 7:2 0",
	      "0 8 crypt aes-xts-plain64 - 0 7:2 0", "a hex key becomes -");
	check("0 8 crypt aes-xts-plain64 :64:logon:bca:x 0 7:2 0",
	      "0 8 crypt aes-xts-plain64 :64:logon:bca:x 0 7:2 0", "a keyring reference stays");
	check("0 8 crypt aes-xts-plain64  0 7:2 0",
	      "0 8 crypt aes-xts-plain64  0 7:2 0", "an empty key field stays, without overrun");
	check("0 8 crypt aes-xts-plain64 0011", "0 8 crypt aes-xts-plain64 -",
	      "a key at the end of the line");
	check("0 8 crypt", "0 8 crypt", "a line without a key field");
	return done_testing();
}
