// SPDX-License-Identifier: GPL-2.0-or-later
/* The loop every table-printing subcommand runs over its arguments. */
#include "config.h"

#include "cli.h"
#include "each.h"

int cli_each(struct out *o, const char *sysroot, char **args, int nargs,
	     cli_each_fn one, void *data)
{
	struct bca_ctx *ctx = NULL;
	int rc, handled = 0, failed = 0;

	rc = cli_ctx_new(&ctx);
	if (rc == 0 && sysroot) {
		rc = bca_set_sysroot(ctx, sysroot);
		if (rc < 0) {
			cli_path_error(sysroot, rc);
			goto fail;
		}
	}
	if (rc == 0)
		rc = out_start(o);
	if (rc < 0) {
		cli_warnx("%s", bca_strerror(rc));
		goto fail;
	}
	for (int i = 0; i < nargs; i++) {
		if (one(ctx, o, args[i], data) < 0)
			failed++;
		else
			handled++;
	}
	if (handled)
		out_print(o);
	out_free(o);
	bca_unref(ctx);
	if (!handled)
		return EXIT_NONE_HANDLED;
	return failed ? EXIT_SOME_FAILED : EXIT_OK;
fail:
	out_free(o);
	bca_unref(ctx);
	return EXIT_FAIL;
}
