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
 *    function set with bca_set_log_fn(), which is unset by default;
 *  - threads: a context caches what scans share (mounts, device answers,
 *    kernel interface probes, BCA_NO_KERNEL_IOCTL read at bca_new()), so a
 *    context and the reports made with it belong to one thread at a time;
 *    use one context per thread, as with libmount.  A report holds a
 *    reference to its context: either may be freed first.
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
	BCA_ERR_KERNEL_TOO_OLD,	/* the running kernel lacks a needed interface */
	BCA_ERR_KEY_UNREACHABLE, /* a key only in a keyring the kernel's lookup does not search */
	BCA_ERR_NOT_REGULAR,	/* a FIFO, device, ... where a kernel file was expected */
	BCA_ERR_NOT_LUKS,	/* no LUKS header libcryptsetup can read */
	BCA_ERR_MOUNT_UNSEEN,	/* the path's mount is not in this process's mount table */
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
	BCA_REASON_BACKING_UNREACHABLE,	/* a loop device's backing file: deleted or replaced */
	BCA_REASON_LOOP_DIO_OFF,	/* a loop device below has loop/dio 0 */
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

/*
 * Proves the verdict for PATH: writes 1 MiB with O_DIRECT to a scratch file
 * in PATH's directory (PATH itself if it is a directory), reads it back
 * with O_DIRECT, and checks with mincore(2) whether the data stayed in the
 * page cache.  The scratch file is an O_TMPFILE or unlinked at once; PATH
 * is never opened for writing.  *verdict gets BCA_DIO_YES (nothing cached),
 * BCA_DIO_BUFFERED (pages cached: the silent fallback) or BCA_DIO_NO
 * (O_DIRECT refused); *cached_pages (may be NULL) the pages of the 1 MiB
 * found cached after the write or after the read, whichever held more (at
 * most 1 MiB's worth: 256 of 4 KiB).
 * Returns 0 or a negative error (-EACCES: the directory is not writable).
 */
int bca_file_probe(struct bca_ctx *ctx, int dirfd, const char *path,
		   enum bca_dio_verdict *verdict, uint64_t *cached_pages);

/* What the strict probe's RWF_DIO_STRICT attempt showed. */
enum bca_probe_strict {
	BCA_PROBE_STRICT_UNAVAILABLE = 0,	/* the kernel has no RWF_DIO_STRICT */
	BCA_PROBE_STRICT_ACCEPTED,	/* strict O_DIRECT went through */
	BCA_PROBE_STRICT_REFUSED,	/* ENOTBLK: the page cache would have served it */
	BCA_PROBE_STRICT_UNSUPPORTED,	/* EOPNOTSUPP: the file does not honour the flag */
};

/*
 * As bca_file_probe(), first with RWF_DIO_STRICT (kernels with blkcryptadm's
 * patches; pretended absent with BCA_NO_KERNEL_IOCTL=1): a refusal
 * (ENOTBLK) proves the silent fallback without relying on mincore.
 * A refusal gives *verdict BCA_DIO_BUFFERED without writing through the
 * page cache.  Where the file does not honour the flag (EOPNOTSUPP: *strict
 * says UNSUPPORTED), or without the flag, plain O_DIRECT is measured as by
 * bca_file_probe().  Returns 0 or a negative error.
 */
int bca_file_probe_strict(struct bca_ctx *ctx, int dirfd, const char *path,
			  enum bca_dio_verdict *verdict, uint64_t *cached_pages,
			  enum bca_probe_strict *strict);
/* "unavailable", "accepted", "refused", "unsupported". */
const char *bca_probe_strict_name(enum bca_probe_strict s);

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

/* One mount, for bca_mount_foreach(): strings valid during the call only. */
typedef int (*bca_mount_fn)(const char *mountpoint, const char *fstype, void *data);

/*
 * Calls fn for every mount of the caller's mount namespace, in mountinfo
 * order (the order of mounting), as findmnt lists them.  Returns 0, the
 * first non-zero value fn returned, or a negative error when mountinfo
 * cannot be read.
 */
int bca_mount_foreach(struct bca_ctx *ctx, bca_mount_fn fn, void *data);

/*
 * The loop devices backed by the file, as comma-separated kernel names
 * ("loop0,loop3") in buf; returns how many (0 also under a sysroot), or a
 * negative error.  Reads every loop device once per context.
 */
int bca_file_get_loop_devices(struct bca_ctx *ctx, const struct bca_file *f,
			      char *buf, size_t size);
/*
 * Writes the verdict as one sentence for a person into buf (always
 * terminated), including the alignment O_DIRECT needs.  Returns the length
 * it needed, as snprintf(3).
 */
