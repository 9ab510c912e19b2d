// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * LUKS volumes through libcryptsetup: the header is read and the volume
 * key unlocked only by libcryptsetup (never parsed here), and the key
 * comes back in locked memory for the kernel keyring.  The data segment is
 * described as a crypt or inlinecrypt table; what a table of ours cannot
 * say the way cryptsetup's activation would is refused with the reason.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include <json-c/json.h>
#include <libcryptsetup.h>

#include "internal.h"
#include "dlib.h"

struct bca_luks {
	struct bca_ctx *ctx;
	struct crypt_device *cd;
	char type[8];			/* "LUKS1", "LUKS2" */
	char uuid[40];
	char cipher[128];		/* "aes-xts-plain64" */
	dev_t device;			/* the data device */
	uint64_t device_sectors;
	uint64_t segment_sectors;	/* 0: to the end of the device ("dynamic") */
	bool segment_fixed;
	int segments;			/* LUKS2 data segments; 1 for LUKS1 */
	bool segment_integrity;
};

/* libcryptsetup's log hook is process-wide: whose call is running. */
static __thread struct bca_ctx *cs_log_ctx;

static void cs_log_cb(int level, const char *msg, void *usrptr)
{
	size_t len = strlen(msg);

	(void)usrptr;
	if (!cs_log_ctx)
		return;
	/* its messages end in a newline: our log lines do not */
	while (len && msg[len - 1] == '\n')
		len--;
	bca_log(cs_log_ctx, level == CRYPT_LOG_ERROR ? LOG_ERR : LOG_DEBUG,
		"libcryptsetup: %.*s", (int)len, msg);
}

/* libcryptsetup's default log function prints: ours routes to the context. */
static void cs_enter(struct bca_ctx *ctx)
{
	cs_log_ctx = ctx;
	crypt_set_log_callback(NULL, cs_log_cb, NULL);
}

static void cs_leave(void)
{
	crypt_set_log_callback(NULL, NULL, NULL);
	cs_log_ctx = NULL;
}

/* The data device's number and size, from the device itself. */
static int data_device(struct bca_luks *l, const char *path)
{
	struct stat st;
	uint64_t bytes;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		rc = -errno;
	else if (!S_ISBLK(st.st_mode))
		rc = -ENOTBLK;
	else if (ioctl(fd, BLKGETSIZE64, &bytes) < 0)
		rc = -errno;
	close(fd);
	if (rc < 0)
		return rc;
	l->device = st.st_rdev;
	l->device_sectors = bytes / 512;
	return 0;
}

