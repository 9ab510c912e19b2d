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
	{ "create", cmd_create, "NAME DEVICE [options]",
	  "create a dm-crypt or dm-inlinecrypt device, key in the keyring" },
	{ "open", cmd_open, "DEVICE NAME [options]",
	  "unlock a LUKS volume (libcryptsetup) and map it with inline flags or dm-inlinecrypt" },
	{ "refresh", cmd_refresh, "NAME [options]",
	  "reload a live device with other workqueue and discard options" },
	{ "remove", cmd_remove, "NAME",
	  "remove a device and the key this tool added" },
	{ "status", cmd_status, "[options] NAME...",
	  "target, cipher, flags, key location, backing device" },
	{ "table", cmd_table, "[--showkeys] NAME",
	  "the loaded table (keys masked)" },
	{ "list", cmd_list, "[options]",
	  "list crypt and inlinecrypt devices (--all: every dm device)" },
	{ "attach", cmd_attach, "[--tab FILE] NAME",
	  "open or create NAME as its line in /etc/inlinecrypttab says (boot units)" },
	{ "detach", cmd_detach, "[--tab FILE] NAME",
	  "remove NAME of /etc/inlinecrypttab" },
	{ NULL, NULL, NULL, NULL }
};

static void help(void)
{
	printf("Usage:\n %s <command> [options] [arguments]\n\n", cli_prog);
	fputs("Manage dm-crypt (inline flags) and dm-inlinecrypt devices.\n\nCommands:\n", stdout);
	for (const struct cli_cmd *c = commands; c->name; c++)
		printf(" %-7s %-22s %s\n", c->name, c->args, c->summary);
	printf("\nOptions:\n"
	       " -h, --help      display this help\n"
	       " -V, --version   display version\n"
	       "     --debug     the library's debug messages on stderr (BLKCRYPTADM_DEBUG=1)\n\n"
	       "Run '%s <command> --help' for a command's options.\n"
	       "For more details see dmcrypt-inline(8).\n", cli_prog);
}

int main(int argc, char **argv)
{
	cli_init("dmcrypt-inline");
	return cli_dispatch(commands, help, argc, argv);
}
