// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Active swap areas (/proc/swaps), and what swap can do with a file.
 * Swap is where Android's double caching starts: the kernel refuses swapon
 * on an fscrypt-encrypted file and advises a loop device over it, and that
 * loop device goes through the file's page cache unless it does real
 * direct I/O.  /proc/swaps is read once per context, below the sysroot; a
 * device area is matched by device number, a file area by device and inode
 * (the path is only as /proc/swaps spelled it when swapon ran).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"

struct swap_area {
	bool is_device;
	dev_t dev;		/* the device, or the device holding the file */
	ino_t ino;		/* the file's inode */
};

struct bca_swaps {
	struct swap_area *areas;
	size_t n;
};

void bca_swaps_free(struct bca_ctx *ctx)
{
	if (!ctx->swaps)
		return;
	free(ctx->swaps->areas);
	free(ctx->swaps);
	ctx->swaps = NULL;
}

/* seq_file_path() escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/*
 * One line of /proc/swaps to an area.  Live, the path is stat()ed; a
 * recorded tree has only its device areas, found by kernel name.
 */
static int parse_area(struct bca_ctx *ctx, char *path, const char *type, struct swap_area *a)
{
	struct stat st;

	unescape(path);
	if (!ctx->sysroot[0]) {
		if (stat(path, &st) < 0)
			return -errno;	/* a deleted swap file: nothing left to match */
		a->is_device = S_ISBLK(st.st_mode);
		a->dev = a->is_device ? st.st_rdev : st.st_dev;
		a->ino = st.st_ino;
		return 0;
	}
	if (strcmp(type, "partition") || bca_blkdev_node_devno(ctx, path, &a->dev) < 0)
		return -ENOENT;
	a->is_device = true;
	return 0;
}

static int read_swaps(struct bca_ctx *ctx)
{
	struct bca_swaps *s = calloc(1, sizeof(*s));
	char line[PATH_MAX * 4 + 128], path[PATH_MAX * 4 + 1], type[32];
	struct swap_area a, *v;
	FILE *f;

	if (!s)
		return -ENOMEM;
	ctx->swaps = s;
	f = bca_sys_fopen(ctx, "/proc/swaps");
	if (!f) {
		/* no /proc/swaps: a kernel without CONFIG_SWAP has no swap */
		bca_dbg(ctx, "/proc/swaps: %s", strerror(errno));
		return errno == ENOENT ? 0 : -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%4096s %31s", path, type) != 2 || !strcmp(path, "Filename"))
			continue;
		memset(&a, 0, sizeof(a));
		if (parse_area(ctx, path, type, &a) < 0) {
			bca_dbg(ctx, "/proc/swaps: %s: not found here", path);
			continue;
		}
		v = realloc(s->areas, (s->n + 1) * sizeof(*v));
		if (!v) {
			fclose(f);
			return -ENOMEM;
		}
		s->areas = v;
		v[s->n++] = a;
	}
	fclose(f);
	return 0;
}

/* Whether a swap area matches: a device by number, a file by device and inode. */
static int is_swap(struct bca_ctx *ctx, bool device, dev_t dev, ino_t ino)
{
	int rc;

	if (!ctx->swaps && (rc = read_swaps(ctx)) < 0)
		return rc;
	for (size_t i = 0; i < ctx->swaps->n; i++) {
		const struct swap_area *a = &ctx->swaps->areas[i];

		if (a->is_device == device && a->dev == dev && (device || a->ino == ino))
			return 1;
	}
	return 0;
}

/* Whether the file itself is a swap area (swapon on the file). */
static int file_is_swap(struct bca_ctx *ctx, const struct bca_file *f)
{
	const struct bca_statx *st = bca_file_statx(f);

	return is_swap(ctx, false, makedev(st->stx_dev_major, st->stx_dev_minor), st->stx_ino);
}

BCA_EXPORT int bca_blkdev_is_swap(struct bca_ctx *ctx, const struct bca_blkdev *d)
{
	if (!ctx || !d)
		return -EINVAL;
	return is_swap(ctx, true, bca_blkdev_get_devno(d), 0);
}

/*
 * The zram swap area whose backing device is loopdev, if any (zram's
 * writeback goes there): its kernel name in buf.  1 found, 0 not, <0 error.
 */
static int zram_swap_over(struct bca_ctx *ctx, dev_t loopdev, char *buf, size_t size)
{
	const struct bca_blkdev *z;
	struct dirent *de;
	dev_t devno;
	int rc = 0, err;
	DIR *dir = bca_sys_opendir(ctx, "/sys/block");

	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while (rc == 0 && (de = readdir(dir))) {
		if (strncmp(de->d_name, "zram", 4) || bca_blkdev_name_devno(ctx, de->d_name, &devno) < 0)
			continue;
		z = bca_blkdev_get(ctx, devno, BCA_BLKDEV_HAVE_PROFILE | BCA_BLKDEV_HAVE_STACK, &err);
		if (!z || !bca_blkdev_get_zram_backing_dev(z) || bca_blkdev_get_lower_count(z) != 1 ||
		    bca_blkdev_get_lower(z, 0) != loopdev)
			continue;
		rc = is_swap(ctx, true, devno, 0);
		if (rc > 0)
			snprintf(buf, size, "%s", bca_blkdev_get_name(z));
	}
	closedir(dir);
	return rc;
}

