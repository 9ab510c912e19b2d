// SPDX-License-Identifier: GPL-2.0-or-later
/* lsblk-style output through libsmartcols. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "output.h"

void out_init(struct out *o, const struct col_info *infos, size_t ninfos,
	      const char *json_name, const int *defaults, size_t ndefaults)
{
	memset(o, 0, sizeof(*o));
	o->infos = infos;
	o->ninfos = ninfos;
	o->json_name = json_name;
	for (size_t i = 0; i < ndefaults && i < OUT_MAX_COLS; i++)
		o->cols[o->ncols++] = defaults[i];
}

static void list_columns(const struct col_info *infos, size_t ninfos, FILE *fp);

static int column_id(const struct out *o, const char *name, size_t len)
{
	for (size_t i = 0; i < o->ninfos; i++)
		if (strlen(o->infos[i].name) == len && !strncasecmp(o->infos[i].name, name, len))
			return (int)i;
	return -1;
}

/*
 * "-o A,B" replaces the default columns, "-o +A,B" appends to them, as in
 * lsblk.  An unknown name is a usage error.  "-o help" lists the columns
 * of this subcommand and exits, so that a script or a user finds them
 * without reading the whole --help.
 */
static void parse_columns(struct out *o, const char *list)
{
	const char *p = list;

	if (!strcasecmp(list, "help")) {
		list_columns(o->infos, o->ninfos, stdout);
		exit(fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
	}
	if (*p == '+')
		p++;
	else
		o->ncols = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int id = column_id(o, p, len);

		if (id < 0)
			cli_usage_error("unknown column: %.*s", (int)len, p);
		if (o->ncols == OUT_MAX_COLS)
			cli_usage_error("too many columns");
		o->cols[o->ncols++] = id;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!o->ncols)
		cli_usage_error("no columns given to --output");
}

bool out_option(struct out *o, int opt, const char *arg)
{
	switch (opt) {
	case 'J':
		o->mode = OUT_JSON;
		return true;
	case 'P':
		o->mode = OUT_PAIRS;
		return true;
	case 'r':
		o->mode = OUT_RAW;
		return true;
	case 'n':
		o->noheadings = true;
		return true;
	case 'l':
		o->list = true;
		return true;
	case 'o':
		parse_columns(o, arg);
		return true;
	default:
		return false;
	}
}

void out_parse_args(struct out *o, int argc, char **argv, const char *cmd, void (*help)(void))
{
	static const struct option longopts[] = {
		OUT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, OUT_SHORTOPTS "h", longopts, NULL)) != -1) {
		if (out_option(o, c, optarg))
			continue;
		if (c == 'h') {
			help();
			exit(EXIT_OK);
		}
		cli_usage_error("%s: bad usage", cmd);
	}
}

bool out_has_column(const struct out *o, int id)
{
	for (size_t i = 0; i < o->ncols; i++)
		if (o->cols[i] == id)
			return true;
	return false;
}

int out_start(struct out *o)
{
	o->tb = scols_new_table();
	if (!o->tb)
		return -ENOMEM;
	switch (o->mode) {
	case OUT_JSON:
		scols_table_enable_json(o->tb, 1);
		scols_table_set_name(o->tb, o->json_name);
		break;
	case OUT_PAIRS:
		scols_table_enable_export(o->tb, 1);
		/* keys eval can assign: MEM_ALIGN, not MEM-ALIGN (as lsblk -P) */
		scols_table_enable_shellvar(o->tb, 1);
		break;
	case OUT_RAW:
		scols_table_enable_raw(o->tb, 1);
		break;
	case OUT_TABLE:
		break;
	}
	scols_table_enable_noheadings(o->tb, o->noheadings);
	for (size_t i = 0; i < o->ncols; i++) {
		const struct col_info *ci = &o->infos[o->cols[i]];
		struct libscols_column *cl;
		int flags = ci->flags;

		/*
		 * As lsblk: -P and -r are for eval and awk, whose values must
		 * not start with tree drawing, and -l asks for no tree; JSON
		 * keeps the tree as nested "children" unless -l is given.
		 */
		if (o->list || o->mode == OUT_PAIRS || o->mode == OUT_RAW)
			flags &= ~SCOLS_FL_TREE;
		cl = scols_table_new_column(o->tb, ci->name, ci->whint, flags);
		if (!cl)
			return -ENOMEM;
		if (o->mode == OUT_JSON)
			/*
			 * Booleans as "numbers" whose text is true or false:
			 * libsmartcols 2.38 prints an empty SCOLS_JSON_BOOLEAN
			 * cell as false, an empty number as null (unknown).
			 */
			scols_column_set_json_type(cl, ci->type == COL_STR ? SCOLS_JSON_STRING
									   : SCOLS_JSON_NUMBER);
	}
	return 0;
}

