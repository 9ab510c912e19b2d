// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli_encode(): its output is valid UTF-8, has no control character with
 * CLI_ENCODE_CONTROLS and no ':' with CLI_ENCODE_COLON, and is injective:
 * every backslash starts \xNN, and decoding gives the input back, so two
 * different names never encode to the same output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cli.h"

/* Valid UTF-8 (RFC 3629) without NUL: 1, else 0. */
static int valid(const unsigned char *s)
{
	while (*s) {
		unsigned int cp, n = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 :
				      (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 0;

		if (!n)
			return 0;
		cp = n == 1 ? *s : *s & (0x7f >> n);
		for (unsigned int i = 1; i < n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		s += n;
	}
	return 1;
}

static int hexval(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The inverse of the encoding, written apart from it: every backslash must
 * start \xNN (lowercase hex); the decoded bytes must be the input.
 */
static int decodes_to(const unsigned char *e, const unsigned char *s)
{
	while (*e) {
		unsigned char b = *e;

		if (b == '\\') {
			if (e[1] != 'x' || hexval(e[2]) < 0 || hexval(e[3]) < 0)
				return 0;
			b = (unsigned char)(hexval(e[2]) << 4 | hexval(e[3]));
			e += 4;
		} else {
			e++;
		}
		if (*s++ != b)
			return 0;
	}
	return *s == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *e;

	memcpy(s, data, size);
	s[size] = '\0';
	for (unsigned int flags = 0; flags < 4; flags++) {
		e = cli_encode(s, flags);
		if (!e || !valid((const unsigned char *)e))
			abort();
		if (!decodes_to((const unsigned char *)e, (const unsigned char *)s))
			abort();
		for (const unsigned char *c = (const unsigned char *)e; *c; c++) {
			if ((flags & CLI_ENCODE_CONTROLS) && (*c < 0x20 || *c == 0x7f))
				abort();
			if ((flags & CLI_ENCODE_COLON) && *c == ':')
				abort();
		}
		free(e);
	}
	free(s);
	return 0;
}
