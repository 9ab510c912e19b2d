// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arguments fscryptctl-dio reads from its command line: key
 * identifiers in hex, decimal numbers, contents and filenames mode names,
 * padding and data unit sizes, each accepted exactly as fscryptctl 1.3
 * accepts it.  Apart from the commands so that fuzz/fuzz-fscryptctl-args.c
 * can reach every one of them.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "fscryptctl.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool hex_to_bytes(const char *hex, uint8_t *bytes, size_t n)
{
	if (strlen(hex) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		bytes[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void bytes_to_hex(const uint8_t *bytes, size_t n, char *buf)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = digits[bytes[i] >> 4];
		buf[2 * i + 1] = digits[bytes[i] & 15];
	}
	buf[2 * n] = '\0';
}

bool parse_key_identifier(const char *hex, uint8_t id[16])
{
	if (hex_to_bytes(hex, id, BCA_FSCRYPT_KEY_IDENTIFIER_SIZE))
		return true;
	fprintf(stderr, "error: invalid key identifier: %s\n", hex);
	return false;
}

/*
 * cli_parse_u64() reads "0x20" as hex; fscryptctl's atoi() reads it as 0.
 * Accept digits only, so that every plain decimal ("010" is 10) means
 * what it meant there and nothing else gets through.
 */
bool parse_decimal(const char *s, uint64_t max, uint64_t *out)
{
	if (!*s || strspn(s, "0123456789") != strlen(s))
		return false;
	return cli_parse_u64(s, 0, max, out) == 0;
}

/* fscryptctl's names are case-sensitive: "aes-256-xts" is refused there too. */
bool parse_mode(const char *s, uint8_t *mode)
{
	int m = bca_fscrypt_mode_from_name(s);

	if (m < 0 || strcmp(bca_fscrypt_mode_name(m), s))
		return false;
	*mode = (uint8_t)m;
	return true;
}

bool parse_padding(const char *s, uint8_t *flag)
{
	uint64_t v;

	if (!parse_decimal(s, INT_MAX, &v))
		return false;
	for (uint8_t i = 0; i < 4; i++) {
		if (v == (4u << i)) {
			*flag = i;
			return true;
		}
	}
	return false;
}

/* A power of two above 1, as fscryptctl; the kernel then wants 512..block size. */
bool parse_data_unit_size(const char *s, uint8_t *log2)
{
	uint64_t v;
	uint8_t bits = 0;

	if (!parse_decimal(s, INT_MAX, &v) || v < 2 || (v & (v - 1)))
		return false;
	while ((1ull << bits) < v)
		bits++;
	*log2 = bits;
	return true;
}
