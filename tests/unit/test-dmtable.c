// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dm-crypt and dm-inlinecrypt table model on the host: masking a key
 * on buffers of exactly its size, the parameter check and its reasons,
 * the formatted line, and taking status lines apart (ours and upstream's,
 * every formatted one read back equal).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "internal.h"
#include "dmcrypt.h"
#include "tap.h"

/* Masks a heap copy of exactly strlen(in) + 1 bytes, so ASan sees any overrun. */
static void check(const char *in, const char *want, const char *name)
{
	size_t n = strlen(in) + 1;
	char *line = malloc(n);

	memcpy(line, in, n);
	bca_table_mask_key(line);
	is_str(line, want, name);
	free(line);
}

/* A valid dm-inlinecrypt parameter set, 4096-byte sectors. */
static struct bca_crypt_params inline_params(void)
{
	return (struct bca_crypt_params){
		.struct_size = sizeof(struct bca_crypt_params),
		.target = BCA_TARGET_INLINECRYPT, .cipher = "aes-xts-plain64",
		.key_size = 64, .key_desc = "dmcrypt-inline:x", .iv_offset = 16,
		.device = makedev(254, 16), .offset = 8, .size = 2048, .sector_size = 4096,
		.flags = BCA_CRYPT_IV_LARGE_SECTORS | BCA_CRYPT_ALLOW_DISCARDS,
	};
}

/* What the check says of p: "ok" or "ERRNO: reason". */
static const char *verdict(const struct bca_crypt_params *p)
{
	static char buf[256];
	int rc = bca_crypt_params_check(p);
	const char *why = bca_crypt_params_reason(p);

	if (rc == 0)
		return why ? "ok with a reason" : "ok";
	snprintf(buf, sizeof(buf), "%s: %s", rc == -EOPNOTSUPP ? "EOPNOTSUPP" :
		 rc == -EINVAL ? "EINVAL" : "other", why ? why : "(none)");
	return buf;
}

static void refused(void (*change)(struct bca_crypt_params *), const char *want, const char *name)
{
	struct bca_crypt_params p = inline_params();

	change(&p);
	is_str(verdict(&p), want, name);
}

static void other_cipher(struct bca_crypt_params *p) { p->cipher = "aes-cbc-essiv:sha256"; }
static void key_256(struct bca_crypt_params *p) { p->key_size = 32; }
static void sector_3000(struct bca_crypt_params *p) { p->sector_size = 3000; }
static void sector_8192(struct bca_crypt_params *p) { p->sector_size = 8192; }
static void no_large(struct bca_crypt_params *p) { p->flags &= ~BCA_CRYPT_IV_LARGE_SECTORS; }
static void workqueue(struct bca_crypt_params *p) { p->flags |= BCA_CRYPT_NO_READ_WORKQUEUE; }
static void iv_odd(struct bca_crypt_params *p) { p->iv_offset = 3; }
static void size_odd(struct bca_crypt_params *p) { p->size = 2047; }
static void large_512(struct bca_crypt_params *p) { p->sector_size = 512; }
static void unknown_flag(struct bca_crypt_params *p) { p->flags |= 1u << 20; }

/*
 * Key descriptions the kernel's dm_split_args() would not read back as
 * one word: its isspace() includes 0xA0 (lib/ctype.c), a backslash escapes
 * the next byte.  Issue 28: "svc:vol\xa00\xa0254:16\xa00" loaded a table
 * of another device.  Returns how many of them the check let through.
 */
static int splitting_descs_accepted(void)
{
	static const char *const descs[] = {
		"svc:vol\xa0" "0\xa0" "254:16\xa0" "0", "a\xa0z", "a\\ z", "a\\z", "a z", "a\tz",
		"a\vz", "a\fz", "a\rz", "a\x85z", "a\x7fz", "a\xffz", "\xc2\xa0",
	};
	struct bca_crypt_params p = inline_params();
	int accepted = 0;

	for (size_t i = 0; i < sizeof(descs) / sizeof(descs[0]); i++) {
		p.key_desc = descs[i];
		if (bca_crypt_params_check(&p) != -EINVAL) {
			printf("# accepted: key description #%zu\n", i);
			accepted++;
		}
	}
	return accepted;
}

