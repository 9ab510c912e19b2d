// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * /proc/self/mountinfo, parsed once per context and looked up by mount id
 * (statx STATX_MNT_ID), so that a recursive scan of a million files reads
 * it once.  The superblock options are what tell whether inlinecrypt is
 * really in effect: a kernel without blk-crypto drops it silently.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct bca_mountinfo {
	struct bca_mount *mounts;
	size_t n;
	/* the tables read before this one: file reports still point into them */
	struct bca_mountinfo *older;
};

static void mount_clear(struct bca_mount *m)
{
	free(m->mountpoint);
	free(m->fstype);
	free(m->source);
	free(m->mount_opts);
	free(m->super_opts);
}

void bca_mounts_free(struct bca_mountinfo *mi)
{
	while (mi) {
		struct bca_mountinfo *older = mi->older;

		for (size_t i = 0; i < mi->n; i++)
			mount_clear(&mi->mounts[i]);
		free(mi->mounts);
		free(mi);
		mi = older;
	}
}

/* Undoes the kernel's octal escaping of space, tab, newline and backslash. */
static char *unescape(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static int parse_line(char *line, struct bca_mount *m)
{
	char *save = NULL, *tok[6], *sep;
	unsigned long long id;
	int i;

	/* fields after " - " are: fstype source super_options */
	sep = strstr(line, " - ");
	if (!sep)
		return -BCA_ERR_PARSE;
	*sep = '\0';
	for (i = 0; i < 6; i++) {
		tok[i] = strtok_r(i ? NULL : line, " ", &save);
		if (!tok[i])
			return -BCA_ERR_PARSE;
	}
	if (sscanf(tok[0], "%llu", &id) != 1 ||
	    sscanf(tok[2], "%u:%u", &m->major, &m->minor) != 2)
		return -BCA_ERR_PARSE;
	m->mnt_id = id;
	m->mountpoint = unescape(tok[4]);
	m->mount_opts = strdup(tok[5]);

	save = NULL;
	tok[0] = strtok_r(sep + 3, " \n", &save);
	tok[1] = strtok_r(NULL, " \n", &save);
	tok[2] = strtok_r(NULL, " \n", &save);
	if (!tok[0] || !tok[1])
		return -BCA_ERR_PARSE;
	m->fstype = strdup(tok[0]);
	m->source = unescape(tok[1]);
	m->super_opts = strdup(tok[2] ? tok[2] : "");
	if (!m->mountpoint || !m->mount_opts || !m->fstype || !m->source || !m->super_opts)
		return -ENOMEM;
	return 0;
}

static int mounts_load(struct bca_ctx *ctx, struct bca_mountinfo **out)
{
	struct bca_mountinfo *mi;
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	int rc = 0;
	FILE *f = bca_sys_fopen(ctx, "/proc/self/mountinfo");

	if (!f)
		return -errno;
	mi = calloc(1, sizeof(*mi));
	if (!mi) {
		fclose(f);
		return -ENOMEM;
	}
	while (getline(&line, &cap, f) > 0) {
		if (mi->n == alloc) {
			size_t nalloc = alloc ? alloc * 2 : 64;
			struct bca_mount *nm = realloc(mi->mounts, nalloc * sizeof(*nm));

			if (!nm) {
				rc = -ENOMEM;
				break;
			}
			mi->mounts = nm;
			alloc = nalloc;
		}
		memset(&mi->mounts[mi->n], 0, sizeof(mi->mounts[0]));
		rc = parse_line(line, &mi->mounts[mi->n]);
		if (rc < 0) {
			mount_clear(&mi->mounts[mi->n]);
			if (rc == -ENOMEM)
				break;
			bca_dbg(ctx, "mountinfo: skipping unparsable line");
			rc = 0;
			continue;
		}
		mi->n++;
	}
	free(line);
	fclose(f);
	if (rc < 0) {
		bca_mounts_free(mi);
		return rc;
	}
	*out = mi;
	return 0;
}

static const struct bca_mount *find(const struct bca_mountinfo *mi, uint64_t id)
{
	for (size_t i = 0; mi && i < mi->n; i++)
		if (mi->mounts[i].mnt_id == id)
			return &mi->mounts[i];
	return NULL;
}

/*
 * A miss reads mountinfo again (the mount may be new) but keeps the old
 * table, whose strings file reports hold; the same mount id missing twice in
 * a row (a file in another mount namespace, file after file) is answered
 * from memory instead of re-reading mountinfo for every file.
 */
int bca_mount_by_id(struct bca_ctx *ctx, uint64_t mnt_id, const struct bca_mount **out)
{
	const struct bca_mount *m;
	int rc;

	/* a scan asks for the same mount file after file */
	if (ctx->mount_last && ctx->mount_last->mnt_id == mnt_id) {
		*out = ctx->mount_last;
		return 0;
	}
	m = find(ctx->mounts, mnt_id);

	if (!m) {
		struct bca_mountinfo *mi = NULL;

		if (ctx->mount_miss_valid && ctx->mount_miss_id == mnt_id)
			return -ENOENT;
		rc = mounts_load(ctx, &mi);
		if (rc < 0)
			return rc;
		mi->older = ctx->mounts;
		ctx->mounts = mi;
		m = find(mi, mnt_id);
		if (!m) {
			ctx->mount_miss_valid = true;
			ctx->mount_miss_id = mnt_id;
			return -ENOENT;
		}
	}
	ctx->mount_last = m;
	*out = m;
	return 0;
}

bool bca_opt_has(const char *opts, const char *opt, const char **value)
{
	size_t len = strlen(opt);
	const char *p = opts;

	while (p && *p) {
		if (!strncmp(p, opt, len) && (p[len] == ',' || p[len] == '\0' || p[len] == '=')) {
			if (value)
				*value = p[len] == '=' ? p + len + 1 : NULL;
			return true;
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}
