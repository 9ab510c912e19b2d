/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BCA_DMCRYPT_H
#define BCA_DMCRYPT_H

/* dmcrypt-inline subcommands, one file each. */
int cmd_list(int argc, char **argv);

#endif /* BCA_DMCRYPT_H */
