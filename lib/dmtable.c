// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The dm-crypt and dm-inlinecrypt table model: parameters to the one table
 * line libdevmapper loads, the line the kernel reports taken apart again,
 * its key masked, and the target versions each option needs.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "internal.h"

/* IV generators dm-crypt knows (drivers/md/dm-crypt.c, 6.12). */
static const char *const iv_modes[] = {
	"plain", "plain64", "plain64be", "essiv", "benbi", "null", "lmk", "tcw",
	"random", "eboiv", "elephant",
};

/*
 * Checks the "cipher-chainmode-ivmode[:ivopts]" form and the IV mode, so
 * that a typo is a clear error before anything is created; whether the
 * kernel has the cipher is known only when the table loads.
 */
static int check_cipher(const struct bca_crypt_params *p, const char **why)
{
	const char *c = p->cipher, *iv;
	size_t len;

	*why = "invalid cipher specification (expected cipher-chainmode-ivmode, "
	       "e.g. aes-xts-plain64)";
	if (!c || !*c || strlen(c) > 120)
		return -EINVAL;
	for (const char *s = c; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_:()", *s))
			return -EINVAL;
	if (p->target == BCA_TARGET_INLINECRYPT) {
		*why = "dm-inlinecrypt supports only the cipher aes-xts-plain64";
		return strcmp(c, "aes-xts-plain64") ? -EOPNOTSUPP : 0;
	}
	if (!strncmp(c, "capi:", 5))
		return 0;
	iv = strrchr(c, '-');
	if (!iv || iv == c || !strchr(c, '-') || strchr(c, '-') == iv)
		return -EINVAL;
	iv++;
	len = strcspn(iv, ":");
	for (size_t i = 0; i < BCA_ARRAY_SIZE(iv_modes); i++)
		if (strlen(iv_modes[i]) == len && !strncmp(iv, iv_modes[i], len))
			return 0;
	*why = "unknown IV mode in the cipher specification (plain64, essiv, ...)";
	return -EINVAL;
}

/*
 * Whether s goes into a table line as one word the kernel reads back
 * unchanged.  dm_split_args() splits at the kernel's isspace(), which also
 * holds for 0xA0 (lib/ctype.c gives the Latin-1 no-break space _S, where
 * glibc's C locale does not), and takes a backslash as an escape: a
 * description with either loads another table than the one we checked,
 * with another key or another device.  Printable ASCII without blank or
 * backslash is one word on every kernel.
 */
bool bca_table_word_ok(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c <= 0x20 || *c >= 0x7f || *c == '\\')
			return false;
	return true;
}

/* Longer than BCA_KEY_DESC_MAX, a description could not be read back whole. */
BCA_EXPORT bool bca_crypt_key_desc_valid(const char *d)
{
	size_t n = d ? strlen(d) : 0;

	return n && n <= BCA_KEY_DESC_MAX && bca_table_word_ok(d);
}

