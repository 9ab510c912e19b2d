// SPDX-License-Identifier: GPL-2.0-or-later
/* fscryptctl-dio helpers: argument handling and fscryptctl's messages. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "fscryptctl.h"

void handle_no_options(int *argc, char ***argv)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };

	if (getopt_long(*argc, *argv, "", none, NULL) != -1)
		usage(stderr);
	*argc -= optind;
	*argv += optind;
}

/* The option argv[i] names ("--NAME" or "--NAME=VALUE"): its name's length. */
static size_t long_name_len(const char *arg)
{
	return strcspn(arg + 2, "=");
}

/*
 * Rewrites abbreviations of fscryptctl's own options to their full names
 * before getopt_long() sees them, so that each keeps its fscryptctl
 * meaning although our extensions share prefixes with them ("--f" is
 * --filenames in fscryptctl; --for-dio would make it ambiguous).  An
 * abbreviation that fits several of fscryptctl's options, or none, is left
 * for getopt_long() to judge against the whole table: ambiguous where
 * fscryptctl says so, an extension where only one fits.
 */
void compat_long_options(int argc, char **argv, const struct option *opts, size_t ncompat)
{
	bool posix = getenv("POSIXLY_CORRECT") != NULL;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const struct option *exact = NULL, *compat = NULL, *any = NULL;
		size_t len, ncompat_hits = 0, nany = 0;
		const struct option *hit;
		char *full;

		if (!strcmp(arg, "--"))
			return;
		if (strncmp(arg, "--", 2) || !arg[2]) {
			/* getopt stops at the first non-option under POSIXLY_CORRECT */
			if (posix && (arg[0] != '-' || !arg[1]))
				return;
			continue;
		}
		len = long_name_len(arg);
		for (const struct option *o = opts; o->name; o++) {
			if (strncmp(o->name, arg + 2, len))
				continue;
			if (strlen(o->name) == len)
				exact = o;
			if ((size_t)(o - opts) < ncompat && ncompat_hits++ == 0)
				compat = o;
			if (nany++ == 0)
				any = o;
		}
		/* the option getopt_long() will take, once fscryptctl's won */
		hit = exact ? exact : ncompat_hits == 1 ? compat : nany == 1 ? any : NULL;
		if (!exact && ncompat_hits == 1) {
			if (asprintf(&full, "--%s%s", compat->name, arg + 2 + len) < 0)
				return;	/* getopt_long() will judge the rest as it is */
			argv[i] = full;	/* lives as long as the process, as argv */
		}
		/* "--contents MODE": MODE is no option, even if it starts with "--" */
		if (hit && hit->has_arg == required_argument && !arg[2 + len])
			i++;
	}
}

int open_key_operands(int argc, char **argv, uint8_t id[16])
{
	int fd;

	if (argc != 2) {
		fputs("error: must specify a key identifier and a mountpoint\n", stderr);
		return -1;
	}
	if (!parse_key_identifier(argv[0], id))
		return -1;
	fd = open(argv[1], O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);	/* a FIFO must not block */
	if (fd < 0)
		fprintf(stderr, "error: opening %s: %s\n", argv[1], strerror(errno));
	return fd;
}

const char *describe_fscrypt_error(int err)
{
	switch (err) {
	case ENOTTY:
		return "your kernel is too old to support filesystem encryption, or the "
		       "filesystem you are using does not support encryption";
	case EOPNOTSUPP:
		return "filesystem encryption has been disabled in the kernel config, or "
		       "you need to enable encryption on your filesystem (see the README "
		       "for more detailed instructions).";
	default:
		return strerror(err);
	}
}

const char *describe_get_policy_error(int err)
{
	switch (err) {
	case ENODATA:
		return "file or directory not encrypted";
	case EINVAL:
	case EOVERFLOW:
		return "file or directory uses an unrecognized encryption policy version";
	default:
		return describe_fscrypt_error(err);
	}
}

const char *describe_set_policy_error(int err)
{
	switch (err) {
	case EEXIST:
		return "file or directory already encrypted";
	case EINVAL:
		return "invalid encryption options provided";
	default:
		return describe_fscrypt_error(err);
	}
}

struct bca_secret *read_key(const char *key_file, size_t min, size_t max)
{
	struct bca_secret *key = NULL;
	int fd = STDIN_FILENO, rc;

	if (key_file) {
		fd = open(key_file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			fprintf(stderr, "error: opening %s: %s\n", key_file, strerror(errno));
			return NULL;
		}
	}
	rc = bca_secret_read_fd(fd, max, &key);
	if (key_file)
		close(fd);
	if (rc == -EFBIG) {
		fprintf(stderr, "error: key was too long; it can be at most %zu bytes\n", max);
		return NULL;
	}
	if (rc == -ENOMEM) {
		fputs("error: failed to allocate memory\n", stderr);
		return NULL;
	}
	if (rc < 0) {
		fprintf(stderr, "error: reading from %s: %s\n",
			key_file ? key_file : "stdin", strerror(-rc));
		return NULL;
	}
	if (bca_secret_get_size(key) < min) {
		fprintf(stderr, "error: key was too short; it must be at least %zu bytes\n", min);
		bca_secret_free(key);
		return NULL;
	}
	return key;
}

bool write_stdout(const void *buf, size_t size)
{
	const char *p = buf;

	while (size) {
		ssize_t n = write(STDOUT_FILENO, p, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "error: writing to stdout: %s\n", strerror(errno));
			return false;
		}
		p += n;
		size -= (size_t)n;
	}
	return true;
}

void print_policy_flags(unsigned int flags)
{
	char buf[128];

	bca_fscrypt_policy_flags_str(flags, ", ", buf, sizeof(buf));
	fputs(buf, stdout);
}
