// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every string that goes into a dm table or a keyring description, against
 * the kernel's own reading of it.  The input is a device name, a key
 * description and a cipher ('\n'-separated) and a flag byte; what the
 * checks accept is formatted as dmcrypt-inline formats it, then split as
 * drivers/md/dm-table.c's dm_split_args() splits the parameters (with the
 * kernel's ctype: 0xA0 is a space there) and the key field taken apart as
 * dm-crypt's crypt_set_keyring_key() does.  Whatever we accept must come
 * back word for word: the 0xA0 description of issue 28 aborts here.
 * The oracle is written from the kernel's code, not from ours.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "internal.h"
#include "input.h"
#include "dmcrypt.h"

/* lib/ctype.c: _S is set for \t \n \v \f \r, ' ' and 0xA0 (Latin-1 NBSP). */
static int kernel_isspace(unsigned char c)
{
	return (c >= 9 && c <= 13) || c == 32 || c == 160;
}

/* dm_split_args(): blanks separate, a backslash quotes the next byte. */
static int kernel_split(char *input, char **argv, int max)
{
	char *start, *end = input, *out;
	int argc = 0;

	for (;;) {
		for (start = end; kernel_isspace((unsigned char)*start); start++)
			;
		if (!*start)
			return argc;
		end = out = start;
		while (*end) {
			if (*end == '\\' && end[1]) {
				*out++ = end[1];
				end += 2;
				continue;
			}
			if (kernel_isspace((unsigned char)*end))
				break;
			*out++ = *end++;
		}
		if (*end)
			end++;
		*out = '\0';
		if (argc == max)
			abort();	/* more words than any table of ours has */
		argv[argc++] = start;
	}
}

/* Formats a table for DESC and CIPHER; if the checks take it, the kernel must read it back. */
static void round_trip(const char *desc, const char *cipher, unsigned int flags)
{
	struct bca_crypt_params p = {
		.struct_size = sizeof(p),
		.target = flags & 1 ? BCA_TARGET_INLINECRYPT : BCA_TARGET_CRYPT,
		.cipher = cipher, .key_size = 64, .key_desc = desc, .iv_offset = 0,
		.device = makedev(254, 16), .offset = 8, .size = 2048,
		.sector_size = flags & 2 ? 4096 : 0,
		.flags = (flags & 2 ? BCA_CRYPT_IV_LARGE_SECTORS : 0) |
			 (flags & 4 ? BCA_CRYPT_ALLOW_DISCARDS : 0),
	};
	char line[1024], want_key[300], *argv[16], *params, *type, *kdesc;
	unsigned long long start, len;
	int argc, n = 0;

	if (bca_crypt_format_table(&p, line, sizeof(line)) < 0)
		return;
	/* bca_dm_activate(): start, length and type, then the target's parameters */
	if (sscanf(line, "%llu %llu %*s %n", &start, &len, &n) != 2 || !n)
		abort();
	params = line + n;
	argc = kernel_split(params, argv, 16);
	snprintf(want_key, sizeof(want_key), ":64:logon:%s", desc);
	if (argc < 5 || strcmp(argv[0], cipher) || strcmp(argv[1], want_key) ||
	    strcmp(argv[2], "0") || strcmp(argv[3], "254:16") || strcmp(argv[4], "8"))
		abort();
	/* crypt_set_keyring_key(): ":size:type:desc", the description after the third ':' */
	type = strchr(argv[1] + 1, ':');
	kdesc = type ? strchr(type + 1, ':') : NULL;
	if (!kdesc || strncmp(type, ":logon:", 7) || strcmp(kdesc + 1, desc))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char *name, *desc, *cipher, managed[200];
	unsigned int flags;

	if (!size)
		return 0;
	flags = *p++;
	name = fuzz_field(&p, end);
	desc = fuzz_field(&p, end);
	cipher = fuzz_field(&p, end);
	/* a name create takes names the key dmcrypt-inline:NAME: it must be a valid word too */
	if (dm_name_valid(name)) {
		snprintf(managed, sizeof(managed), MANAGED_KEY_PREFIX "%s", name);
		if (!bca_crypt_key_desc_valid(managed))
			abort();
		round_trip(managed, *cipher ? cipher : "aes-xts-plain64", flags);
	}
	round_trip(desc, *cipher ? cipher : "aes-xts-plain64", flags);
	free(name);
	free(desc);
	free(cipher);
	return 0;
}
