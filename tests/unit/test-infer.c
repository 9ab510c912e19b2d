// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The inference against what real kernels report.  Each case is what
 * statx, the policy, mountinfo and sysfs showed for one kind of file on
 * one kernel: Debian 12's 6.1, our 6.12 guest, this project's 6.18 host
 * (no blk-crypto), and 7.3, where fscrypt encrypts all contents through
 * blk-crypto ("Standardize on blk-crypto") and inlinecrypt only allows the
 * hardware.  The verdict must follow statx on each, never one kernel's rules.
 */
#include "config.h"

#include <sys/stat.h>

#include "internal.h"
#include "tap.h"
#include "uapi/fscrypt.h"

#define ENC	STATX_ATTR_ENCRYPTED
#define VERITY	STATX_ATTR_VERITY

struct kase {
	const char *name;
	uint64_t attrs;
	bool dio_known;
	uint32_t mem, off;		/* STATX_DIOALIGN */
	uint32_t blksize;
	int contents;			/* 0: no policy */
	unsigned int pflags;
	enum bca_key_status key;
	const char *fstype, *opts;
	unsigned int iflags;		/* FS_IOC_GETFLAGS, 0 unknown */
	int dev_crypto, fallback;
	enum bca_dio_verdict verdict;
	enum bca_dio_reason reason;
	enum bca_crypto_impl crypto;
};

#define AES FSCRYPT_MODE_AES_256_XTS
#define P BCA_KEY_PRESENT

