// SPDX-License-Identifier: GPL-2.0-or-later
/* cli_encode(): its output is valid UTF-8, and with controls has none. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *e;

	memcpy(s, data, size);
	s[size] = '\0';
	for (int controls = 0; controls < 2; controls++) {
		e = cli_encode(s, controls);
		if (!e || !valid((const unsigned char *)e))
			abort();
		if (controls)
			for (const unsigned char *c = (const unsigned char *)e; *c; c++)
				if (*c < 0x20 || *c == 0x7f)
					abort();
		free(e);
	}
	free(s);
	return 0;
}