/* How many loop devices over f to look at: more is a setup nobody swaps on. */
#define LOOPS_MAX 16

BCA_EXPORT int bca_file_get_swap(struct bca_ctx *ctx, const struct bca_file *f,
				 enum bca_swap_use *use, char *buf, size_t size)
{
	dev_t loops[LOOPS_MAX];
	size_t len = 0;
	int rc, n;

	if (!ctx || !f || !use || (size && !buf))
		return -EINVAL;
	*use = BCA_SWAP_NONE;
	if (size)
		buf[0] = '\0';
	if (ctx->sysroot[0])
		return 0;
	rc = file_is_swap(ctx, f);
	if (rc != 0) {
		if (rc > 0)
			*use = BCA_SWAP_FILE;
		return rc < 0 ? rc : 0;
	}
	n = bca_loop_devnos_of(ctx, f, loops, LOOPS_MAX);
	for (int i = 0; i < n && i < LOOPS_MAX; i++) {
		rc = is_swap(ctx, true, loops[i], 0);
		if (rc < 0)
			return rc;
		if (!rc)
			continue;
		*use = BCA_SWAP_LOOP;
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%sloop%u", len ? "," : "",
						minor(loops[i]));
	}
	/* Android's case: the loop device is the backing device of zram swap */
	for (int i = 0; *use == BCA_SWAP_NONE && i < n && i < LOOPS_MAX; i++) {
		char zram[64];

		rc = zram_swap_over(ctx, loops[i], zram, sizeof(zram));
		if (rc < 0)
			return rc;
		if (rc > 0) {
			*use = BCA_SWAP_ZRAM;
			if (size)
				snprintf(buf, size, "%s:loop%u", zram, minor(loops[i]));
		}
	}
	return n < 0 ? n : 0;
}

BCA_EXPORT enum bca_swapon bca_file_swapon(struct bca_ctx *ctx, const struct bca_file *f)
{
	if (!ctx || !f)
		return BCA_SWAPON_UNKNOWN;
	/* even when this kernel took it: see bca_file_explain_swap() */
	if (bca_file_get_policy_version(f) > 0)
		return BCA_SWAPON_NO;
	/* the file's own swap area only: the loop devices over it do not matter here */
	return file_is_swap(ctx, f) > 0 ? BCA_SWAPON_YES : BCA_SWAPON_UNKNOWN;
}

/*
 * The sentence for swap.  Swap writes a swap file's pages to the blocks
 * under it with its own bios, never through the filesystem, so fscrypt
 * never sees them: mm/swapfile.c refuses encrypted files ("Filesystem-level
 * encrypted swapfile ... is unsupported", upstream's "mm/swap: reject
 * swapon() on filesystem-level encrypted files", in the stable kernels of
 * September 2026 such as 6.6.156), and a kernel without that check (this
 * project's host, 6.18.44) takes one and writes the pages unencrypted
 * (tests/root/swap.bats finds them on the raw disk).  Then what the kernel
 * advises instead, a loop device, would do: send swapped pages to the file
 * with O_DIRECT only when the file really does direct I/O.
 */
BCA_EXPORT int bca_file_explain_swap(struct bca_ctx *ctx, const struct bca_file *f, char *buf,
				     size_t size)
{
	enum bca_dio_verdict v = bca_file_get_verdict(f);
	enum bca_swap_use use = BCA_SWAP_NONE;
	bool encrypted = bca_file_get_policy_version(f) > 0;
	char loops[128];
	const char *first, *loop;

	if (!ctx || !f || (size && !buf))
		return -EINVAL;
	if (bca_file_get_swap(ctx, f, &use, loops, sizeof(loops)) < 0)
		use = BCA_SWAP_NONE;
	if (encrypted && use == BCA_SWAP_FILE)
		first = "in use as swap although fscrypt-encrypted: this kernel's swapon took it "
			"(kernels with mm/swapfile.c's check refuse it), and swap writes pages to its "
			"blocks directly, unencrypted; swapoff it, and swap on a loop device over it "
			"or on dm-crypt";
	else if (encrypted)
		first = "swap must not use fscrypt-encrypted files: swapon refuses them (\"Filesystem-"
			"level encrypted swapfile ... is unsupported\"), and kernels without that "
			"check write swapped pages to their blocks unencrypted; the kernel advises a "
			"loop device over the file, or dm-crypt";
	else if (use == BCA_SWAP_FILE)
		first = "in use as swap; swapon accepted the file";
	else
		first = "whether swapon accepts the file is not known here";
	loop = v == BCA_DIO_YES ?
		"a loop device with --direct-io=on over it sends swapped pages to storage with direct I/O, "
		"without a copy in the file's page cache" :
	       v == BCA_DIO_UNKNOWN ?
		"whether a loop device over it would keep a copy of swapped pages in the file's page "
		"cache is unknown" :
		"a loop device over it keeps a copy of every swapped page in the file's page cache "
		"(the file does not do direct I/O: see REASON)";
	if (use == BCA_SWAP_LOOP)
		return snprintf(buf, size, "in use as swap through %s; %s; %s", loops, first, loop);
	if (use == BCA_SWAP_ZRAM)
		return snprintf(buf, size, "zram swap writes back to it through %s; %s; %s", loops,
				first, loop);
	return snprintf(buf, size, "%s; %s", first, loop);
}
