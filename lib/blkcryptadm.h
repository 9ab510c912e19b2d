/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libblkcryptadm - what the kernel does with direct I/O on encrypted storage.
 *
 * Conventions:
 *  - every function that can fail returns 0 (or a positive count) on
 *    success and a negative errno value or a negative BCA_ERR_* code on
 *    failure; bca_strerror() turns either into a sentence;
 *  - objects are opaque and reference counted or freed by their *_free()
 *    function; getters never fail;
 *  - the library never prints and never exits: diagnostics go to the log
 *    function set with bca_set_log_fn(), which is unset by default.
 */
#ifndef BLKCRYPTADM_H
#define BLKCRYPTADM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Library context                                                     */
/* ------------------------------------------------------------------ */

/* A library context: log function, sysfs/proc root, cached probes. */
struct bca_ctx;

/* Creates a context with one reference in *ctx. Returns 0 or -ENOMEM. */
int bca_new(struct bca_ctx **ctx);
/* Takes a reference; returns ctx. */
struct bca_ctx *bca_ref(struct bca_ctx *ctx);
/* Drops a reference; the last one frees the context. NULL is ignored. */
void bca_unref(struct bca_ctx *ctx);

/*
 * Log function: priority is a syslog(3) LOG_* level, msg a complete line
 * without trailing newline.  Messages above the priority set with
 * bca_set_log_priority() (default LOG_ERR) are not generated at all.
 */
typedef void (*bca_log_fn)(struct bca_ctx *ctx, int priority,
			   const char *msg, void *userdata);
void bca_set_log_fn(struct bca_ctx *ctx, bca_log_fn fn, void *userdata);
void bca_set_log_priority(struct bca_ctx *ctx, int priority);
int bca_get_log_priority(const struct bca_ctx *ctx);

/*
 * Reads /sys and /proc below DIR instead of the running system (for tests
 * replaying a recorded tree).  NULL or "/" restores the live system.
 * Returns 0, -ENOMEM, or -ENOTDIR when DIR is not a directory.
 */
int bca_set_sysroot(struct bca_ctx *ctx, const char *dir);
/* The sysroot in use, "" for the live system. */
const char *bca_get_sysroot(const struct bca_ctx *ctx);

/* ------------------------------------------------------------------ */
/* Errors and version                                                  */
/* ------------------------------------------------------------------ */

/* Library error codes, returned negated; below them are plain errno values. */
enum bca_error {
	BCA_ERR_BASE = 4096,
	BCA_ERR_PARSE,		/* a kernel file had an unexpected format */
	BCA_ERR_NOT_ENCRYPTED,	/* the operation needs an encrypted file */
	BCA_ERR_KERNEL_TOO_OLD,	/* the running kernel lacks a needed interface */
	BCA_ERR_LAST
};

/*
 * Describes err (negative or positive errno or BCA_ERR_* code).  The
 * string is static and never NULL.
 */
const char *bca_strerror(int err);

/* The library's version, e.g. "0.1.0". */
const char *bca_get_library_version(void);

/* ------------------------------------------------------------------ */
/* Per-file direct I/O report                                          */
/* ------------------------------------------------------------------ */

/* Will O_DIRECT on the file bypass the page cache? */
enum bca_dio_verdict {
	BCA_DIO_UNKNOWN = 0,
	BCA_DIO_YES,		/* real direct I/O */
	BCA_DIO_NO,		/* O_DIRECT is refused or impossible */
	BCA_DIO_BUFFERED,	/* O_DIRECT is accepted but served from the page cache */
};

/* Why the verdict is not BCA_DIO_YES. */
enum bca_dio_reason {
	BCA_REASON_NONE = 0,
	BCA_REASON_NOT_REGULAR,		/* not a regular file */
	BCA_REASON_NO_INLINECRYPT,	/* encrypted, inlinecrypt not effective */
	BCA_REASON_KEY_ABSENT,		/* encrypted, key not added */
	BCA_REASON_MODE_NO_INLINE,	/* contents mode has no blk-crypto equivalent */
	BCA_REASON_IV_INO_LBLK_32_BLOCKSIZE, /* IV_INO_LBLK_32 and block size != page size */
	BCA_REASON_VERITY,		/* fs-verity file */
	BCA_REASON_DATA_JOURNAL,	/* ext4 data=journal */
	BCA_REASON_INLINE_DATA,		/* data stored in the inode */
	BCA_REASON_FS_NO_DIO,		/* filesystem without direct I/O */
	BCA_REASON_DEVICE_NO_CRYPTO,	/* no device or fallback supports the crypto config */
	BCA_REASON_UNKNOWN,		/* the kernel says no and we cannot tell why */
	BCA_REASON_LAST
};

