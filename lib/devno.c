// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Device numbers as text, "MAJ:MIN": what sysfs dev files, dm tables and
 * users write.  One parser for all of them, because sscanf("%u:%u") takes
 * blanks, signs and numbers that wrap ("4294967303:1" is 7:1 to it): a
 * device other than the one named would be reported.
 */
#include "config.h"

#include <errno.h>
#include <sys/sysmacros.h>

#include "internal.h"

/* The kernel's dev_t (include/linux/kdev_t.h): 12 bits of major, 20 of minor. */
#define KERNEL_MINORBITS 20
#define KERNEL_MAJOR_MAX ((1u << (32 - KERNEL_MINORBITS)) - 1)
#define KERNEL_MINOR_MAX ((1u << KERNEL_MINORBITS) - 1)

/* Decimal digits up to the first non-digit, at most max: -EINVAL without a digit. */
static int parse_part(const char **s, unsigned int max, unsigned int *out)
{
	const char *p = *s;
	unsigned long v = 0;
	bool big = false;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max) {
			big = true;
			v = max + 1ul;	/* stays past max, without overflow */
		}
	}
	*s = p;
	*out = (unsigned int)v;
	return big ? -ERANGE : 0;
}

int bca_devno_parse(const char *s, dev_t *out)
{
	unsigned int ma, mi;
	int rc_ma, rc_mi;

	if (!s)
		return -EINVAL;
	rc_ma = parse_part(&s, KERNEL_MAJOR_MAX, &ma);
	if (rc_ma == -EINVAL || *s++ != ':')
		return -EINVAL;
	rc_mi = parse_part(&s, KERNEL_MINOR_MAX, &mi);
	if (rc_mi == -EINVAL || *s)
		return -EINVAL;
	if (rc_ma < 0 || rc_mi < 0)
		return -ERANGE;
	*out = makedev(ma, mi);
	return 0;
}
