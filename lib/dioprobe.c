// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Proving a verdict instead of inferring it: write and read a scratch file
 * with O_DIRECT in the directory of the path, then ask mincore(2) whether
 * the data stayed in the page cache.  The user's file is never touched;
 * the scratch file is an O_TMPFILE, which nothing can leave behind.  Where
 * the filesystem lacks O_TMPFILE (FUSE, vfat) it is a named file,
 * .blkcrypt-probe.PID.N, unlinked at once, before O_DIRECT is asked for,
 * so that a refused O_DIRECT leaves nothing; a probe killed between create
 * and unlink does leave the name, and the next probe in that directory
 * removes it once no process PID exists.
 *
 * The strict probe first tries RWF_DIO_STRICT (blkcryptadm's kernel patches):
 * the kernel then refuses with ENOTBLK what it would serve from the page
 * cache, which proves the fallback without writing through the page cache.
 * EOPNOTSUPP means the file does not honour the flag; plain O_DIRECT is
 * measured then.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <signal.h>
#include <unistd.h>

#include "internal.h"
#include "uapi/dioinfo.h"

#define PROBE_SIZE (1024 * 1024)
#define PROBE_ALIGN 4096

/*
 * O_DIRECT is set with fcntl() only once the file exists unlinked: a
 * filesystem that creates files but refuses O_DIRECT (ramfs) fails open()
 * after O_CREAT made the name, which would be left behind.  The error is
 * fcntl()'s EINVAL, as open() gives it.
 */
static int set_direct(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_DIRECT) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

#define PROBE_PREFIX ".blkcrypt-probe."

/* The PID of a scratch name .blkcrypt-probe.PID.N, else 0. */
static pid_t scratch_pid(const char *name)
{
	const char *p = name + strlen(PROBE_PREFIX), *n;
	unsigned long long pid = 0;

	if (strncmp(name, PROBE_PREFIX, strlen(PROBE_PREFIX)))
		return 0;
	for (n = p; *n >= '0' && *n <= '9' && pid <= INT_MAX; n++)
		pid = pid * 10 + (unsigned long long)(*n - '0');
	if (n == p || *n != '.' || pid == 0 || pid > INT_MAX)
		return 0;
	p = ++n;
	while (*n >= '0' && *n <= '9')
		n++;
	return n == p || *n ? 0 : (pid_t)pid;
}

/*
 * Removes the scratch names of probes killed before their unlink: our
 * regular files whose PID no longer exists (kill(2) says ESRCH; EPERM is
 * a live process of another user).  A PID of another PID namespace may
 * look dead here: removing its name early is harmless, that probe holds
 * its file open and ignores its own unlink's failure.
 */
static void remove_stale_scratch(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	struct stat st;
	DIR *dir;

	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((de = readdir(dir))) {
		pid_t pid = scratch_pid(de->d_name);

		if (!pid || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_uid == geteuid())
			unlinkat(dirfd, de->d_name, 0);
	}
	closedir(dir);
}

static int open_scratch(int dirfd)
{
	char name[64];
	int fd;

	fd = openat(dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return set_direct(fd);
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -errno;
	remove_stale_scratch(dirfd);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), PROBE_PREFIX "%d.%d", (int)getpid(), i);
		fd = openat(dirfd, name, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
		if (fd >= 0) {
			unlinkat(dirfd, name, 0);
			return set_direct(fd);
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif

/*
 * cachestat(2) (6.5) counts cached pages without a mapping: a FUSE file
 * opened with FOPEN_DIRECT_IO (libfuse's direct_io) refuses mmap with
 * ENODEV, so mincore() cannot be asked.  -ENODEV again where the kernel
 * lacks cachestat.
 */
static int cachestat_pages(int fd, size_t size, uint64_t *pages)
{
	struct { uint64_t off, len; } range = { 0, size };
	struct {
		uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
	} cs;

	memset(&cs, 0, sizeof(cs));
	if (syscall(SYS_cachestat, fd, &range, &cs, 0) < 0)
		return errno == ENOSYS ? -ENODEV : -errno;
	*pages = cs.nr_cache;
	return 0;
}

/* Pages of fd's first size bytes that are in the page cache. */
static int resident_pages(int fd, size_t size, uint64_t *pages)
{
	long psz = sysconf(_SC_PAGESIZE);
	size_t n = (size + (size_t)psz - 1) / (size_t)psz;
	unsigned char *vec;
	void *map;
	int rc = 0;

	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return errno == ENODEV ? cachestat_pages(fd, size, pages) : -errno;
	vec = malloc(n);
	if (!vec) {
		munmap(map, size);
		return -ENOMEM;
	}
	if (mincore(map, size, vec) < 0) {
		rc = -errno;
	} else {
		*pages = 0;
		for (size_t i = 0; i < n; i++)
			*pages += vec[i] & 1;
	}
	free(vec);
	munmap(map, size);
	return rc;
}

/*
 * Whether the kernel knows RWF_DIO_STRICT: it rejects the flag on a file
 * without O_DIRECT with EINVAL, where a kernel without it says EOPNOTSUPP
 * (unknown flag).  BCA_NO_KERNEL_IOCTL=1 pretends it does not.
 */
static bool strict_known(struct bca_ctx *ctx)
{
	struct iovec iov;
	bool known;
	char c;
	int fd;

	if (bca_kernel_ioctls_disabled(ctx))
		return false;
	fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	iov.iov_base = &c;
	iov.iov_len = 1;
	known = preadv2(fd, &iov, 1, 0, RWF_DIO_STRICT) < 0 && errno == EINVAL;
	close(fd);
	return known;
}

/* pwritev2/preadv2 of the whole buffer at offset 0 with flags. */
static ssize_t rw_at0(int fd, bool write, void *buf, int flags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = PROBE_SIZE };

	return write ? pwritev2(fd, &iov, 1, 0, flags) : preadv2(fd, &iov, 1, 0, flags);
}

static int probe_fd(int fd, int rwf, enum bca_dio_verdict *verdict, uint64_t *cached)
{
	uint64_t after_write = 0, after_read = 0;
	void *buf;
	ssize_t n;
	int rc;

	if (posix_memalign(&buf, PROBE_ALIGN, PROBE_SIZE))
		return -ENOMEM;
	memset(buf, 0x5a, PROBE_SIZE);
	n = rw_at0(fd, true, buf, rwf);
	if (n < 0 && (errno == EINVAL || errno == EOPNOTSUPP || (rwf && errno == ENOTBLK))) {
		/* EINVAL: no O_DIRECT; the others are the strict flag's answers */
		rc = errno == EINVAL ? 0 : -errno;
		*verdict = BCA_DIO_NO;
		free(buf);
		return rc;
	}
	rc = n < 0 ? -errno : n != PROBE_SIZE ? -EIO : 0;
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (rc == 0)
		rc = resident_pages(fd, PROBE_SIZE, &after_write);
	if (rc == 0) {
		/* drop what a buffered fallback left, then read it back */
		posix_fadvise(fd, 0, PROBE_SIZE, POSIX_FADV_DONTNEED);
		n = rw_at0(fd, false, buf, rwf);
		rc = n < 0 ? -errno : n != PROBE_SIZE ? -EIO : 0;
	}
	if (rc == 0)
		rc = resident_pages(fd, PROBE_SIZE, &after_read);
	free(buf);
	if (rc < 0)
		return rc;
	/* pages of the probe's range, each counted once: at most PROBE_SIZE's */
	*cached = after_write > after_read ? after_write : after_read;
	*verdict = *cached ? BCA_DIO_BUFFERED : BCA_DIO_YES;
	return 0;
}

/*
 * The directory a probe of path writes in: path itself for a directory,
 * else the directory holding the file path resolves to.  A symlink's own
 * directory may be another filesystem: the target's is found through
 * /proc/self/fd, and only without /proc does the link's directory serve.
 */
static int probe_dir(int dirfd, const char *path)
{
	char buf[PATH_MAX], link[64];
	struct stat st;
	ssize_t n;
	int pfd, dfd;

	pfd = openat(dirfd, path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	if (fstat(pfd, &st) < 0) {
		dfd = -errno;
		close(pfd);
		return dfd;
	}
	if (S_ISDIR(st.st_mode)) {
		dfd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(pfd);
		return dfd < 0 ? -errno : dfd;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", pfd);
	n = readlink(link, buf, sizeof(buf) - 1);
	close(pfd);
	if (n > 0 && buf[0] == '/') {
		buf[n] = '\0';
	} else if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		return -ENAMETOOLONG;
	}
	dfd = openat(n > 0 && buf[0] == '/' ? AT_FDCWD : dirfd, dirname(buf),
		     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return dfd < 0 ? -errno : dfd;
}

/* Opens a scratch file next to path (in it, for a directory). */
static int scratch_for(int dirfd, const char *path)
{
	int dfd = probe_dir(dirfd, path), fd;

	if (dfd < 0)
		return dfd;
	fd = open_scratch(dfd);
	close(dfd);
	return fd;
}

/* One probe on a fresh scratch file; -EINVAL from open: O_DIRECT refused. */
static int probe_path(struct bca_ctx *ctx, int dirfd, const char *path, int rwf,
		      enum bca_dio_verdict *verdict, uint64_t *cached)
{
	int fd = scratch_for(dirfd, path), rc;

	*cached = 0;
	if (fd == -EINVAL) {
		*verdict = BCA_DIO_NO;
		return 0;
	}
	if (fd < 0) {
		bca_dbg(ctx, "%s: cannot create a scratch file: %s", path, bca_strerror(fd));
		return fd;
	}
	rc = probe_fd(fd, rwf, verdict, cached);
	close(fd);
	return rc;
}

BCA_EXPORT int bca_file_probe(struct bca_ctx *ctx, int dirfd, const char *path,
			      enum bca_dio_verdict *verdict, uint64_t *cached_pages)
{
	uint64_t cached = 0;
	int rc;

	if (!ctx || !path || !verdict)
		return -EINVAL;
	rc = probe_path(ctx, dirfd, path, 0, verdict, &cached);
	if (rc == 0 && cached_pages)
		*cached_pages = cached;
	return rc;
}

BCA_EXPORT int bca_file_probe_strict(struct bca_ctx *ctx, int dirfd, const char *path,
				     enum bca_dio_verdict *verdict, uint64_t *cached_pages,
				     enum bca_probe_strict *strict)
{
	enum bca_probe_strict how = BCA_PROBE_STRICT_UNAVAILABLE;
	uint64_t cached = 0;
	int rc = -EOPNOTSUPP;

	if (!ctx || !path || !verdict || !strict)
		return -EINVAL;
	if (strict_known(ctx)) {
		rc = probe_path(ctx, dirfd, path, RWF_DIO_STRICT, verdict, &cached);
		how = BCA_PROBE_STRICT_ACCEPTED;
		if (rc == -ENOTBLK) {
			/* the kernel said it would use the page cache */
			how = BCA_PROBE_STRICT_REFUSED;
			*verdict = BCA_DIO_BUFFERED;
			rc = 0;
		} else if (rc == -EOPNOTSUPP) {
			how = BCA_PROBE_STRICT_UNSUPPORTED;
		}
	}
	if (rc == -EOPNOTSUPP) {
		/* not honoured, or never tried: measure plain O_DIRECT */
		rc = probe_path(ctx, dirfd, path, 0, verdict, &cached);
	}
	if (rc < 0)
		return rc;
	*strict = how;
	if (cached_pages)
		*cached_pages = cached;
	return 0;
}

BCA_EXPORT const char *bca_probe_strict_name(enum bca_probe_strict s)
{
	switch (s) {
	case BCA_PROBE_STRICT_UNAVAILABLE: return "unavailable";
	case BCA_PROBE_STRICT_ACCEPTED: return "accepted";
	case BCA_PROBE_STRICT_REFUSED: return "refused";
	case BCA_PROBE_STRICT_UNSUPPORTED: return "unsupported";
	}
	return "unknown";
}
