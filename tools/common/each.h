/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loop every table-printing subcommand runs over its arguments. */
#ifndef BCA_EACH_H
#define BCA_EACH_H

#include <stdbool.h>
#include <stddef.h>

#include "blkcryptadm.h"
#include "output.h"

/*
 * Reports one argument into o; prints its own "prog: ARG: reason" and
 * returns a negative value when it cannot.
 */
typedef int (*cli_each_fn)(struct bca_ctx *ctx, struct out *o, const char *arg, void *data);

/*
 * Creates the library context (reading sysfs below sysroot when not NULL)
 * and the table, runs one() for each argument, prints the table when
 * anything was reported, and returns the documented exit status: 0, 32
 * when no argument could be handled, 64 when some could not, 1 when the
 * context or the table cannot be made.
 */
int cli_each(struct out *o, const char *sysroot, char **args, int nargs,
	     cli_each_fn one, void *data);

/* The arguments a command takes when given none (every mount, every device). */
struct cli_args {
	char **v;
	size_t n, cap;
	bool all;		/* the command's -a: pseudo filesystems too */
};

/* Appends a copy of s; 0 or -ENOMEM. */
int cli_args_add(struct cli_args *a, const char *s);

/*
 * cli_each() over the arguments gather() adds to args with the same
 * context (what fs and device do without arguments, as findmnt and
 * lsblk); what = where they come from, for an error.  Frees args' strings.
 */
int cli_each_gathered(struct out *o, const char *sysroot,
		      int (*gather)(struct bca_ctx *ctx, struct cli_args *args), struct cli_args *args,
		      const char *what, cli_each_fn one, void *data);

#endif /* BCA_EACH_H */