struct libscols_line *out_new_line(struct out *o)
{
	return scols_table_new_line(o->tb, NULL);
}

struct libscols_line *out_new_child(struct out *o, struct libscols_line *parent)
{
	return scols_table_new_line(o->tb, parent);
}

static int cell_index(const struct out *o, int id)
{
	for (size_t i = 0; i < o->ncols; i++)
		if (o->cols[i] == id)
			return (int)i;
	return -1;
}

/* Whether cli_encode() would change s: a byte past ASCII or a backslash. */
static bool needs_encoding(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80 || *s == '\\')
			return true;
	return false;
}

/*
 * JSON must be UTF-8 and libsmartcols copies bytes as they are: a path
 * with other bytes becomes \xNN there (a backslash, x and two hex digits),
 * as tables show it.  Its backslashes become \x5c, as -P and -r write
 * them: a name holding the text \xff must not read as one holding byte 0xff.
 */
void out_set_str(struct out *o, struct libscols_line *ln, int id, const char *s)
{
	int idx = cell_index(o, id);
	char *enc;

	if (idx < 0 || !s)
		return;
	if (o->mode != OUT_JSON || !needs_encoding(s) || !(enc = cli_encode(s, 0))) {
		scols_line_set_data(ln, idx, s);
		return;
	}
	if (scols_line_refer_data(ln, idx, enc) < 0)
		free(enc);
}

void out_set_u64(struct out *o, struct libscols_line *ln, int id, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	out_set_str(o, ln, id, buf);
}

void out_set_bool(struct out *o, struct libscols_line *ln, int id, bool v)
{
	/* JSON literals there (see out_start()); a person reads yes/no better */
	out_set_str(o, ln, id, o->mode == OUT_JSON ? (v ? "true" : "false") : (v ? "yes" : "no"));
}

struct libscols_line *out_new_line_streaming(struct out *o)
{
	if (o->pending >= OUT_CHUNK && out_flush(o) < 0)
		return NULL;
	o->pending++;
	return scols_table_new_line(o->tb, NULL);
}

/*
 * libsmartcols prints whole tables; for JSON we print each chunk's array
 * elements ourselves between one opening and one closing of the array.
 */
static int flush_json(struct out *o, bool last)
{
	char *s = NULL, *open_br, *close_br;
	int rc = 0;

	if (o->pending) {
		rc = scols_print_table_to_string(o->tb, &s);
		if (rc < 0)
			return rc;
		open_br = strchr(s, '[');
		close_br = strrchr(s, ']');
		if (!open_br || !close_br || close_br < open_br) {
			free(s);
			return -EINVAL;
		}
		*close_br = '\0';
		while (close_br > open_br && (close_br[-1] == ' ' || close_br[-1] == '\n'))
			*--close_br = '\0';
		if (!o->flushed)
			printf("{\n   \"%s\": [", o->json_name);
		printf("%s%s", o->flushed ? "," : "", open_br + 1);
		free(s);
	}
	if (last) {
		if (!o->flushed && !o->pending)
			printf("{\n   \"%s\": [", o->json_name);
		printf("\n   ]\n}\n");
	}
	return rc;
}

int out_flush(struct out *o)
{
	int rc;

	if (!o->pending)
		return 0;
	if (o->mode == OUT_JSON)
		rc = flush_json(o, false);
	else
		rc = scols_print_table(o->tb);
	if (rc < 0)
		return rc;
	/* headings once, at the top */
	scols_table_enable_noheadings(o->tb, 1);
	scols_table_remove_lines(o->tb);
	o->flushed += o->pending;
	o->pending = 0;
	return 0;
}

int out_print(struct out *o)
{
	if (!o->flushed)
		return scols_print_table(o->tb);
	if (o->mode == OUT_JSON)
		return flush_json(o, true);
	return out_flush(o);
}

void out_free(struct out *o)
{
	scols_unref_table(o->tb);
	o->tb = NULL;
}

static void list_columns(const struct col_info *infos, size_t ninfos, FILE *fp)
{
	fputs("Available output columns:\n", fp);
	for (size_t i = 0; i < ninfos; i++)
		fprintf(fp, " %14s  %s\n", infos[i].name, infos[i].help);
}

void out_help_columns(const struct col_info *infos, size_t ninfos, FILE *fp)
{
	fputc('\n', fp);
	list_columns(infos, ninfos, fp);
}

void out_help_options(FILE *fp)
{
	fputs(" -J, --json             use JSON output format\n"
	      " -P, --pairs            use key=\"value\" output format\n"
	      " -r, --raw              use raw output format\n"
	      " -l, --list             use list format output (no tree)\n"
	      " -n, --noheadings       don't print headings\n"
	      " -o, --output <list>    output columns (+list appends to the default)\n", fp);
}