/* The one check of a table's parameters: the error and, in *why, which one is wrong. */
static int check_params(const struct bca_crypt_params *p, const char **why)
{
	unsigned int known = BCA_CRYPT_NO_READ_WORKQUEUE | BCA_CRYPT_NO_WRITE_WORKQUEUE |
			     BCA_CRYPT_HIGH_PRIORITY | BCA_CRYPT_ALLOW_DISCARDS |
			     BCA_CRYPT_IV_LARGE_SECTORS;
	bool inl = p && p->target == BCA_TARGET_INLINECRYPT;
	uint32_t units = p && p->sector_size ? p->sector_size / 512 : 1;
	int rc;

	*why = "invalid parameter structure";
	if (!p || p->struct_size != sizeof(*p))
		return -EINVAL;
	*why = "unknown target";
	if (p->target != BCA_TARGET_CRYPT && !inl)
		return -EINVAL;
	*why = "unknown option flag";
	if (p->flags & ~known)
		return -EINVAL;
	*why = "dm-inlinecrypt has no workqueue options: blk-crypto does the work";
	if (inl && (p->flags & (BCA_CRYPT_NO_READ_WORKQUEUE | BCA_CRYPT_NO_WRITE_WORKQUEUE |
				BCA_CRYPT_HIGH_PRIORITY)))
		return -EOPNOTSUPP;
	rc = check_cipher(p, why);
	if (rc < 0)
		return rc;
	*why = "the key description must be 1 to 255 printable ASCII characters, "
	       "without blanks or backslashes";
	if (!bca_crypt_key_desc_valid(p->key_desc))
		return -EINVAL;
	*why = "the key size must be 1 to 128 bytes";
	if (!p->key_size || p->key_size > 128)
		return -EINVAL;
	*why = "dm-inlinecrypt's aes-xts-plain64 takes a 512-bit (64-byte) key";
	if (inl && p->key_size != 64)
		return -EINVAL;
	*why = "the sector size must be a power of two from 512 to 4096";
	if (p->sector_size && (p->sector_size < 512 || p->sector_size > 4096 ||
			       (p->sector_size & (p->sector_size - 1))))
		return -EINVAL;
	*why = "iv_large_sectors needs a sector size above 512";
	if ((p->flags & BCA_CRYPT_IV_LARGE_SECTORS) && p->sector_size <= 512)
		return -EINVAL;
	*why = "dm-inlinecrypt needs iv_large_sectors with a sector size above 512";
	if (inl && p->sector_size > 512 && !(p->flags & BCA_CRYPT_IV_LARGE_SECTORS))
		return -EINVAL;
	*why = "the size must not be 0";
	if (!p->size)
		return -EINVAL;
	*why = "the offset and size must be multiples of the sector size";
	if (p->size % units || p->offset % units)
		return -EINVAL;
	*why = "dm-inlinecrypt needs an IV offset that is a multiple of the sector size";
	if (inl && p->iv_offset % units)
		return -EINVAL;
	*why = NULL;
	return 0;
}

BCA_EXPORT int bca_crypt_params_check(const struct bca_crypt_params *p)
{
	const char *why;

	return check_params(p, &why);
}

BCA_EXPORT const char *bca_crypt_params_reason(const struct bca_crypt_params *p)
{
	const char *why;

	check_params(p, &why);
	return why;
}

static int append(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *len)
		return -ENOSPC;
	*len += (size_t)n;
	return 0;
}

/*
 * The options the model knows, in the order the kernel prints them back
 * (dm-crypt's crypt_status(), dm-inlinecrypt's alike), so that our table
 * and "dmsetup table" compare equal; flag 0 is sector_size:N.
 */
static const struct {
	uint32_t flag;
	const char *name;
} options[] = {
	{ BCA_CRYPT_ALLOW_DISCARDS, "allow_discards" },
	{ BCA_CRYPT_HIGH_PRIORITY, "high_priority" },
	{ BCA_CRYPT_NO_READ_WORKQUEUE, "no_read_workqueue" },
	{ BCA_CRYPT_NO_WRITE_WORKQUEUE, "no_write_workqueue" },
	{ 0, "sector_size:" },
	{ BCA_CRYPT_IV_LARGE_SECTORS, "iv_large_sectors" },
};

BCA_EXPORT int bca_crypt_format_table(const struct bca_crypt_params *p, char *buf, size_t size)
{
	bool sector = p && p->sector_size && p->sector_size != 512;
	size_t n = 0, len = 0;
	int rc = bca_crypt_params_check(p);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < BCA_ARRAY_SIZE(options); i++)
		n += options[i].flag ? !!(p->flags & options[i].flag) : sector;
	rc = append(buf, size, &len, "0 %llu %s %s :%u:logon:%s %llu %u:%u %llu",
		    (unsigned long long)p->size,
		    bca_crypt_target_name(p->target),
		    p->cipher, p->key_size, p->key_desc, (unsigned long long)p->iv_offset,
		    major(p->device), minor(p->device), (unsigned long long)p->offset);
	if (rc == 0 && n)
		rc = append(buf, size, &len, " %zu", n);
	for (size_t i = 0; rc == 0 && i < BCA_ARRAY_SIZE(options); i++) {
		if (!options[i].flag && sector)
			rc = append(buf, size, &len, " sector_size:%u", p->sector_size);
		else if (options[i].flag && (p->flags & options[i].flag))
			rc = append(buf, size, &len, " %s", options[i].name);
	}
	return rc;
}