static const struct kase cases[] = {
	/* Debian 12, 6.1: inlinecrypt and blk-crypto-fallback built in */
	{ "6.1 plain file", 0, true, 512, 512, 4096, 0, 0, BCA_KEY_NOT_APPLICABLE,
	  "ext4", "rw", 0, -1, -1, BCA_DIO_YES, BCA_REASON_NONE, BCA_CRYPTO_NONE },
	{ "6.1 encrypted, no inlinecrypt", ENC, true, 0, 0, 4096, AES, 2, P,
	  "ext4", "rw", 0, -1, -1, BCA_DIO_BUFFERED, BCA_REASON_NO_INLINECRYPT, BCA_CRYPTO_FS_LAYER },
	{ "6.1 encrypted, inlinecrypt, no profile", ENC, true, 4096, 4096, 4096, AES, 2, P,
	  "ext4", "rw,inlinecrypt", 0, 0, 1, BCA_DIO_YES, BCA_REASON_NONE, BCA_CRYPTO_INLINE_FALLBACK },
	{ "6.1 encrypted, key absent", ENC, true, 0, 0, 4096, AES, 2, BCA_KEY_ABSENT,
	  "ext4", "rw,inlinecrypt", 0, -1, -1, BCA_DIO_NO, BCA_REASON_KEY_ABSENT, BCA_CRYPTO_UNKNOWN },
	{ "6.1 IV_INO_LBLK_32 with 1 KiB blocks", ENC, true, 0, 0, 1024, AES,
	  2 | FSCRYPT_POLICY_FLAG_IV_INO_LBLK_32, P, "ext4", "rw,inlinecrypt", 0, 0, 1,
	  BCA_DIO_BUFFERED, BCA_REASON_IV_INO_LBLK_32_BLOCKSIZE, BCA_CRYPTO_FS_LAYER },
	/* 6.12 guest: blk-crypto-fallback, and hardware profiles */
	{ "6.12 encrypted, inlinecrypt, hardware", ENC, true, 4096, 4096, 4096, AES, 2, P,
	  "ext4", "rw,inlinecrypt", 0, 1, 1, BCA_DIO_YES, BCA_REASON_NONE, BCA_CRYPTO_INLINE_HW },
	{ "6.12 encrypted verity file, inlinecrypt", ENC | VERITY, true, 0, 0, 4096, AES, 2, P,
	  "ext4", "rw,inlinecrypt", 0, 0, 1, BCA_DIO_BUFFERED, BCA_REASON_VERITY, BCA_CRYPTO_INLINE_FALLBACK },
	{ "6.12 data=journal", 0, true, 0, 0, 4096, 0, 0, BCA_KEY_NOT_APPLICABLE,
	  "ext4", "rw,data=journal", 0, -1, -1, BCA_DIO_BUFFERED, BCA_REASON_DATA_JOURNAL, BCA_CRYPTO_NONE },
	{ "6.12 inline data", 0, true, 0, 0, 4096, 0, 0, BCA_KEY_NOT_APPLICABLE,
	  "ext4", "rw", 0x10000000, -1, -1, BCA_DIO_BUFFERED, BCA_REASON_INLINE_DATA, BCA_CRYPTO_NONE },
	{ "6.12 tmpfs", 0, false, 0, 0, 4096, 0, 0, BCA_KEY_NOT_APPLICABLE,
	  "tmpfs", "rw", 0, -1, -1, BCA_DIO_BUFFERED, BCA_REASON_FS_NO_DIO, BCA_CRYPTO_NONE },
	{ "6.12 FUSE: no STATX_DIOALIGN", 0, false, 0, 0, 4096, 0, 0, BCA_KEY_NOT_APPLICABLE,
	  "fuse.fuse2fs", "rw", 0, -1, -1, BCA_DIO_UNKNOWN, BCA_REASON_UNKNOWN, BCA_CRYPTO_NONE },
	/* 6.18 host: CONFIG_BLK_INLINE_ENCRYPTION off, inlinecrypt dropped */
	{ "6.18 encrypted, inlinecrypt dropped", ENC, true, 0, 0, 4096, AES, 2, P,
	  "ext4", "rw", 0, -1, 0, BCA_DIO_BUFFERED, BCA_REASON_NO_INLINECRYPT, BCA_CRYPTO_FS_LAYER },
	{ "6.18 inlinecrypt kept, no profile, no fallback", ENC, true, 0, 0, 4096, AES, 2, P,
	  "ext4", "rw,inlinecrypt", 0, 0, 0, BCA_DIO_BUFFERED, BCA_REASON_DEVICE_NO_CRYPTO, BCA_CRYPTO_FS_LAYER },
	{ "6.18 inlinecrypt kept, hardware, still buffered: no guess", ENC, true, 0, 0, 4096, AES, 2, P,
	  "ext4", "rw,inlinecrypt", 0, 1, -1, BCA_DIO_BUFFERED, BCA_REASON_UNKNOWN, BCA_CRYPTO_UNKNOWN },
	/* 7.3: all contents encryption through blk-crypto */
	{ "7.3 encrypted, no inlinecrypt: direct through the fallback", ENC, true, 4096, 4096, 4096, AES, 2, P,
	  "ext4", "rw", 0, -1, -1, BCA_DIO_YES, BCA_REASON_NONE, BCA_CRYPTO_INLINE_FALLBACK },
	{ "7.3 no inlinecrypt on a hardware device: still the fallback", ENC, true, 4096, 4096, 4096, AES, 2, P,
	  "ext4", "rw", 0, 1, -1, BCA_DIO_YES, BCA_REASON_NONE, BCA_CRYPTO_INLINE_FALLBACK },
	{ "7.3 inlinecrypt on a hardware device", ENC, true, 4096, 4096, 4096, AES, 2, P,
	  "ext4", "rw,inlinecrypt", 0, 1, -1, BCA_DIO_YES, BCA_REASON_NONE, BCA_CRYPTO_INLINE_HW },
	{ "7.3 encrypted data=journal: buffered, who encrypts unknown", ENC, true, 0, 0, 4096, AES, 2, P,
	  "ext4", "rw,data=journal", 0, -1, -1, BCA_DIO_BUFFERED, BCA_REASON_DATA_JOURNAL, BCA_CRYPTO_UNKNOWN },
	{ "7.3 f2fs encrypted, no inlinecrypt", ENC, true, 4096, 4096, 4096, AES, 2, P,
	  "f2fs", "rw,lazytime", 0, -1, -1, BCA_DIO_YES, BCA_REASON_NONE, BCA_CRYPTO_INLINE_FALLBACK },
	/* no mount information at all: nothing to say who encrypts */
	{ "encrypted, direct, mount unknown", ENC, true, 4096, 4096, 4096, AES, 2, P,
	  NULL, NULL, 0, -1, -1, BCA_DIO_YES, BCA_REASON_NONE, BCA_CRYPTO_UNKNOWN },
	{ "before 6.1: no STATX_DIOALIGN on ext4", 0, false, 0, 0, 4096, 0, 0, BCA_KEY_NOT_APPLICABLE,
	  "ext4", "rw", 0, -1, -1, BCA_DIO_UNKNOWN, BCA_REASON_UNKNOWN, BCA_CRYPTO_NONE },
	{ "not a regular file", 0, true, 0, 0, 4096, 0, 0, BCA_KEY_NOT_APPLICABLE,
	  "ext4", "rw", 0, -1, -1, BCA_DIO_NO, BCA_REASON_NOT_REGULAR, BCA_CRYPTO_NONE },
};

