/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BCA_DMCRYPT_H
#define BCA_DMCRYPT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* dmcrypt-inline subcommands, one file each. */
int cmd_create(int argc, char **argv);
int cmd_remove(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_table(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_open(int argc, char **argv);
int cmd_refresh(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_detach(int argc, char **argv);

/*
 * Keys this tool adds carry this description prefix.  Devices made before
 * 0.2 carry the UUID prefix; newer ones cryptsetup's forms (crypt_uuid()).
 */
#define MANAGED_KEY_PREFIX "dmcrypt-inline:"
#define OLD_MANAGED_UUID_PREFIX "DMCRYPT_INLINE-"

/* Longest --key-desc: the library's. */
#define MAX_KEY_DESC BCA_KEY_DESC_MAX
/* DM_UUID_LEN of <linux/dm-ioctl.h>, with its NUL */
#define DM_UUID_MAX 129

/* activate.c */
struct bca_ctx;
struct bca_crypt_params;
struct bca_secret;
enum bca_crypt_target;
/*
 * The DM UUID of device NAME, as snprintf (the length it needs): LUKS_TYPE
 * ("LUKS2") and LUKS_UUID for a LUKS volume, both NULL for a plain key.
 */
int crypt_uuid(char *buf, size_t size, enum bca_crypt_target target, const char *luks_type,
	       const char *luks_uuid, const char *name);
/* The running kernel's target has every option p uses: 0, or -1 reported. */
int check_target(struct bca_ctx *ctx, const struct bca_crypt_params *p);
/* No device-mapper device NAME exists: 0, or -1 reported. */
int check_name_free(struct bca_ctx *ctx, const char *name);
/*
 * Adds KEY (when not NULL) as the logon key p->key_desc, after reclaiming
 * a leftover one, then creates NAME from TABLE; on any failure the key
 * added is removed again.  0, or -1 reported.
 */
int activate_with_key(struct bca_ctx *ctx, const char *name, const char *uuid,
		      const struct bca_crypt_params *p, const char *table,
		      struct bca_secret *key, bool readonly);

/*
 * Table options shared by create, open and refresh (options.c): their
 * getopt values, long options and help lines, and the flags they set.
 */
enum {
	OPT_INLINE = 0x1000, OPT_NO_READ_WQ, OPT_NO_WRITE_WQ, OPT_HIGH_PRIORITY,
	OPT_ALLOW_DISCARDS,
};
#define TABLE_LONGOPTS \
	{ "inline", no_argument, NULL, OPT_INLINE }, \
	{ "no-read-workqueue", no_argument, NULL, OPT_NO_READ_WQ }, \
	{ "no-write-workqueue", no_argument, NULL, OPT_NO_WRITE_WQ }, \
	{ "high-priority", no_argument, NULL, OPT_HIGH_PRIORITY }, \
	{ "allow-discards", no_argument, NULL, OPT_ALLOW_DISCARDS }
#define TABLE_OPTIONS_HELP \
	"     --inline               = --no-read-workqueue --no-write-workqueue\n" \
	"     --no-read-workqueue    dm-crypt: decrypt in the I/O completion context\n" \
	"     --no-write-workqueue   dm-crypt: encrypt in the submitting context\n" \
	"     --high-priority        dm-crypt: high-priority workqueues\n" \
	"     --allow-discards       pass discards down\n"
/* Adds the flags of table option C (a getopt value) to *flags: whether C is one. */
bool table_option(int c, uint32_t *flags);
/* The target --target ARG names; a usage error of command CMD for another word. */
enum bca_crypt_target parse_target(const char *cmd, const char *arg);

struct bca_crypt_table;
/* The description of a table's logon key reference, or NULL (table.c). */
const char *crypt_table_logon_desc(const struct bca_crypt_table *t);
/* Whether the table references a key this tool added for its device. */
bool crypt_table_managed(const struct bca_crypt_table *t);
/*
 * The message for a device-mapper error about device NAME: no device-mapper
 * (-ENODEV, NAME may be NULL), no such device, not a crypt device, or
 * "prog: NAME: reason".
 */
void dm_name_error(const char *name, int rc);
/* Whether NAME may be created: letters, digits and #+-.:=@_ only, below 128 bytes. */
bool dm_name_valid(const char *name);
/* A usage error of command CMD unless dm_name_valid(NAME). */
void dm_name_check(const char *cmd, const char *name);
/*
 * The block device PATH, probed by libblkid (signature, size, in use):
 * 0 with *id (bca_devid_free()) and its number in *devno, or -1 reported.
 */
struct bca_devid;
int probe_block_device(struct bca_ctx *ctx, const char *path, dev_t *devno,
		       struct bca_devid **id);

#endif /* BCA_DMCRYPT_H */