/* The dm-crypt target version each option needs. */
BCA_EXPORT int bca_crypt_required_version(const struct bca_crypt_params *p,
					  unsigned int version[3], const char **why)
{
	static const struct {
		unsigned int flag;
		unsigned int v[3];
		const char *what;
	} needs[] = {
		{ BCA_CRYPT_HIGH_PRIORITY, { 1, 26, 0 }, "high_priority" },
		{ BCA_CRYPT_NO_READ_WORKQUEUE, { 1, 22, 0 }, "no_read_workqueue" },
		{ BCA_CRYPT_NO_WRITE_WORKQUEUE, { 1, 22, 0 }, "no_write_workqueue" },
		{ BCA_CRYPT_IV_LARGE_SECTORS, { 1, 17, 0 }, "iv_large_sectors" },
	};

	/* keys in the kernel keyring: 1.15 */
	version[0] = 1;
	version[1] = 15;
	version[2] = 0;
	*why = "keys in the kernel keyring";
	if (p->target != BCA_TARGET_CRYPT) {
		version[1] = 0;
		*why = "the inlinecrypt target";
		return 0;
	}
	for (size_t i = 0; i < BCA_ARRAY_SIZE(needs); i++)
		if ((p->flags & needs[i].flag) && needs[i].v[1] > version[1]) {
			memcpy(version, needs[i].v, sizeof(needs[i].v));
			*why = needs[i].what;
		}
	if (p->sector_size > 512 && version[1] < 17) {
		version[1] = 17;
		*why = "sector_size";
	}
	return 0;
}

/*
 * Field n (from 0) of a table line: its start, and its length in *len;
 * NULL when the line has fewer fields.  Fields are separated by one blank,
 * as the kernel prints them; an empty field (two blanks) is a field.
 */
static char *field(const char *line, unsigned int n, size_t *len)
{
	const char *p = line;

	for (unsigned int i = 0; i < n; i++) {
		p = strchr(p, ' ');
		if (!p)
			return NULL;
		p++;
	}
	*len = strcspn(p, " ");
	return (char *)p;
}

/* Replaces the key field (the 5th) of a crypt table line by "-" unless it is a keyring reference. */
void bca_table_mask_key(char *line)
{
	size_t len;
	char *key = field(line, 4, &len);

	if (!key || *key == ':' || !len)
		return;		/* no key, a reference, or an empty field: no room for "-" */
	explicit_bzero(key, len);
	key[0] = '-';
	memmove(key + 1, key + len, strlen(key + len) + 1);
}

