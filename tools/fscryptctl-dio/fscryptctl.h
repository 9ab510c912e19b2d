/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fscryptctl-dio: the commands of fscryptctl 1.3.0, with its messages and
 * exit statuses, plus direct-I/O-aware additions.  One file per command.
 */
#ifndef BCA_FSCRYPTCTL_H
#define BCA_FSCRYPTCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdnoreturn.h>

struct bca_secret;
struct bca_fscrypt_policy;

/* Subcommands. */
int cmd_add_key(int argc, char **argv);
int cmd_remove_key(int argc, char **argv);
int cmd_key_status(int argc, char **argv);
int cmd_get_policy(int argc, char **argv);
int cmd_set_policy(int argc, char **argv);
int cmd_import_hw_wrapped_key(int argc, char **argv);
int cmd_generate_hw_wrapped_key(int argc, char **argv);
int cmd_prepare_hw_wrapped_key(int argc, char **argv);
int cmd_check_dio(int argc, char **argv);

/* main.c: the help text; to stderr it exits 1, to stdout 0 (as fscryptctl). */
noreturn void usage(FILE *out);

/* util.c */
/*
 * The "<key identifier> <mountpoint>" operands of key_status and
 * remove_key: the identifier into id and the mount point open, its fd; or
 * fscryptctl's message and -1.
 */
int open_key_operands(int argc, char **argv, uint8_t id[16]);
/* Refuses every option and drops argv[0] and "--", as fscryptctl does. */
void handle_no_options(int *argc, char ***argv);
/*
 * Before getopt_long(): abbreviations of the first ncompat entries of opts
 * (fscryptctl 1.3's own options) keep fscryptctl's meaning, whatever
 * extension options follow them in opts.
 */
struct option;
void compat_long_options(int argc, char **argv, const struct option *opts, size_t ncompat);
/* fscryptctl's wording of ioctl errors (errno values, positive). */
const char *describe_fscrypt_error(int err);
const char *describe_get_policy_error(int err);
const char *describe_set_policy_error(int err);
/*
 * Reads a key of min..max bytes from stdin, or from key_file when not
 * NULL, into locked memory.  On failure prints fscryptctl's message and
 * returns NULL.
 */
struct bca_secret *read_key(const char *key_file, size_t min, size_t max);
/* Writes all of buf to stdout; prints "error: writing ..." and returns false on failure. */
bool write_stdout(const void *buf, size_t size);
/* "PAD_32, DIRECT_KEY, ..." as get_policy prints the flags. */
void print_policy_flags(unsigned int flags);

/* args.c: command-line values, as fscryptctl 1.3 accepts them */
/* Exactly 2*n hex digits into n bytes. */
bool hex_to_bytes(const char *hex, uint8_t *bytes, size_t n);
/* n bytes as lower-case hex into buf (2*n + 1 bytes). */
void bytes_to_hex(const uint8_t *bytes, size_t n, char *buf);
/* A key identifier argument, or "error: invalid key identifier: ..." and false. */
bool parse_key_identifier(const char *hex, uint8_t id[16]);
/* Strict decimal (digits only) within [0, max]; false otherwise. */
bool parse_decimal(const char *s, uint64_t max, uint64_t *out);
/* A mode name, exactly as get_policy prints it. */
bool parse_mode(const char *s, uint8_t *mode);
/* --padding: 4, 8, 16 or 32, as the policy's padding flag (0..3). */
bool parse_padding(const char *s, uint8_t *flag);
/* --data-unit-size: a power of two above 1, as its log2. */
bool parse_data_unit_size(const char *s, uint8_t *log2);

/* for_dio.c: set_policy --for-dio.  Fills pol's flags and data unit size. */
int for_dio_plan(const char *dir, struct bca_fscrypt_policy *pol);
/* After the policy is set: checks a new file in dir; exit status. */
int for_dio_verify(int dirfd, const char *dir);

#endif /* BCA_FSCRYPTCTL_H */
