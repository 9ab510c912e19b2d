/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private declarations shared by the library's files. */
#ifndef BCA_INTERNAL_H
#define BCA_INTERNAL_H

#include <dirent.h>
#include <sys/types.h>
#include <stdio.h>
#include <syslog.h>

#include "blkcryptadm.h"
#include "uapi/statx.h"

#define BCA_EXPORT __attribute__((visibility("default")))
#define BCA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* mount ids a context re-reads mountinfo for, see bca_mount_of() */
#define BCA_MOUNT_MISSES_MAX 64

struct bca_mountinfo;
struct bca_loop_map;

struct bca_ctx {
	int refcount;
	bca_log_fn log_fn;
	void *log_data;
	int log_priority;
	char *sysroot;			/* "" for the live system */
	int sysroot_fd;			/* O_PATH of sysroot, -1 for the live system */
	struct bca_mountinfo *mounts;	/* cache, see mountinfo.c */
	/* block devices read, see blkdev.c; the last one found first */
	struct bca_blkdev **blkdevs;
	size_t nblkdevs;
	struct bca_blkdev *blkdev_last;
	/* blk-crypto-fallback, see fallback.c: BCA_FALLBACK_UNCHECKED, -1, 0, 1 */
	int fallback_state;
	const char *fallback_why;
	/* see bca_mount_of(): the mount last found, the last one found by
	 * superblock, the ids looked up in vain */
	const struct bca_mount *mount_last, *mount_foreign;
	uint64_t mount_foreign_id;
	size_t mount_misses_n;
	uint64_t mount_misses[BCA_MOUNT_MISSES_MAX];
	long page_size;
	/* libdevmapper's last error during a call, see dm.c */
	char dm_error[512];
	/* BCA_NO_KERNEL_IOCTL, read once in bca_new() */
	bool no_kernel_ioctl;
	/* FS_IOC_GET_ENCRYPTION_IMPL per filesystem type: 0 unknown, 1 answered, -1 ENOTTY */
	int kernel_ioctl_state[2];
	/* loop devices and their backing files, see loop.c */
	struct bca_loop_map *loops;
	size_t nloops;
	bool loops_read;
	/* active swap areas, see swap.c */
	struct bca_swaps *swaps;
};

/* loop.c: forget the loop devices read (a new sysroot, the end of a context) */
void bca_loops_free(struct bca_ctx *ctx);
/* The backing file of loop device devno (named name), from the driver; live system only. */
int bca_loop_backing_id(dev_t devno, const char *name, dev_t *dev, ino_t *ino);
bool bca_loop_path_deleted(const char *path);
int bca_loop_devnos_of(struct bca_ctx *ctx, const struct bca_file *f, dev_t *out, size_t max);

/* swap.c: forget the swap areas read (a new sysroot, the end of a context) */
struct bca_swaps;
void bca_swaps_free(struct bca_ctx *ctx);

