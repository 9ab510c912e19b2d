// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmcrypt-inline - create, inspect and remove dm-crypt (inline flags) and
 * dm-inlinecrypt devices, keys through the kernel keyring.
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "dmcrypt.h"

static const struct cli_cmd commands[] = {
	{ "list", cmd_list, "[options]",
	  "list crypt and inlinecrypt devices (--all: every dm device)" },
	{ NULL, NULL, NULL, NULL }
};

static void help(void)
{
	printf("Usage:\n %s <command> [options] [arguments]\n\n", cli_prog);
	fputs("Manage dm-crypt (inline flags) and dm-inlinecrypt devices.\n\nCommands:\n", stdout);
	for (const struct cli_cmd *c = commands; c->name; c++)
		printf(" %-6s %-12s %s\n", c->name, c->args, c->summary);
	printf("\nOptions:\n"
	       " -h, --help      display this help\n"
	       " -V, --version   display version\n\n"
	       "Run '%s <command> --help' for a command's options.\n"
	       "For more details see dmcrypt-inline(8).\n", cli_prog);
}

int main(int argc, char **argv)
{
	cli_prog = "dmcrypt-inline";
	return cli_dispatch(commands, help, argc, argv);
}
