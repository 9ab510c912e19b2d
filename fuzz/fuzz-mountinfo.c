// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/self/mountinfo lines, parsed as bca_mount_of() reads them. */
#include <stdint.h>

#include "internal.h"
#include "sysroot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct bca_mount *m;
	struct bca_ctx *ctx;
	struct bca_statx st = { .stx_mask = STATX_MNT_ID, .stx_dev_major = 7 };

	fuzz_file("proc/self/mountinfo", data, size);
	if (bca_new(&ctx) < 0 || bca_set_sysroot(ctx, fuzz_root()) < 0)
		abort();
	for (uint64_t id = 0; id < 64; id++) {
		st.stx_mnt_id = id;
		st.stx_dev_minor = (unsigned int)id;
		if (bca_mount_of(ctx, &st, 0, &m) >= 0) {
			if (!m->fstype || !m->mountpoint || !m->source || !m->super_opts)
				abort();
			bca_opt_has(m->super_opts, "inlinecrypt", NULL);
			bca_opt_has(m->super_opts, "data", NULL);
		}
	}
	bca_unref(ctx);
	return 0;
}
