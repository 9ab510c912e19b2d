/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef BCA_FSCRYPTCTL_H
#define BCA_FSCRYPTCTL_H

/* fscryptctl-dio subcommands, one file each. */
int cmd_check_dio(int argc, char **argv);

#endif /* BCA_FSCRYPTCTL_H */
