/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every blkcryptadm tool shares: subcommand tables, messages, exit codes. */
#ifndef BCA_CLI_H
#define BCA_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdnoreturn.h>

/* Exit statuses, documented in every tool's man page. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_NOT_DIO = 3,	/* --require-dio: a path would not get real direct I/O */
	EXIT_NONE_HANDLED = 32,	/* none of the given paths could be handled */
	EXIT_SOME_FAILED = 64,	/* some of the given paths could not be handled */
};

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;	/* argument synopsis for the help text */
	const char *summary;
};

/* The program's name, for messages ("blkcrypt-query"). */
extern const char *cli_prog;

/*
 * Sets cli_prog and the locale's character set (LC_CTYPE), and reads
 * BLKCRYPTADM_DEBUG (anything but "" or "0": debug messages): first in main().
 */
void cli_init(const char *prog);
/* --debug: the library's debug messages on stderr too. */
void cli_set_debug(void);
/*
 * fscryptctl's message style, for fscryptctl-dio, whose users parse what
 * fscryptctl prints: every message "error: msg" (not "prog: msg"), and a
 * usage error runs usage (which prints the help on stderr and exits 1, as
 * fscryptctl does) instead of the "Try" line and exit 2.
 */
void cli_set_fscryptctl_style(void (*usage)(FILE *out));
/*
 * bca_new() with the tools' logger installed: the library's errors (and
 * libdevmapper's) reach stderr as "prog: message"; debug with --debug.
 */
struct bca_ctx;
int cli_ctx_new(struct bca_ctx **ctx);
/* What cli_encode() writes as \xNN besides invalid UTF-8 and the backslash. */
enum {
	CLI_ENCODE_CONTROLS = 1 << 0,	/* C0 controls and DEL: no name can forge a line */
	CLI_ENCODE_COLON = 1 << 1,	/* ':': no name can forge a "PATH: field" */
};
/*
 * A malloc()ed copy of s in which each byte that is not part of valid UTF-8,
 * each backslash and each byte that flags asks for is written \xNN (a
 * backslash, x, two lowercase hex digits), as libsmartcols writes -P and
 * -r: every backslash of the result starts such an escape, so two names
 * never encode alike.  NULL without memory.
 */
char *cli_encode(const char *s, unsigned int flags);

/*
 * Runs the subcommand named by argv[1] from the NULL-terminated table, after
 * handling the tool-wide -h/--help and -V/--version.  help() prints the
 * tool's help to stdout.  Returns the exit status.
 */
int cli_dispatch(const struct cli_cmd *cmds, void (*help)(void), int argc, char **argv);

/* "prog: msg" + "Try 'prog --help' ..." on stderr, then exit(EXIT_USAGE). */
noreturn void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: msg" on stderr. */
void cli_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: PATH: reason" for a library error code (negative errno or BCA_ERR_*). */
void cli_path_error(const char *path, int err);
/*
 * Flushes stdout: 0, or the errno of the first output that could not be
 * written, for a command that must say what it did despite the failure (a
 * key added, a policy set).
 */
int cli_flush_stdout(void);
/*
 * The command said itself that stdout failed: at exit the status is still
 * 1, but no generic "prog: write error" follows.
 */
void cli_stdout_error_reported(void);
/* Prints the version line to stdout. */
void cli_print_version(void);

/*
 * Strict unsigned parsing: decimal (or 0x hex), no sign, no trailing junk,
 * within [min, max].  Returns 0 or -EINVAL / -ERANGE.
 */
int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif /* BCA_CLI_H */