/* Who encrypts the file's contents. */
enum bca_crypto_impl {
	BCA_CRYPTO_NONE = 0,		/* not encrypted */
	BCA_CRYPTO_FS_LAYER,		/* fscrypt's own software crypto, in the page cache */
	BCA_CRYPTO_INLINE_HW,		/* blk-crypto, inline encryption hardware */
	BCA_CRYPTO_INLINE_FALLBACK,	/* blk-crypto-fallback (software, below the fs) */
	BCA_CRYPTO_UNKNOWN,
	BCA_CRYPTO_LAST
};

/* State of the file's fscrypt key. */
enum bca_key_status {
	BCA_KEY_NOT_APPLICABLE = 0,	/* not encrypted */
	BCA_KEY_PRESENT,
	BCA_KEY_ABSENT,
	BCA_KEY_INCOMPLETELY_REMOVED,
	BCA_KEY_UNKNOWN,
	BCA_KEY_LAST
};

/* Where the report comes from. */
enum bca_source {
	BCA_SOURCE_INFERRED = 0,	/* statx, policy, mount options, sysfs */
	BCA_SOURCE_KERNEL,		/* the kernel's own per-file status ioctl */
	BCA_SOURCE_LAST
};

/* A per-file report; free it with bca_file_free(). */
struct bca_file;

/* Flags for bca_file_query(). */
enum {
	BCA_QUERY_NOFOLLOW = 1 << 0,	/* do not follow a final symlink */
};

/*
 * Queries PATH (relative to dirfd, which may be AT_FDCWD) and returns a new
 * report in *out.  Never opens the file for writing; a file that cannot be
 * opened (e.g. an encrypted file without its key) is still reported from
 * what statx and the directory tell.  Returns 0 or a negative error: -ENOENT
 * and friends when the path itself cannot be looked up.
 */
int bca_file_query(struct bca_ctx *ctx, int dirfd, const char *path,
		   unsigned int flags, struct bca_file **out);
void bca_file_free(struct bca_file *f);

enum bca_dio_verdict bca_file_get_verdict(const struct bca_file *f);
enum bca_dio_reason bca_file_get_reason(const struct bca_file *f);
enum bca_source bca_file_get_source(const struct bca_file *f);
enum bca_crypto_impl bca_file_get_crypto_impl(const struct bca_file *f);
enum bca_key_status bca_file_get_key_status(const struct bca_file *f);
/* st_mode of the file (type and permissions). */
mode_t bca_file_get_mode(const struct bca_file *f);
/* st_size of the file. */
uint64_t bca_file_get_size(const struct bca_file *f);
/* The filesystem's block size (statx stx_blksize). */
uint32_t bca_file_get_block_size(const struct bca_file *f);
/* Major and minor of the device holding the file (statx stx_dev_*). */
dev_t bca_file_get_devno(const struct bca_file *f);
/* Kernel name of that device ("sda1", "dm-0"), or the mount source. NULL if unknown. */
const char *bca_file_get_device_name(const struct bca_file *f);
/* Filesystem type ("ext4") and mount point, NULL if unknown. */
const char *bca_file_get_fstype(const struct bca_file *f);
const char *bca_file_get_mountpoint(const struct bca_file *f);

/*
 * Direct I/O alignments in bytes as the kernel reports them; 0 means
 * "direct I/O not supported" for mem/offset.  *_known tells whether the
 * running kernel reports the value at all (statx mask bit).
 */
bool bca_file_dio_align_known(const struct bca_file *f);
uint32_t bca_file_get_dio_mem_align(const struct bca_file *f);
uint32_t bca_file_get_dio_offset_align(const struct bca_file *f);
bool bca_file_dio_read_align_known(const struct bca_file *f);
uint32_t bca_file_get_dio_read_offset_align(const struct bca_file *f);
bool bca_file_atomic_write_known(const struct bca_file *f);
uint32_t bca_file_get_atomic_write_unit_min(const struct bca_file *f);
uint32_t bca_file_get_atomic_write_unit_max(const struct bca_file *f);

