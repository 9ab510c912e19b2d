// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dm-crypt table model: a table line taken apart by the library
 * (bca_crypt_table_parse) and masked by the library (bca_table_mask_key) on a
 * buffer of exactly its size; and parameters from the input formatted
 * (bca_crypt_format_table), parsed back and masked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "input.h"
#include "dmcrypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct bca_crypt_params cp = { .struct_size = sizeof(cp) };
	struct bca_crypt_table *t = NULL;
	char *line = fuzz_field(&p, end), *cipher, *desc, *copy, out[1024];
	uint64_t nums[4] = { 0 };

	if (bca_crypt_table_parse(line, &t) == 0) {
		crypt_table_logon_desc(t);
		bca_crypt_table_free(t);
	}
	bca_table_mask_key(line);
	free(line);

	cipher = fuzz_field(&p, end);
	desc = fuzz_field(&p, end);
	memcpy(nums, p, (size_t)(end - p) < sizeof(nums) ? (size_t)(end - p) : sizeof(nums));
	cp.target = nums[0] & 1 ? BCA_TARGET_INLINECRYPT : BCA_TARGET_CRYPT;
	cp.cipher = cipher;
	cp.key_desc = desc;
	cp.key_size = (uint32_t)(nums[0] >> 1) & 0xff;
	cp.iv_offset = nums[1];
	cp.offset = nums[2] >> 16;
	cp.size = nums[2] & 0xffff;
	cp.sector_size = (uint32_t)nums[3] & 0x1fff;
	cp.flags = (uint32_t)(nums[3] >> 16);
	cp.device = (dev_t)(nums[3] >> 40);
	if (bca_crypt_format_table(&cp, out, sizeof(out)) >= 0) {
		copy = strdup(out);
		if (bca_crypt_table_parse(copy, &t) != 0)
			abort();	/* what we format, we must read back */
		bca_crypt_table_free(t);
		bca_table_mask_key(copy);
		free(copy);
	}
	free(cipher);
	free(desc);
	return 0;
}
