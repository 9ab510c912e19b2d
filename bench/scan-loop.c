// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The baseline of the scan-vs-syscall-loop benchmark: the least a scanner
 * must do per file, statx with the direct I/O fields, and for encrypted
 * files open + FS_IOC_GET_ENCRYPTION_POLICY_EX, in a plain recursive
 * readdir loop.  Prints the number of files seen.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/fscrypt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long files;

static void scan(int dfd)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct statx stx;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (statx(dirfd(d), de->d_name, AT_SYMLINK_NOFOLLOW,
			  STATX_BASIC_STATS | STATX_DIOALIGN | STATX_MNT_ID, &stx) < 0)
			continue;
		if (S_ISDIR(stx.stx_mode)) {
			int c = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

			if (c >= 0)
				scan(c);
			continue;
		}
		files++;
		if (stx.stx_attributes & STATX_ATTR_ENCRYPTED) {
			struct fscrypt_get_policy_ex_arg arg = { .policy_size = sizeof(arg.policy) };
			int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW);

			if (fd >= 0) {
				ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY_EX, &arg);
				close(fd);
			}
		}
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: scan-loop DIR\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	scan(fd);
	printf("%lu\n", files);
	return 0;
}
