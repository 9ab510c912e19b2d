// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fscryptctl-dio - a drop-in for fscryptctl 1.3.0 (same commands, output,
 * messages and exit statuses), plus direct-I/O-aware policy choice
 * (set_policy --for-dio) and checks (check_dio).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fscryptctl.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "add_key", cmd_add_key },
	{ "remove_key", cmd_remove_key },
	{ "key_status", cmd_key_status },
	{ "get_policy", cmd_get_policy },
	{ "set_policy", cmd_set_policy },
	{ "import_hw_wrapped_key", cmd_import_hw_wrapped_key },
	{ "generate_hw_wrapped_key", cmd_generate_hw_wrapped_key },
	{ "prepare_hw_wrapped_key", cmd_prepare_hw_wrapped_key },
	{ "check_dio", cmd_check_dio },
};

noreturn void usage(FILE *out)
{
	fputs("\n"
	      "Usage:\n"
	      "  fscryptctl-dio <command> [arguments] [options]\n"
	      "\n"
	      "Commands:\n"
	      "  fscryptctl-dio add_key <mountpoint>\n"
	      "    Read a key from stdin (or --key-file), add it to the given mounted\n"
	      "    filesystem, and print its identifier.\n"
	      "  fscryptctl-dio remove_key <key identifier> <mountpoint>\n"
	      "    Remove the key with the given identifier from the given mounted\n"
	      "    filesystem.\n"
	      "  fscryptctl-dio key_status <key identifier> <mountpoint>\n"
	      "    Print the status of the key with the given identifier on the given\n"
	      "    mounted filesystem.\n"
	      "  fscryptctl-dio get_policy <file or directory>\n"
	      "    Print the encryption policy of the given path.\n"
	      "  fscryptctl-dio set_policy <key identifier> <directory>\n"
	      "    Set an encryption policy with the given key identifier on the given\n"
	      "    empty directory.\n"
	      "  fscryptctl-dio import_hw_wrapped_key <block device>\n"
	      "    Read a raw key from stdin, have the inline encryption hardware of the\n"
	      "    block device wrap it, and print it in long-term wrapped form.\n"
	      "  fscryptctl-dio generate_hw_wrapped_key <block device>\n"
	      "    Have the inline encryption hardware of the block device generate a key,\n"
	      "    and print it in long-term wrapped form.\n"
	      "  fscryptctl-dio prepare_hw_wrapped_key <block device>\n"
	      "    Read a long-term wrapped key from stdin, convert it to the ephemerally\n"
	      "    wrapped form that add_key --hw-wrapped-key takes, and print it.\n"
	      "  fscryptctl-dio check_dio <path>...\n"
	      "    Tell whether O_DIRECT on each path bypasses the page cache, and why.\n"
	      "\n"
	      "Options:\n"
	      "    -h, --help\n"
	      "        print this help screen\n"
	      "    -v, -V, --version\n"
	      "        print the version\n"
	      "    add_key\n"
	      "        --hw-wrapped-key\n"
	      "            the key is hardware-wrapped, in ephemerally-wrapped form\n"
	      "        --key-file=<file>\n"
	      "            read the key from <file> instead of stdin\n"
	      "    remove_key\n"
	      "        --all-users\n"
	      "            force-remove all users' claims to the key (requires root)\n"
	      "    set_policy\n"
	      "        --contents=<mode>\n"
	      "            contents encryption mode (default: AES-256-XTS)\n"
	      "        --filenames=<mode>\n"
	      "            filenames encryption mode (default: AES-256-CTS)\n"
	      "        --padding=<bytes>\n"
	      "            bytes of zero padding for filenames (default: 32)\n"
	      "        --direct-key\n"
	      "            optimize for Adiantum encryption\n"
	      "        --iv-ino-lblk-64\n"
	      "            optimize for UFS inline crypto hardware\n"
	      "        --iv-ino-lblk-32\n"
	      "            optimize for eMMC inline crypto hardware (not recommended)\n"
	      "        --data-unit-size=<du_size>\n"
	      "            data unit size in bytes (default: filesystem block size)\n"
	      "        --for-dio\n"
	      "            choose flags and data unit size so that files get direct I/O\n"
	      "            through inline encryption, and print the choice\n"
	      "\n"
	      "Notes:\n"
	      "  Keys are identified by 32-character hex strings (key identifiers).\n"
	      "\n"
	      "  Raw keys are given on stdin in binary and usually must be 64 bytes.\n"
	      "\n"
	      "  For more information, run `man fscryptctl-dio`.\n",
	      out);
	exit(out == stderr ? EXIT_FAILURE : EXIT_SUCCESS);
}

int main(int argc, char **argv)
{
	cli_init("fscryptctl-dio");
	cli_set_fscryptctl_style(usage);

	/* as fscryptctl: help and version win wherever they are, up to "--" */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			usage(stdout);
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "-V") ||
		    !strcmp(argv[i], "--version")) {
			cli_print_version();
			return EXIT_SUCCESS;
		}
	}
	if (argc < 2) {
		fputs("error: no command specified\n", stderr);
		usage(stderr);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "error: invalid command: %s\n", argv[1]);
	usage(stderr);
}
