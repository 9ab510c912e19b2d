/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The libdevmapper, zlib, libkeyutils, libcryptsetup and json-c functions
 * the library calls,
 * through pointers that dlib.c fills when the library is first needed.
 * Include this after <libdevmapper.h>, <zlib.h>, <keyutils.h>,
 * <libcryptsetup.h> or <json-c/json.h>: each name
 * becomes its pointer.
 */
#ifndef BCA_DLIB_H
#define BCA_DLIB_H

#define BCA_DM_SYMBOLS(X) \
	X(dm_task_create) X(dm_task_destroy) X(dm_task_run) X(dm_task_set_name) \
	X(dm_task_set_uuid) X(dm_task_set_major) X(dm_task_set_minor) X(dm_task_set_ro) \
	X(dm_task_set_cookie) X(dm_task_secure_data) X(dm_task_retry_remove) \
	X(dm_task_add_target) X(dm_task_get_info) X(dm_task_get_uuid) X(dm_task_get_names) \
	X(dm_task_get_versions) X(dm_task_get_errno) X(dm_get_next_target) X(dm_udev_wait) \
	X(dm_log_with_errno_init) X(dm_set_name_mangling_mode) X(dm_get_name_mangling_mode)

#define BCA_Z_SYMBOLS(X) X(gzdopen) X(gzgets) X(gzclose)

#define BCA_KEYUTILS_SYMBOLS(X) X(add_key) X(keyctl_search) X(keyctl_link) X(keyctl_invalidate)

#define BCA_CS_SYMBOLS(X) \
	X(crypt_init) X(crypt_init_data_device) X(crypt_load) X(crypt_free) X(crypt_get_type) \
	X(crypt_get_cipher) X(crypt_get_cipher_mode) X(crypt_get_uuid) X(crypt_get_data_offset) \
	X(crypt_get_iv_offset) X(crypt_get_volume_key_size) X(crypt_get_sector_size) \
	X(crypt_get_integrity_info) X(crypt_persistent_flags_get) X(crypt_reencrypt_status) \
	X(crypt_dump_json) X(crypt_keyslot_context_init_by_passphrase) \
	X(crypt_keyslot_context_init_by_token) X(crypt_keyslot_context_free) \
	X(crypt_volume_key_get_by_keyslot_context) X(crypt_set_log_callback)

#define BCA_JSON_SYMBOLS(X) \
	X(json_tokener_parse) X(json_object_put) X(json_object_object_get_ex) \
	X(json_object_get_string) X(json_object_object_length)

#ifdef LIB_DEVICE_MAPPER_H
#define X(sym) __typeof__(&sym) sym;
struct bca_dm_syms { BCA_DM_SYMBOLS(X) };
#undef X
extern struct bca_dm_syms bca_dm_syms;
#endif

#ifdef ZLIB_H
#define X(sym) __typeof__(&sym) sym;
struct bca_z_syms { BCA_Z_SYMBOLS(X) };
#undef X
extern struct bca_z_syms bca_z_syms;
#endif

#ifdef KEYUTILS_H
#define X(sym) __typeof__(&sym) sym;
struct bca_keyutils_syms { BCA_KEYUTILS_SYMBOLS(X) };
#undef X
extern struct bca_keyutils_syms bca_keyutils_syms;
#endif

#ifdef _LIBCRYPTSETUP_H
#define X(sym) __typeof__(&sym) sym;
struct bca_cs_syms { BCA_CS_SYMBOLS(X) };
#undef X
extern struct bca_cs_syms bca_cs_syms;
#endif

#ifdef _json_object_h_
#define X(sym) __typeof__(&sym) sym;
struct bca_json_syms { BCA_JSON_SYMBOLS(X) };
#undef X
extern struct bca_json_syms bca_json_syms;
#endif

struct bca_ctx;
/* Loads the library once per process: 0, or -ELIBACC/-ELIBBAD (logged). */
int bca_dm_lib_load(struct bca_ctx *ctx);
int bca_z_lib_load(struct bca_ctx *ctx);
int bca_keyutils_lib_load(struct bca_ctx *ctx);
int bca_cs_lib_load(struct bca_ctx *ctx);
int bca_json_lib_load(struct bca_ctx *ctx);

