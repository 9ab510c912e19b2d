// SPDX-License-Identifier: GPL-2.0-or-later
/* The tools' strict number parsing. */
#include "config.h"

#include <errno.h>

#include "cli.h"
#include "tap.h"

int main(void)
{
	uint64_t v = 0;

	plan(19);
	is_int(cli_parse_u64("4096", 0, UINT64_MAX, &v), 0, "decimal");
	is_int(v, 4096, "decimal value");
	is_int(cli_parse_u64("0x1000", 0, UINT64_MAX, &v), 0, "hex");
	is_int(v, 4096, "hex value");
	is_int(cli_parse_u64("-1", 0, UINT64_MAX, &v), -EINVAL, "negative refused");
	is_int(cli_parse_u64(" 1", 0, UINT64_MAX, &v), -EINVAL, "leading space refused");
	is_int(cli_parse_u64("12abc", 0, UINT64_MAX, &v), -EINVAL, "trailing junk refused");
	is_int(cli_parse_u64("", 0, UINT64_MAX, &v), -EINVAL, "empty refused");
	is_int(cli_parse_u64("99999999999999999999999", 0, UINT64_MAX, &v), -ERANGE, "overflow");
	is_int(cli_parse_u64("513", 512, 512, &v), -ERANGE, "out of bounds");
	is_int(cli_parse_u64("010", 0, UINT64_MAX, &v), 0, "leading zero");
	is_int(v, 10, "leading zero is decimal, not octal");
	is_int(cli_parse_u64("08", 0, UINT64_MAX, &v), 0, "08 is decimal 8");
	is_int(v, 8, "08 value");
	is_int(cli_parse_u64("0x", 0, UINT64_MAX, &v), -EINVAL, "bare 0x refused");
	is_int(cli_parse_u64("0x-1", 0, UINT64_MAX, &v), -EINVAL, "sign after 0x refused");
	is_int(cli_parse_u64("+1", 0, UINT64_MAX, &v), -EINVAL, "plus sign refused");
	is_int(cli_parse_u64("0x0x100", 0, UINT64_MAX, &v), -EINVAL, "a second 0x refused (fuzz/corpus/numbers)");
	is_int(cli_parse_u64("0x 1", 0, UINT64_MAX, &v), -EINVAL, "a blank after 0x refused");
	return done_testing();
}
