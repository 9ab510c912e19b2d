/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lsblk-style output through libsmartcols: a table of column descriptions,
 * a default column set, and -J / -P / -r / -n / -o handling.
 */
#ifndef BCA_OUTPUT_H
#define BCA_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libsmartcols.h>

enum col_type { COL_STR, COL_NUM, COL_BOOL };

struct col_info {
	const char *name;	/* heading; the JSON key is its lowercase form */
	double whint;		/* width hint, as in lsblk */
	int flags;		/* SCOLS_FL_* */
	enum col_type type;
	const char *help;
};

enum out_mode { OUT_TABLE, OUT_JSON, OUT_PAIRS, OUT_RAW };

#define OUT_MAX_COLS 64

struct out {
	const struct col_info *infos;
	size_t ninfos;
	int cols[OUT_MAX_COLS];	/* indices into infos, in display order */
	size_t ncols;
	enum out_mode mode;
	bool noheadings;
	bool list;		/* -l: no tree, one line per row, as lsblk -l */
	const char *json_name;	/* name of the top-level JSON array */
	struct libscols_table *tb;
	size_t pending;		/* lines added since the last flush */
	size_t flushed;		/* lines printed by out_flush() */
};

/* Lines held before out_add_line() prints them, in streaming use. */
#define OUT_CHUNK 1024

/* The getopt short options and long options every table-printing command takes. */
#define OUT_SHORTOPTS "JPrnlo:"
#define OUT_LONGOPTS \
	{ "json", no_argument, NULL, 'J' }, \
	{ "pairs", no_argument, NULL, 'P' }, \
	{ "raw", no_argument, NULL, 'r' }, \
	{ "noheadings", no_argument, NULL, 'n' }, \
	{ "list", no_argument, NULL, 'l' }, \
	{ "output", required_argument, NULL, 'o' }

void out_init(struct out *o, const struct col_info *infos, size_t ninfos,
	      const char *json_name, const int *defaults, size_t ndefaults);
/* Handles one of OUT_SHORTOPTS; returns true if opt was one (exits on a bad -o). */
bool out_option(struct out *o, int opt, const char *arg);
/*
 * The option loop of subcommand CMD when its options are the output ones
 * and -h (help() is shown, then exit 0); leaves optind at the first operand.
 */
void out_parse_args(struct out *o, int argc, char **argv, const char *cmd, void (*help)(void));
/* Whether column id is among the selected ones. */
bool out_has_column(const struct out *o, int id);
/* Creates the table; call after option parsing. Returns 0 or -ENOMEM. */
int out_start(struct out *o);
struct libscols_line *out_new_line(struct out *o);
/* A line below parent, for tree output (a column with SCOLS_FL_TREE). */
struct libscols_line *out_new_child(struct out *o, struct libscols_line *parent);
/* Cell setters by column id; columns not selected are ignored. NULL = unknown. */
void out_set_str(struct out *o, struct libscols_line *ln, int id, const char *s);
void out_set_u64(struct out *o, struct libscols_line *ln, int id, uint64_t v);
void out_set_bool(struct out *o, struct libscols_line *ln, int id, bool v);
/*
 * Streaming: prints the lines added so far and forgets them, so that a
 * scan of a million files holds OUT_CHUNK lines, not a million.  Table
 * column widths are then computed per chunk.  out_print() prints the rest.
 */
int out_flush(struct out *o);
/* out_new_line() that flushes every OUT_CHUNK lines. */
struct libscols_line *out_new_line_streaming(struct out *o);
int out_print(struct out *o);
void out_free(struct out *o);
/* The "Available output columns" section of --help. */
void out_help_columns(const struct col_info *infos, size_t ninfos, FILE *fp);
/* The output options section of --help. */
void out_help_options(FILE *fp);

#endif /* BCA_OUTPUT_H */
