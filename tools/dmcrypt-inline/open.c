// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmcrypt-inline open: a LUKS volume's data segment as dm-crypt (inline
 * flags) or dm-inlinecrypt.  libcryptsetup reads the header and unlocks
 * the volume key into locked memory; the key goes from there into a logon
 * key of the kernel keyring, which the table references.  Everything that
 * can be checked is checked before the key is asked for.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "blkcryptadm.h"
#include "cli.h"
#include "dmcrypt.h"

/* cryptsetup's limits: an interactive passphrase, a key file (8 MiB) */
#define PASSPHRASE_MAX 512
#define KEY_FILE_MAX (8u << 20)

struct open_opts {
	struct bca_crypt_params p;
	const char *device, *name, *header, *key_file;
	long token_id;			/* -1: any token */
	uint32_t flags;			/* table options given on the command line */
	bool token_only, readonly, dry_run, force, ask_password;
};

extern char **environ;

static void open_help(void)
{
	printf("Usage:\n %s open DEVICE NAME [options]\n\n", cli_prog);
	fputs("Unlock the LUKS volume on DEVICE through libcryptsetup and map its data segment\n"
	      "as NAME with dm-crypt (inline flags) or dm-inlinecrypt.  The volume key goes\n"
	      "into the kernel keyring as a logon key; the table references it.  Without\n"
	      "--key-file, a LUKS2 token that needs no PIN is tried, then the passphrase is\n"
	      "read from the terminal (three tries) or one line of standard input.\n\n"
	      "Options:\n"
	      "     --target crypt|inlinecrypt   target type (default crypt)\n"
	      "     --key-file FILE        the passphrase is FILE's contents ('-': all of stdin)\n"
	      "     --token-id N           unlock with LUKS2 token N only\n"
	      "     --token-only           unlock with a token, never ask for a passphrase\n"
	      "     --header FILE          a detached LUKS header\n"
	      TABLE_OPTIONS_HELP
	      "     --readonly             map read-only\n"
	      "     --force                map a DEVICE that is in use\n"
	      "     --dry-run              unlock, print the table and stop\n"
	      "     --ask-password         ask through systemd-ask-password (boot units)\n"
	      " -h, --help                 display this help\n\n"
	      "The header's persistent flags (cryptsetup --persistent) apply as cryptsetup\n"
	      "open applies them.  dm-inlinecrypt maps only aes-xts-plain64 with a 512-bit\n"
	      "key and 512-byte sectors (LUKS2 counts IVs in 512-byte units).\n", stdout);
}

enum {
	OPT_TARGET = 256, OPT_KEY_FILE, OPT_TOKEN_ID, OPT_TOKEN_ONLY, OPT_HEADER, OPT_READONLY,
	OPT_FORCE, OPT_DRY_RUN, OPT_ASK_PASSWORD,
};

static void parse(struct open_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, OPT_TARGET },
		{ "key-file", required_argument, NULL, OPT_KEY_FILE },
		{ "token-id", required_argument, NULL, OPT_TOKEN_ID },
		{ "token-only", no_argument, NULL, OPT_TOKEN_ONLY },
		{ "header", required_argument, NULL, OPT_HEADER },
		TABLE_LONGOPTS,
		{ "readonly", no_argument, NULL, OPT_READONLY },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "ask-password", no_argument, NULL, OPT_ASK_PASSWORD },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (table_option(c, &o->flags))
			continue;
		switch (c) {
		case OPT_TARGET: o->p.target = parse_target("open", optarg); break;
		case OPT_KEY_FILE: o->key_file = optarg; break;
		case OPT_TOKEN_ID:
			/* LUKS2 has 32 token slots */
			if (cli_parse_u64(optarg, 0, 31, &v) < 0)
				cli_usage_error("open: --token-id: a token number 0..31, not '%s'", optarg);
			o->token_id = (long)v;
			break;
		case OPT_TOKEN_ONLY: o->token_only = true; break;
		case OPT_HEADER: o->header = optarg; break;
		case OPT_READONLY: o->readonly = true; break;
		case OPT_FORCE: o->force = true; break;
		case OPT_DRY_RUN: o->dry_run = true; break;
		case OPT_ASK_PASSWORD: o->ask_password = true; break;
		case 'h':
			open_help();
			exit(EXIT_OK);
		default:
			cli_usage_error("open: bad usage");
		}
	}
	if (argc - optind != 2)
		cli_usage_error("open: DEVICE and NAME expected");
	o->device = argv[optind];
	o->name = argv[optind + 1];
	dm_name_check("open", o->name);
	if (o->key_file && (o->token_only || o->token_id >= 0))
		cli_usage_error("open: --key-file and --token-id/--token-only exclude each other");
	/* see create: a closed stdin's number would be the next file opened */
	if (o->key_file && !strcmp(o->key_file, "-") && fcntl(0, F_GETFD) < 0)
		cli_usage_error("open: --key-file -: standard input is closed");
}