/*
 * f2fs on stock kernels (6.1..7.3): statx gives the alignment of direct
 * writes, which convert inline data first, while direct reads of inline
 * data go through the page cache; FIEMAP's first extent tells.  inline_data
 * is its answer: 1 FIEMAP_EXTENT_DATA_INLINE, 0 on the device, -1 none.
 */
static const struct {
	struct kase k;
	int inline_data;
} fiemap_cases[] = {
	{ { "7.3 f2fs inline data on a stock kernel: statx says 4096/4096, FIEMAP says inline",
	    0, true, 4096, 4096, 4096, 0, 0, BCA_KEY_NOT_APPLICABLE, "f2fs", "rw,lazytime", 0,
	    -1, -1, BCA_DIO_BUFFERED, BCA_REASON_INLINE_DATA, BCA_CRYPTO_NONE }, 1 },
	{ { "7.3 f2fs small file, FIEMAP unanswered: statx stands",
	    0, true, 4096, 4096, 4096, 0, 0, BCA_KEY_NOT_APPLICABLE, "f2fs", "rw,lazytime", 0,
	    -1, -1, BCA_DIO_YES, BCA_REASON_NONE, BCA_CRYPTO_NONE }, -1 },
};

static void facts_of(const struct kase *k, struct bca_facts *in)
{
	memset(in, 0, sizeof(*in));
	in->stx.stx_mask = STATX_BASIC_STATS | (k->dio_known ? STATX_DIOALIGN : 0);
	in->stx.stx_mode = (strcmp(k->name, "not a regular file") ? S_IFREG : S_IFDIR) | 0644;
	in->stx.stx_attributes = k->attrs;
	in->stx.stx_attributes_mask = ENC | VERITY;
	in->stx.stx_blksize = k->blksize;
	in->stx.stx_dio_mem_align = k->mem;
	in->stx.stx_dio_offset_align = k->off;
	if (k->contents) {
		in->pol.version = 2;
		in->pol.contents_mode = k->contents;
		in->pol.filenames_mode = FSCRYPT_MODE_AES_256_CTS;
		in->pol.flags = k->pflags;
	}
	in->key = k->key;
	in->fstype = k->fstype;
	in->super_opts = k->opts;
	in->inode_flags = k->iflags;
	in->inode_flags_known = true;
	in->dev_crypto = k->dev_crypto;
	in->fallback = k->fallback;
	in->page_size = 4096;
}

/* The verdict, reason and crypto inferred from k's facts (inline_data: FIEMAP's) */
static void check(const struct kase *k, int inline_data)
{
	char name[160];
	struct bca_facts in;
	struct bca_verdict v;

	facts_of(k, &in);
	in.inline_data = inline_data;
	bca_infer_verdict(&in, &v);
	snprintf(name, sizeof(name), "%s: verdict", k->name);
	is_str(bca_dio_verdict_name(v.verdict), bca_dio_verdict_name(k->verdict), name);
	snprintf(name, sizeof(name), "%s: reason", k->name);
	is_str(bca_dio_reason_name(v.reason), bca_dio_reason_name(k->reason), name);
	snprintf(name, sizeof(name), "%s: crypto", k->name);
	is_str(bca_crypto_impl_name(v.crypto), bca_crypto_impl_name(k->crypto), name);
}

int main(void)
{
	plan((int)(BCA_ARRAY_SIZE(cases) + BCA_ARRAY_SIZE(fiemap_cases)) * 3 + 5);
	for (size_t i = 0; i < BCA_ARRAY_SIZE(cases); i++)
		check(&cases[i], -1);
	for (size_t i = 0; i < BCA_ARRAY_SIZE(fiemap_cases); i++)
		check(&fiemap_cases[i].k, fiemap_cases[i].inline_data);
	is_int(bca_config_line_fallback("CONFIG_BLK_INLINE_ENCRYPTION_FALLBACK=y\n"), 1,
	       "config: fallback built in");
	is_int(bca_config_line_fallback("# CONFIG_BLK_INLINE_ENCRYPTION_FALLBACK is not set\n"), 0,
	       "config: fallback not set");
	is_int(bca_config_line_fallback("# CONFIG_BLK_INLINE_ENCRYPTION is not set\n"), 0,
	       "config: no blk-crypto at all");
	is_int(bca_config_line_fallback("CONFIG_BLK_INLINE_ENCRYPTION=y\n"), -1,
	       "config: blk-crypto alone says nothing of the fallback");
	is_int(bca_config_line_fallback("CONFIG_BLK_INLINE_ENCRYPTION_FALLBACKX=y\n"), -1,
	       "config: a longer name does not match");
	return done_testing();
}
