// SPDX-License-Identifier: LGPL-2.1-or-later
/* The per-file verdict as a sentence, shared by every tool. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "internal.h"

/*
 * What a filesystem that reports no direct I/O alignment does with
 * O_DIRECT: the verdict stays unknown (statx gives no evidence), but the
 * person deserves what is known of the filesystem.
 */
static const char *fs_note(const char *fstype)
{
	if (!fstype)
		return NULL;
	if (!strcmp(fstype, "fuse") || !strcmp(fstype, "fuseblk") || !strncmp(fstype, "fuse.", 5))
		return "FUSE reports no direct I/O alignment: whether O_DIRECT bypasses the page "
		       "cache is the server's choice (FOPEN_DIRECT_IO, libfuse's direct_io option), "
		       "and FUSE has no blk-crypto; --probe measures it";
	if (!strcmp(fstype, "nfs") || !strcmp(fstype, "nfs4"))
		return "NFS reports no direct I/O alignment: O_DIRECT bypasses this client's page "
		       "cache at any alignment, the server's cache is the server's";
	if (!strcmp(fstype, "cifs") || !strcmp(fstype, "smb3"))
		return "SMB reports no direct I/O alignment: O_DIRECT with cache=none bypasses "
		       "this client's page cache, the server's cache is the server's";
	if (!strcmp(fstype, "btrfs"))
		return "btrfs reports no direct I/O alignment: whether O_DIRECT bypasses the page "
		       "cache depends on the file and the kernel (compressed extents, data "
		       "checksums, misaligned requests fall back to buffered I/O); btrfs has no "
		       "fscrypt upstream; --probe measures it";
	if (!strcmp(fstype, "overlay"))
		return "overlayfs passes statx and O_DIRECT to the file below, which did not "
		       "report an alignment";
	return NULL;
}

/* STATX_DIO_READ_ALIGN (6.14): reads may need less than writes. */
static const char *read_note(const struct bca_file *f, char *buf, size_t size)
{
	uint32_t r = bca_file_get_dio_read_offset_align(f);

	if (!bca_file_dio_read_align_known(f) || !r || r == bca_file_get_dio_offset_align(f))
		return "";
	snprintf(buf, size, " (reads: file offsets and lengths aligned to %u bytes)", r);
	return buf;
}

/*
 * The sentence a person needs: for "yes" the exact alignment, because on
 * ext4 an encrypted file's O_DIRECT with a buffer aligned to 512 but not to
 * the memory alignment is quietly served through the page cache.
 */
BCA_EXPORT int bca_file_explain(const struct bca_file *f, char *buf, size_t size)
{
	enum bca_dio_verdict v = bca_file_get_verdict(f);
	const char *note, *fstype;
	char rbuf[96];
	int n;

	switch (v) {
	case BCA_DIO_YES:
		n = snprintf(buf, size,
			     "direct I/O bypasses the page cache when buffers are aligned to %u bytes "
			 "and file offsets and lengths to %u bytes%s%s",
			 bca_file_get_dio_mem_align(f), bca_file_get_dio_offset_align(f),
			 read_note(f, rbuf, sizeof(rbuf)),
			 bca_file_get_policy_version(f) ?
			 "; anything less aligned is served through the page cache" : "");
		if (n >= 0 && (size_t)n < size && bca_file_hole_writes_buffered(f))
			n += snprintf(buf + n, size - (size_t)n,
				      "; writes that fill holes inside the file are served through "
				      "the page cache (a file without extents)");
		break;
	case BCA_DIO_BUFFERED:
		fstype = bca_file_get_fstype(f);
		if (bca_file_get_reason(f) == BCA_REASON_FS_NO_DIO && bca_fs_memory_backed(fstype)) {
			n = snprintf(buf, size, "O_DIRECT is accepted but served through the page "
				     "cache: %s keeps file data in the page cache, there is no "
				     "device below", fstype);
			break;
		}
		n = snprintf(buf, size, "O_DIRECT is accepted but served through the page cache: %s",
			 bca_dio_reason_describe(bca_file_get_reason(f)));
		break;
	case BCA_DIO_NO:
		n = snprintf(buf, size, "no direct I/O: %s",
			 bca_dio_reason_describe(bca_file_get_reason(f)));
		break;
	default:
		note = fs_note(bca_file_get_fstype(f));
		if (note)
			n = snprintf(buf, size, "%s", note);
		else if (bca_file_dio_align_known(f))
			n = snprintf(buf, size, "the kernel reports no direct I/O for this file and "
				     "the cause is unknown");
		else
			n = snprintf(buf, size, "the kernel does not report direct I/O support for "
				     "this file (no STATX_DIOALIGN: a kernel before 6.1, or a "
				     "filesystem that does not say)");
	}
	return n;
}

