/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fuzz targets' input taken apart into strings. */
#ifndef BCA_FUZZ_INPUT_H
#define BCA_FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The next '\n'-separated field of the input as a malloc()ed string, or "". */
static char *fuzz_field(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = (size_t)((nl ? nl : end) - *p);
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, *p, n);
	s[n] = '\0';
	*p += n + (nl != NULL);
	return s;
}

#endif
