/*
 * vm-fscrypt - the two fscrypt operations the VM tests need, until the
 * project's fscryptctl-dio exists (Debian ships no fscryptctl).
 *
 *   vm-fscrypt add_key MNT           key (64 raw bytes) on stdin; prints the
 *                                    key identifier in hex
 *   vm-fscrypt set_policy IDENT DIR  v2 policy, AES-256-XTS / AES-256-CTS,
 *                                    padding 32
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fscrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define PROG "vm-fscrypt"

static int usage(FILE *out)
{
	fputs("usage: " PROG " add_key MNT < KEY\n"
	      "       " PROG " set_policy IDENTIFIER DIR\n", out);
	return out == stdout ? 0 : 2;
}

static int fail(const char *path, const char *what)
{
	fprintf(stderr, PROG ": %s: %s: %s\n", path, what, strerror(errno));
	return 1;
}

/* Read the raw key from stdin; reject anything but exactly 64 bytes so a
 * truncated key never silently becomes a different one. */
static int read_key(unsigned char *key, size_t size)
{
	size_t got = 0;
	unsigned char extra;

	while (got < size) {
		ssize_t n = read(STDIN_FILENO, key + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != size || read(STDIN_FILENO, &extra, 1) != 0) {
		fprintf(stderr, PROG ": key on stdin must be exactly %zu bytes\n", size);
		return -1;
	}
	return 0;
}

static int cmd_add_key(const char *mnt)
{
	const size_t key_size = FSCRYPT_MAX_KEY_SIZE;
	struct fscrypt_add_key_arg *arg;
	int fd, ret = 1;

	arg = calloc(1, sizeof(*arg) + key_size);
	if (!arg)
		return fail(mnt, "calloc");
	if (read_key(arg->raw, key_size))
		goto out;
	arg->key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	arg->raw_size = (__u32)key_size;
	fd = open(mnt, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = fail(mnt, "open");
		goto out;
	}
	if (ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, arg) < 0) {
		ret = fail(mnt, "FS_IOC_ADD_ENCRYPTION_KEY");
		close(fd);
		goto out;
	}
	close(fd);
	for (int i = 0; i < FSCRYPT_KEY_IDENTIFIER_SIZE; i++)
		printf("%02x", arg->key_spec.u.identifier[i]);
	putchar('\n');
	ret = 0;
out:
	explicit_bzero(arg->raw, key_size);
	free(arg);
	return ret;
}

static int parse_identifier(const char *hex, __u8 *out)
{
	if (strlen(hex) != 2 * FSCRYPT_KEY_IDENTIFIER_SIZE)
		goto bad;
	for (int i = 0; i < FSCRYPT_KEY_IDENTIFIER_SIZE; i++) {
		unsigned int v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1 ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i]) ||
		    !strchr("0123456789abcdefABCDEF", hex[2 * i + 1]))
			goto bad;
		out[i] = (__u8)v;
	}
	return 0;
bad:
	fprintf(stderr, PROG ": invalid key identifier '%s' (want %d hex digits)\n",
		hex, 2 * FSCRYPT_KEY_IDENTIFIER_SIZE);
	return -1;
}

static int cmd_set_policy(const char *ident, const char *dir)
{
	struct fscrypt_policy_v2 policy;
	int fd;

	memset(&policy, 0, sizeof(policy));
	policy.version = FSCRYPT_POLICY_V2;
	policy.contents_encryption_mode = FSCRYPT_MODE_AES_256_XTS;
	policy.filenames_encryption_mode = FSCRYPT_MODE_AES_256_CTS;
	policy.flags = FSCRYPT_POLICY_FLAGS_PAD_32;
	if (parse_identifier(ident, policy.master_key_identifier))
		return 2;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail(dir, "open");
	if (ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, &policy) < 0) {
		int ret = fail(dir, "FS_IOC_SET_ENCRYPTION_POLICY");

		close(fd);
		return ret;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return usage(stdout);
	if (argc == 3 && !strcmp(argv[1], "add_key"))
		return cmd_add_key(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "set_policy"))
		return cmd_set_policy(argv[2], argv[3]);
	return usage(stderr);
}
