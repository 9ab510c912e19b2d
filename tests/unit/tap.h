/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A few lines of TAP for the C unit tests: plan, ok(), is_int(), is_str(). */
#ifndef BCA_TAP_H
#define BCA_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define plan(n) printf("1..%d\n", (n))

#define ok(cond, ...) do { \
	int ok_ = !!(cond); \
	printf("%s %d - ", ok_ ? "ok" : "not ok", ++tap_n); \
	printf(__VA_ARGS__); \
	putchar('\n'); \
	if (!ok_) { \
		tap_failed++; \
		printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define is_int(got, want, name) do { \
	long long g_ = (got), w_ = (want); \
	ok(g_ == w_, "%s", name); \
	if (g_ != w_) printf("#   got %lld, want %lld\n", g_, w_); \
} while (0)

#define is_str(got, want, name) do { \
	const char *g_ = (got), *w_ = (want); \
	int same_ = (g_ && w_) ? !strcmp(g_, w_) : g_ == w_; \
	ok(same_, "%s", name); \
	if (!same_) printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

#define done_testing() (tap_failed ? 1 : 0)

#endif /* BCA_TAP_H */
