// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Per-file direct I/O report.  A kernel with blkcryptadm's patches answers
 * FS_IOC_GET_DIO_INFO on ext4 and f2fs: its verdict, reason, crypto
 * implementation and key status are taken as they are and marked
 * BCA_SOURCE_KERNEL.  On a stock kernel (ENOTTY), for files that cannot be
 * opened (encrypted without the key), on other filesystems, or when the
 * environment sets BCA_NO_KERNEL_IOCTL=1, the verdict is inferred from statx
 * (STATX_DIOALIGN), the fscrypt policy, the key status, the superblock
 * options in mountinfo and the device's crypto profile in sysfs, and marked
 * BCA_SOURCE_INFERRED.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"
#include "uapi/dioinfo.h"
#include "uapi/fscrypt.h"

#ifndef FS_INLINE_DATA_FL
#define FS_INLINE_DATA_FL	0x10000000
#endif
#ifndef FS_JOURNAL_DATA_FL
#define FS_JOURNAL_DATA_FL	0x00004000
#endif

struct bca_file {
	struct bca_statx stx;
	struct bca_policy pol;
	enum bca_dio_verdict verdict;
	enum bca_dio_reason reason;
	enum bca_source source;
	enum bca_crypto_impl crypto;
	enum bca_key_status key;
	unsigned int inode_flags;	/* FS_IOC_GETFLAGS, 0 if unknown */
	bool inode_flags_known;
	bool odirect_refused;		/* open(O_DIRECT) failed with EINVAL */
	bool kernel_known;		/* FS_IOC_GET_DIO_INFO answered */
	struct fs_dio_info kinfo;
	char devname[64];
	char *fstype;
	char *mountpoint;
	char *super_opts;
};

#define STATX_WANTED (STATX_BASIC_STATS | STATX_MNT_ID | STATX_DIOALIGN | \
		      STATX_WRITE_ATOMIC | STATX_DIO_READ_ALIGN)