/* The device: a block device, not in use unless --force. */
static int check_device(struct bca_ctx *ctx, const struct open_opts *o)
{
	struct bca_devid *id;
	dev_t devno;
	int rc = 0;

	if (probe_block_device(ctx, o->device, &devno, &id) < 0)
		return -1;
	if (!o->force && bca_devid_is_busy(id)) {
		cli_warnx("%s: in use (mounted or held by another device); use --force", o->device);
		rc = -1;
	}
	bca_devid_free(id);
	return rc;
}

/* One line from fd into locked memory, without its newline; read(2) only. */
static int read_line(int fd, size_t max, struct bca_secret **out)
{
	struct bca_secret *s;
	char *buf;
	size_t n = 0;
	int rc = bca_secret_new(max + 1, &s);

	if (rc < 0)
		return rc;
	buf = bca_secret_get_data(s);
	for (;;) {
		ssize_t r = read(fd, buf + n, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			break;
		}
		if (r == 0 || buf[n] == '\n') {
			buf[n] = '\0';
			break;
		}
		if (++n > max) {
			rc = -EFBIG;
			break;
		}
	}
	if (rc == 0 && n == 0)
		rc = -ENODATA;
	if (rc == 0)
		rc = bca_secret_set_size(s, n);
	if (rc < 0) {
		bca_secret_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/*
 * Prompts on the terminal with echo off.  Echo goes off (flushing what was
 * typed ahead) before the prompt shows, as getpass(3) does: cryptsetup
 * prints first, so what a quick typist sends between the prompt and the
 * flush is echoed or lost.
 */
static int ask_passphrase(const char *device, struct bca_secret **out)
{
	struct termios old, quiet;
	bool restore;
	int rc;

	restore = tcgetattr(STDIN_FILENO, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	fprintf(stderr, "Enter passphrase for %s: ", device);
	fflush(stderr);
	rc = read_line(STDIN_FILENO, PASSPHRASE_MAX, out);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return rc;
}

/*
 * At boot there is no terminal: systemd-ask-password asks on the console,
 * Plymouth or a password agent, and writes the answer to our pipe.
 */
static int agent_passphrase(const struct open_opts *o, struct bca_secret **out)
{
	char id[160], prompt[512];
	char *argv[] = { "systemd-ask-password", id, "--timeout=0", prompt, NULL };
	posix_spawn_file_actions_t fa;
	int pfd[2], rc, wstatus;
	pid_t pid = -1;

	snprintf(id, sizeof(id), "--id=dmcrypt-inline:%s", o->name);
	snprintf(prompt, sizeof(prompt), "Please enter passphrase for disk %s (%s):", o->device,
		 o->name);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	rc = -posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc == 0)
		rc = read_line(pfd[0], PASSPHRASE_MAX, out);
	close(pfd[0]);
	if (pid > 0 && waitpid(pid, &wstatus, 0) == pid && rc == 0 &&
	    (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus))) {
		bca_secret_free(*out);
		*out = NULL;
		rc = -ECANCELED;
	}
	return rc;
}

static int read_key_file(const char *path, struct bca_secret **out)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	int rc;

	if (fd < 0)
		return -errno;
	rc = bca_secret_read_fd(fd, KEY_FILE_MAX, out);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == 0 && !bca_secret_get_size(*out)) {
		bca_secret_free(*out);
		*out = NULL;
		rc = -ENODATA;
	}
	return rc;
}

static void unlock_error(const char *what, int rc)
{
	if (rc == -EPERM)
		cli_warnx("%s: no key available with this passphrase", what);
	else if (rc == -EFBIG)
		cli_warnx("%s: passphrase too long", what);
	else if (rc == -ENODATA)
		cli_warnx("%s: empty passphrase", what);
	else if (rc == -ECANCELED)
		cli_warnx("%s: systemd-ask-password gave no passphrase", what);
	else
		cli_warnx("%s: unlocking the volume key: %s", what, bca_strerror(rc));
}

/*
 * The volume key: a token first unless a key file is given, then the
 * passphrase.  NULL when none opens a keyslot (reported).
 */
static struct bca_secret *unlock(struct bca_luks *l, const struct open_opts *o)
{
	struct bca_secret *vk = NULL, *pass = NULL;
	bool tty = isatty(STDIN_FILENO);
	int rc;

