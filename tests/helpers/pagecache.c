/*
 * pagecache - direct I/O and page-cache probes for the VM tests.
 *
 *   pagecache dio-write FILE SIZE_MIB   write SIZE_MIB MiB with O_DIRECT, fsync
 *   pagecache dio-read FILE SIZE_MIB    read SIZE_MIB MiB with O_DIRECT
 *   pagecache resident FILE             print the number of cached pages
 *                                       (mincore; cachestat where FILE
 *                                       cannot be mapped)
 *   pagecache drop FILE                 write back and evict FILE's cached
 *                                       pages (fsync, POSIX_FADV_DONTNEED;
 *                                       drop_caches without fadvise)
 *   pagecache statx FILE                print "mem_align offset_align"
 *                                       (STATX_DIOALIGN)
 *   pagecache statx-read FILE           print "mem_align read_offset_align"
 *                                       (STATX_DIO_READ_ALIGN alone), or
 *                                       "unreported"
 *
 * Exit status: 0 success, 1 failure, 2 usage error.  Errors go to stderr as
 * "pagecache: FILE: reason".  Needs nothing but libc, so it can be built
 * before (and tested independently of) the project library.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PROG "pagecache"
#define ALIGN 4096
#define CHUNK (1024 * 1024)

/* struct statx as laid out by the kernel; glibc's copy may predate the
 * DIO fields, so read them at their fixed offsets. */
#define STATX_BUF_SIZE 256
#define STATX_DIOALIGN_MASK 0x2000U
#define STATX_OFF_MASK 0x00
#define STATX_OFF_DIO_MEM_ALIGN 0x98
#define STATX_OFF_DIO_OFFSET_ALIGN 0x9c
#define STATX_DIO_READ_ALIGN_MASK 0x20000U
#define STATX_OFF_DIO_READ_OFFSET_ALIGN 0xb4

static int fail(const char *path, const char *what)
{
	fprintf(stderr, PROG ": %s: %s: %s\n", path, what, strerror(errno));
	return 1;
}

static int usage(FILE *out)
{
	fputs("usage: " PROG " dio-write FILE SIZE_MIB\n"
	      "       " PROG " dio-read FILE SIZE_MIB\n"
	      "       " PROG " resident FILE\n"
	      "       " PROG " drop FILE\n"
	      "       " PROG " statx FILE\n"
	      "       " PROG " statx-read FILE\n", out);
	return out == stdout ? 0 : 2;
}

static int parse_mib(const char *s, size_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v == 0 ||
	    v > SIZE_MAX / CHUNK) {
		fprintf(stderr, PROG ": invalid size in MiB: '%s'\n", s);
		return -1;
	}
	*out = v;
	return 0;
}

static void *aligned_chunk(void)
{
	void *buf;
	int err = posix_memalign(&buf, ALIGN, CHUNK);

	if (err) {
		errno = err;
		perror(PROG ": posix_memalign");
		return NULL;
	}
	return buf;
}

/* Fill with a recognisable, position-dependent pattern so a short or
 * misplaced write would not go unnoticed by a later comparison. */
static void fill(unsigned char *buf, size_t chunk_index)
{
	for (size_t i = 0; i < CHUNK; i += 8) {
		uint64_t v = ((uint64_t)chunk_index << 32) | (i / 8);

		memcpy(buf + i, &v, sizeof(v));
	}
}

static int cmd_dio_write(const char *path, size_t mib)
{
	unsigned char *buf = aligned_chunk();
	int fd, ret = 1;

	if (!buf)
		return 1;
	fd = open(path, O_WRONLY | O_CREAT | O_DIRECT | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = fail(path, "open with O_DIRECT");
		goto out;
	}
	for (size_t i = 0; i < mib; i++) {
		ssize_t n;

		fill(buf, i);
		n = pwrite(fd, buf, CHUNK, (off_t)i * CHUNK);
		if (n < 0) {
			fail(path, "O_DIRECT write");
			goto out_close;
		}
		if (n != CHUNK) {
			fprintf(stderr, PROG ": %s: short O_DIRECT write (%zd of %d bytes)\n",
				path, n, CHUNK);
			goto out_close;
		}
	}
	if (fsync(fd) < 0) {
		fail(path, "fsync");
		goto out_close;
	}
	ret = 0;
out_close:
	if (close(fd) < 0 && ret == 0)
		ret = fail(path, "close");
out:
	free(buf);
	return ret;
}

static int cmd_dio_read(const char *path, size_t mib)
{
	unsigned char *buf = aligned_chunk();
	unsigned long long total = 0;
	int fd, ret = 1;

	if (!buf)
		return 1;
	/* Fault the buffer in first, as a buffer an application reuses is: on
	 * btrfs (6.18) an O_DIRECT read into pages never touched is served by
	 * a buffered read, readahead included, and would be counted against
	 * the filesystem. */
	memset(buf, 0, CHUNK);
	fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		ret = fail(path, "open with O_DIRECT");
		goto out;
	}
	for (size_t i = 0; i < mib; i++) {
		ssize_t n = pread(fd, buf, CHUNK, (off_t)i * CHUNK);

		if (n < 0) {
			fail(path, "O_DIRECT read");
			goto out_close;
		}
		total += (unsigned long long)n;
		if (n < CHUNK)
			break;
	}
	printf("%llu\n", total);
	ret = 0;
out_close:
	close(fd);
out:
	free(buf);
	return ret;
}

/*
 * cachestat(2) (Linux 6.5) counts the cached pages of a file that cannot be
 * mapped: a FUSE file opened with FOPEN_DIRECT_IO (libfuse's direct_io)
 * refuses mmap with ENODEV, so mincore() cannot be asked.
 */
