// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fscryptctl-dio's command-line values (tools/fscryptctl-dio/args.c): key
 * identifiers and hex, decimal numbers, mode names, padding and data unit
 * sizes.  The first byte picks the parser; whatever one accepts must be
 * exactly what fscryptctl 1.3 accepts, checked by printing it back.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blkcryptadm.h"
#include "fscryptctl.h"

static void check_hex(const char *s)
{
	uint8_t id[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE], buf[64];
	char back[2 * sizeof(buf) + 1];
	size_t n = strlen(s) / 2;

	if (n <= sizeof(buf) && hex_to_bytes(s, buf, n)) {
		bytes_to_hex(buf, n, back);
		/* accepted: every character a hex digit, read back the same */
		if (strlen(s) != 2 * n || strcasecmp(back, s))
			abort();
	}
	/* (it prints every refusal: only the length it could accept) */
	if (strlen(s) == 2 * sizeof(id) && parse_key_identifier(s, id)) {
		bytes_to_hex(id, sizeof(id), back);
		if (strlen(s) != 2 * sizeof(id) || strcasecmp(back, s))
			abort();
	}
}

static void check_numbers(const char *s)
{
	uint64_t v;
	uint8_t u8;
	char back[32];

	if (parse_decimal(s, UINT64_MAX, &v)) {
		/* digits only; the value printed back, leading zeros aside */
		const char *d = s + strspn(s, "0");

		snprintf(back, sizeof(back), "%llu", (unsigned long long)v);
		if (strspn(s, "0123456789") != strlen(s) ||
		    (v ? strcmp(back, d) : *d != '\0'))
			abort();
	}
	if (parse_padding(s, &u8) && (u8 > 3 || !parse_decimal(s, 32, &v) || v != 4u << u8))
		abort();
	if (parse_data_unit_size(s, &u8) &&
	    (u8 < 1 || u8 > 31 || !parse_decimal(s, INT32_MAX, &v) || v != 1ull << u8))
		abort();
}

static void check_mode(const char *s)
{
	uint8_t mode;
	int m = bca_fscrypt_mode_from_name(s);

	if (m >= 0 && !bca_fscrypt_mode_name(m))
		abort();
	if (parse_mode(s, &mode) && strcmp(bca_fscrypt_mode_name(mode), s))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 3) {
	case 0: check_hex(s); break;
	case 1: check_numbers(s); break;
	default: check_mode(s); break;
	}
	free(s);
	return 0;
}
