// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmcrypt-inline attach and detach: the devices of /etc/inlinecrypttab,
 * one line each, as crypttab(5) lists dm-crypt devices for
 * systemd-cryptsetup.  The boot units (dmcrypt-inline@NAME.service, wired
 * by dmcrypt-inline-generator) run "attach NAME" and "detach NAME"; each
 * line becomes the open (LUKS) or create (plain) command a person would
 * type, so the two paths share every check.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"

#define TAB_DEFAULT SYSCONFDIR "/inlinecrypttab"
#define MAX_ARGS 64

struct entry {
	char *name, *device, *key, *options;
};

/* Splits a line into up to four blank-separated fields; 0, or -1 for a comment or blank. */
static int split(char *line, struct entry *e)
{
	char **f[] = { &e->name, &e->device, &e->key, &e->options };
	size_t n = 0;
	char *s = line;

	while (n < 4) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || (n == 0 && *s == '#'))
			break;
		*f[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n >= 2 ? 0 : -1;
}

/* DEVICE as crypttab writes it: a path, or UUID=, PARTUUID=, LABEL=, PARTLABEL=. */
static int device_path(const char *spec, char *buf, size_t size)
{
	static const struct { const char *tag, *dir; } tags[] = {
		{ "UUID=", "by-uuid" }, { "PARTUUID=", "by-partuuid" },
		{ "LABEL=", "by-label" }, { "PARTLABEL=", "by-partlabel" },
	};

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (!strncmp(spec, tags[i].tag, strlen(tags[i].tag)))
			return snprintf(buf, size, "/dev/disk/%s/%s", tags[i].dir,
					spec + strlen(tags[i].tag)) < (int)size ? 0 : -1;
	return snprintf(buf, size, "%s", spec) < (int)size ? 0 : -1;
}

/* crypttab-style option words and the command-line options they stand for. */
static const struct {
	const char *word, *opt;
	bool value;
} words[] = {
	{ "target", "--target", true }, { "header", "--header", true },
	{ "token-id", "--token-id", true }, { "token-only", "--token-only", false },
	{ "inline", "--inline", false }, { "no-read-workqueue", "--no-read-workqueue", false },
	{ "no-write-workqueue", "--no-write-workqueue", false },
	{ "high-priority", "--high-priority", false }, { "discard", "--allow-discards", false },
	{ "readonly", "--readonly", false }, { "read-only", "--readonly", false },
	{ "cipher", "--cipher", true }, { "size", "--key-size", true },
	{ "sector-size", "--sector-size", true }, { "offset", "--offset", true },
	{ "iv-offset", "--iv-offset", true }, { "iv-large-sectors", "--iv-large-sectors", false },
	/* for the generator only */
	{ "noauto", NULL, false }, { "nofail", NULL, false }, { "luks", NULL, false },
	{ "plain", NULL, false },
};

/*
 * Builds the open or create command line of entry e in argv (options is
 * the entry's option text, split here); its length, or -1 on a bad entry
 * (reported).
 */
static int build(const char *tab, struct entry *e, char *dev, size_t devsize, char **argv)
{
	const char *opts[MAX_ARGS];
	bool plain = false, no_key = !e->key || !strcmp(e->key, "-") || !strcmp(e->key, "none");
	size_t nopts = 0, n = 0;
	char *save = NULL;

	if (device_path(e->device, dev, devsize) < 0) {
		cli_warnx("%s: %s: device path too long", tab, e->name);
		return -1;
	}
	for (char *w = e->options ? strtok_r(e->options, ",", &save) : NULL; w;
	     w = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(w, '=');
		size_t len = eq ? (size_t)(eq - w) : strlen(w), i;

		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strlen(words[i].word) == len && !strncmp(w, words[i].word, len))
				break;
		if (i == sizeof(words) / sizeof(words[0]) || !!eq != words[i].value) {
			cli_warnx("%s: %s: unknown option '%s'", tab, e->name, w);
			return -1;
		}
		if (!strcmp(words[i].word, "plain"))
			plain = true;
		if (!words[i].opt)
			continue;
		if (nopts + 2 >= MAX_ARGS - 8) {
			cli_warnx("%s: %s: too many options", tab, e->name);
			return -1;
		}
		opts[nopts++] = words[i].opt;
		if (eq)
			opts[nopts++] = eq + 1;
	}
	if (plain && no_key) {
		cli_warnx("%s: %s: a plain device needs a key file", tab, e->name);
		return -1;
	}
	argv[n++] = "dmcrypt-inline";
	argv[n++] = plain ? "create" : "open";
	argv[n++] = plain ? e->name : dev;
	argv[n++] = plain ? dev : e->name;
	for (size_t i = 0; i < nopts; i++)
		argv[n++] = (char *)opts[i];
	if (no_key) {
		argv[n++] = "--ask-password";
	} else {
		argv[n++] = "--key-file";
		argv[n++] = e->key;
	}
	argv[n] = NULL;
	return (int)n;
}

static int find_entry(const char *tab, const char *name, char **line, struct entry *e)
{
	FILE *f = fopen(tab, "re");
	size_t cap = 0;
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (getline(line, &cap, f) >= 0) {
		(*line)[strcspn(*line, "\n")] = '\0';
		memset(e, 0, sizeof(*e));
		if (split(*line, e) == 0 && !strcmp(e->name, name)) {
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

static int attach_or_detach(int argc, char **argv, bool attach)
{
	static const struct option longopts[] = {
		{ "tab", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *tab = getenv("DMCRYPT_INLINE_TAB") ?: TAB_DEFAULT, *cmd = attach ? "attach" : "detach";
	char *line = NULL, dev[4096], *args[MAX_ARGS];
	struct entry e;
	bool dry_run = false;
	int c, n, rc;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 't') {
			tab = optarg;
			continue;
		}
		if (c == 'n' && attach) {
			dry_run = true;
			continue;
		}
		if (c == 'h') {
			printf("Usage:\n %s %s [--tab FILE]%s NAME\n\n%s device NAME as its line in %s "
			       "says (see dmcrypt-inline(8), BOOT).\n%s", cli_prog, cmd,
			       attach ? " [--dry-run]" : "", attach ? "Open or create" : "Remove",
			       TAB_DEFAULT, attach ? "--dry-run: unlock, print the table, create nothing.\n" : "");
			return EXIT_OK;
		}
		cli_usage_error("%s: bad usage", cmd);
	}
	if (argc - optind != 1)
		cli_usage_error("%s: NAME expected", cmd);
	rc = find_entry(tab, argv[optind], &line, &e);
	if (rc < 0) {
		if (rc == -ENOENT && access(tab, R_OK) == 0)
			cli_warnx("%s: no line for %s", tab, argv[optind]);
		else
			cli_path_error(tab, rc);
		free(line);
		return EXIT_FAIL;
	}
	if (!attach) {
		char *rargv[] = { "dmcrypt-inline", e.name, NULL };

		optind = 0;
		rc = cmd_remove(2, rargv);
		free(line);
		return rc;
	}
	n = build(tab, &e, dev, sizeof(dev), args);
	if (n < 0) {
		free(line);
		return EXIT_USAGE;
	}
	if (dry_run) {
		args[n++] = "--dry-run";
		args[n] = NULL;
	}
	optind = 0;	/* GNU getopt starts over */
	rc = !strcmp(args[1], "open") ? cmd_open(n - 1, args + 1) : cmd_create(n - 1, args + 1);
	free(line);
	return rc;
}

int cmd_attach(int argc, char **argv) { return attach_or_detach(argc, argv, true); }
int cmd_detach(int argc, char **argv) { return attach_or_detach(argc, argv, false); }
