// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fscryptctl-dio - fscryptctl's commands, plus direct-I/O-aware policy
 * choice and checks.
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "fscryptctl.h"

static const struct cli_cmd commands[] = {
	{ "check_dio", cmd_check_dio, "PATH...",
	  "explain whether direct I/O on each PATH bypasses the page cache" },
	{ NULL, NULL, NULL, NULL }
};

static void help(void)
{
	printf("Usage:\n %s <command> [arguments] [options]\n\nCommands:\n", cli_prog);
	for (const struct cli_cmd *c = commands; c->name; c++)
		printf("  %s %s\n    %s\n", c->name, c->args, c->summary);
	printf("\nOptions:\n"
	       "  -h, --help      display this help\n"
	       "  -V, --version   display version\n\n"
	       "For more details see fscryptctl-dio(8).\n");
}

int main(int argc, char **argv)
{
	cli_prog = "fscryptctl-dio";
	return cli_dispatch(commands, help, argc, argv);
}