/* What the library reads off LINE, as one string, or "ERRNO" when it refuses it. */
static const char *parsed(const char *line)
{
	static char got[2048];
	struct bca_crypt_table *t;
	const struct bca_crypt_params *p;
	int rc = bca_crypt_table_parse(line, &t);

	if (rc < 0) {
		snprintf(got, sizeof(got), "%s", rc == -EMEDIUMTYPE ? "EMEDIUMTYPE" :
			 rc == -EINVAL ? "EINVAL" : "other");
		return got;
	}
	p = &t->params;
	snprintf(got, sizeof(got), "%s|%s|%u|%s:%s|%llu|%u:%u|%llu|%llu|%u|0x%x|%s|%u|%s",
		 p->target == BCA_TARGET_CRYPT ? "crypt" : "inlinecrypt", p->cipher, p->key_size,
		 t->key_type ? t->key_type : "table", p->key_desc ? p->key_desc : "",
		 (unsigned long long)p->iv_offset, major(p->device), minor(p->device),
		 (unsigned long long)p->offset, (unsigned long long)p->size, p->sector_size,
		 p->flags, t->options, t->unknown_options,
		 crypt_table_managed(t) ? "managed" : "foreign");
	bca_crypt_table_free(t);
	return got;
}

/* Every flag combination and sector size, both targets: what we format, we read back equal. */
static void round_trips(void)
{
	static const uint32_t sectors[] = { 0, 512, 1024, 4096 };
	struct bca_crypt_params p = inline_params();
	struct bca_crypt_table *t;
	unsigned int tried = 0, bad = 0;
	char line[512];

	for (int target = 0; target < 2; target++)
		for (uint32_t flags = 0; flags < 32; flags++)
			for (size_t s = 0; s < sizeof(sectors) / sizeof(sectors[0]); s++) {
				p.target = target ? BCA_TARGET_INLINECRYPT : BCA_TARGET_CRYPT;
				p.flags = flags;
				p.sector_size = sectors[s];
				if (bca_crypt_format_table(&p, line, sizeof(line)) < 0)
					continue;	/* refused by the check */
				tried++;
				if (bca_crypt_table_parse(line, &t) < 0) {
					bad++;
					continue;
				}
				bad += t->params.target != p.target || t->params.flags != p.flags ||
				       (t->params.sector_size ? t->params.sector_size : 512) !=
					       (p.sector_size ? p.sector_size : 512) ||
				       t->params.key_size != p.key_size ||
				       strcmp(t->params.key_desc, p.key_desc) ||
				       strcmp(t->params.cipher, p.cipher) ||
				       t->params.iv_offset != p.iv_offset ||
				       t->params.device != p.device || t->params.offset != p.offset ||
				       t->params.size != p.size || t->unknown_options ||
				       bca_crypt_params_check(&t->params) != 0;
				bca_crypt_table_free(t);
			}
	ok(tried > 60, "many valid parameter sets formatted (%u)", tried);
	is_int((int)bad, 0, "each one parses back to the same parameters");
}