/*
 * fscrypt policy: version 0 when the file is not encrypted (or its policy
 * cannot be read), 1 or 2 otherwise.  Modes are FSCRYPT_MODE_* numbers,
 * flags FSCRYPT_POLICY_FLAG_* bits, data unit size in bytes (the fs block
 * size when the policy does not set one).
 */
int bca_file_get_policy_version(const struct bca_file *f);
int bca_file_get_contents_mode(const struct bca_file *f);
int bca_file_get_filenames_mode(const struct bca_file *f);
unsigned int bca_file_get_policy_flags(const struct bca_file *f);
uint32_t bca_file_get_data_unit_size(const struct bca_file *f);

/* Flags for bca_file_walk(). */
enum {
	BCA_WALK_FOLLOW_SYMLINKS = 1 << 0,	/* follow symlinks (cycles are detected) */
	BCA_WALK_CROSS_MOUNTS = 1 << 1,		/* descend into other mounts */
};

/*
 * Called for every entry below the walked directory, directories included,
 * in depth-first order.  f is the entry's report (valid only during the
 * call) or NULL with err < 0 when the entry or a directory's listing could
 * not be read.  A negative return stops the walk and is returned by
 * bca_file_walk().
 */
typedef int (*bca_walk_fn)(const char *path, const struct bca_file *f, int err, void *data);

/*
 * Walks DIR without following symlinks or crossing mounts unless flags say
 * so, in memory bounded by the tree's depth.  Returns 0, -ENOTDIR when DIR
 * is not a directory, or the first negative value fn returned.
 */
int bca_file_walk(struct bca_ctx *ctx, const char *dir, unsigned int flags,
		  bca_walk_fn fn, void *data);

/*
 * Writes the verdict as one sentence for a person into buf (always
 * terminated), including the alignment O_DIRECT needs.  Returns the length
 * it needed, as snprintf(3).
 */
int bca_file_explain(const struct bca_file *f, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Device-mapper                                                       */
/* ------------------------------------------------------------------ */

/* A device-mapper device as seen during bca_dm_list(); valid only in the callback. */
struct bca_dm_device;

/* Called once per device; a negative return stops the walk and is returned. */
typedef int (*bca_dm_list_fn)(const struct bca_dm_device *dev, void *data);

/*
 * Calls fn for every device-mapper device.  Returns 0, -ENODEV when the
 * kernel has no device-mapper (/dev/mapper/control is missing), or a
 * negative error.
 */
int bca_dm_list(struct bca_ctx *ctx, bca_dm_list_fn fn, void *data);
const char *bca_dm_device_get_name(const struct bca_dm_device *dev);
/* The DM UUID, "" when it has none. */
const char *bca_dm_device_get_uuid(const struct bca_dm_device *dev);
/* The first target's type ("crypt", "linear"), "" without a table. */
const char *bca_dm_device_get_target(const struct bca_dm_device *dev);
unsigned int bca_dm_device_get_target_count(const struct bca_dm_device *dev);
uint64_t bca_dm_device_get_sectors(const struct bca_dm_device *dev);
dev_t bca_dm_device_get_devno(const struct bca_dm_device *dev);

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/* Short stable keywords for output and scripts ("yes", "buffered", ...). */
const char *bca_dio_verdict_name(enum bca_dio_verdict v);
const char *bca_dio_reason_name(enum bca_dio_reason r);
/* One sentence explaining the reason to a person. */
const char *bca_dio_reason_describe(enum bca_dio_reason r);
const char *bca_crypto_impl_name(enum bca_crypto_impl c);
const char *bca_key_status_name(enum bca_key_status k);
const char *bca_source_name(enum bca_source s);
/* fscryptctl's name of an FSCRYPT_MODE_* value, NULL when unknown. */
const char *bca_fscrypt_mode_name(int mode);
/* The FSCRYPT_MODE_* value for a name (case-insensitive), or -EINVAL. */
int bca_fscrypt_mode_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* BLKCRYPTADM_H */