/* log.c */
void bca_log(struct bca_ctx *ctx, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define bca_dbg(ctx, ...)  bca_log(ctx, LOG_DEBUG, __VA_ARGS__)
#define bca_info(ctx, ...) bca_log(ctx, LOG_INFO, __VA_ARGS__)
#define bca_err(ctx, ...)  bca_log(ctx, LOG_ERR, __VA_ARGS__)

/*
 * sysfs.c: files below the context's sysroot, resolved inside it; regular
 * files only (-BCA_ERR_NOT_REGULAR), opened non-blocking.  The _at forms
 * read DIR/REL (REL may be NULL), DIR a path like /sys/dev/block/8:0.
 */
int bca_sys_open(struct bca_ctx *ctx, const char *path);
int bca_sys_read_str(struct bca_ctx *ctx, const char *path, char *buf, size_t size);
int bca_sys_read_u64(struct bca_ctx *ctx, const char *path, int base, uint64_t *val);
FILE *bca_sys_fopen(struct bca_ctx *ctx, const char *path);
DIR *bca_sys_opendir(struct bca_ctx *ctx, const char *path);
int bca_sys_read_str_at(struct bca_ctx *ctx, const char *dir, const char *rel, char *buf,
			size_t size);
int bca_sys_read_u64_at(struct bca_ctx *ctx, const char *dir, const char *rel, int base,
			uint64_t *val);
bool bca_sys_exists_at(struct bca_ctx *ctx, const char *dir, const char *rel);
DIR *bca_sys_opendir_at(struct bca_ctx *ctx, const char *dir, const char *rel);

/*
 * devno.c: "MAJ:MIN" exactly (decimal digits, no sign, blank or newline),
 * within the kernel's 12-bit major and 20-bit minor: 0, -EINVAL for other
 * text, -ERANGE for a number past those limits.
 */
int bca_devno_parse(const char *s, dev_t *out);

/* statx.c: the one place that calls statx(2) */
int bca_statx(int dirfd, const char *path, int at_flags, unsigned int mask,
	      struct bca_statx *stx);

/* mountinfo.c */
struct bca_mount {
	uint64_t mnt_id;
	unsigned int major, minor;
	/* libmount's strings, as long as its table lives (the context's) */
	const char *mountpoint;
	const char *fstype;
	const char *source;
	const char *mount_opts;	/* per-mount options */
	const char *super_opts;	/* superblock options: inlinecrypt, data=journal */
	char *prefixed;		/* mountpoint below /proc/PID/root, ours */
};
/*
 * Finds the mount of the file statx st describes; the result lives as long
 * as ctx.  ns_pid (else 0) is the process whose mount namespace the
 * path leads into (bca_mount_ns_pid()): its mountinfo is read too.  1 when
 * only a mount of the file's superblock was found (the file's mount is
 * in another namespace): its options, not its mount point, hold for it.
 */
int bca_mount_of(struct bca_ctx *ctx, const struct bca_statx *st, pid_t ns_pid,
		 const struct bca_mount **out);
/* The process whose root path starts with (/proc/PID/root...), else 0. */
pid_t bca_mount_ns_pid(const char *path);
void bca_mounts_free(struct bca_mountinfo *mi);
/*
 * Whether comma-separated option list opts holds opt (or opt=...); *value
 * is its value up to the next comma (not NUL-terminated), NULL for none.
 */
bool bca_opt_has(const char *opts, const char *opt, const char **value);

/* dioplan.c */
/*
 * bca_dio_plan_new() for a directory on mount m whose files have
 * block_size-byte blocks: everything after the statx, so that recorded
 * mounts and devices can be planned for on any host.
 */
int bca_dio_plan_for_mount(struct bca_ctx *ctx, const struct bca_mount *m, uint32_t block_size,
			   int contents_mode, struct bca_dio_plan **out);

/* dio.c */
const struct bca_statx *bca_file_statx(const struct bca_file *f);
/*
 * Direct writes the kernel (FS_IOC_GET_ENCRYPTION_IMPL) says are served
 * through the page cache although the verdict is "yes": only those filling
 * holes inside the file (ext4 without extents).  False without the kernel's
 * answer.
 */
bool bca_file_hole_writes_buffered(const struct bca_file *f);
/* A report without a context reference, for bca_file_query_into(); free() it. */
struct bca_file *bca_file_new(void);
/*
 * bca_file_query() into a report the caller reuses; it keeps no context
 * reference.  ns_pid: the process whose mount namespace the path leads into
 * (bca_mount_ns_pid() of the path the caller was given), else 0.
 */
int bca_file_query_into(struct bca_ctx *ctx, int dirfd, const char *path,
			unsigned int flags, pid_t ns_pid, struct bca_file *f);
/* True when BCA_NO_KERNEL_IOCTL was set at bca_new(): infer instead of asking. */
bool bca_kernel_ioctls_disabled(const struct bca_ctx *ctx);

/* dm.c */
/*
 * The first target type of dm device MAJ:MIN (named name): from the kernel
 * through libdevmapper, or with a sysroot from the recorded table
 * SYSROOT/dm-tables/NAME (dmsetup table output).
 */
int bca_dm_target_type(struct bca_ctx *ctx, unsigned int major, unsigned int minor,
		       const char *name, char *buf, size_t size);

/* fault.c: 0, or -EIO when the test-only BCA_FAULT names this point */
int bca_fault(const char *point);

/* dmtable.c */
void bca_table_mask_key(char *line);
/* Whether s is one word of a table line for the kernel's dm_split_args(). */
bool bca_table_word_ok(const char *s);

/* fscrypt.c */
/*
 * bca_fscrypt_get_policy() for the file reports: version 0 (no policy)
 * where the file is not encrypted or the filesystem cannot tell.
 */
int bca_policy_get_fd(int fd, struct bca_fscrypt_policy *pol);
/* The status of pol's master key, v1 descriptors included. */
int bca_key_status_fd(int fd, const struct bca_fscrypt_policy *pol, enum bca_key_status *st);

/* infer.c: what a stock kernel shows of a file, and the verdict drawn from it */
struct bca_facts {
	struct bca_statx stx;
	struct bca_fscrypt_policy pol;	/* version 0: none or unknown */
	enum bca_key_status key;
	const char *fstype;		/* NULL: unknown */
	const char *super_opts;		/* superblock options, NULL: unknown */
	unsigned int inode_flags;	/* FS_IOC_GETFLAGS */
	bool inode_flags_known;
	bool odirect_refused;		/* open(O_DIRECT) failed with EINVAL */
	int dev_crypto;			/* device profile has the file's config: 1, 0, -1 unknown */
	int fallback;			/* blk-crypto-fallback built in: 1, 0, -1 unknown */
	int inline_data;		/* FIEMAP: data stored in the inode: 1, 0, -1 unknown */
	long page_size;
};
struct bca_verdict {
	enum bca_dio_verdict verdict;
	enum bca_dio_reason reason;
	enum bca_crypto_impl crypto;
};
void bca_infer_verdict(const struct bca_facts *in, struct bca_verdict *out);
/* tmpfs and ramfs: the file data is the page cache, O_DIRECT or not. */
bool bca_fs_memory_backed(const char *fstype);

/* fallback.c */
#define BCA_FALLBACK_UNCHECKED (-2)
/*
 * Whether blk-crypto-fallback is built into the kernel: 1 yes, 0 no, -1
 * unknown; *why (may be NULL) names the evidence, or why there is none.
 */
int bca_fallback_state(struct bca_ctx *ctx, const char **why);
void bca_fallback_from_kernel(struct bca_ctx *ctx, bool available);
/* One line of a kernel .config: 1 fallback built in, 0 absent, -1 silent. */
int bca_config_line_fallback(const char *line);

/* names.c: blk-crypto's sysfs name of an fscrypt contents mode, NULL when it has none */
const char *bca_blk_crypto_mode_of(int fscrypt_contents_mode);

/* blkdev.c: the one object per block device, cached in the context by devno */
enum {
	BCA_BLKDEV_HAVE_PROFILE = 1 << 0,	/* queue/crypto, fallback */
	BCA_BLKDEV_HAVE_STACK = 1 << 1,		/* dm target, devices below, loop */
};
/*
 * The context's object for devno, read as far as want asks (name and kind
 * always); owned by the context, NULL with *err on failure.
 */
struct bca_blkdev *bca_blkdev_get(struct bca_ctx *ctx, dev_t devno, unsigned int want, int *err);
void bca_blkdevs_free(struct bca_ctx *ctx);
/* A kernel name ("zram0": one path component) to its number, from /sys/class/block. */
int bca_blkdev_name_devno(struct bca_ctx *ctx, const char *name, dev_t *out);
/*
 * A device node's path as the kernel printed it (zram's backing_dev,
 * /proc/swaps) to its number: live, the node itself; in a recording, or
 * when the node cannot be reached from here, its kernel name.
 */
int bca_blkdev_node_devno(struct bca_ctx *ctx, const char *node, dev_t *out);
/* The data unit sizes the profile has for blk-crypto mode NAME, 0 without it. */
uint64_t bca_blkdev_mode_dus_mask(const struct bca_blkdev *d, const char *name);

#endif /* BCA_INTERNAL_H */