int main(void)
{
	struct bca_crypt_params p = inline_params();
	char line[512];

	plan(37);
	check("0 8 crypt aes-xts-plain64 00112233aabbccdd 0 7:2 0",
	      "0 8 crypt aes-xts-plain64 - 0 7:2 0", "a hex key becomes -");
	check("0 8 crypt aes-xts-plain64 :64:logon:bca:x 0 7:2 0",
	      "0 8 crypt aes-xts-plain64 :64:logon:bca:x 0 7:2 0", "a keyring reference stays");
	check("0 8 crypt aes-xts-plain64  0 7:2 0",
	      "0 8 crypt aes-xts-plain64  0 7:2 0", "an empty key field stays, without overrun");
	check("0 8 crypt aes-xts-plain64 0011", "0 8 crypt aes-xts-plain64 -",
	      "a key at the end of the line");
	check("0 8 crypt", "0 8 crypt", "a line without a key field");
	check("0 8 inlinecrypt aes-xts-plain64 00112233 0 0 7:2 0",
	      "0 8 inlinecrypt aes-xts-plain64 - 0 0 7:2 0", "upstream's inlinecrypt line: key masked");

	is_str(verdict(&p), "ok", "inlinecrypt: 4096-byte sectors with iv_large_sectors");
	refused(other_cipher, "EOPNOTSUPP: dm-inlinecrypt supports only the cipher aes-xts-plain64",
		"inlinecrypt: another cipher");
	refused(key_256, "EINVAL: dm-inlinecrypt's aes-xts-plain64 takes a 512-bit (64-byte) key",
		"inlinecrypt: a 256-bit key");
	refused(sector_3000, "EINVAL: the sector size must be a power of two from 512 to 4096",
		"inlinecrypt: sector size not a power of two");
	refused(sector_8192, "EINVAL: the sector size must be a power of two from 512 to 4096",
		"inlinecrypt: sector size out of range");
	refused(no_large, "EINVAL: dm-inlinecrypt needs iv_large_sectors with a sector size above 512",
		"inlinecrypt: 4096 without iv_large_sectors");
	refused(workqueue, "EOPNOTSUPP: dm-inlinecrypt has no workqueue options: blk-crypto does the work",
		"inlinecrypt: a workqueue flag");
	refused(iv_odd, "EINVAL: dm-inlinecrypt needs an IV offset that is a multiple of the sector size",
		"inlinecrypt: IV offset in part sectors");
	refused(size_odd, "EINVAL: the offset and size must be multiples of the sector size",
		"inlinecrypt: size in part sectors");
	refused(large_512, "EINVAL: iv_large_sectors needs a sector size above 512",
		"inlinecrypt: iv_large_sectors at 512");
	refused(unknown_flag, "EINVAL: unknown option flag", "an unknown flag");

	p.target = BCA_TARGET_CRYPT;
	p.iv_offset = 3;
	is_str(verdict(&p), "ok", "dm-crypt takes an IV offset in part sectors");

	p = inline_params();
	is_int(bca_crypt_format_table(&p, line, sizeof(line)), 0, "inlinecrypt table formatted");
	is_str(line, "0 2048 inlinecrypt aes-xts-plain64 :64:logon:dmcrypt-inline:x 16 254:16 8 "
	       "3 allow_discards sector_size:4096 iv_large_sectors",
	       "in the order the target reports it");

	is_str(parsed(line), "inlinecrypt|aes-xts-plain64|64|logon:dmcrypt-inline:x|16|254:16|8|2048|"
	       "4096|0x18|allow_discards sector_size:4096 iv_large_sectors|0|managed",
	       "our line read back");
	is_str(parsed("0 2048 inlinecrypt aes-xts-plain64 - 0 16 254:16 8 1 allow_discards"),
	       "inlinecrypt|aes-xts-plain64|0|table:|16|254:16|8|2048|0|0x8|allow_discards|0|foreign",
	       "upstream 7.2's line, with its key type field, key masked");
	is_str(parsed("0 8 crypt aes-xts-plain64 00112233445566778899aabbccddeeff 0 7:2 0"),
	       "crypt|aes-xts-plain64|16|table:|0|7:2|0|8|0|0x0||0|foreign", "a hex key: its size, no options");
	is_str(parsed("0 8 crypt aes-xts-plain64 :32:user:k 5 7:2 0 3 same_cpu_crypt "
		      "integrity:28:aead no_read_workqueue"),
	       "crypt|aes-xts-plain64|32|user:k|5|7:2|0|8|0|0x1|same_cpu_crypt integrity:28:aead "
	       "no_read_workqueue|2|foreign", "options the model lacks are counted and kept");
	is_str(parsed("0 8 linear 7:2 0"), "EMEDIUMTYPE", "a short line of another target");
	is_str(parsed("0 8 crypt aes-xts-plain64 - 0 7:2"), "EINVAL", "too few fields");
	is_str(parsed("0 8 linear 7:2 0 x y z"), "EMEDIUMTYPE", "another target");
	is_str(parsed("0 8 crypt aes-xts-plain64 - 0 /dev/loop2 0"), "EINVAL", "a path, not MAJ:MIN");
	is_str(parsed("0 x8 crypt aes-xts-plain64 - 0 7:2 0"), "EINVAL", "a length that is no number");
	is_str(parsed("0 8 crypt aes-xts-plain64 - 0 7:2 0 3 allow_discards"), "EINVAL",
	       "fewer options than counted");
	is_str(parsed("0 8 crypt aes-xts-plain64 - 0 7:2 0 1 allow_discards extra"), "EINVAL",
	       "more options than counted");
	is_str(parsed("0 8 crypt aes-xts-plain64 :64:logon 0 7:2 0"), "EINVAL",
	       "a key reference without a description");
	is_str(parsed("0 8 inlinecrypt aes-xts-plain64 - 0 16 254:16"), "EINVAL",
	       "upstream's line cut short");
	is_int(splitting_descs_accepted(), 0,
	       "key descriptions with bytes the kernel splits at or unescapes are refused");
	p.key_desc = "svc:vol-1_x.y@z=w+#";
	is_str(verdict(&p), "ok", "a key description of printable ASCII is taken");
	p = inline_params();
	round_trips();
	return done_testing();
}
