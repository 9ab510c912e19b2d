// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * blkcrypt-query - will O_DIRECT on this file really bypass the page cache,
 * what must I align to, and who encrypts my data?
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "query.h"

static const struct cli_cmd commands[] = {
	{ "file", cmd_file, "[options] PATH...",
	  "direct I/O verdict, alignment and encryption of files" },
	{ "device", cmd_device, "[options] DEVICE...",
	  "inline-crypto capabilities down a device stack" },
	{ "fs", cmd_fs, "[options] MOUNTPOINT...",
	  "which fscrypt policies get direct I/O on a filesystem" },
	{ NULL, NULL, NULL, NULL }
};

static void help(void)
{
	printf("Usage:\n %s <command> [options] [arguments]\n\n", cli_prog);
	fputs("Report whether direct I/O on encrypted storage really bypasses the page cache.\n\n"
	      "Commands:\n", stdout);
	for (const struct cli_cmd *c = commands; c->name; c++)
		printf(" %-6s %-18s %s\n", c->name, c->args, c->summary);
	printf("\nOptions:\n"
	       " -h, --help      display this help\n"
	       " -V, --version   display version\n"
	       "     --debug     the library's debug messages on stderr (BLKCRYPTADM_DEBUG=1)\n\n"
	       "Run '%s <command> --help' for a command's options and columns.\n"
	       "For more details see blkcrypt-query(8).\n", cli_prog);
}

int main(int argc, char **argv)
{
	cli_init("blkcrypt-query");
	return cli_dispatch(commands, help, argc, argv);
}
