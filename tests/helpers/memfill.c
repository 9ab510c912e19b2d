/*
 * memfill - anonymous memory for the swap tests of the VM suite.
 *
 *   memfill SIZE_MIB   map SIZE_MIB MiB of anonymous memory, write a
 *                      pattern unique to each page (its index and a seed,
 *                      so a page read back from the wrong swap slot, or
 *                      zeros, is caught), then read every page back and
 *                      compare; run in a memory cgroup whose memory.max is
 *                      below SIZE_MIB, the pages go to swap and come back.
 *
 *   memfill --pageout MARKER SIZE_MIB
 *                      fill SIZE_MIB MiB with MARKER repeated, push every
 *                      page out at once (MADV_PAGEOUT, 5.4+) and read the
 *                      marker back: a test then looks for MARKER on the raw
 *                      disk under a swap area, to see whether swap wrote the
 *                      pages there in plaintext.
 *
 * Prints "pages N swapped M" on success, M the pages of the process in swap
 * (VmSwap) after the fill, before reading back: what reclaim swapped out.  Exit status: 0 every page read back equal,
 * 1 a page differed or memory could not be had, 2 usage error.  Plain libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* xorshift64: a page's words, from its index and the run's seed. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill(uint64_t *page, size_t words, uint64_t seed, size_t index)
{
	uint64_t s = seed ^ (index * 0x9e3779b97f4a7c15ULL) ^ 1;

	for (size_t i = 0; i < words; i++)
		page[i] = next(&s);
}

static int check(const uint64_t *page, size_t words, uint64_t seed, size_t index)
{
	uint64_t s = seed ^ (index * 0x9e3779b97f4a7c15ULL) ^ 1;

	for (size_t i = 0; i < words; i++)
		if (page[i] != next(&s))
			return -1;
	return 0;
}

/* VmSwap of /proc/self/status in pages, 0 without it (no CONFIG_SWAP). */
static size_t swapped_pages(long psize)
{
	char line[256];
	size_t kib = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSwap: %zu kB", &kib) == 1)
			break;
	fclose(f);
	return kib * 1024 / (size_t)psize;
}

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static int pageout(const char *marker, size_t mib, long psize)
{
	size_t len = strlen(marker), size = mib << 20, bad = 0;
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!len || len > (size_t)psize) {
		fprintf(stderr, "memfill: the marker must have 1 to %ld bytes\n", psize);
		return 2;
	}
	if (mem == MAP_FAILED) {
		fprintf(stderr, "memfill: mmap %zu MiB: %s\n", mib, strerror(errno));
		return 1;
	}
	for (size_t i = 0; i + len <= size; i += len)
		memcpy(mem + i, marker, len);
	if (madvise(mem, size, MADV_PAGEOUT) < 0) {
		fprintf(stderr, "memfill: MADV_PAGEOUT: %s\n", strerror(errno));
		return 1;
	}
	printf("pages %zu swapped %zu\n", size / (size_t)psize, swapped_pages(psize));
	for (size_t i = 0; i + len <= size; i += len)
		bad += memcmp(mem + i, marker, len) != 0;
	if (bad) {
		fprintf(stderr, "memfill: %zu markers read back different\n", bad);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long psize = sysconf(_SC_PAGESIZE);
	size_t mib, pages, words, bad = 0, swapped;
	struct timespec ts;
	uint64_t seed;
	char *end, *mem;

	if (argc == 4 && !strcmp(argv[1], "--pageout")) {
		mib = strtoul(argv[3], &end, 10);
		if (*end || !mib || mib > 4096) {
			fprintf(stderr, "usage: memfill --pageout MARKER SIZE_MIB\n");
			return 2;
		}
		return pageout(argv[2], mib, psize);
	}
	if (argc != 2 || (errno = 0, mib = strtoul(argv[1], &end, 10), errno || *end || !mib ||
			  mib > 65536)) {
		fprintf(stderr, "usage: memfill SIZE_MIB | --pageout MARKER SIZE_MIB\n");
		return 2;
	}
	pages = mib * (1024 * 1024 / (size_t)psize);
	words = (size_t)psize / sizeof(uint64_t);
	mem = mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "memfill: mmap %zu MiB: %s\n", mib, strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	for (size_t i = 0; i < pages; i++)
		fill((uint64_t *)(mem + i * (size_t)psize), words, seed, i);
	swapped = swapped_pages(psize);
	for (size_t i = 0; i < pages; i++)
		if (check((const uint64_t *)(mem + i * (size_t)psize), words, seed, i) < 0 &&
		    bad++ < 5)
			fprintf(stderr, "memfill: page %zu read back different\n", i);
	if (bad) {
		fprintf(stderr, "memfill: %zu of %zu pages read back different\n", bad, pages);
		return 1;
	}
	printf("pages %zu swapped %zu\n", pages, swapped);
	return 0;
}
