// SPDX-License-Identifier: GPL-2.0-or-later
/* The loop every table-printing subcommand runs over its arguments. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "each.h"

/* A context reading sysfs below sysroot (when not NULL), and the table started. */
static int start(struct out *o, const char *sysroot, struct bca_ctx **ctx)
{
	int rc = cli_ctx_new(ctx);

	if (rc == 0 && sysroot) {
		rc = bca_set_sysroot(*ctx, sysroot);
		if (rc < 0) {
			cli_path_error(sysroot, rc);
			return rc;
		}
	}
	if (rc == 0)
		rc = out_start(o);
	if (rc < 0)
		cli_warnx("%s", bca_strerror(rc));
	return rc;
}

static int run(struct bca_ctx *ctx, struct out *o, char **args, size_t nargs,
	       cli_each_fn one, void *data)
{
	size_t handled = 0, failed = 0;

	for (size_t i = 0; i < nargs; i++) {
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
}

int cli_each(struct out *o, const char *sysroot, char **args, int nargs,
	     cli_each_fn one, void *data)
{
	struct bca_ctx *ctx = NULL;

	if (start(o, sysroot, &ctx) < 0) {
		out_free(o);
		bca_unref(ctx);
		return EXIT_FAIL;
	}
	return run(ctx, o, args, nargs > 0 ? (size_t)nargs : 0, one, data);
}

int cli_args_add(struct cli_args *a, const char *s)
{
	char **grown;

	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 32;
		grown = realloc(a->v, a->cap * sizeof(*a->v));
		if (!grown)
			return -ENOMEM;
		a->v = grown;
	}
	a->v[a->n] = strdup(s);
	if (!a->v[a->n])
		return -ENOMEM;
	a->n++;
	return 0;
}

int cli_each_gathered(struct out *o, const char *sysroot,
		      int (*gather)(struct bca_ctx *ctx, struct cli_args *args), struct cli_args *args,
		      const char *what, cli_each_fn one, void *data)
{
	struct bca_ctx *ctx = NULL;
	int rc = start(o, sysroot, &ctx);

	if (rc == 0) {
		rc = gather(ctx, args);
		if (rc < 0)
			cli_path_error(what, rc);
	}
	if (rc < 0) {
		out_free(o);
		bca_unref(ctx);
		rc = EXIT_FAIL;
	} else {
		rc = run(ctx, o, args->v, args->n, one, data);
	}
	for (size_t i = 0; i < args->n; i++)
		free(args->v[i]);
	free(args->v);
	return rc;
}
