// SPDX-License-Identifier: LGPL-2.1-or-later
/* The per-file verdict as a sentence, shared by every tool. */
#include "config.h"

#include <stdio.h>

#include "internal.h"

/*
 * The sentence a person needs: for "yes" the exact alignment, because on
 * ext4 an encrypted file's O_DIRECT with a buffer aligned to 512 but not to
 * the memory alignment is quietly served through the page cache.
 */
BCA_EXPORT int bca_file_explain(const struct bca_file *f, char *buf, size_t size)
{
	enum bca_dio_verdict v = bca_file_get_verdict(f);
	int n;

	switch (v) {
	case BCA_DIO_YES:
		n = snprintf(buf, size,
			     "direct I/O bypasses the page cache when buffers are aligned to %u bytes "
			 "and file offsets and lengths to %u bytes%s",
			 bca_file_get_dio_mem_align(f), bca_file_get_dio_offset_align(f),
			 bca_file_get_policy_version(f) ?
			 "; anything less aligned is served through the page cache" : "");
		break;
	case BCA_DIO_BUFFERED:
		n = snprintf(buf, size, "O_DIRECT is accepted but served through the page cache: %s",
			 bca_dio_reason_describe(bca_file_get_reason(f)));
		break;
	case BCA_DIO_NO:
		n = snprintf(buf, size, "no direct I/O: %s",
			 bca_dio_reason_describe(bca_file_get_reason(f)));
		break;
	default:
		n = snprintf(buf, size, "the kernel does not report direct I/O support for this file");
	}
	return n;
}

