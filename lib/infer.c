// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The direct I/O verdict inferred from what a stock kernel shows: statx
 * first, then the fscrypt policy, the mount's superblock options, the inode
 * flags and the device's crypto profile.  A pure function of its inputs, so
 * that the unit tests can replay what each kernel (6.1, 6.12, 6.18, 7.3)
 * reports and check the verdict, the reason and who encrypts.
 *
 * statx decides whether direct I/O happens; the other facts only explain
 * it.  That keeps the inference right on kernels whose rules differ: on 7.3
 * ("Standardize on blk-crypto") every encrypted file gets direct I/O through
 * blk-crypto-fallback without inlinecrypt, and statx says so.  The one
 * exception is f2fs's inline data, where statx speaks for writes only and
 * FIEMAP shows what reads do.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "uapi/fscrypt.h"

#ifndef FS_INLINE_DATA_FL
#define FS_INLINE_DATA_FL	0x10000000
#endif
#ifndef FS_JOURNAL_DATA_FL
#define FS_JOURNAL_DATA_FL	0x00004000
#endif

static bool has_inlinecrypt(const struct bca_facts *in)
{
	return in->super_opts && bca_opt_has(in->super_opts, "inlinecrypt", NULL);
}

bool bca_fs_memory_backed(const char *fstype)
{
	return fstype && (!strcmp(fstype, "tmpfs") || !strcmp(fstype, "ramfs"));
}

/*
 * An f2fs file whose data FIEMAP shows inline: f2fs_getattr() before
 * STATX_DIO_READ_ALIGN reports the alignment of direct writes (which
 * convert the inline data first), but f2fs_force_buffered_io(READ) sends
 * direct reads of inline data through the page cache.
 */
static bool f2fs_inline_reads(const struct bca_facts *in)
{
	return in->inline_data == 1 && in->fstype && !strcmp(in->fstype, "f2fs");
}

/*
 * Reasons any file may be buffered, encrypted or not, in the order ext4's
 * ext4_dio_alignment() tests them (verity, data journaling, inline data),
 * which all come before encryption.
 */
static enum bca_dio_reason fs_reason(const struct bca_facts *in)
{
	const char *data;

	if (in->stx.stx_attributes & STATX_ATTR_VERITY)
		return BCA_REASON_VERITY;
	if (in->inode_flags_known && (in->inode_flags & FS_JOURNAL_DATA_FL))
		return BCA_REASON_DATA_JOURNAL;
	if (in->super_opts && bca_opt_has(in->super_opts, "data", &data) &&
	    data && !strncmp(data, "journal", 7) && (data[7] == ',' || !data[7]))
		return BCA_REASON_DATA_JOURNAL;
	if (in->inode_flags_known && (in->inode_flags & FS_INLINE_DATA_FL))
		return BCA_REASON_INLINE_DATA;
	return BCA_REASON_NONE;
}

/*
 * Why fscrypt did not choose blk-crypto for an encrypted file, following
 * fscrypt_select_encryption_impl(): a mode without a blk-crypto equivalent,
 * IV_INO_LBLK_32 with a block size other than the page size, no inlinecrypt,
 * or no device (nor the fallback) supporting the configuration.
 */
static enum bca_dio_reason crypto_reason(const struct bca_facts *in)
{
	if (in->pol.version && !bca_blk_crypto_mode_of(in->pol.contents_mode))
		return BCA_REASON_MODE_NO_INLINE;
	if ((in->pol.flags & FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32) &&
	    in->page_size && in->stx.stx_blksize != (uint32_t)in->page_size)
		return BCA_REASON_IV_INO_LBLK_32_BLOCKSIZE;
	if (in->super_opts && !has_inlinecrypt(in))
		return BCA_REASON_NO_INLINECRYPT;
	if (has_inlinecrypt(in) && in->pol.version && in->dev_crypto == 0 && in->fallback != 1)
		return BCA_REASON_DEVICE_NO_CRYPTO;
	return BCA_REASON_UNKNOWN;
}

/*
 * Who encrypts a file that blk-crypto serves.  Without inlinecrypt, a
 * kernel that still gives it direct I/O (7.3+) uses blk-crypto-fallback:
 * inlinecrypt is what allows the hardware.
 */
static enum bca_crypto_impl blk_crypto_impl(const struct bca_facts *in)
{
	if (!in->super_opts)
		return BCA_CRYPTO_UNKNOWN;
	if (!has_inlinecrypt(in))
		return BCA_CRYPTO_INLINE_FALLBACK;
	if (in->dev_crypto < 0)
		return BCA_CRYPTO_UNKNOWN;
	return in->dev_crypto ? BCA_CRYPTO_INLINE_HW : BCA_CRYPTO_INLINE_FALLBACK;
}

void bca_infer_verdict(const struct bca_facts *in, struct bca_verdict *out)
{
	const struct bca_statx *st = &in->stx;
	bool encrypted = in->pol.version || (st->stx_attributes & STATX_ATTR_ENCRYPTED);
	bool dio_known = st->stx_mask & STATX_DIOALIGN;
	bool dio_ok = st->stx_dio_mem_align && st->stx_dio_offset_align;
	enum bca_dio_reason r;

	out->verdict = BCA_DIO_UNKNOWN;
	out->reason = BCA_REASON_UNKNOWN;
	out->crypto = encrypted ? BCA_CRYPTO_UNKNOWN : BCA_CRYPTO_NONE;

	if (!S_ISREG(st->stx_mode)) {
		out->verdict = BCA_DIO_NO;
		out->reason = BCA_REASON_NOT_REGULAR;
		return;
	}
	if (encrypted && in->key == BCA_KEY_ABSENT) {
		/* open() itself fails with ENOKEY, O_DIRECT or not */
		out->verdict = BCA_DIO_NO;
		out->reason = BCA_REASON_KEY_ABSENT;
		return;
	}
	if (in->odirect_refused) {
		out->verdict = BCA_DIO_NO;
		out->reason = BCA_REASON_FS_NO_DIO;
		return;
	}
	if (bca_fs_memory_backed(in->fstype)) {
		/* tmpfs accepts O_DIRECT (6.6+), but its data is the page cache */
		out->verdict = BCA_DIO_BUFFERED;
		out->reason = BCA_REASON_FS_NO_DIO;
		return;
	}
	if (!dio_known)
		return;		/* before 6.1, or a filesystem that does not say */
	if (dio_ok && f2fs_inline_reads(in)) {
		out->verdict = BCA_DIO_BUFFERED;
		out->reason = BCA_REASON_INLINE_DATA;
		return;
	}
	if (dio_ok) {
		out->verdict = BCA_DIO_YES;
		out->reason = BCA_REASON_NONE;
		if (encrypted)
			out->crypto = blk_crypto_impl(in);
		return;
	}
	out->verdict = BCA_DIO_BUFFERED;
	r = fs_reason(in);
	if (r != BCA_REASON_NONE) {
		out->reason = r;
		/*
		 * fscrypt chose its implementation regardless: blk-crypto when
		 * inlinecrypt allowed it, else fs-layer before 7.3 and the
		 * fallback after, which statx cannot tell apart here.
		 */
		if (encrypted && has_inlinecrypt(in) && crypto_reason(in) == BCA_REASON_UNKNOWN)
			out->crypto = blk_crypto_impl(in);
		return;
	}
	if (!encrypted)
		return;
	out->reason = crypto_reason(in);
	/* a known reason means fscrypt kept its own software crypto */
	if (out->reason != BCA_REASON_UNKNOWN)
		out->crypto = BCA_CRYPTO_FS_LAYER;
}
