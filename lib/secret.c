// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Secrets in locked memory: keys read from a file descriptor and the ioctl
 * buffers that carry them.  Lives in the library, not in the tools, so that
 * every tool and library user handles keys the same way (read(2) only,
 * mlock, MADV_DONTDUMP, explicit_bzero) and the ioctl wrappers can put
 * their copies in the same kind of memory.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

struct bca_secret {
	void *data;		/* mmap'ed, len bytes */
	size_t len;		/* mapped length, a multiple of the page size */
	size_t size;		/* bytes in use */
	bool locked;
};

BCA_EXPORT int bca_secret_new(size_t size, struct bca_secret **out)
{
	long page = sysconf(_SC_PAGESIZE);
	struct bca_secret *s;

	if (!size || size > SIZE_MAX / 2)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->len = (size + (size_t)page - 1) / (size_t)page * (size_t)page;
	/* a private anonymous mapping: zeroed, page-aligned, ours alone */
	s->data = mmap(NULL, s->len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->data == MAP_FAILED) {
		free(s);
		return -ENOMEM;
	}
	/* best effort: an unprivileged process may be over RLIMIT_MEMLOCK */
	s->locked = mlock(s->data, s->len) == 0;
	madvise(s->data, s->len, MADV_DONTDUMP);
	s->size = size;
	*out = s;
	return 0;
}

BCA_EXPORT void *bca_secret_get_data(struct bca_secret *s)
{
	return s->data;
}

BCA_EXPORT size_t bca_secret_get_size(const struct bca_secret *s)
{
	return s->size;
}

BCA_EXPORT int bca_secret_set_size(struct bca_secret *s, size_t size)
{
	if (size > s->size)
		return -EINVAL;
	explicit_bzero((char *)s->data + size, s->size - size);
	s->size = size;
	return 0;
}

BCA_EXPORT void bca_secret_free(struct bca_secret *s)
{
	if (!s)
		return;
	explicit_bzero(s->data, s->len);
	if (s->locked)
		munlock(s->data, s->len);
	munmap(s->data, s->len);
	free(s);
}

/*
 * Reads one byte more than max so that "too long" is told apart from
 * "exactly max"; the extra byte is wiped with the rest on failure.
 */
BCA_EXPORT int bca_secret_read_fd(int fd, size_t max, struct bca_secret **out)
{
	struct bca_secret *s;
	size_t pos = 0;
	int rc;

	if (max == SIZE_MAX)
		return -EINVAL;
	rc = bca_secret_new(max + 1, &s);
	if (rc < 0)
		return rc;
	while (pos < max + 1) {
		ssize_t n = read(fd, (char *)s->data + pos, max + 1 - pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			bca_secret_free(s);
			return rc;
		}
		if (n == 0)
			break;
		pos += (size_t)n;
	}
	if (pos > max) {
		bca_secret_free(s);
		return -EFBIG;
	}
	s->size = pos;
	*out = s;
	return 0;
}
