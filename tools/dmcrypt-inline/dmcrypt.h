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

/* Devices this tool creates carry this DM UUID prefix; their keys this description prefix. */
#define MANAGED_UUID_PREFIX "DMCRYPT_INLINE-"
#define MANAGED_KEY_PREFIX "dmcrypt-inline:"

/* Longest --key-desc: the library's. */
#define MAX_KEY_DESC BCA_KEY_DESC_MAX
/* DM_UUID_LEN of <linux/dm-ioctl.h>, with its NUL */
#define DM_UUID_MAX 129

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

#endif /* BCA_DMCRYPT_H */
