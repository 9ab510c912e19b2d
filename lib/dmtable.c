// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The dm-crypt and dm-inlinecrypt table model: parameters to the one table
 * line libdevmapper loads, and the target versions each option needs.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
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
 * A key description goes into the table as one word: the kernel splits
 * table lines at every isspace() byte, \v and \f included, so a description
 * with any blank or control byte would load another table than the one
 * printed; longer than BCA_KEY_DESC_MAX it could not be read back whole.
 */
static bool key_desc_ok(const char *d)
{
	size_t n = d ? strlen(d) : 0;

	if (!n || n > BCA_KEY_DESC_MAX)
		return false;
	for (const unsigned char *c = (const unsigned char *)d; *c; c++)
		if (isspace(*c) || iscntrl(*c))
			return false;
	return true;
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
	*why = "the key description must be 1 to 255 bytes without white space or control characters";
	if (!key_desc_ok(p->key_desc))
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
 * Optional parameters in the order the kernel prints them back, so that
 * our table and "dmsetup table" compare equal.
 */
BCA_EXPORT int bca_crypt_format_table(const struct bca_crypt_params *p, char *buf, size_t size)
{
	const char *opts[8];
	char sector[32];
	size_t n = 0, len = 0;
	int rc = bca_crypt_params_check(p);

	if (rc < 0)
		return rc;
	if (p->flags & BCA_CRYPT_ALLOW_DISCARDS)
		opts[n++] = "allow_discards";
	if (p->flags & BCA_CRYPT_HIGH_PRIORITY)
		opts[n++] = "high_priority";
	if (p->flags & BCA_CRYPT_NO_READ_WORKQUEUE)
		opts[n++] = "no_read_workqueue";
	if (p->flags & BCA_CRYPT_NO_WRITE_WORKQUEUE)
		opts[n++] = "no_write_workqueue";
	if (p->sector_size && p->sector_size != 512) {
		snprintf(sector, sizeof(sector), "sector_size:%u", p->sector_size);
		opts[n++] = sector;
	}
	if (p->flags & BCA_CRYPT_IV_LARGE_SECTORS)
		opts[n++] = "iv_large_sectors";

	rc = append(buf, size, &len, "0 %llu %s %s :%u:logon:%s %llu %u:%u %llu",
		    (unsigned long long)p->size,
		    p->target == BCA_TARGET_CRYPT ? "crypt" : "inlinecrypt",
		    p->cipher, p->key_size, p->key_desc, (unsigned long long)p->iv_offset,
		    major(p->device), minor(p->device), (unsigned long long)p->offset);
	if (rc == 0 && n)
		rc = append(buf, size, &len, " %zu", n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = append(buf, size, &len, " %s", opts[i]);
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

/* Replaces the key field (the 5th) of a crypt table line by "-" unless it is a keyring reference. */
void bca_table_mask_key(char *line)
{
	char *p = line, *key, *end;

	for (int field = 0; field < 4; field++) {
		p = strchr(p, ' ');
		if (!p)
			return;
		p++;
	}
	key = p;
	if (*key == ':')
		return;
	end = strchr(key, ' ');
	if (!end)
		end = key + strlen(key);
	if (end == key)
		return;		/* an empty key field: nothing to mask, no room for "-" */
	explicit_bzero(key, (size_t)(end - key));
	key[0] = '-';
	memmove(key + 1, end, strlen(end) + 1);
}