/* Past this point, calls go through the pointers. */
#ifndef BCA_DLIB_IMPL
#ifdef LIB_DEVICE_MAPPER_H
#define dm_task_create (bca_dm_syms.dm_task_create)
#define dm_task_destroy (bca_dm_syms.dm_task_destroy)
#define dm_task_run (bca_dm_syms.dm_task_run)
#define dm_task_set_name (bca_dm_syms.dm_task_set_name)
#define dm_task_set_uuid (bca_dm_syms.dm_task_set_uuid)
#define dm_task_set_major (bca_dm_syms.dm_task_set_major)
#define dm_task_set_minor (bca_dm_syms.dm_task_set_minor)
#define dm_task_set_ro (bca_dm_syms.dm_task_set_ro)
#define dm_task_set_cookie (bca_dm_syms.dm_task_set_cookie)
#define dm_task_secure_data (bca_dm_syms.dm_task_secure_data)
#define dm_task_retry_remove (bca_dm_syms.dm_task_retry_remove)
#define dm_task_add_target (bca_dm_syms.dm_task_add_target)
#define dm_task_get_info (bca_dm_syms.dm_task_get_info)
#define dm_task_get_uuid (bca_dm_syms.dm_task_get_uuid)
#define dm_task_get_names (bca_dm_syms.dm_task_get_names)
#define dm_task_get_versions (bca_dm_syms.dm_task_get_versions)
#define dm_task_get_errno (bca_dm_syms.dm_task_get_errno)
#define dm_get_next_target (bca_dm_syms.dm_get_next_target)
#define dm_udev_wait (bca_dm_syms.dm_udev_wait)
#define dm_log_with_errno_init (bca_dm_syms.dm_log_with_errno_init)
#define dm_set_name_mangling_mode (bca_dm_syms.dm_set_name_mangling_mode)
#define dm_get_name_mangling_mode (bca_dm_syms.dm_get_name_mangling_mode)
#endif
#ifdef ZLIB_H
#define gzdopen (bca_z_syms.gzdopen)
#define gzgets (bca_z_syms.gzgets)
#define gzclose (bca_z_syms.gzclose)
#endif
#ifdef KEYUTILS_H
#define add_key (bca_keyutils_syms.add_key)
#define keyctl_search (bca_keyutils_syms.keyctl_search)
#define keyctl_link (bca_keyutils_syms.keyctl_link)
#define keyctl_invalidate (bca_keyutils_syms.keyctl_invalidate)
#endif
#ifdef _LIBCRYPTSETUP_H
#define crypt_init (bca_cs_syms.crypt_init)
#define crypt_init_data_device (bca_cs_syms.crypt_init_data_device)
#define crypt_load (bca_cs_syms.crypt_load)
#define crypt_free (bca_cs_syms.crypt_free)
#define crypt_get_type (bca_cs_syms.crypt_get_type)
#define crypt_get_cipher (bca_cs_syms.crypt_get_cipher)
#define crypt_get_cipher_mode (bca_cs_syms.crypt_get_cipher_mode)
#define crypt_get_uuid (bca_cs_syms.crypt_get_uuid)
#define crypt_get_data_offset (bca_cs_syms.crypt_get_data_offset)
#define crypt_get_iv_offset (bca_cs_syms.crypt_get_iv_offset)
#define crypt_get_volume_key_size (bca_cs_syms.crypt_get_volume_key_size)
#define crypt_get_sector_size (bca_cs_syms.crypt_get_sector_size)
#define crypt_get_integrity_info (bca_cs_syms.crypt_get_integrity_info)
#define crypt_persistent_flags_get (bca_cs_syms.crypt_persistent_flags_get)
#define crypt_reencrypt_status (bca_cs_syms.crypt_reencrypt_status)
#define crypt_dump_json (bca_cs_syms.crypt_dump_json)
#define crypt_keyslot_context_init_by_passphrase (bca_cs_syms.crypt_keyslot_context_init_by_passphrase)
#define crypt_keyslot_context_init_by_token (bca_cs_syms.crypt_keyslot_context_init_by_token)
#define crypt_keyslot_context_free (bca_cs_syms.crypt_keyslot_context_free)
#define crypt_volume_key_get_by_keyslot_context (bca_cs_syms.crypt_volume_key_get_by_keyslot_context)
#define crypt_set_log_callback (bca_cs_syms.crypt_set_log_callback)
#endif
#ifdef _json_object_h_
#define json_tokener_parse (bca_json_syms.json_tokener_parse)
#define json_object_put (bca_json_syms.json_object_put)
#define json_object_object_get_ex (bca_json_syms.json_object_object_get_ex)
#define json_object_get_string (bca_json_syms.json_object_get_string)
#define json_object_object_length (bca_json_syms.json_object_object_length)
#endif
#endif

#endif /* BCA_DLIB_H */