static int parse_u64_text(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

/*
 * The LUKS2 data segments as libcryptsetup describes them (crypt_dump_json,
 * its own metadata in its own words): how many, whether the one segment
 * is "dynamic" (to the end of the device) or of a fixed size, and whether
 * it carries integrity.  Offsets, cipher and sector size come from the
 * library's getters; only what no getter answers is read here.
 */
static int read_segments(struct bca_luks *l)
{
	struct json_object *root, *segs, *seg, *v;
	const char *json = NULL;
	uint64_t bytes;
	int rc;

	if (strcmp(l->type, CRYPT_LUKS2)) {
		l->segments = 1;
		return 0;
	}
	rc = bca_json_lib_load(l->ctx);
	if (rc < 0)
		return rc;
	rc = crypt_dump_json(l->cd, &json, 0);
	if (rc < 0 || !json)
		return rc < 0 ? rc : -EIO;
	root = json_tokener_parse(json);
	if (!root)
		return -BCA_ERR_PARSE;
	rc = -BCA_ERR_PARSE;
	if (!json_object_object_get_ex(root, "segments", &segs))
		goto out;
	l->segments = json_object_object_length(segs);
	rc = 0;
	if (l->segments != 1 || !json_object_object_get_ex(segs, "0", &seg))
		goto out;
	l->segment_integrity = json_object_object_get_ex(seg, "integrity", &v);
	rc = -BCA_ERR_PARSE;
	if (!json_object_object_get_ex(seg, "size", &v))
		goto out;
	rc = 0;
	if (!strcmp(json_object_get_string(v), "dynamic"))
		goto out;
	rc = parse_u64_text(json_object_get_string(v), &bytes);
	if (rc == 0) {
		l->segment_fixed = true;
		l->segment_sectors = bytes / 512;
	}
out:
	json_object_put(root);
	return rc;
}

BCA_EXPORT int bca_luks_open(struct bca_ctx *ctx, const char *device, const char *header,
			     struct bca_luks **out)
{
	struct bca_luks *l;
	const char *s;
	int rc = bca_cs_lib_load(ctx);

	*out = NULL;
	if (rc < 0)
		return rc;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->ctx = ctx;
	rc = data_device(l, device);
	if (rc < 0) {
		free(l);
		return rc;
	}
	cs_enter(ctx);
	rc = header ? crypt_init_data_device(&l->cd, header, device) : crypt_init(&l->cd, device);
	if (rc == 0)
		rc = crypt_load(l->cd, CRYPT_LUKS, NULL);
	if (rc < 0) {
		bca_dbg(ctx, "%s: no LUKS header: %s", header ? header : device, bca_strerror(rc));
		/* libcryptsetup says -EINVAL for "not a LUKS device" */
		rc = rc == -EINVAL ? -BCA_ERR_NOT_LUKS : rc;
		goto fail;
	}
	snprintf(l->type, sizeof(l->type), "%s", crypt_get_type(l->cd) ?: "");
	snprintf(l->uuid, sizeof(l->uuid), "%s", crypt_get_uuid(l->cd) ?: "");
	s = crypt_get_cipher_mode(l->cd);
	if (snprintf(l->cipher, sizeof(l->cipher), "%s%s%s", crypt_get_cipher(l->cd) ?: "",
		     s && *s ? "-" : "", s ?: "") >= (int)sizeof(l->cipher)) {
		rc = -ENAMETOOLONG;
		goto fail;
	}
	rc = read_segments(l);
	if (rc < 0)
		goto fail;
	cs_leave();
	*out = l;
	return 0;
fail:
	cs_leave();
	bca_luks_free(l);
	return rc;
}

BCA_EXPORT void bca_luks_free(struct bca_luks *l)
{
	if (!l)
		return;
	if (l->cd)
		crypt_free(l->cd);
	free(l);
}

BCA_EXPORT const char *bca_luks_get_type(const struct bca_luks *l) { return l->type; }
BCA_EXPORT const char *bca_luks_get_uuid(const struct bca_luks *l) { return l->uuid; }

/* Maps the header's persistent activation flags; *unknown gets the ones we cannot set. */
static uint32_t persistent_flags(struct bca_luks *l, enum bca_crypt_target target,
				 uint32_t *unknown)
{
	uint32_t f = 0, out = 0;

	*unknown = 0;
	if (crypt_persistent_flags_get(l->cd, CRYPT_FLAGS_ACTIVATION, &f) < 0)
		return 0;
	if (f & CRYPT_ACTIVATE_ALLOW_DISCARDS)
		out |= BCA_CRYPT_ALLOW_DISCARDS;
	f &= ~CRYPT_ACTIVATE_ALLOW_DISCARDS;
	/* dm-crypt's performance options: dm-inlinecrypt has no workqueues to tune */
	if (target == BCA_TARGET_CRYPT) {
		if (f & CRYPT_ACTIVATE_NO_READ_WORKQUEUE)
			out |= BCA_CRYPT_NO_READ_WORKQUEUE;
		if (f & CRYPT_ACTIVATE_NO_WRITE_WORKQUEUE)
			out |= BCA_CRYPT_NO_WRITE_WORKQUEUE;
		*unknown = f & ~(CRYPT_ACTIVATE_NO_READ_WORKQUEUE | CRYPT_ACTIVATE_NO_WRITE_WORKQUEUE);
	} else {
		*unknown = f & ~(CRYPT_ACTIVATE_NO_READ_WORKQUEUE | CRYPT_ACTIVATE_NO_WRITE_WORKQUEUE |
				 CRYPT_ACTIVATE_SAME_CPU_CRYPT | CRYPT_ACTIVATE_SUBMIT_FROM_CRYPT_CPUS);
	}
	return out;
}

BCA_EXPORT int bca_luks_get_params(struct bca_luks *l, enum bca_crypt_target target,
				   struct bca_crypt_params *p, const char **why)
{
	struct crypt_params_integrity ip = { 0 };
	uint32_t unknown, units;
	uint64_t end;
	int ss;

	*why = NULL;
	if (!p || p->struct_size != sizeof(*p)) {
		*why = "invalid parameter structure";
		return -EINVAL;
	}
	cs_enter(l->ctx);
	p->target = target;
	p->cipher = l->cipher;
	p->key_size = (uint32_t)crypt_get_volume_key_size(l->cd);
	p->iv_offset = crypt_get_iv_offset(l->cd);
	p->offset = crypt_get_data_offset(l->cd);
	p->device = l->device;
	ss = crypt_get_sector_size(l->cd);
	p->sector_size = ss > 512 ? (uint32_t)ss : 0;
	p->flags = persistent_flags(l, target, &unknown);
	if (crypt_get_integrity_info(l->cd, &ip) < 0)
		ip.tag_size = 0;
	if (crypt_reencrypt_status(l->cd, NULL) != CRYPT_REENCRYPT_NONE)
		*why = "the volume is being reencrypted: its data has more than one segment "
		       "(finish with cryptsetup reencrypt)";
	else if (l->segments != 1)
		*why = "the header describes more than one data segment";
	else if (ip.tag_size || ip.integrity || l->segment_integrity)
		*why = "the volume has authenticated encryption (integrity), which needs "
		       "dm-integrity under dm-crypt: use cryptsetup open";
	else if (unknown)
		*why = "the header's persistent flags ask for dm-crypt options dmcrypt-inline "
		       "does not set (same_cpu_crypt, submit_from_crypt_cpus): use cryptsetup open";
	else if (target == BCA_TARGET_INLINECRYPT && strcmp(l->cipher, "aes-xts-plain64"))
		*why = "dm-inlinecrypt supports only aes-xts-plain64; the volume's cipher is "
		       "another: use --target crypt";
	else if (target == BCA_TARGET_INLINECRYPT && p->key_size != 64)
		*why = "dm-inlinecrypt takes a 512-bit key (AES-256-XTS); the volume key has "
		       "another size: use --target crypt";
	else if (target == BCA_TARGET_INLINECRYPT && p->sector_size > 512)
		*why = "the volume's IVs count 512-byte sectors within its larger encryption "
		       "sectors, as LUKS2 always does, and dm-inlinecrypt can only count "
		       "sector-size units (iv_large_sectors): use --target crypt";
	cs_leave();
	if (*why)
		return -EOPNOTSUPP;
	units = p->sector_size ? p->sector_size / 512 : 1;
	*why = "the data segment starts beyond the end of the device";
	if (p->offset >= l->device_sectors)
		return -EINVAL;
	end = l->segment_fixed ? p->offset + l->segment_sectors : l->device_sectors;
	*why = "the data segment ends beyond the end of the device";
	if (end > l->device_sectors)
		return -EINVAL;
	p->size = end - p->offset;
	/* cryptsetup maps whole encryption sectors only, as we do */
	if (!l->segment_fixed)
		p->size -= p->size % units;
	*why = "the data segment is smaller than one encryption sector";
	if (!p->size)
		return -EINVAL;
	*why = "the data segment's offset or size is not a multiple of its sector size";
	if (p->offset % units || p->size % units)
		return -EINVAL;
	*why = NULL;
	return 0;
}

/*
 * libcryptsetup wipes the key material it allocates, but the keyslot
 * decryption and the digest check (OpenSSL's PBKDF2 and HMAC, the AF
 * merge, memcpy through vector registers) leave copies of the volume key
 * in the vector registers and in stack frames below ours, and the next
 * lazy symbol binding (the dynamic linker saves every register with
 * XSAVE on the stack) or signal frame spills the registers there again:
 * on this project's build machine (AVX-512: glibc's memcpy moves 64 bytes
 * through ymm16/ymm17), a core dump taken after the unlock held the key
 * twice, at the stack addresses the next lazy binding saved them to.  So the
 * registers are cleared first, then the stack those calls used is
 * overwritten from the same depth, as libgcrypt's _gcry_burn_stack()
 * does for its own functions.  Both are local calls: no binding between.
 */
static __attribute__((noinline)) void burn_registers(void)
{
#if defined(__x86_64__)
	/* glibc's EVEX memcpy uses ymm16-31, which vzeroall leaves alone */
	if (__builtin_cpu_supports("avx512f"))
		__asm__ __volatile__(
			"vpxord %%zmm16, %%zmm16, %%zmm16\n\tvpxord %%zmm17, %%zmm17, %%zmm17\n\t"
			"vpxord %%zmm18, %%zmm18, %%zmm18\n\tvpxord %%zmm19, %%zmm19, %%zmm19\n\t"
			"vpxord %%zmm20, %%zmm20, %%zmm20\n\tvpxord %%zmm21, %%zmm21, %%zmm21\n\t"
			"vpxord %%zmm22, %%zmm22, %%zmm22\n\tvpxord %%zmm23, %%zmm23, %%zmm23\n\t"
			"vpxord %%zmm24, %%zmm24, %%zmm24\n\tvpxord %%zmm25, %%zmm25, %%zmm25\n\t"
			"vpxord %%zmm26, %%zmm26, %%zmm26\n\tvpxord %%zmm27, %%zmm27, %%zmm27\n\t"
			"vpxord %%zmm28, %%zmm28, %%zmm28\n\tvpxord %%zmm29, %%zmm29, %%zmm29\n\t"
			"vpxord %%zmm30, %%zmm30, %%zmm30\n\tvpxord %%zmm31, %%zmm31, %%zmm31\n\t"
			"vpxord %%zmm0, %%zmm0, %%zmm0\n\tvpxord %%zmm1, %%zmm1, %%zmm1\n\t"
			"vpxord %%zmm2, %%zmm2, %%zmm2\n\tvpxord %%zmm3, %%zmm3, %%zmm3\n\t"
			"vpxord %%zmm4, %%zmm4, %%zmm4\n\tvpxord %%zmm5, %%zmm5, %%zmm5\n\t"
			"vpxord %%zmm6, %%zmm6, %%zmm6\n\tvpxord %%zmm7, %%zmm7, %%zmm7\n\t"
			"vpxord %%zmm8, %%zmm8, %%zmm8\n\tvpxord %%zmm9, %%zmm9, %%zmm9\n\t"
			"vpxord %%zmm10, %%zmm10, %%zmm10\n\tvpxord %%zmm11, %%zmm11, %%zmm11\n\t"
			"vpxord %%zmm12, %%zmm12, %%zmm12\n\tvpxord %%zmm13, %%zmm13, %%zmm13\n\t"
			"vpxord %%zmm14, %%zmm14, %%zmm14\n\tvpxord %%zmm15, %%zmm15, %%zmm15\n\t"
			"vzeroupper" : : : "memory");
	else if (__builtin_cpu_supports("avx"))
		__asm__ __volatile__("vzeroall" : : : "memory");
	else
		__asm__ __volatile__(
			"pxor %%xmm0, %%xmm0\n\tpxor %%xmm1, %%xmm1\n\tpxor %%xmm2, %%xmm2\n\t"
			"pxor %%xmm3, %%xmm3\n\tpxor %%xmm4, %%xmm4\n\tpxor %%xmm5, %%xmm5\n\t"
			"pxor %%xmm6, %%xmm6\n\tpxor %%xmm7, %%xmm7\n\tpxor %%xmm8, %%xmm8\n\t"
			"pxor %%xmm9, %%xmm9\n\tpxor %%xmm10, %%xmm10\n\tpxor %%xmm11, %%xmm11\n\t"
			"pxor %%xmm12, %%xmm12\n\tpxor %%xmm13, %%xmm13\n\tpxor %%xmm14, %%xmm14\n\t"
			"pxor %%xmm15, %%xmm15" : : : "memory");
#endif
}

static __attribute__((noinline)) void burn_stack(void)
{
	volatile char buf[256 * 1024];

	/* a loop, not explicit_bzero(): no call that might bind lazily */
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = 0;
}

/* Unlocks with the keyslot context kc into locked memory: 0 or libcryptsetup's error. */
static int volume_key(struct bca_luks *l, struct crypt_keyslot_context *kc,
		      struct bca_secret **out)
{
	struct bca_secret *vk = NULL;
	size_t size = (size_t)crypt_get_volume_key_size(l->cd);
	int rc;

	*out = NULL;
	if (!size)
		return -EINVAL;
	rc = bca_secret_new(size, &vk);
	if (rc < 0)
		return rc;
	rc = crypt_volume_key_get_by_keyslot_context(l->cd, CRYPT_ANY_SLOT,
						     bca_secret_get_data(vk), &size, kc);
	burn_registers();
	burn_stack();
	if (rc < 0 || size != bca_secret_get_size(vk)) {
		bca_secret_free(vk);
		return rc < 0 ? rc : -EIO;
	}
	bca_dbg(l->ctx, "volume key unlocked from keyslot %d", rc);
	*out = vk;
	return 0;
}

BCA_EXPORT int bca_luks_unlock_passphrase(struct bca_luks *l, const void *pass, size_t size,
					  struct bca_secret **vk)
{
	struct crypt_keyslot_context *kc = NULL;
	int rc;

	cs_enter(l->ctx);
	rc = crypt_keyslot_context_init_by_passphrase(l->cd, pass, size, &kc);
	if (rc == 0)
		rc = volume_key(l, kc, vk);
	crypt_keyslot_context_free(kc);
	cs_leave();
	return rc;
}

BCA_EXPORT int bca_luks_unlock_token(struct bca_luks *l, int token, struct bca_secret **vk)
{
	struct crypt_keyslot_context *kc = NULL;
	int rc;

	cs_enter(l->ctx);
	rc = crypt_keyslot_context_init_by_token(l->cd, token < 0 ? CRYPT_ANY_TOKEN : token, NULL,
						 NULL, 0, NULL, &kc);
	if (rc == 0)
		rc = volume_key(l, kc, vk);
	crypt_keyslot_context_free(kc);
	cs_leave();
	return rc;
}