#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif
struct cachestat_range_v1 {
	uint64_t off, len;
};
struct cachestat_v1 {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

static int resident_cachestat(const char *path, int fd)
{
	struct cachestat_range_v1 range = { 0, 0 };	/* len 0: to the end */
	struct cachestat_v1 cs;

	memset(&cs, 0, sizeof(cs));
	if (syscall(SYS_cachestat, fd, &range, &cs, 0) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return fail(path, "cachestat");
	}
	close(fd);
	printf("%" PRIu64 "\n", cs.nr_cache);
	return 0;
}

static int cmd_resident(const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long count = 0;
	unsigned char *vec;
	struct stat st;
	size_t pages;
	void *map;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(path, "open");
	if (fstat(fd, &st) < 0) {
		close(fd);
		return fail(path, "fstat");
	}
	if (st.st_size == 0) {
		close(fd);
		puts("0");
		return 0;
	}
	/* Mapping does not fault pages in: mincore() on a shared file mapping
	 * reports what is in the page cache right now. */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED && errno == ENODEV)
		return resident_cachestat(path, fd);
	close(fd);
	if (map == MAP_FAILED)
		return fail(path, "mmap");
	pages = ((size_t)st.st_size + (size_t)page - 1) / (size_t)page;
	vec = malloc(pages);
	if (!vec) {
		munmap(map, (size_t)st.st_size);
		return fail(path, "malloc");
	}
	if (mincore(map, (size_t)st.st_size, vec) < 0) {
		free(vec);
		munmap(map, (size_t)st.st_size);
		return fail(path, "mincore");
	}
	for (size_t i = 0; i < pages; i++)
		count += vec[i] & 1;
	free(vec);
	munmap(map, (size_t)st.st_size);
	printf("%llu\n", count);
	return 0;
}

/* statx(2) of path for want into buf (the kernel's layout); its stx_mask. */
static int statx_raw(const char *path, uint32_t want, unsigned char buf[STATX_BUF_SIZE],
		     uint32_t *mask)
{
	memset(buf, 0, STATX_BUF_SIZE);
	if (syscall(SYS_statx, AT_FDCWD, path, 0, want, buf) < 0)
		return fail(path, "statx");
	memcpy(mask, buf + STATX_OFF_MASK, sizeof(*mask));
	return 0;
}

/* Prints the u32 fields at offsets a and b of a statx buffer. */
static int print_pair(const unsigned char *buf, size_t a, size_t b)
{
	uint32_t x, y;

	memcpy(&x, buf + a, sizeof(x));
	memcpy(&y, buf + b, sizeof(y));
	printf("%" PRIu32 " %" PRIu32 "\n", x, y);
	return 0;
}

static int cmd_statx(const char *path)
{
	unsigned char buf[STATX_BUF_SIZE] __attribute__((aligned(8)));
	uint32_t mask;

	if (statx_raw(path, STATX_DIOALIGN_MASK, buf, &mask))
		return 1;
	if (!(mask & STATX_DIOALIGN_MASK)) {
		fprintf(stderr, PROG ": %s: statx did not report STATX_DIOALIGN\n", path);
		return 1;
	}
	return print_pair(buf, STATX_OFF_DIO_MEM_ALIGN, STATX_OFF_DIO_OFFSET_ALIGN);
}

/*
 * STATX_DIO_READ_ALIGN alone: "MEM READ_OFFSET" as the kernel fills them
 * for that request, or "unreported" when the filesystem (or kernel) does
 * not report it.
 */
static int cmd_statx_read(const char *path)
{
	unsigned char buf[STATX_BUF_SIZE] __attribute__((aligned(8)));
	uint32_t mask;

	if (statx_raw(path, STATX_DIO_READ_ALIGN_MASK, buf, &mask))
		return 1;
	if (!(mask & STATX_DIO_READ_ALIGN_MASK)) {
		printf("unreported\n");
		return 0;
	}
	return print_pair(buf, STATX_OFF_DIO_MEM_ALIGN, STATX_OFF_DIO_READ_OFFSET_ALIGN);
}

/*
 * A kernel without fadvise (CONFIG_ADVISE_SYSCALLS=n, the tinyconfig
 * guest): every clean page of every file, through /proc/sys/vm/drop_caches.
 * The file was fsync'ed, so its pages are clean.
 */
static int drop_all(const char *path)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(path, "no fadvise, and /proc/sys/vm/drop_caches");
	if (write(fd, "1", 1) != 1) {
		close(fd);
		return fail(path, "no fadvise, and writing /proc/sys/vm/drop_caches");
	}
	close(fd);
	return 0;
}

/* Leaves FILE with no clean page in the cache, without dropping the system's caches. */
static int cmd_drop(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return fail(path, "open");
	if (fsync(fd) < 0) {
		close(fd);
		return fail(path, "fsync");
	}
	err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	if (err == ENOSYS)
		return drop_all(path);
	if (err) {
		errno = err;
		return fail(path, "posix_fadvise");
	}
	return 0;
}

int main(int argc, char **argv)
{
	size_t mib;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		return usage(stdout);
	}
	if (argc == 4 && !strcmp(argv[1], "dio-write"))
		return parse_mib(argv[3], &mib) ? 2 : cmd_dio_write(argv[2], mib);
	if (argc == 4 && !strcmp(argv[1], "dio-read"))
		return parse_mib(argv[3], &mib) ? 2 : cmd_dio_read(argv[2], mib);
	if (argc == 3 && !strcmp(argv[1], "resident"))
		return cmd_resident(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "drop"))
		return cmd_drop(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "statx-read"))
		return cmd_statx_read(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "statx"))
		return cmd_statx(argv[2]);
	return usage(stderr);
}
