// SPDX-License-Identifier: GPL-2.0-or-later
/* Subcommand dispatch and messages shared by the tools. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "cli.h"

const char *cli_prog;

/* fscryptctl's style, see cli_set_fscryptctl_style(): its usage() */
static void (*fscryptctl_usage)(FILE *out);

void cli_set_fscryptctl_style(void (*usage)(FILE *out))
{
	fscryptctl_usage = usage;
}

/* What starts every message: "prog: ", or fscryptctl's "error: ". */
static void msg_prefix(void)
{
	if (fscryptctl_usage)
		fputs("error: ", stderr);
	else
		fprintf(stderr, "%s: ", cli_prog);
}

static void vmsg(const char *fmt, va_list ap)
{
	msg_prefix();
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

noreturn void cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	if (fscryptctl_usage) {
		fscryptctl_usage(stderr);
		exit(EXIT_FAILURE);
	}
	fprintf(stderr, "Try '%s --help' for more information.\n", cli_prog);
	exit(EXIT_USAGE);
}

void cli_path_error(const char *path, int err)
{
	msg_prefix();
	fprintf(stderr, "%s: %s\n", path, bca_strerror(err));
}

void cli_print_version(void)
{
	printf("%s (%s) %s, libblkcryptadm %s\n", cli_prog, PACKAGE_NAME,
	       PACKAGE_VERSION, bca_get_library_version());
}

/* The first write error on stdout, and whether a command reported it itself. */
static int stdout_errno;
static bool stdout_error_reported;

int cli_flush_stdout(void)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	/* a later flush of an empty buffer fails without errno: keep the first */
	if (!stdout_errno)
		stdout_errno = errno ? errno : EIO;
	return stdout_errno;
}

void cli_stdout_error_reported(void)
{
	stdout_error_reported = true;
}

/*
 * Output that did not reach its file is a failure (util-linux's
 * close_stdout): 'blkcrypt-query file X >/dev/full' must not exit 0.
 */
static void close_stdout(void)
{
	int err = 0;

	err = cli_flush_stdout();
	if (fclose(stdout) != 0 && !err && errno != EBADF)
		err = errno;
	if (err) {
		if (!stdout_error_reported) {
			msg_prefix();
			fprintf(stderr, "write error: %s\n", strerror(err));
		}
		_exit(EXIT_FAILURE);
	}
}

/* LOG_ERR, or LOG_DEBUG with BLKCRYPTADM_DEBUG=1 or --debug: see cli_ctx_new() */
static int log_priority = LOG_ERR;

/*
 * The library's diagnostics on stderr, util-linux style: its errors (and
 * libdevmapper's, which it passes on) as "prog: message", more with
 * --debug as "prog: debug: message".
 */
static void log_stderr(struct bca_ctx *ctx, int priority, const char *msg, void *data)
{
	const char *level = priority <= LOG_ERR ? "" : priority <= LOG_WARNING ? "warning: " : "debug: ";

	if (fscryptctl_usage)
		fprintf(stderr, "%s%s\n", *level ? level : "error: ", msg);
	else
		fprintf(stderr, "%s: %s%s\n", cli_prog, level, msg);
}

int cli_ctx_new(struct bca_ctx **ctx)
{
	int rc = bca_new(ctx);

	if (rc < 0)
		return rc;
	bca_set_log_fn(*ctx, log_stderr, NULL);
	bca_set_log_priority(*ctx, log_priority);
	return 0;
}

void cli_set_debug(void)
{
	log_priority = LOG_DEBUG;
}

void cli_init(const char *prog)
{
	const char *debug = getenv("BLKCRYPTADM_DEBUG");

	cli_prog = prog;
	if (debug && *debug && strcmp(debug, "0"))
		cli_set_debug();
	atexit(close_stdout);
	/* the character set only: libsmartcols then prints UTF-8 names as they are */
	setlocale(LC_CTYPE, "");
}

/* Length of the valid UTF-8 sequence at s (1-4), 0 if s does not start one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 :
		   (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	unsigned int cp;

	if (n <= 1)
		return n;
	cp = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and code points past U+10FFFF are invalid */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

char *cli_encode(const char *s, unsigned int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(strlen(s) * 4 + 1), *o = out;

	if (!out)
		return NULL;
	while (*p) {
		size_t n = utf8_len(p);

		if (n == 0 || *p == '\\' ||
		    ((flags & CLI_ENCODE_CONTROLS) && (*p < 0x20 || *p == 0x7f)) ||
		    ((flags & CLI_ENCODE_COLON) && *p == ':')) {
			o += sprintf(o, "\\x%02x", *p++);
			continue;
		}
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	*o = '\0';
	return out;
}

int cli_dispatch(const struct cli_cmd *cmds, void (*help)(void), int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	if (!name)
		cli_usage_error("no command given");
	if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
		help();
		return EXIT_OK;
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
		cli_print_version();
		return EXIT_OK;
	}
	if (!strcmp(name, "--debug")) {
		cli_set_debug();
		argv[1] = argv[0];
		return cli_dispatch(cmds, help, argc - 1, argv + 1);
	}
	if (name[0] == '-')
		cli_usage_error("unrecognized option '%s' before the command", name);
	for (const struct cli_cmd *c = cmds; c->name; c++)
		if (!strcmp(c->name, name)) {
			/* getopt's own messages start with argv[0]: "prog cmd: ..." */
			static char self[128];

			snprintf(self, sizeof(self), "%s %s", cli_prog, name);
			argv[1] = self;
			return c->fn(argc - 1, argv + 1);
		}
	cli_usage_error("unknown command '%s'", name);
}

int cli_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *digits;
	unsigned long long v;
	int base = 10;
	char *end;

	if (!s)
		return -EINVAL;
	digits = s;
	/* "0x" means hex; anything else is decimal, "010" too (base 0 would read octal) */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		digits = s + 2;
		base = 16;
	}
	/* digits only: strtoull() itself would take "0x" again, blanks and signs */
	if (!*digits || strspn(digits, base == 16 ? "0123456789abcdefABCDEF" : "0123456789") !=
			strlen(digits))
		return -EINVAL;
	errno = 0;
	v = strtoull(digits, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || end == digits || *end)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}