/* A number field that is only digits. */
static int parse_u64(const char *s, size_t len, uint64_t *out)
{
	char buf[24], *end;
	unsigned long long v;

	if (!len || len >= sizeof(buf) || !isdigit((unsigned char)*s))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

/* ":<size>:<type>:<desc>" into the key fields; anything else is a key in the table. */
static int parse_key(struct bca_crypt_table *t, char *key, size_t len)
{
	char *type, *desc;
	uint64_t size;

	if (*key != ':') {
		/* hex, or "-" once masked: its size is known only unmasked */
		t->params.key_size = strcmp(key, "-") ? (uint32_t)(len / 2) : 0;
		return 0;
	}
	type = strchr(key + 1, ':');
	desc = type ? strchr(type + 1, ':') : NULL;
	if (!desc || parse_u64(key + 1, (size_t)(type - key - 1), &size) < 0 || size > 1024)
		return -EINVAL;
	*type++ = '\0';
	*desc++ = '\0';
	t->params.key_size = (uint32_t)size;
	t->key_type = type;
	t->params.key_desc = desc;
	return 0;
}

/* "<#opts> opt..." into flags and sector size; options the model lacks are counted. */
static int parse_options(struct bca_crypt_table *t, const char *text)
{
	const char *p = text;
	uint64_t count, v;
	size_t len;
	bool known;

	t->options = "";
	if (!*p)
		return 0;
	len = strcspn(p, " ");
	if (parse_u64(p, len, &count) < 0)
		return -EINVAL;
	p += len;
	t->options = *p ? p + 1 : p;
	for (uint64_t i = 0; i < count; i++) {
		if (*p++ != ' ')
			return -EINVAL;
		len = strcspn(p, " ");
		known = false;
		for (size_t o = 0; o < BCA_ARRAY_SIZE(options); o++) {
			if (options[o].flag && strlen(options[o].name) == len &&
			    !strncmp(p, options[o].name, len)) {
				t->params.flags |= options[o].flag;
				known = true;
			}
		}
		if (len > 12 && !strncmp(p, "sector_size:", 12) &&
		    parse_u64(p + 12, len - 12, &v) == 0 && v <= UINT32_MAX) {
			t->params.sector_size = (uint32_t)v;
			known = true;
		}
		t->unknown_options += !known;
		p += len;
	}
	return *p ? -EINVAL : 0;
}

/* A parsed table and the copy of its line its strings point into. */
struct table_alloc {
	struct bca_crypt_table t;	/* first: the caller's pointer is ours */
	size_t len;
	char line[];
};

/*
 * The fields of "start length target cipher key iv_offset device offset
 * [#opts opts]".  Upstream's dm-inlinecrypt 1.0.0 (7.2) reports a key type
 * number after the key, a field its constructor does not take: the device
 * (always "MAJ:MIN" in a status) then is the 8th field.
 */
BCA_EXPORT int bca_crypt_table_parse(const char *line, struct bca_crypt_table **out)
{
	size_t n = line ? strlen(line) : 0, len[9];
	struct table_alloc *a;
	struct bca_crypt_table *t;
	unsigned int shift = 0, nf;
	char *f[9], *opts;
	dev_t dev;
	uint64_t start, iv, off;
	int rc = -EINVAL;

	if (!line || !out)
		return -EINVAL;
	a = calloc(1, sizeof(*a) + n + 1);
	if (!a)
		return -ENOMEM;
	a->len = n;
	memcpy(a->line, line, n + 1);
	t = &a->t;
	t->params.struct_size = sizeof(t->params);
	for (nf = 0; nf < 9 && (f[nf] = field(a->line, nf, &len[nf])); nf++)
		;
	if (nf < 3)
		goto out;
	/* another target's line is another target, however short (linear) */
	rc = -EMEDIUMTYPE;
	if (len[2] == 5 && !strncmp(f[2], "crypt", 5))
		t->params.target = BCA_TARGET_CRYPT;
	else if (len[2] == 11 && !strncmp(f[2], "inlinecrypt", 11))
		t->params.target = BCA_TARGET_INLINECRYPT;
	else
		goto out;
	rc = -EINVAL;
	if (nf < 8)
		goto out;
	if (t->params.target == BCA_TARGET_INLINECRYPT && !memchr(f[6], ':', len[6])) {
		if (nf < 9)
			goto out;
		shift = 1;
	}
	/* the options follow the last fixed field; cutting at its blank leaves them whole */
	opts = f[7 + shift] + len[7 + shift];
	if (parse_options(t, *opts ? opts + 1 : opts) < 0)
		goto out;
	for (unsigned int k = 0; k <= 7 + shift; k++)
		f[k][len[k]] = '\0';
	if (parse_u64(f[0], len[0], &start) < 0 || parse_u64(f[1], len[1], &t->params.size) < 0 ||
	    parse_u64(f[5 + shift], len[5 + shift], &iv) < 0 ||
	    parse_u64(f[7 + shift], len[7 + shift], &off) < 0 ||
	    bca_devno_parse(f[6 + shift], &dev) < 0 ||
	    parse_key(t, f[4], len[4]) < 0)
		goto out;
	t->start = start;
	t->params.cipher = f[3];
	t->params.iv_offset = iv;
	t->params.device = dev;
	t->params.offset = off;
	*out = t;
	return 0;
out:
	bca_crypt_table_free(t);
	return rc;
}

BCA_EXPORT void bca_crypt_table_free(struct bca_crypt_table *t)
{
	struct table_alloc *a = (struct table_alloc *)t;

	if (!a)
		return;
	/* the key field may hold a hex key: wipe the copy before it goes */
	explicit_bzero(a->line, a->len);
	free(a);
}
