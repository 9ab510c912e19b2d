// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Test-only fault injection: with --enable-fault-injection, the step named
 * by the environment variable BCA_FAULT fails with -EIO, so that tests can
 * prove every failure path leaves nothing behind; BCA_FAULT=kill:STEP
 * kills the process with SIGKILL there instead, so that tests can prove
 * what a killed tool leaves is recovered.  Release builds compile it to a
 * constant 0.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int bca_fault(const char *point)
{
#ifdef BCA_FAULT_INJECTION
	const char *want = getenv("BCA_FAULT");

	if (want && !strncmp(want, "kill:", 5) && !strcmp(want + 5, point))
		raise(SIGKILL);
	if (want && !strcmp(want, point))
		return -EIO;
#else
	(void)point;
#endif
	return 0;
}
