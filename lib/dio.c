// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Per-file direct I/O report.  On a kernel with blkcryptadm's patches, ext4
 * and f2fs answer FS_IOC_GET_ENCRYPTION_IMPL: who encrypts the contents and
 * why not blk-crypto (as fscrypt chose when the key was set up), the key
 * status, and the filesystem's reasons for serving O_DIRECT reads or writes
 * from the page cache (from the function its I/O path consults).  With
 * statx, whose alignments come from the same decision, that is the report,
 * marked BCA_SOURCE_KERNEL.  On a stock kernel (ENOTTY), for files that
 * cannot be opened (encrypted without the key), on other filesystems, or
 * when the environment sets BCA_NO_KERNEL_IOCTL=1, the verdict is inferred
 * from statx (STATX_DIOALIGN), the fscrypt policy, the key status, the
 * superblock options in mountinfo, the device's crypto profile in sysfs
 * and, on f2fs, FIEMAP's inline extent, and marked BCA_SOURCE_INFERRED.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fiemap.h>
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

struct bca_file {
	struct bca_ctx *ctx;		/* holds the mount strings fstype... point to */
	struct bca_facts in;		/* what the inference starts from */
	struct bca_verdict v;
	enum bca_source source;
	bool kernel_known;		/* FS_IOC_GET_ENCRYPTION_IMPL answered */
	const char *mountpoint;
	/* not cleared between queries: filled before use */
	struct fscrypt_get_impl_arg kinfo;
	char devname[64];
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

/* The file's mount, by the id statx gave; its strings live in the context. */
static void note_mount(struct bca_ctx *ctx, struct bca_file *f, pid_t ns_pid)
{
	const struct bca_statx *st = &f->in.stx;
	const struct bca_mount *m = NULL;
	const struct bca_blkdev *d;
	int rc = bca_mount_of(ctx, st, ns_pid, &m);

	if (rc < 0) {
		bca_dbg(ctx, "no mountinfo entry for the file's mount");
		m = NULL;
	} else {
		f->in.fstype = m->fstype;
		f->in.super_opts = m->super_opts;
		/* a mount of the same filesystem elsewhere is not the file's */
		f->mountpoint = rc == 0 ? m->mountpoint : NULL;
	}
	/* major 0: an anonymous device (tmpfs, btrfs, overlayfs), not in /sys/dev/block */
	d = st->stx_dev_major ?
	    bca_blkdev_get(ctx, makedev(st->stx_dev_major, st->stx_dev_minor), 0, &rc) : NULL;
	if (d) {
		/* no printf here: this runs once per file of a scan */
		const char *name = bca_blkdev_get_name(d);
		size_t len = strlen(name);

		if (len < sizeof(f->devname)) {
			memcpy(f->devname, name, len + 1);
			return;
		}
	}
	if (m)
		snprintf(f->devname, sizeof(f->devname), "%s", m->source);
	else
		f->devname[0] = '\0';
}

/*
 * Where FS_IOC_GET_ENCRYPTION_IMPL is worth asking: only ext4 and f2fs implement
 * it, and after one ENOTTY from a filesystem type (a kernel without the
 * patch) the context stops asking it, so that scans on a stock kernel open
 * no file that statx alone answers.  The slot holds 0 unknown, 1 answered,
 * -1 ENOTTY.
 */
static int *kernel_ioctl_slot(struct bca_ctx *ctx, const char *fstype)
{
	if (!fstype || ctx->no_kernel_ioctl)
		return NULL;
	if (!strcmp(fstype, "ext4"))
		return &ctx->kernel_ioctl_state[0];
	if (!strcmp(fstype, "f2fs"))
		return &ctx->kernel_ioctl_state[1];
	return NULL;
}

/* Asks the kernel (FS_IOC_GET_ENCRYPTION_IMPL) about the open file fd. */
static void ask_kernel(struct bca_ctx *ctx, struct bca_file *f, int *state, int fd)
{
	memset(&f->kinfo, 0, sizeof(f->kinfo));
	if (ioctl(fd, FS_IOC_GET_ENCRYPTION_IMPL, &f->kinfo) == 0) {
		*state = 1;
		f->kernel_known = true;
		return;
	}
	if (errno == ENOTTY) {
		*state = -1;
		bca_dbg(ctx, "%s: no FS_IOC_GET_ENCRYPTION_IMPL: inferring", f->in.fstype);
	} else {
		bca_dbg(ctx, "FS_IOC_GET_ENCRYPTION_IMPL: %s", bca_strerror(-errno));
	}
}

/*
 * Whether the device's crypto profile supports the file's blk-crypto
 * configuration, asked only where the answer changes the report (encrypted
 * files on a mount with inlinecrypt).
 */
static int device_supports(struct bca_ctx *ctx, const struct bca_facts *in, uint32_t dus)
{
	const char *mode = bca_blk_crypto_mode_of(in->pol.contents_mode);
	const struct bca_blkdev *d;
	int rc;

	if (!mode || !in->super_opts || !bca_opt_has(in->super_opts, "inlinecrypt", NULL))
		return -1;
	d = bca_blkdev_get(ctx, makedev(in->stx.stx_dev_major, in->stx.stx_dev_minor),
			   BCA_BLKDEV_HAVE_PROFILE, &rc);
	if (!d)
		return -1;
	return (bca_blkdev_mode_dus_mask(d, mode) & dus) ? 1 : 0;
}

/* The facts a report needs beyond statx, and so whether the file is opened at all. */
struct wants {
	bool policy, flags, odirect, ask, fiemap;
	int *state;		/* kernel_ioctl_slot() */
};

/*
 * Only what the verdict needs is asked, so that a plain file with a known
 * alignment costs the one statx (recursive scans of millions of files).
 * f2fs is the exception: without STATX_DIO_READ_ALIGN its alignment speaks
 * for writes only, and only FIEMAP tells an inline file (see inline_data_of()).
 */
static bool file_wants(struct bca_ctx *ctx, const struct bca_facts *in, struct wants *w)
{
	const struct bca_statx *st = &in->stx;
	bool reg = S_ISREG(st->stx_mode);
	bool enc_known = st->stx_attributes_mask & STATX_ATTR_ENCRYPTED;
	bool encrypted = st->stx_attributes & STATX_ATTR_ENCRYPTED;
	bool dio_known = st->stx_mask & STATX_DIOALIGN;
	bool dio_ok = dio_known && st->stx_dio_mem_align && st->stx_dio_offset_align;

	w->policy = encrypted || !enc_known;
	w->flags = reg && dio_known && !dio_ok;
	w->odirect = reg && !dio_known;
	w->state = kernel_ioctl_slot(ctx, in->fstype);
	w->ask = (reg || S_ISDIR(st->stx_mode)) && w->state && *w->state >= 0;
	w->fiemap = reg && dio_ok && !(st->stx_mask & STATX_DIO_READ_ALIGN) &&
		    in->fstype && !strcmp(in->fstype, "f2fs");
	return !S_ISLNK(st->stx_mode) &&
	       (w->policy || w->flags || w->odirect || w->ask || w->fiemap);
}

/*
 * Whether the data of the open file fd lives in its inode, from FIEMAP's
 * first extent (FIEMAP_EXTENT_DATA_INLINE): 1, 0, or -1 when the
 * filesystem does not say.  f2fs serves O_DIRECT reads of such a file
 * through the page cache (f2fs_force_buffered_io(READ)), yet its statx
 * before STATX_DIO_READ_ALIGN reports the alignment of writes, which
 * convert the inline data first.  One extent on the stack, no allocation.
 */
static int inline_data_of(struct bca_ctx *ctx, int fd)
{
	union {
		struct fiemap fm;
		unsigned char room[sizeof(struct fiemap) + sizeof(struct fiemap_extent)];
	} m;

	memset(&m, 0, sizeof(m));
	m.fm.fm_length = FIEMAP_MAX_OFFSET;
	m.fm.fm_extent_count = 1;
	if (ioctl(fd, FS_IOC_FIEMAP, &m.fm) < 0) {
		bca_dbg(ctx, "FS_IOC_FIEMAP: %s", bca_strerror(-errno));
		return -1;
	}
	return m.fm.fm_mapped_extents &&
	       (m.fm.fm_extents[0].fe_flags & FIEMAP_EXTENT_DATA_INLINE);
}

/*
 * Opens, with flags, the object the O_PATH descriptor opath refers to, never
 * what its path leads to by now: a symlink flipped between a regular file
 * and a FIFO would otherwise get the FIFO opened and asked about the file.
 * /proc/self/fd is the kernel's one way to reopen; without /proc the path
 * is opened again and kept only if it is still the same device and inode.
 */
static int reopen(int opath, const struct bca_statx *st, int dirfd, const char *path,
		  int flags)
{
	char proc[32];
	struct bca_statx now;
	int fd;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", opath);
	fd = open(proc, flags & ~O_NOFOLLOW);	/* a magic link to follow */
	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		return -errno;
	fd = openat(dirfd, path, flags);
	if (fd < 0)
		return -errno;
	if (bca_statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_INO, &now) < 0 ||
	    now.stx_ino != st->stx_ino || now.stx_dev_major != st->stx_dev_major ||
	    now.stx_dev_minor != st->stx_dev_minor || (now.stx_mode ^ st->stx_mode) & S_IFMT) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

/*
 * Gathers what the file itself can tell: policy, key status, inode flags,
 * inline data (f2fs), and whether the filesystem refuses O_DIRECT
 * outright, from opath (the O_PATH descriptor statx described; -1 when
 * file_wants() wants nothing).
 * Every step is best effort: an unreadable file still gets a report from
 * statx.
 */
static void probe_file(struct bca_ctx *ctx, struct bca_file *f, int opath, int dirfd,
		       const char *path, unsigned int flags)
{
	struct bca_facts *in = &f->in;
	const struct bca_statx *st = &in->stx;
	bool reg = S_ISREG(st->stx_mode);
	bool encrypted = st->stx_attributes & STATX_ATTR_ENCRYPTED;
	int oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	struct wants w;
	int fd = -1, pfd = -1, rc;

	if (opath < 0 || !file_wants(ctx, in, &w))
		return;
	if (flags & BCA_QUERY_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	/* FIFOs, devices and sockets are never opened: statx said all */
	if (reg || S_ISDIR(st->stx_mode)) {
		fd = reopen(opath, st, dirfd, path, oflags);
		if (fd == -ENOKEY && reg)
			in->key = BCA_KEY_ABSENT;
	}
	if (fd >= 0 && w.ask)
		ask_kernel(ctx, f, w.state, fd);
	/* the kernel's answer, when it came, already counts inline data */
	if (fd >= 0 && w.fiemap && !f->kernel_known)
		in->inline_data = inline_data_of(ctx, fd);

	if (fd >= 0 && w.flags && ioctl(fd, FS_IOC_GETFLAGS, &in->inode_flags) == 0)
		in->inode_flags_known = true;
	if (fd >= 0 && w.policy) {
		rc = bca_policy_get_fd(fd, &in->pol);
		if (rc < 0)
			bca_dbg(ctx, "%s: reading the policy: %s", path, bca_strerror(rc));
	}
	if (encrypted && in->pol.version == 0) {
		/* a file we could not open inherits its directory's policy */
		pfd = open_parent(dirfd, path);
		if (pfd >= 0)
			bca_policy_get_fd(pfd, &in->pol);
	}
	if (in->pol.version && in->key == BCA_KEY_NOT_APPLICABLE) {
		if (reg && fd >= 0)
			in->key = BCA_KEY_PRESENT;	/* opening needed the key */
		else if (bca_key_status_fd(fd >= 0 ? fd : pfd, &in->pol, &in->key) < 0)
			in->key = BCA_KEY_UNKNOWN;
	} else if (encrypted && in->key == BCA_KEY_NOT_APPLICABLE) {
		in->key = BCA_KEY_UNKNOWN;
	}

	if (fd >= 0 && w.odirect) {
		/* the kernel does not tell: does the filesystem take O_DIRECT? */
		int dfd = reopen(opath, st, dirfd, path, oflags | O_DIRECT);

		if (dfd == -EINVAL)
			in->odirect_refused = true;
		if (dfd >= 0)
			close(dfd);
	}
	if (fd >= 0)
		close(fd);
	if (pfd >= 0)
		close(pfd);
}

static void infer(struct bca_ctx *ctx, struct bca_file *f)
{
	struct bca_facts *in = &f->in;

	f->source = BCA_SOURCE_INFERRED;
	if (S_ISREG(in->stx.stx_mode) && in->pol.version) {
		in->dev_crypto = device_supports(ctx, in, bca_file_get_data_unit_size(f));
		if (in->dev_crypto == 0)
			in->fallback = bca_fallback_state(ctx, NULL);
	}
	bca_infer_verdict(in, &f->v);
}

/*
 * The library's one reason for the kernel's FSCRYPT_DIO_* bits, in the order
 * ext4's ext4_dio_buffered() tests them; a file-layer encryption reason is
 * the one fscrypt recorded when the key was set up.
 */
static enum bca_dio_reason kernel_reason(const struct fscrypt_get_impl_arg *k, uint32_t why)
{
	static const enum bca_dio_reason impl_reasons[] = {
		[FSCRYPT_IMPL_REASON_NOT_BUILT] = BCA_REASON_NO_INLINECRYPT,
		[FSCRYPT_IMPL_REASON_NO_INLINECRYPT] = BCA_REASON_NO_INLINECRYPT,
		[FSCRYPT_IMPL_REASON_IV_INO_LBLK_32] = BCA_REASON_IV_INO_LBLK_32_BLOCKSIZE,
		[FSCRYPT_IMPL_REASON_DEVICE] = BCA_REASON_DEVICE_NO_CRYPTO,
	};

	if (why & FSCRYPT_DIO_VERITY)
		return BCA_REASON_VERITY;
	if (why & FSCRYPT_DIO_DATA_JOURNAL)
		return BCA_REASON_DATA_JOURNAL;
	if (why & FSCRYPT_DIO_INLINE_DATA)
		return BCA_REASON_INLINE_DATA;
	if (why & FSCRYPT_DIO_ENCRYPTION) {
		if (k->impl_reason < BCA_ARRAY_SIZE(impl_reasons) && impl_reasons[k->impl_reason])
			return impl_reasons[k->impl_reason];
		return BCA_REASON_UNKNOWN;
	}
	if (why & (FSCRYPT_DIO_COMPRESSION | FSCRYPT_DIO_ZONED | FSCRYPT_DIO_FILESYSTEM |
		   FSCRYPT_DIO_ATOMIC))
		return BCA_REASON_FS_NO_DIO;
	return why ? BCA_REASON_UNKNOWN : BCA_REASON_NONE;
}

/*
 * The kernel's answer: buffered when reads or writes would use the page
 * cache (writes that only fill holes of an ext4 file without extents do
 * not count: the file's other writes are direct), refused when direct
 * writes fail, direct otherwise.  The alignments stay statx's.
 */
static void kernel_verdict(struct bca_file *f)
{
	static const enum bca_crypto_impl impls[] = {
		[FSCRYPT_IMPL_NONE] = BCA_CRYPTO_NONE,
		[FSCRYPT_IMPL_FS_LAYER] = BCA_CRYPTO_FS_LAYER,
		[FSCRYPT_IMPL_INLINE_HW] = BCA_CRYPTO_INLINE_HW,
		[FSCRYPT_IMPL_INLINE_FALLBACK] = BCA_CRYPTO_INLINE_FALLBACK,
	};
	static const enum bca_key_status keys[] = {
		[0] = BCA_KEY_NOT_APPLICABLE,
		[FSCRYPT_KEY_STATUS_ABSENT] = BCA_KEY_ABSENT,
		[FSCRYPT_KEY_STATUS_PRESENT] = BCA_KEY_PRESENT,
		[FSCRYPT_KEY_STATUS_INCOMPLETELY_REMOVED] = BCA_KEY_INCOMPLETELY_REMOVED,
	};
	const struct fscrypt_get_impl_arg *k = &f->kinfo;
	uint32_t buffered = k->dio_read_buffered | (k->dio_write_buffered & ~FSCRYPT_DIO_HOLES);

	f->source = BCA_SOURCE_KERNEL;
	f->v.crypto = k->impl < BCA_ARRAY_SIZE(impls) ? impls[k->impl] : BCA_CRYPTO_UNKNOWN;
	f->in.key = k->key_status < BCA_ARRAY_SIZE(keys) ? keys[k->key_status] : BCA_KEY_UNKNOWN;
	/* a v1 key from a process keyring: the open needed it */
	if (f->in.pol.version && f->in.key == BCA_KEY_NOT_APPLICABLE)
		f->in.key = S_ISREG(f->in.stx.stx_mode) ? BCA_KEY_PRESENT : BCA_KEY_UNKNOWN;
	/* a directory has no contents encryption, but it is encrypted */
	if (f->in.pol.version && f->v.crypto == BCA_CRYPTO_NONE)
		f->v.crypto = BCA_CRYPTO_UNKNOWN;
	if (!S_ISREG(f->in.stx.stx_mode)) {
		f->v.verdict = BCA_DIO_NO;
		f->v.reason = BCA_REASON_NOT_REGULAR;
	} else if (buffered) {
		f->v.verdict = BCA_DIO_BUFFERED;
		f->v.reason = kernel_reason(k, buffered);
	} else if (k->dio_write_refused) {
		f->v.verdict = BCA_DIO_NO;
		f->v.reason = kernel_reason(k, k->dio_write_refused);
	} else {
		f->v.verdict = BCA_DIO_YES;
		f->v.reason = BCA_REASON_NONE;
	}
}

/*
 * The one object the report describes, as an O_PATH descriptor (which
 * opens no FIFO and no device), and statx again on it: the path statx saw
 * may lead elsewhere by now, and every later fact must come from the object
 * the report's statx fields describe.
 */
static int open_described(struct bca_ctx *ctx, struct bca_file *f, int dirfd, const char *path,
			  unsigned int flags, pid_t ns_pid)
{
	struct bca_statx *st = &f->in.stx;
	uint64_t ino = st->stx_ino, mnt_id = st->stx_mnt_id;
	uint32_t ma = st->stx_dev_major, mi = st->stx_dev_minor;
	int fd, rc;

	fd = openat(dirfd, path, O_PATH | O_CLOEXEC | ((flags & BCA_QUERY_NOFOLLOW) ? O_NOFOLLOW : 0));
	if (fd < 0)
		return -errno;
	rc = bca_statx(fd, "", AT_EMPTY_PATH, STATX_WANTED, st);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	if (st->stx_ino != ino || st->stx_dev_major != ma || st->stx_dev_minor != mi ||
	    st->stx_mnt_id != mnt_id) {
		bca_dbg(ctx, "%s: replaced during the query: reporting the new object", path);
		f->in.fstype = f->in.super_opts = NULL;
		f->mountpoint = NULL;
		note_mount(ctx, f, ns_pid);
	}
	return fd;
}

/*
 * Fills f, which holds no context reference, with the report on path.
 * The walker (walk.c) reuses one f for every entry of a scan: a scan of a
 * million files then allocates nothing per file.
 */
int bca_file_query_into(struct bca_ctx *ctx, int dirfd, const char *path,
			unsigned int flags, pid_t ns_pid, struct bca_file *f)
{
	int at = AT_NO_AUTOMOUNT, opath = -1, rc;
	struct wants w;

	memset(f, 0, offsetof(struct bca_file, kinfo));
	if (flags & BCA_QUERY_NOFOLLOW)
		at |= AT_SYMLINK_NOFOLLOW;
	rc = bca_statx(dirfd, path, at, STATX_WANTED, &f->in.stx);
	if (rc < 0) {
		bca_dbg(ctx, "%s: statx: %s", path, bca_strerror(rc));
		return rc;
	}
	f->in.page_size = ctx->page_size;
	f->in.dev_crypto = -1;
	f->in.fallback = -1;
	f->in.inline_data = -1;
	note_mount(ctx, f, ns_pid);
	if (file_wants(ctx, &f->in, &w)) {
		rc = open_described(ctx, f, dirfd, path, flags, ns_pid);
		if (rc < 0)
			return rc;
		opath = rc;
	}
	probe_file(ctx, f, opath, dirfd, path, flags);
	if (opath >= 0)
		close(opath);
	if (f->kernel_known)
		kernel_verdict(f);
	else
		infer(ctx, f);
	return 0;
}

struct bca_file *bca_file_new(void)
{
	return calloc(1, sizeof(struct bca_file));
}

BCA_EXPORT int bca_file_query(struct bca_ctx *ctx, int dirfd, const char *path,
			      unsigned int flags, struct bca_file **out)
{
	struct bca_file *f;
	int rc;

	if (!ctx || !path || !out || (flags & ~BCA_QUERY_NOFOLLOW))
		return -EINVAL;
	f = bca_file_new();
	if (!f)
		return -ENOMEM;
	rc = bca_file_query_into(ctx, dirfd, path, flags, bca_mount_ns_pid(path), f);
	if (rc < 0) {
		free(f);
		return rc;
	}
	f->ctx = bca_ref(ctx);
	*out = f;
	return 0;
}

BCA_EXPORT void bca_file_free(struct bca_file *f)
{
	if (!f)
		return;
	bca_unref(f->ctx);
	free(f);
}

BCA_EXPORT enum bca_dio_verdict bca_file_get_verdict(const struct bca_file *f) { return f->v.verdict; }
BCA_EXPORT enum bca_dio_reason bca_file_get_reason(const struct bca_file *f) { return f->v.reason; }
BCA_EXPORT enum bca_source bca_file_get_source(const struct bca_file *f) { return f->source; }
BCA_EXPORT enum bca_crypto_impl bca_file_get_crypto_impl(const struct bca_file *f) { return f->v.crypto; }
BCA_EXPORT enum bca_key_status bca_file_get_key_status(const struct bca_file *f) { return f->in.key; }
BCA_EXPORT mode_t bca_file_get_mode(const struct bca_file *f) { return f->in.stx.stx_mode; }
BCA_EXPORT uint64_t bca_file_get_size(const struct bca_file *f) { return f->in.stx.stx_size; }
BCA_EXPORT uint32_t bca_file_get_block_size(const struct bca_file *f) { return f->in.stx.stx_blksize; }

BCA_EXPORT dev_t bca_file_get_devno(const struct bca_file *f)
{
	return makedev(f->in.stx.stx_dev_major, f->in.stx.stx_dev_minor);
}

BCA_EXPORT const char *bca_file_get_device_name(const struct bca_file *f)
{
	return f->devname[0] ? f->devname : NULL;
}

BCA_EXPORT const char *bca_file_get_fstype(const struct bca_file *f) { return f->in.fstype; }
BCA_EXPORT const char *bca_file_get_mountpoint(const struct bca_file *f) { return f->mountpoint; }

BCA_EXPORT bool bca_file_dio_align_known(const struct bca_file *f)
{
	return f->in.stx.stx_mask & STATX_DIOALIGN;
}

BCA_EXPORT uint32_t bca_file_get_dio_mem_align(const struct bca_file *f) { return f->in.stx.stx_dio_mem_align; }
BCA_EXPORT uint32_t bca_file_get_dio_offset_align(const struct bca_file *f) { return f->in.stx.stx_dio_offset_align; }

BCA_EXPORT bool bca_file_dio_read_align_known(const struct bca_file *f)
{
	return f->in.stx.stx_mask & STATX_DIO_READ_ALIGN;
}

BCA_EXPORT uint32_t bca_file_get_dio_read_offset_align(const struct bca_file *f)
{
	return f->in.stx.stx_dio_read_offset_align;
}

BCA_EXPORT bool bca_file_atomic_write_known(const struct bca_file *f)
{
	return f->in.stx.stx_mask & STATX_WRITE_ATOMIC;
}

BCA_EXPORT uint32_t bca_file_get_atomic_write_unit_min(const struct bca_file *f)
{
	return f->in.stx.stx_atomic_write_unit_min;
}

BCA_EXPORT uint32_t bca_file_get_atomic_write_unit_max(const struct bca_file *f)
{
	return f->in.stx.stx_atomic_write_unit_max;
}

BCA_EXPORT int bca_file_get_policy_version(const struct bca_file *f) { return f->in.pol.version; }
BCA_EXPORT int bca_file_get_contents_mode(const struct bca_file *f) { return f->in.pol.contents_mode; }
BCA_EXPORT int bca_file_get_filenames_mode(const struct bca_file *f) { return f->in.pol.filenames_mode; }
BCA_EXPORT unsigned int bca_file_get_policy_flags(const struct bca_file *f) { return f->in.pol.flags; }

BCA_EXPORT uint32_t bca_file_get_data_unit_size(const struct bca_file *f)
{
	if (!f->in.pol.version)
		return 0;
	return f->in.pol.log2_data_unit_size ? 1U << f->in.pol.log2_data_unit_size
					  : f->in.stx.stx_blksize;
}

bool bca_file_hole_writes_buffered(const struct bca_file *f)
{
	return f->kernel_known && f->v.verdict == BCA_DIO_YES &&
	       (f->kinfo.dio_write_buffered & FSCRYPT_DIO_HOLES);
}

const struct bca_statx *bca_file_statx(const struct bca_file *f)
{
	return &f->in.stx;
}