int bca_file_explain(const struct bca_file *f, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Block devices and their inline-crypto capabilities                  */
/* ------------------------------------------------------------------ */

enum bca_blkdev_kind {
	BCA_BLKDEV_DISK = 0,
	BCA_BLKDEV_PART,
	BCA_BLKDEV_DM,
	BCA_BLKDEV_LOOP,
	BCA_BLKDEV_ZRAM,
	BCA_BLKDEV_LAST
};

/* Key types a crypto profile accepts (bit mask). */
enum {
	BCA_KEY_TYPE_RAW = 1 << 0,
	BCA_KEY_TYPE_HW_WRAPPED = 1 << 1,
};

/* A block device: identity, crypto profile, devices below it. */
struct bca_blkdev;

/*
 * SPEC is MAJ:MIN, a kernel name ("sda1", "dm-0"), a block device node, or
 * any other path, meaning the device that holds it.  MAJ:MIN is decimal
 * digits only (no sign or blank), major below 4096 and minor below 2^20 as
 * the kernel's dev_t; other text is taken for a name or a path.  Reads
 * sysfs below the context's sysroot.  Returns 0, -ENODEV when there is no
 * such block device (or the path lives on a filesystem without one),
 * -ERANGE for a MAJ:MIN past those limits, or a negative error.
 */
int bca_blkdev_query(struct bca_ctx *ctx, const char *spec, struct bca_blkdev **out);
int bca_blkdev_query_devno(struct bca_ctx *ctx, dev_t devno, struct bca_blkdev **out);
void bca_blkdev_free(struct bca_blkdev *d);

/* One device, for bca_blkdev_foreach_top(): its kernel name, valid during the call. */
typedef int (*bca_blkdev_fn)(const char *name, void *data);

/*
 * Calls fn for every block device at the top of a stack (below the
 * context's sysroot), in version order of their names, as lsblk -s lists
 * them: every device that no other one uses up (a dm device's slaves, a
 * partition's disk, a zram device's backing device are below others; the
 * disk under a loop device's backing file is not), leaving out empty ones
 * (size 0: unbound loop devices, zram without a disksize).  Returns 0, the
 * first non-zero value fn returned, or a negative error when
 * /sys/class/block cannot be read.
 */
int bca_blkdev_foreach_top(struct bca_ctx *ctx, bca_blkdev_fn fn, void *data);

const char *bca_blkdev_get_name(const struct bca_blkdev *d);
dev_t bca_blkdev_get_devno(const struct bca_blkdev *d);
enum bca_blkdev_kind bca_blkdev_get_kind(const struct bca_blkdev *d);
/*
 * Whether blk-crypto has a profile for the device: inline-encryption
 * hardware (a disk), its disk's (a partition), or one device-mapper passes
 * through from below.  Without one, inline crypto on it uses
 * blk-crypto-fallback.
 */
bool bca_blkdev_has_crypto_profile(const struct bca_blkdev *d);
/*
 * Whether that profile is passed through from the devices below (dm) rather
 * than hardware of the device's own: the kernel's word where it gives it
 * (queue/crypto/passthrough, blkcryptadm's patches), else by device kind.
 */
bool bca_blkdev_profile_passed_through(const struct bca_blkdev *d);
/*
 * Where the facts come from: BCA_SOURCE_KERNEL when the kernel states
 * them in sysfs (blkcryptadm's patches: queue/crypto_fallback and
 * queue/crypto/passthrough), BCA_SOURCE_INFERRED when the passthrough and
 * the fallback are inferred (stock kernels, recorded trees without them).
 */
enum bca_source bca_blkdev_get_source(const struct bca_blkdev *d);
uint32_t bca_blkdev_get_num_keyslots(const struct bca_blkdev *d);
uint32_t bca_blkdev_get_max_dun_bits(const struct bca_blkdev *d);
unsigned int bca_blkdev_get_key_types(const struct bca_blkdev *d);
/* Modes are blk-crypto's names ("AES-256-XTS"), masks of data unit sizes. */
size_t bca_blkdev_get_mode_count(const struct bca_blkdev *d);
const char *bca_blkdev_get_mode_name(const struct bca_blkdev *d, size_t i);
uint64_t bca_blkdev_get_mode_dus_mask(const struct bca_blkdev *d, size_t i);
/* For dm devices: the dm name and the first target's type, else NULL. */
const char *bca_blkdev_get_dm_name(const struct bca_blkdev *d);
const char *bca_blkdev_get_dm_target(const struct bca_blkdev *d);
/*
 * 1 if the layer passes inline crypto through, 0 if not, -1 if not a layer
 * or unknown.  The evidence is the dm device's profile: with none, 0 when a
 * device below has one, else -1 (which targets pass crypto varies by kernel).
 */
int bca_blkdev_passes_crypto(const struct bca_blkdev *d);
/*
 * Whether the kernel has blk-crypto-fallback: 1, 0, -1 unknown; *why (may be
 * NULL) names the evidence (the kernel, its configuration) or its absence.
 */
int bca_blkdev_get_fallback(const struct bca_blkdev *d, const char **why);
/* A bound loop device's backing file (NULL otherwise), offset and loop/dio (1, 0, -1). */
const char *bca_blkdev_get_loop_backing_file(const struct bca_blkdev *d);
uint64_t bca_blkdev_get_loop_offset(const struct bca_blkdev *d);
int bca_blkdev_get_loop_dio(const struct bca_blkdev *d);

/* Whether O_DIRECT through a loop device bypasses its backing file's page cache. */
enum bca_loop_dio {
	BCA_LOOP_DIO_NOT_LOOP = 0,	/* not a bound loop device */
	BCA_LOOP_DIO_YES,		/* loop/dio 1 and the backing file does direct I/O */
	BCA_LOOP_DIO_OFF,		/* loop/dio 0: loop uses the file's page cache */
	BCA_LOOP_DIO_BUFFERED,		/* loop/dio 1, but the file falls back to buffered I/O */
	BCA_LOOP_DIO_UNKNOWN,
};
/*
 * The report on a loop device's backing file, as bca_file_query() gives it;
 * -ENOENT when d is not a bound loop device, -ENODEV under a sysroot (the
 * recorded system's file is not here), -ESTALE when the file was deleted
 * or its path leads to another file (the device and inode the loop driver
 * holds decide).
 */
int bca_blkdev_query_backing_file(struct bca_ctx *ctx, const struct bca_blkdev *d,
				  struct bca_file **out);
/*
 * From loop/dio and the backing file's report (NULL when there is none);
 * *reason (may be NULL) gets the file's reason when it does not do direct
 * I/O, BCA_REASON_BACKING_UNREACHABLE when the file cannot be reached.
 */
enum bca_loop_dio bca_blkdev_loop_dio(const struct bca_blkdev *d, const struct bca_file *backing,
				      enum bca_dio_reason *reason);
const char *bca_loop_dio_name(enum bca_loop_dio v);

/*
 * A zram device's backing device (sysfs backing_dev: the path zram opened,
 * NULL when none is set or the kernel has no CONFIG_ZRAM_WRITEBACK), its
 * writeback limit (1 enabled, *pages the budget left; 0 disabled; -1
 * unknown) and bd_stat (pages on the backing device, read from and written
 * to it; -1 when unknown).  The backing device is the device below.
 */
const char *bca_blkdev_get_zram_backing_dev(const struct bca_blkdev *d);
int bca_blkdev_get_zram_writeback_limit(const struct bca_blkdev *d, uint64_t *pages);
int bca_blkdev_get_zram_bd_stat(const struct bca_blkdev *d, uint64_t *count, uint64_t *reads,
				uint64_t *writes);

/* Whether pages a zram device writes back reach storage without a second copy in a page cache. */
enum bca_zram_wb {
	BCA_ZRAM_WB_NOT_ZRAM = 0,	/* not a zram device */
	BCA_ZRAM_WB_YES,		/* every layer below sends the pages on uncached */
	BCA_ZRAM_WB_BUFFERED,		/* a loop layer below caches them (*reason says why) */
	BCA_ZRAM_WB_NONE,		/* no backing device: nothing is written back */
	BCA_ZRAM_WB_UNKNOWN,
};
/*
 * Follows the backing device down the stack (dm, partitions, loop devices
 * to their backing files and those files' devices): zram submits its
 * writeback bios to the backing device, so the pages are cached twice
 * exactly when a loop layer below goes through a page cache.  *reason (may
 * be NULL) gets that layer's reason: BCA_REASON_LOOP_DIO_OFF or its backing
 * file's.
 */
enum bca_zram_wb bca_blkdev_zram_writeback(struct bca_ctx *ctx, const struct bca_blkdev *d,
					   enum bca_dio_reason *reason);
const char *bca_zram_wb_name(enum bca_zram_wb v);

/*
 * Active swap, from /proc/swaps (below the sysroot): 1 when d is a swap
 * area (swapon on the device), 0 when not, or a negative error.
 */
int bca_blkdev_is_swap(struct bca_ctx *ctx, const struct bca_blkdev *d);

/* How a file serves as swap now. */
enum bca_swap_use {
	BCA_SWAP_NONE = 0,
	BCA_SWAP_FILE,			/* the file is a swap area (swapon on the file) */
	BCA_SWAP_LOOP,			/* a loop device over the file is a swap area */
	BCA_SWAP_ZRAM,			/* a loop device over it backs a zram swap area */
};
/*
 * Whether swap can use the file itself, from evidence only: no for an
 * fscrypt-encrypted file (mm/swapfile.c refuses those: "Filesystem-level
 * encrypted swapfile ... is unsupported"; a kernel without that check takes
 * one and writes swapped pages to its blocks unencrypted, so no even when
 * it is in use), yes while any other file is a swap area, unknown otherwise.
 */
enum bca_swapon {
	BCA_SWAPON_UNKNOWN = 0,
	BCA_SWAPON_YES,
	BCA_SWAPON_NO,
};
/*
 * *use (and the loop devices in buf, comma-separated, as
 * bca_file_get_loop_devices; for BCA_SWAP_ZRAM "zramN:loopM") and the
 * swapon answer for f.  Returns 0 or a
 * negative error; on a recorded sysroot every file is BCA_SWAP_NONE.
 */
int bca_file_get_swap(struct bca_ctx *ctx, const struct bca_file *f, enum bca_swap_use *use,
		      char *buf, size_t size);
enum bca_swapon bca_file_swapon(struct bca_ctx *ctx, const struct bca_file *f);
const char *bca_swap_use_name(enum bca_swap_use u);
const char *bca_swapon_name(enum bca_swapon s);
/*
 * Swap and the file in a sentence: whether swapon takes it, with the
 * kernel's own advice when it does not, and what a loop device with
 * direct I/O over it would do with swapped pages.  Returns the length
 * snprintf() would.
 */
int bca_file_explain_swap(struct bca_ctx *ctx, const struct bca_file *f, char *buf, size_t size);

/* The devices directly below (a partition's disk, a dm device's slaves, zram's backing device). */
size_t bca_blkdev_get_lower_count(const struct bca_blkdev *d);
dev_t bca_blkdev_get_lower(const struct bca_blkdev *d, size_t i);
/*
 * Who would encrypt a file on the device mounted with inlinecrypt, for a
 * blk-crypto mode name and data unit size: BCA_CRYPTO_INLINE_HW when the
 * profile supports it, else BCA_CRYPTO_INLINE_FALLBACK when the kernel has
 * blk-crypto-fallback, BCA_CRYPTO_NONE when it has not (fscrypt then
 * encrypts in the filesystem layer), BCA_CRYPTO_UNKNOWN without evidence.
 */
enum bca_crypto_impl bca_blkdev_crypto_for(const struct bca_blkdev *d,
					   const char *mode, uint32_t data_unit_size);

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
/* Whether its first target is crypt or inlinecrypt with a logon key whose description starts with PREFIX. */
bool bca_dm_device_loads_logon_prefix(const struct bca_dm_device *dev, const char *prefix);

/* ------------------------------------------------------------------ */
/* fscrypt policies and keys                                           */
/* ------------------------------------------------------------------ */

/*
 * Secrets (keys) in memory that is locked against swapping, excluded from
 * core dumps and wiped with explicit_bzero() when freed.  Locking is best
 * effort: a process over its RLIMIT_MEMLOCK still gets the memory.
 */
struct bca_secret;

/* A zeroed secret of size bytes (at least 1). Returns 0, -EINVAL or -ENOMEM. */
int bca_secret_new(size_t size, struct bca_secret **out);
/*
 * Reads fd to its end with read(2) (no stdio buffer keeps a copy) into a
 * new secret.  Returns 0, -EFBIG when fd holds more than max bytes (the
 * secret is not returned then), -ENOMEM or the read error.  The caller
 * checks the minimum size, which depends on what the key is for.
 */
int bca_secret_read_fd(int fd, size_t max, struct bca_secret **out);
void *bca_secret_get_data(struct bca_secret *s);
size_t bca_secret_get_size(const struct bca_secret *s);
/* Shrinks the secret's size to size (<= the current one); the rest is wiped. */
int bca_secret_set_size(struct bca_secret *s, size_t size);
/* Wipes and frees. NULL is ignored. */
void bca_secret_free(struct bca_secret *s);

/* Sizes of fscrypt key identifiers (v2) and descriptors (v1), in bytes. */
#define BCA_FSCRYPT_KEY_IDENTIFIER_SIZE	16
#define BCA_FSCRYPT_KEY_DESCRIPTOR_SIZE	8
/* Raw key sizes the kernel can accept (FS_IOC_ADD_ENCRYPTION_KEY). */
#define BCA_FSCRYPT_MIN_KEY_SIZE	16
#define BCA_FSCRYPT_MAX_KEY_SIZE	64
/* fscrypt's encryption modes, numbered as the kernel does (FSCRYPT_MODE_*). */
enum bca_fscrypt_mode {
	BCA_FSCRYPT_MODE_AES_256_XTS = 1,
	BCA_FSCRYPT_MODE_AES_256_CTS = 4,
	BCA_FSCRYPT_MODE_AES_128_CBC = 5,
	BCA_FSCRYPT_MODE_AES_128_CTS = 6,
	BCA_FSCRYPT_MODE_SM4_XTS = 7,
	BCA_FSCRYPT_MODE_SM4_CTS = 8,
	BCA_FSCRYPT_MODE_ADIANTUM = 9,
	BCA_FSCRYPT_MODE_AES_256_HCTR2 = 10,
	BCA_FSCRYPT_MODE_LAST		/* one past the highest */
};
/* Policy flags (FSCRYPT_POLICY_FLAG*): filename padding, then the IV schemes. */
#define BCA_FSCRYPT_POLICY_FLAGS_PAD_MASK	0x03	/* 0..3: PAD_4, 8, 16, 32 */
#define BCA_FSCRYPT_POLICY_FLAG_DIRECT_KEY	0x04
#define BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_64	0x08
#define BCA_FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32	0x10
/*
 * The flags as text, names joined by sep: "PAD_32", then DIRECT_KEY,
 * IV_INO_LBLK_64, IV_INO_LBLK_32, then "Unknown (%02x)" for other bits
 * (fscryptctl's words).  Returns what snprintf() would, or -EINVAL.
 */
int bca_fscrypt_policy_flags_str(unsigned int flags, const char *sep, char *buf, size_t size);

/* Largest hardware-wrapped key (BLK_CRYPTO_MAX_HW_WRAPPED_KEY_SIZE). */
#define BCA_HW_WRAPPED_KEY_MAX_SIZE	128

/*
 * An encryption policy as the kernel stores it.  Modes are FSCRYPT_MODE_*
 * numbers, flags FSCRYPT_POLICY_FLAG* bits; key holds the v2 identifier or,
 * in its first 8 bytes, the v1 descriptor.  reserved must be zero.
 */
struct bca_fscrypt_policy {
	uint8_t version;		/* 1 or 2 */
	uint8_t contents_mode;
	uint8_t filenames_mode;
	uint8_t flags;
	uint8_t log2_data_unit_size;	/* v2 only; 0: the filesystem block size */
	uint8_t reserved[3];
	uint8_t key[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE];
};

/*
 * Reads the policy of the open file or directory fd
 * (FS_IOC_GET_ENCRYPTION_POLICY_EX).  Returns 0 or the kernel's error
 * unchanged, so that callers can word it: -ENODATA (not encrypted),
 * -ENOTTY / -EOPNOTSUPP (no encryption support), -EINVAL / -EOVERFLOW
 * (a policy version this library does not know).
 */
int bca_fscrypt_get_policy(int fd, struct bca_fscrypt_policy *pol);
/*
 * Sets the policy of the empty directory fd (FS_IOC_SET_ENCRYPTION_POLICY),
 * v1 or v2.  Returns 0 (also when the same policy is already set) or the
 * kernel's error: -EEXIST (another policy), -ENOTEMPTY, -ENOTDIR, -EINVAL
 * (options the kernel or filesystem rejects), -ENOKEY (v2 key not added).
 */
int bca_fscrypt_set_policy(int fd, const struct bca_fscrypt_policy *pol);

/* Flags of bca_fscrypt_add_key(). */
enum {
	BCA_FSCRYPT_ADD_KEY_HW_WRAPPED = 1 << 0,	/* key is ephemerally hardware-wrapped */
};
/*
 * Adds a key to the filesystem holding fd (FS_IOC_ADD_ENCRYPTION_KEY) and
 * writes its identifier.  The copy handed to the kernel lives in locked
 * memory and is wiped.  Returns 0 or the kernel's error.
 */
int bca_fscrypt_add_key(int fd, const void *key, size_t size, unsigned int flags,
			uint8_t identifier[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE]);

/* Flags of bca_fscrypt_remove_key(). */
enum {
	BCA_FSCRYPT_REMOVE_KEY_ALL_USERS = 1 << 0,	/* all users' claims (root) */
};
/* What bca_fscrypt_remove_key() reports (the kernel's removal status flags). */
enum {
	BCA_FSCRYPT_REMOVAL_FILES_BUSY = 1 << 0,	/* some files are still in use */
	BCA_FSCRYPT_REMOVAL_OTHER_USERS = 1 << 1,	/* other users still hold the key */
};
/*
 * Removes the caller's claim (or every user's) to a key from the filesystem
 * holding fd.  *removal (may be NULL) gets BCA_FSCRYPT_REMOVAL_* bits.
 * Returns 0 or the kernel's error (-ENOKEY: not added, or not by this user).
 */
int bca_fscrypt_remove_key(int fd, const uint8_t identifier[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE],
			   unsigned int flags, unsigned int *removal);

/* The kernel's view of a key (FS_IOC_GET_ENCRYPTION_KEY_STATUS). */
struct bca_fscrypt_key_status {
	enum bca_key_status status;	/* PRESENT, ABSENT, INCOMPLETELY_REMOVED or UNKNOWN */
	uint32_t raw_status;		/* FSCRYPT_KEY_STATUS_* as the kernel said it */
	uint32_t status_flags;		/* BCA_FSCRYPT_KEY_STATUS_FLAG_* */
	uint32_t user_count;		/* users who added the key, v2 keys only */
};
/* status_flags: this user added the key (FSCRYPT_KEY_STATUS_FLAG_ADDED_BY_SELF) */
#define BCA_FSCRYPT_KEY_STATUS_FLAG_ADDED_BY_SELF	0x1
int bca_fscrypt_key_status(int fd, const uint8_t identifier[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE],
			   struct bca_fscrypt_key_status *st);

/*
 * Hardware-wrapped keys, through the block device fd (BLKCRYPTO*KEY, 6.15).
 * out gets the resulting key; out_size is its capacity on entry and its
 * length on return (BCA_HW_WRAPPED_KEY_MAX_SIZE is always enough).  Returns
 * 0 or the kernel's error: -EOPNOTSUPP or -ENOTTY without such hardware.
 *  import:   raw key -> long-term wrapped key
 *  generate: new key made by the hardware -> long-term wrapped key
 *  prepare:  long-term wrapped key -> ephemerally-wrapped key (for add_key)
 */
int bca_hw_wrapped_key_import(int fd, const void *raw, size_t raw_size,
			      void *out, size_t *out_size);
int bca_hw_wrapped_key_generate(int fd, void *out, size_t *out_size);
int bca_hw_wrapped_key_prepare(int fd, const void *lt_key, size_t lt_size,
			       void *out, size_t *out_size);

/* What bca_dio_plan_new() concluded. */
enum bca_dio_plan_status {
	BCA_DIO_PLAN_OK = 0,
	BCA_DIO_PLAN_NO_INLINECRYPT,	/* the mount has no effective inlinecrypt option */
	BCA_DIO_PLAN_FS_UNSUPPORTED,	/* the filesystem has no inline encryption (not ext4/f2fs) */
	BCA_DIO_PLAN_MODE_NO_INLINE,	/* the contents mode has no blk-crypto equivalent */
	BCA_DIO_PLAN_DEVICE_NO_CONFIG,	/* no hardware for the config and no blk-crypto-fallback */
	BCA_DIO_PLAN_FALLBACK_UNKNOWN,	/* no hardware for it, blk-crypto-fallback unknown */
	BCA_DIO_PLAN_LAST
};

/*
 * A policy choice that lets new files in a directory get direct I/O through
 * blk-crypto: from the mount's superblock options, the filesystem block
 * size and the crypto profile of the device under the mount in sysfs
 * (queue/crypto/: modes with their data unit sizes, max_dun_bits).
 * Without a profile blk-crypto-fallback serves the files.
 */
struct bca_dio_plan;

/*
 * Plans for the directory path (relative to dirfd) and contents mode
 * (FSCRYPT_MODE_*).  Returns 0 with a plan in *out, whatever its status,
 * or a negative error when the directory or its mount cannot be examined.
 */
int bca_dio_plan_new(struct bca_ctx *ctx, int dirfd, const char *path,
		     int contents_mode, struct bca_dio_plan **out);
void bca_dio_plan_free(struct bca_dio_plan *p);
enum bca_dio_plan_status bca_dio_plan_get_status(const struct bca_dio_plan *p);
/* BCA_CRYPTO_INLINE_HW or BCA_CRYPTO_INLINE_FALLBACK. */
enum bca_crypto_impl bca_dio_plan_get_crypto_impl(const struct bca_dio_plan *p);
/* FSCRYPT_POLICY_FLAG_IV_INO_LBLK_* to set (0: none). */
unsigned int bca_dio_plan_get_flags(const struct bca_dio_plan *p);
/* For the policy: 0 keeps the block size as data unit. */
unsigned int bca_dio_plan_get_log2_data_unit_size(const struct bca_dio_plan *p);
uint32_t bca_dio_plan_get_data_unit_size(const struct bca_dio_plan *p);
uint32_t bca_dio_plan_get_block_size(const struct bca_dio_plan *p);
/* The device's profile: 0 when it has none. */
unsigned int bca_dio_plan_get_max_dun_bits(const struct bca_dio_plan *p);
unsigned int bca_dio_plan_get_num_keyslots(const struct bca_dio_plan *p);
/* Bitmask of the data unit sizes the device supports for the mode (0: no profile). */
uint32_t bca_dio_plan_get_device_data_unit_sizes(const struct bca_dio_plan *p);
/* DUN bits a policy without IV_INO_LBLK flags needs on this filesystem. */
unsigned int bca_dio_plan_get_file_dun_bits(const struct bca_dio_plan *p);
/* Mount point, filesystem type, superblock options, device name ("" if unknown). */
const char *bca_dio_plan_get_mountpoint(const struct bca_dio_plan *p);
const char *bca_dio_plan_get_fstype(const struct bca_dio_plan *p);
const char *bca_dio_plan_get_super_options(const struct bca_dio_plan *p);
const char *bca_dio_plan_get_device_name(const struct bca_dio_plan *p);

/*
 * Creates an unnamed file in the directory fd (O_TMPFILE: it inherits the
 * directory's policy and vanishes on close) and reports its direct I/O
 * alignment (statx STATX_DIOALIGN; 0 = no direct I/O).  Returns 0 or the
 * error: -EOPNOTSUPP when the filesystem has no O_TMPFILE or the kernel
 * does not report the alignment.
 */
int bca_dio_probe_new_file(int dirfd, uint32_t *mem_align, uint32_t *offset_align);

/* ------------------------------------------------------------------ */
/* dm-crypt and dm-inlinecrypt devices                                 */
/* ------------------------------------------------------------------ */

enum bca_crypt_target {
	BCA_TARGET_CRYPT = 0,		/* dm-crypt */
	BCA_TARGET_INLINECRYPT,		/* dm-inlinecrypt (blk-crypto) */
	BCA_TARGET_LAST
};

/* Table options (bca_crypt_params.flags). */
enum {
	BCA_CRYPT_NO_READ_WORKQUEUE = 1 << 0,	/* dm-crypt: decrypt in the completion context */
	BCA_CRYPT_NO_WRITE_WORKQUEUE = 1 << 1,	/* dm-crypt: encrypt in the submitting context */
	BCA_CRYPT_HIGH_PRIORITY = 1 << 2,	/* dm-crypt 1.26: high-priority workqueues */
	BCA_CRYPT_ALLOW_DISCARDS = 1 << 3,
	BCA_CRYPT_IV_LARGE_SECTORS = 1 << 4,	/* IVs count sector_size units, not 512 */
};

/*
 * What a crypt or inlinecrypt table says.  The key is always a logon key
 * in the kernel keyring, referenced by description: tables never carry key
 * bytes.  Set struct_size to sizeof(struct bca_crypt_params).
 */
/* Longest logon key description a table may reference (bca_crypt_key_desc_valid()). */
#define BCA_KEY_DESC_MAX 255

struct bca_crypt_params {
	uint32_t struct_size;
	enum bca_crypt_target target;
	const char *cipher;		/* "aes-xts-plain64" */
	uint32_t key_size;		/* bytes */
	const char *key_desc;		/* logon key description */
	uint64_t iv_offset;		/* sectors added to the IV */
	dev_t device;			/* backing block device */
	uint64_t offset;		/* start on the device, 512-byte sectors */
	uint64_t size;			/* length, 512-byte sectors */
	uint32_t sector_size;		/* encryption sector size, 0 or 512..4096 */
	uint32_t flags;			/* BCA_CRYPT_* */
};

/*
 * Validates the parameters: -EINVAL for a malformed cipher, key
 * description, sizes or flags, -EOPNOTSUPP for what the target cannot do
 * (dm-inlinecrypt: only aes-xts-plain64, no workqueue flags); dm-inlinecrypt
 * also needs a 64-byte key, iv_large_sectors above 512-byte sectors and an
 * IV offset in whole sectors.
 */
int bca_crypt_params_check(const struct bca_crypt_params *p);
/*
 * What bca_crypt_params_check() refuses, in words that name the table
 * parameter ("the sector size must be ..."), or NULL when p is valid.
 */
const char *bca_crypt_params_reason(const struct bca_crypt_params *p);
/*
 * Whether DESC can be a table's key description: 1 to BCA_KEY_DESC_MAX
 * printable ASCII characters without blank or backslash, the one word the
 * kernel's table parser reads back unchanged (it also splits at 0xA0 and
 * unescapes backslashes).
 */
bool bca_crypt_key_desc_valid(const char *desc);
/* The table line "0 <size> <target> <params>", as the kernel prints it back. */
int bca_crypt_format_table(const struct bca_crypt_params *p, char *buf, size_t size);
/*
 * A crypt or inlinecrypt table line as the kernel reports it, taken apart.
 * params holds what the table loads with: key_desc is the keyring
 * description, NULL when the key is in the table (hex, or "-" masked;
 * key_size is then half the hex length, 0 masked).  The strings live as
 * long as the table.
 */
struct bca_crypt_table {
	struct bca_crypt_params params;
	uint64_t start;			/* first sector of the target in the device */
	const char *key_type;		/* "logon", "user", ...; NULL: the key is in the table */
	const char *options;		/* the optional parameters as reported, without their count */
	unsigned int unknown_options;	/* options params.flags cannot say (integrity:, ...) */
};
/*
 * Parses "start length target params" (bca_dm_get_table(), dmsetup table):
 * 0, -EMEDIUMTYPE for another target, -EINVAL for a malformed line, -ENOMEM.
 * Upstream dm-inlinecrypt 1.0.0's status (a key type after the key) is read too.
 */
int bca_crypt_table_parse(const char *line, struct bca_crypt_table **out);
/* Frees a parsed table, wiping its copy of the line. */
void bca_crypt_table_free(struct bca_crypt_table *t);
/*
 * The live table of crypt or inlinecrypt device NAME, key masked, parsed:
 * the errors of bca_dm_get_table() and bca_crypt_table_parse(), and -E2BIG
 * for a table of more than one target (see bca_dm_get_table()).
 */
int bca_dm_get_params(struct bca_ctx *ctx, const char *name, struct bca_crypt_table **out,
		      dev_t *devno);
/* The lowest target version with everything p uses, and the option that needs it. */
int bca_crypt_required_version(const struct bca_crypt_params *p, unsigned int version[3],
			       const char **why);

/* The running kernel's version of dm target TARGET; -ENOENT if it has none. */
int bca_dm_target_version(struct bca_ctx *ctx, const char *target, unsigned int version[3]);
/*
 * Creates device NAME (with UUID, may be NULL) from a one-target table
 * line, loads and resumes it; on any failure the device is removed again.
 * Returns 0, -ENODEV without device-mapper, or the step's error.
 */
int bca_dm_activate(struct bca_ctx *ctx, const char *name, const char *uuid,
		    const char *table, bool readonly);
int bca_dm_remove(struct bca_ctx *ctx, const char *name);
/*
 * Replaces the live table of NAME with a one-target line, keeping its
 * read-only mode (load, then resume).  A refused load leaves the device
 * as it was.  -ENOENT when there is no such device.
 */
int bca_dm_reload(struct bca_ctx *ctx, const char *name, const char *table);
/*
 * Whether any target of a live device loads the logon key DESC: 1 yes,
 * 0 no, negative when that cannot be known.
 */
int bca_dm_logon_key_in_use(struct bca_ctx *ctx, const char *desc);
/*
 * The live table of device NAME (its raw name: never unmangled), malloc'd
 * in *out, every target a line as "dmsetup table" prints them, hex keys
 * masked as "-" (the unmasked text never leaves locked memory).  *devno
 * (may be NULL) gets its number.  -ENODATA for a device without a table.
 */
int bca_dm_get_table(struct bca_ctx *ctx, const char *name, char **out, dev_t *devno);
/*
 * The same line with its key as loaded (dmsetup table --showkeys), in
 * locked memory that is wiped when freed: bca_secret_get_data() is the
 * NUL-terminated line.
 */
struct bca_secret;
int bca_dm_get_table_keys(struct bca_ctx *ctx, const char *name, struct bca_secret **out);

/* ------------------------------------------------------------------ */
/* LUKS volumes (libcryptsetup)                                        */
/* ------------------------------------------------------------------ */

/*
 * A LUKS1 or LUKS2 header read by libcryptsetup (loaded when first needed)
 * for the data device DEVICE; HEADER names a detached header, or NULL.
 * Returns 0, -BCA_ERR_NOT_LUKS, -ENOTBLK, -ELIBACC when libcryptsetup
 * cannot be loaded, or the open error.
 */
struct bca_luks;
int bca_luks_open(struct bca_ctx *ctx, const char *device, const char *header,
		  struct bca_luks **out);
void bca_luks_free(struct bca_luks *l);
/* "LUKS2" or "LUKS1" */
const char *bca_luks_get_type(const struct bca_luks *l);
/* The header's UUID with its dashes */
const char *bca_luks_get_uuid(const struct bca_luks *l);
/*
 * Fills p (struct_size set by the caller) with the table that maps the
 * data segment as TARGET, as cryptsetup open would map it: cipher, key
 * size, IV offset, offset and size, sector size, and the header's
 * persistent flags.  key_desc is left to the caller.  -EOPNOTSUPP for what
 * the target cannot express (integrity, reencryption, dm-inlinecrypt with
 * another cipher, key size, or sectors above 512 bytes, whose IVs LUKS2
 * counts in 512-byte units), -EINVAL for a segment outside the device; *why
 * says which, in words for a person.
 */
int bca_luks_get_params(struct bca_luks *l, enum bca_crypt_target target,
			struct bca_crypt_params *p, const char **why);
/*
 * The volume key, unlocked by libcryptsetup into a new locked secret:
 * from a passphrase (or key file contents), or from LUKS2 token TOKEN (-1:
 * any token that works without a PIN).  0, -EPERM when no keyslot opens
 * with it, -ENOENT or -ENOANO for no usable token, or libcryptsetup's error.
 */
struct bca_secret;
int bca_luks_unlock_passphrase(struct bca_luks *l, const void *pass, size_t size,
			       struct bca_secret **vk);
int bca_luks_unlock_token(struct bca_luks *l, int token, struct bca_secret **vk);

/* ------------------------------------------------------------------ */
/* Kernel keyring                                                      */
/* ------------------------------------------------------------------ */

/* Adds a logon key to the user keyring, reachable from the session keyring. */
int bca_keyring_add_logon(struct bca_ctx *ctx, const char *desc, const void *key,
			  size_t size, int32_t *serial);
/* Removes the logon key DESC from every keyring; -ENOKEY when there is none. */
int bca_keyring_remove_logon(struct bca_ctx *ctx, const char *desc);
/*
 * 0 when a logon key DESC is where a table load finds it (dm-crypt's
 * request_key() searches this process's thread, process and session
 * keyrings), -BCA_ERR_KEY_UNREACHABLE when it is only in the user keyring
 * and the session keyring does not link that, -ENOKEY when there is none,
 * another -errno when the keyrings cannot be asked (-ELIBACC when
 * libkeyutils cannot be loaded; -EKEYREVOKED, -EKEYEXPIRED, -EACCES).
 */
int bca_keyring_find_logon(struct bca_ctx *ctx, const char *desc);
/*
 * Removes the logon key DESC unless a target of a live table loads it (a
 * key left by an interrupted create or remove): 1 removed, 0 there was
 * none (or only a revoked or expired one), -EBUSY a table loads it (it stays), -EEXIST another key of that
 * description is still reachable, another negative error when the keyrings
 * or device-mapper cannot be asked.
 */
int bca_keyring_reclaim_logon(struct bca_ctx *ctx, const char *desc);

/* ------------------------------------------------------------------ */
/* Device identity (libblkid)                                          */
/* ------------------------------------------------------------------ */

struct bca_devid;
/*
 * Probes the block device PATH for signatures (filesystem, LUKS, RAID,
 * partition table) and whether it is in use (mounted or held: an O_EXCL
 * open fails).  Returns 0, -ENOTBLK, or an open error.
 */
int bca_devid_probe(struct bca_ctx *ctx, const char *path, struct bca_devid **out);
void bca_devid_free(struct bca_devid *id);
/* Signature type ("ext4", "crypto_LUKS", "dos", "ambiguous"), NULL if none. */
const char *bca_devid_get_type(const struct bca_devid *id);
const char *bca_devid_get_uuid(const struct bca_devid *id);
const char *bca_devid_get_label(const struct bca_devid *id);
uint64_t bca_devid_get_size(const struct bca_devid *id);
bool bca_devid_is_busy(const struct bca_devid *id);

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
/* "disk", "part", "dm", "loop" */
const char *bca_blkdev_kind_name(enum bca_blkdev_kind k);
/* The dm target's name: "crypt", "inlinecrypt" */
const char *bca_crypt_target_name(enum bca_crypt_target t);
/* The reason a plan falls short ("no-inlinecrypt", ...), NULL for BCA_DIO_PLAN_OK. */
const char *bca_dio_plan_status_name(enum bca_dio_plan_status s);
/* fscryptctl's name of an FSCRYPT_MODE_* value, NULL when unknown. */
const char *bca_fscrypt_mode_name(int mode);
/* The FSCRYPT_MODE_* value for a name (case-insensitive), or -EINVAL. */
int bca_fscrypt_mode_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* BLKCRYPTADM_H */
