// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Optional libraries, loaded when first needed.  libdevmapper (with the
 * libselinux, libpcre2, libudev and libm it pulls in), zlib, libkeyutils
 * and libcryptsetup with json-c are needed only for device-mapper work,
 * for reading /proc/config.gz, for keyring keys and for LUKS headers, yet linking them made every start of every tool load
 * them: about half a millisecond, a third of a one-file "blkcrypt-query
 * file" (each shared object mapped costs about 0.1 ms here).  Each table of symbols is
 * resolved once per process, all or nothing, as systemd does for its
 * optional dependencies.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>

#include <json-c/json.h>
#include <keyutils.h>
#include <libcryptsetup.h>
#include <libdevmapper.h>
#include <zlib.h>

#include "internal.h"
#define BCA_DLIB_IMPL
#include "dlib.h"

struct dlib {
	const char *soname;
	const char *const *names;
	void **ptrs;
	size_t n;
	pthread_once_t once;
	int rc;
	const char *error;	/* dlerror() of the failed load, for the log */
};

static void dlib_load(struct dlib *l)
{
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);

	if (!h) {
		l->error = dlerror();
		l->rc = -ELIBACC;
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		l->ptrs[i] = dlsym(h, l->names[i]);
		if (!l->ptrs[i]) {
			l->error = dlerror();
			l->rc = -ELIBBAD;
			dlclose(h);
			return;
		}
	}
	l->rc = 0;
}

#define X(sym) #sym,
static const char *const dm_names[] = { BCA_DM_SYMBOLS(X) };
static const char *const z_names[] = { BCA_Z_SYMBOLS(X) };
static const char *const keyutils_names[] = { BCA_KEYUTILS_SYMBOLS(X) };
static const char *const cs_names[] = { BCA_CS_SYMBOLS(X) };
static const char *const json_names[] = { BCA_JSON_SYMBOLS(X) };
#undef X

struct bca_dm_syms bca_dm_syms;
struct bca_z_syms bca_z_syms;
struct bca_keyutils_syms bca_keyutils_syms;
struct bca_cs_syms bca_cs_syms;
struct bca_json_syms bca_json_syms;

static struct dlib dm_lib = {
	.soname = BCA_DEVMAPPER_SONAME, .names = dm_names, .ptrs = (void **)&bca_dm_syms,
	.n = BCA_ARRAY_SIZE(dm_names), .once = PTHREAD_ONCE_INIT,
};
static struct dlib z_lib = {
	.soname = BCA_ZLIB_SONAME, .names = z_names, .ptrs = (void **)&bca_z_syms,
	.n = BCA_ARRAY_SIZE(z_names), .once = PTHREAD_ONCE_INIT,
};
static struct dlib keyutils_lib = {
	.soname = BCA_KEYUTILS_SONAME, .names = keyutils_names,
	.ptrs = (void **)&bca_keyutils_syms, .n = BCA_ARRAY_SIZE(keyutils_names),
	.once = PTHREAD_ONCE_INIT,
};
static struct dlib cs_lib = {
	.soname = BCA_CRYPTSETUP_SONAME, .names = cs_names, .ptrs = (void **)&bca_cs_syms,
	.n = BCA_ARRAY_SIZE(cs_names), .once = PTHREAD_ONCE_INIT,
};
static struct dlib json_lib = {
	.soname = BCA_JSONC_SONAME, .names = json_names, .ptrs = (void **)&bca_json_syms,
	.n = BCA_ARRAY_SIZE(json_names), .once = PTHREAD_ONCE_INIT,
};

_Static_assert(sizeof(bca_dm_syms) == sizeof(dm_names) / sizeof(dm_names[0]) * sizeof(void *),
	       "one pointer per libdevmapper symbol");
_Static_assert(sizeof(bca_z_syms) == sizeof(z_names) / sizeof(z_names[0]) * sizeof(void *),
	       "one pointer per zlib symbol");
_Static_assert(sizeof(bca_keyutils_syms) == BCA_ARRAY_SIZE(keyutils_names) * sizeof(void *),
	       "one pointer per libkeyutils symbol");
_Static_assert(sizeof(bca_cs_syms) == BCA_ARRAY_SIZE(cs_names) * sizeof(void *),
	       "one pointer per libcryptsetup symbol");
_Static_assert(sizeof(bca_json_syms) == BCA_ARRAY_SIZE(json_names) * sizeof(void *),
	       "one pointer per json-c symbol");

static void load_dm(void) { dlib_load(&dm_lib); }
static void load_z(void) { dlib_load(&z_lib); }
static void load_keyutils(void) { dlib_load(&keyutils_lib); }
static void load_cs(void) { dlib_load(&cs_lib); }
static void load_json(void) { dlib_load(&json_lib); }

static int dlib_need(struct bca_ctx *ctx, struct dlib *l, void (*load)(void))
{
	pthread_once(&l->once, load);
	if (l->rc < 0)
		bca_err(ctx, "%s: %s", l->soname, l->error ? l->error : bca_strerror(l->rc));
	return l->rc;
}

int bca_dm_lib_load(struct bca_ctx *ctx)
{
	return dlib_need(ctx, &dm_lib, load_dm);
}

int bca_z_lib_load(struct bca_ctx *ctx)
{
	return dlib_need(ctx, &z_lib, load_z);
}

int bca_keyutils_lib_load(struct bca_ctx *ctx)
{
	return dlib_need(ctx, &keyutils_lib, load_keyutils);
}

int bca_cs_lib_load(struct bca_ctx *ctx)
{
	return dlib_need(ctx, &cs_lib, load_cs);
}

int bca_json_lib_load(struct bca_ctx *ctx)
{
	return dlib_need(ctx, &json_lib, load_json);
}
