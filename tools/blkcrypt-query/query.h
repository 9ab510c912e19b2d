/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BCA_QUERY_H
#define BCA_QUERY_H

/* blkcrypt-query subcommands, one file each. */
int cmd_file(int argc, char **argv);
int cmd_device(int argc, char **argv);
int cmd_fs(int argc, char **argv);

#endif /* BCA_QUERY_H */