/* Opens the parent directory of path, for the policy of a file we cannot open. */
static int open_parent(int dirfd, const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	return openat(dirfd, dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void note_mount(struct bca_ctx *ctx, struct bca_file *f)
{
	const struct bca_mount *m;
	unsigned int maj = f->stx.stx_dev_major, min = f->stx.stx_dev_minor;

	if (!(f->stx.stx_mask & STATX_MNT_ID) ||
	    bca_mount_by_id(ctx, f->stx.stx_mnt_id, &m) < 0) {
		bca_dbg(ctx, "no mountinfo entry for the file's mount");
	} else {
		f->fstype = strdup(m->fstype);
		f->mountpoint = strdup(m->mountpoint);
		f->super_opts = strdup(m->super_opts);
		if (bca_blkdev_name_cached(ctx, maj, min, f->devname, sizeof(f->devname)) == 0)
			return;
		snprintf(f->devname, sizeof(f->devname), "%s", m->source);
		return;
	}
	if (bca_blkdev_name_cached(ctx, maj, min, f->devname, sizeof(f->devname)) < 0)
		f->devname[0] = '\0';
}

/* The kernel's enums are the library's, number for number. */
_Static_assert(FS_DIO_REASON_NOT_REGULAR == BCA_REASON_NOT_REGULAR &&
	       FS_DIO_REASON_KEY_ABSENT == BCA_REASON_KEY_ABSENT &&
	       FS_DIO_REASON_DEVICE_NO_CRYPTO == BCA_REASON_DEVICE_NO_CRYPTO &&
	       FS_DIO_REASON_UNKNOWN == BCA_REASON_UNKNOWN &&
	       FS_DIO_REASON_UNKNOWN + 1 == BCA_REASON_LAST, "reason numbering");
_Static_assert(FS_DIO_CRYPTO_FS_LAYER == BCA_CRYPTO_FS_LAYER &&
	       FS_DIO_CRYPTO_INLINE_HW == BCA_CRYPTO_INLINE_HW &&
	       FS_DIO_CRYPTO_INLINE_FALLBACK == BCA_CRYPTO_INLINE_FALLBACK &&
	       FS_DIO_CRYPTO_UNKNOWN == BCA_CRYPTO_UNKNOWN, "crypto numbering");

/*
 * Whether FS_IOC_GET_DIO_INFO is worth asking on a filesystem: only ext4 and
 * f2fs implement it, and after one ENOTTY from a filesystem type (a kernel
 * without the patch) we stop asking it, so that scans on a stock kernel
 * cost no more than before.  0 unknown, 1 answered, -1 ENOTTY.
 */
static int kernel_ioctl_state[2];

static int *kernel_ioctl_slot(const char *fstype)
{
	if (!fstype)
		return NULL;
	if (!strcmp(fstype, "ext4"))
		return &kernel_ioctl_state[0];
	if (!strcmp(fstype, "f2fs"))
		return &kernel_ioctl_state[1];
	return NULL;
}

/* BCA_NO_KERNEL_IOCTL=1 forces inference, e.g. to compare both answers. */
bool bca_kernel_ioctls_disabled(void)
{
	const char *v = getenv("BCA_NO_KERNEL_IOCTL");

	return v && *v && strcmp(v, "0") != 0;
}

/* Asks the kernel (FS_IOC_GET_DIO_INFO) about the open file fd. */
static void ask_kernel(struct bca_ctx *ctx, struct bca_file *f, int fd)
{
	int *state = kernel_ioctl_slot(f->fstype);

	if (!state || __atomic_load_n(state, __ATOMIC_RELAXED) < 0 ||
	    bca_kernel_ioctls_disabled())
		return;
	memset(&f->kinfo, 0, sizeof(f->kinfo));
	f->kinfo.size = sizeof(f->kinfo);
	if (ioctl(fd, FS_IOC_GET_DIO_INFO, &f->kinfo) == 0) {
		__atomic_store_n(state, 1, __ATOMIC_RELAXED);
		f->kernel_known = true;
		return;
	}
	if (errno == ENOTTY) {
		__atomic_store_n(state, -1, __ATOMIC_RELAXED);
		bca_dbg(ctx, "%s: no FS_IOC_GET_DIO_INFO: inferring", f->fstype);
	} else {
		bca_dbg(ctx, "FS_IOC_GET_DIO_INFO: %s", bca_strerror(-errno));
	}
}

/*
 * Gathers what the file itself can tell: policy, key status, inode flags,
 * and whether the filesystem refuses O_DIRECT outright.  Only what the
 * verdict needs is asked, so that a plain file with a known alignment
 * costs the one statx (recursive scans of millions of files).  Every step
 * is best effort: an unreadable file still gets a report from statx.
 */
static void probe_file(struct bca_ctx *ctx, struct bca_file *f, int dirfd,
		       const char *path, unsigned int flags)
{
	const struct bca_statx *st = &f->stx;
	bool reg = S_ISREG(st->stx_mode);
	bool enc_known = st->stx_attributes_mask & STATX_ATTR_ENCRYPTED;
	bool encrypted = st->stx_attributes & STATX_ATTR_ENCRYPTED;
	bool dio_known = st->stx_mask & STATX_DIOALIGN;
	bool dio_ok = dio_known && st->stx_dio_mem_align && st->stx_dio_offset_align;
	bool need_policy = encrypted || !enc_known;
	bool need_flags = reg && dio_known && !dio_ok && !encrypted;
	bool need_odirect = reg && !dio_known;
	bool ask = (reg || S_ISDIR(st->stx_mode)) && kernel_ioctl_slot(f->fstype) &&
		   !bca_kernel_ioctls_disabled();
	int oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	int fd = -1, pfd = -1, rc;

	if (S_ISLNK(st->stx_mode) || !(need_policy || need_flags || need_odirect || ask))
		return;
	if (flags & BCA_QUERY_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	if (reg || S_ISDIR(st->stx_mode))
		fd = openat(dirfd, path, oflags);
	if (fd < 0 && reg && errno == ENOKEY)
		f->key = BCA_KEY_ABSENT;
	if (fd >= 0 && ask)
		ask_kernel(ctx, f, fd);

	if (fd >= 0 && need_flags && ioctl(fd, FS_IOC_GETFLAGS, &f->inode_flags) == 0)
		f->inode_flags_known = true;
	if (fd >= 0 && need_policy) {
		rc = bca_policy_get_fd(fd, &f->pol);
		if (rc < 0)
			bca_dbg(ctx, "%s: reading the policy: %s", path, bca_strerror(rc));
	}
	if (encrypted && f->pol.version == 0) {
		/* a file we could not open inherits its directory's policy */
		pfd = open_parent(dirfd, path);
		if (pfd >= 0)
			bca_policy_get_fd(pfd, &f->pol);
	}
	if (f->pol.version && f->key == BCA_KEY_NOT_APPLICABLE) {
		if (reg && fd >= 0)
			f->key = BCA_KEY_PRESENT;	/* opening needed the key */
		else if (bca_key_status_fd(fd >= 0 ? fd : pfd, &f->pol, &f->key) < 0)
			f->key = BCA_KEY_UNKNOWN;
	} else if (encrypted && f->key == BCA_KEY_NOT_APPLICABLE) {
		f->key = BCA_KEY_UNKNOWN;
	}

	if (fd >= 0 && need_odirect) {
		/* the kernel does not tell: does the filesystem take O_DIRECT? */
		int dfd = openat(dirfd, path, oflags | O_DIRECT);

		if (dfd < 0 && errno == EINVAL)
			f->odirect_refused = true;
		if (dfd >= 0)
			close(dfd);
	}
	if (fd >= 0)
		close(fd);
	if (pfd >= 0)
		close(pfd);
}

static bool fs_is_memory_backed(const char *fstype)
{
	return fstype && (!strcmp(fstype, "tmpfs") || !strcmp(fstype, "ramfs"));
}

/* Why an encrypted regular file gets no direct I/O, from the policy and mount. */
static enum bca_dio_reason encrypted_reason(const struct bca_file *f)
{
	long page = sysconf(_SC_PAGESIZE);

	if (!bca_blk_crypto_mode_of(f->pol.contents_mode) && f->pol.version)
		return BCA_REASON_MODE_NO_INLINE;
	if ((f->pol.flags & FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32) &&
	    f->stx.stx_blksize != (uint32_t)page)
		return BCA_REASON_IV_INO_LBLK_32_BLOCKSIZE;
	if (f->super_opts && !bca_opt_has(f->super_opts, "inlinecrypt", NULL))
		return BCA_REASON_NO_INLINECRYPT;
	if (f->super_opts)
		return BCA_REASON_DEVICE_NO_CRYPTO;
	return BCA_REASON_UNKNOWN;
}

/* Why a plain regular file on a DIO-capable fs gets no direct I/O. */
static enum bca_dio_reason plain_reason(const struct bca_file *f)
{
	const char *data;

	if (f->inode_flags_known && (f->inode_flags & FS_INLINE_DATA_FL))
		return BCA_REASON_INLINE_DATA;
	if (f->inode_flags_known && (f->inode_flags & FS_JOURNAL_DATA_FL))
		return BCA_REASON_DATA_JOURNAL;
	if (f->super_opts && bca_opt_has(f->super_opts, "data", &data) &&
	    data && !strncmp(data, "journal", 7) && (data[7] == ',' || !data[7]))
		return BCA_REASON_DATA_JOURNAL;
	return BCA_REASON_UNKNOWN;
}

/* Which blk-crypto implementation serves an encrypted file that gets DIO. */
static enum bca_crypto_impl inline_impl(struct bca_ctx *ctx, const struct bca_file *f)
{
	const char *mode = bca_blk_crypto_mode_of(f->pol.contents_mode);
	int rc;

	if (!mode)
		return BCA_CRYPTO_UNKNOWN;
	rc = bca_blkdev_crypto_supports(ctx, f->stx.stx_dev_major, f->stx.stx_dev_minor,
					mode, bca_file_get_data_unit_size(f));
	if (rc < 0)
		return BCA_CRYPTO_UNKNOWN;
	return rc ? BCA_CRYPTO_INLINE_HW : BCA_CRYPTO_INLINE_FALLBACK;
}

static void infer_verdict(struct bca_ctx *ctx, struct bca_file *f)
{
	bool encrypted = f->pol.version || (f->stx.stx_attributes & STATX_ATTR_ENCRYPTED);
	bool dio_known = f->stx.stx_mask & STATX_DIOALIGN;
	bool dio_ok = f->stx.stx_dio_mem_align && f->stx.stx_dio_offset_align;

	f->source = BCA_SOURCE_INFERRED;
	f->crypto = encrypted ? BCA_CRYPTO_UNKNOWN : BCA_CRYPTO_NONE;

	if (!S_ISREG(f->stx.stx_mode)) {
		f->verdict = BCA_DIO_NO;
		f->reason = BCA_REASON_NOT_REGULAR;
		return;
	}
	if (encrypted && f->key == BCA_KEY_ABSENT) {
		/* open() itself fails with ENOKEY, O_DIRECT or not */
		f->verdict = BCA_DIO_NO;
		f->reason = BCA_REASON_KEY_ABSENT;
		return;
	}
	if (f->odirect_refused) {
		f->verdict = BCA_DIO_NO;
		f->reason = BCA_REASON_FS_NO_DIO;
		return;
	}
	if (fs_is_memory_backed(f->fstype)) {
		/* tmpfs accepts O_DIRECT (6.6+), but its data is the page cache */
		f->verdict = BCA_DIO_BUFFERED;
		f->reason = BCA_REASON_FS_NO_DIO;
		return;
	}
	if (dio_known && dio_ok) {
		f->verdict = BCA_DIO_YES;
		if (encrypted)
			f->crypto = inline_impl(ctx, f);
		return;
	}
	if (!dio_known) {
		/* kernel before 6.1 or a filesystem that does not say */
		f->verdict = BCA_DIO_UNKNOWN;
		f->reason = BCA_REASON_UNKNOWN;
		return;
	}
	f->verdict = BCA_DIO_BUFFERED;
	if (f->stx.stx_attributes & STATX_ATTR_VERITY)
		f->reason = BCA_REASON_VERITY;
	else if (encrypted)
		f->reason = encrypted_reason(f);
	else
		f->reason = plain_reason(f);
	if (encrypted)
		f->crypto = BCA_CRYPTO_FS_LAYER;
}

/* The kernel's answer, field for field. */
static void kernel_verdict(struct bca_file *f)
{
	static const enum bca_dio_verdict verdicts[] = {
		[FS_DIO_UNSUPPORTED] = BCA_DIO_NO,
		[FS_DIO_SUPPORTED] = BCA_DIO_YES,
		[FS_DIO_BUFFERED] = BCA_DIO_BUFFERED,
	};
	static const enum bca_key_status keys[] = {
		[FS_DIO_KEY_NONE] = BCA_KEY_NOT_APPLICABLE,
		[FS_DIO_KEY_PRESENT] = BCA_KEY_PRESENT,
		[FS_DIO_KEY_ABSENT] = BCA_KEY_ABSENT,
	};
	const struct fs_dio_info *k = &f->kinfo;

	f->source = BCA_SOURCE_KERNEL;
	f->verdict = k->dio < BCA_ARRAY_SIZE(verdicts) ? verdicts[k->dio] : BCA_DIO_UNKNOWN;
	f->reason = k->reason < BCA_REASON_LAST ? (enum bca_dio_reason)k->reason
						: BCA_REASON_UNKNOWN;
	f->crypto = k->crypto_impl < BCA_CRYPTO_LAST ? (enum bca_crypto_impl)k->crypto_impl
						     : BCA_CRYPTO_UNKNOWN;
	f->key = k->key_status < BCA_ARRAY_SIZE(keys) ? keys[k->key_status] : BCA_KEY_UNKNOWN;
	/* a directory has no contents encryption, but it is encrypted */
	if (f->pol.version && f->crypto == BCA_CRYPTO_NONE)
		f->crypto = BCA_CRYPTO_UNKNOWN;
	/* the same values as statx reports, from the same decision */
	if (S_ISREG(f->stx.stx_mode)) {
		f->stx.stx_mask |= STATX_DIOALIGN;
		f->stx.stx_dio_mem_align = k->dio_mem_align;
		f->stx.stx_dio_offset_align = k->dio_offset_align;
	}
}

BCA_EXPORT int bca_file_query(struct bca_ctx *ctx, int dirfd, const char *path,
			      unsigned int flags, struct bca_file **out)
{
	struct bca_file *f;
	int at = AT_NO_AUTOMOUNT, rc;

	if (!ctx || !path || !out || (flags & ~BCA_QUERY_NOFOLLOW))
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	if (flags & BCA_QUERY_NOFOLLOW)
		at |= AT_SYMLINK_NOFOLLOW;
	rc = bca_statx(dirfd, path, at, STATX_WANTED, &f->stx);
	if (rc < 0) {
		bca_dbg(ctx, "%s: statx: %s", path, bca_strerror(rc));
		free(f);
		return rc;
	}
	note_mount(ctx, f);
	probe_file(ctx, f, dirfd, path, flags);
	if (f->kernel_known)
		kernel_verdict(f);
	else
		infer_verdict(ctx, f);
	*out = f;
	return 0;
}

BCA_EXPORT void bca_file_free(struct bca_file *f)
{
	if (!f)
		return;
	free(f->fstype);
	free(f->mountpoint);
	free(f->super_opts);
	free(f);
}

BCA_EXPORT enum bca_dio_verdict bca_file_get_verdict(const struct bca_file *f) { return f->verdict; }
BCA_EXPORT enum bca_dio_reason bca_file_get_reason(const struct bca_file *f) { return f->reason; }
BCA_EXPORT enum bca_source bca_file_get_source(const struct bca_file *f) { return f->source; }
BCA_EXPORT enum bca_crypto_impl bca_file_get_crypto_impl(const struct bca_file *f) { return f->crypto; }
BCA_EXPORT enum bca_key_status bca_file_get_key_status(const struct bca_file *f) { return f->key; }
BCA_EXPORT mode_t bca_file_get_mode(const struct bca_file *f) { return f->stx.stx_mode; }
BCA_EXPORT uint64_t bca_file_get_size(const struct bca_file *f) { return f->stx.stx_size; }
BCA_EXPORT uint32_t bca_file_get_block_size(const struct bca_file *f) { return f->stx.stx_blksize; }

BCA_EXPORT dev_t bca_file_get_devno(const struct bca_file *f)
{
	return makedev(f->stx.stx_dev_major, f->stx.stx_dev_minor);
}

BCA_EXPORT const char *bca_file_get_device_name(const struct bca_file *f)
{
	return f->devname[0] ? f->devname : NULL;
}

BCA_EXPORT const char *bca_file_get_fstype(const struct bca_file *f) { return f->fstype; }
BCA_EXPORT const char *bca_file_get_mountpoint(const struct bca_file *f) { return f->mountpoint; }

BCA_EXPORT bool bca_file_dio_align_known(const struct bca_file *f)
{
	return f->stx.stx_mask & STATX_DIOALIGN;
}

BCA_EXPORT uint32_t bca_file_get_dio_mem_align(const struct bca_file *f) { return f->stx.stx_dio_mem_align; }
BCA_EXPORT uint32_t bca_file_get_dio_offset_align(const struct bca_file *f) { return f->stx.stx_dio_offset_align; }

BCA_EXPORT bool bca_file_dio_read_align_known(const struct bca_file *f)
{
	return f->stx.stx_mask & STATX_DIO_READ_ALIGN;
}

BCA_EXPORT uint32_t bca_file_get_dio_read_offset_align(const struct bca_file *f)
{
	return f->stx.stx_dio_read_offset_align;
}

BCA_EXPORT bool bca_file_atomic_write_known(const struct bca_file *f)
{
	return f->stx.stx_mask & STATX_WRITE_ATOMIC;
}

BCA_EXPORT uint32_t bca_file_get_atomic_write_unit_min(const struct bca_file *f)
{
	return f->stx.stx_atomic_write_unit_min;
}

BCA_EXPORT uint32_t bca_file_get_atomic_write_unit_max(const struct bca_file *f)
{
	return f->stx.stx_atomic_write_unit_max;
}

BCA_EXPORT int bca_file_get_policy_version(const struct bca_file *f) { return f->pol.version; }
BCA_EXPORT int bca_file_get_contents_mode(const struct bca_file *f) { return f->pol.contents_mode; }
BCA_EXPORT int bca_file_get_filenames_mode(const struct bca_file *f) { return f->pol.filenames_mode; }
BCA_EXPORT unsigned int bca_file_get_policy_flags(const struct bca_file *f) { return f->pol.flags; }

BCA_EXPORT uint32_t bca_file_get_data_unit_size(const struct bca_file *f)
{
	if (!f->pol.version)
		return 0;
	return f->pol.log2_data_unit_size ? 1U << f->pol.log2_data_unit_size
					  : f->stx.stx_blksize;
}

const struct bca_statx *bca_file_statx(const struct bca_file *f)
{
	return &f->stx;
}