	if (o->key_file) {
		rc = read_key_file(o->key_file, &pass);
		if (rc < 0) {
			if (rc == -EFBIG || rc == -ENODATA)
				cli_warnx("%s: %s", o->key_file, rc == -EFBIG ?
					  "key file larger than 8 MiB" : "empty key file");
			else
				cli_path_error(o->key_file, rc);
			return NULL;
		}
		rc = bca_luks_unlock_passphrase(l, bca_secret_get_data(pass),
						bca_secret_get_size(pass), &vk);
		bca_secret_free(pass);
		if (rc < 0)
			unlock_error(o->key_file, rc);
		return vk;
	}
	rc = bca_luks_unlock_token(l, (int)o->token_id, &vk);
	if (rc == 0)
		return vk;
	if (o->token_only || o->token_id >= 0) {
		if (rc == -ENOENT || rc == -ENOANO || rc == -EINVAL)
			cli_warnx("%s: no LUKS2 token %s unlocks the volume", o->device,
				  o->token_id >= 0 ? "of that number" : "that needs no PIN");
		else
			unlock_error(o->device, rc);
		return NULL;
	}
	for (int tries = tty || o->ask_password ? 3 : 1; tries > 0; tries--) {
		if (o->ask_password)
			rc = agent_passphrase(o, &pass);
		else if (tty)
			rc = ask_passphrase(o->device, &pass);
		else
			rc = read_line(STDIN_FILENO, PASSPHRASE_MAX, &pass);
		if (rc == 0) {
			rc = bca_luks_unlock_passphrase(l, bca_secret_get_data(pass),
							bca_secret_get_size(pass), &vk);
			bca_secret_free(pass);
			pass = NULL;
		}
		if (rc == 0)
			return vk;
		unlock_error(o->device, rc);
		if (rc != -EPERM && rc != -ENODATA)
			break;
	}
	return NULL;
}

static void luks_error(const struct open_opts *o, int rc)
{
	const char *where = o->header ? o->header : o->device;

	if (rc == -ELIBACC || rc == -ELIBBAD)
		cli_warnx("libcryptsetup cannot be loaded (install libcryptsetup12)");
	else
		cli_path_error(where, rc);
}

int cmd_open(int argc, char **argv)
{
	struct open_opts o = {
		.p = { .struct_size = sizeof(struct bca_crypt_params) },
		.token_id = -1,
	};
	struct bca_ctx *ctx = NULL;
	struct bca_luks *l = NULL;
	struct bca_secret *vk = NULL;
	char desc[MAX_KEY_DESC + 1], uuid[DM_UUID_MAX + 64], table[MAX_KEY_DESC + 1024];
	enum bca_crypt_target target;
	const char *why;
	int rc, status = EXIT_FAIL;

	parse(&o, argc, argv);
	target = o.p.target;
	snprintf(desc, sizeof(desc), MANAGED_KEY_PREFIX "%s", o.name);
	if (cli_ctx_new(&ctx) < 0)
		return EXIT_FAIL;
	if (check_device(ctx, &o) < 0)
		goto out;
	rc = bca_luks_open(ctx, o.device, o.header, &l);
	if (rc < 0) {
		luks_error(&o, rc);
		goto out;
	}
	if (crypt_uuid(uuid, sizeof(uuid), target, bca_luks_get_type(l), bca_luks_get_uuid(l),
		       o.name) >= DM_UUID_MAX) {
		cli_warnx("%s: name too long: the device's UUID CRYPT-%s%s-<uuid>-NAME must fit "
			  "device-mapper's %d bytes", o.name,
			  target == BCA_TARGET_INLINECRYPT ? "INLINECRYPT-" : "",
			  bca_luks_get_type(l), DM_UUID_MAX - 1);
		status = EXIT_USAGE;
		goto out;
	}
	rc = bca_luks_get_params(l, target, &o.p, &why);
	if (rc < 0) {
		cli_warnx("%s: %s", o.header ? o.header : o.device, why);
		goto out;
	}
	o.p.flags |= o.flags;
	o.p.key_desc = desc;
	rc = bca_crypt_format_table(&o.p, table, sizeof(table));
	if (rc < 0) {
		cli_warnx("%s", bca_crypt_params_reason(&o.p));
		status = EXIT_USAGE;
		goto out;
	}
	if (!o.dry_run && (check_target(ctx, &o.p) < 0 || check_name_free(ctx, o.name) < 0))
		goto out;
	vk = unlock(l, &o);
	if (!vk)
		goto out;
	if (bca_secret_get_size(vk) != o.p.key_size) {
		cli_warnx("%s: the volume key has %zu bytes, the header says %u", o.device,
			  bca_secret_get_size(vk), o.p.key_size);
		goto out;
	}
	if (o.dry_run) {
		/* the table references the keyring: there are no key bytes to mask */
		printf("%s\n", table);
		status = EXIT_OK;
		goto out;
	}
	if (activate_with_key(ctx, o.name, uuid, &o.p, table, vk, o.readonly) < 0)
		goto out;
	status = EXIT_OK;
out:
	bca_secret_free(vk);
	bca_luks_free(l);
	bca_unref(ctx);
	return status;
}
