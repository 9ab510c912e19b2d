// SPDX-License-Identifier: LGPL-2.1-or-later
/* fscrypt policies and key status (FS_IOC_* ioctls). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"
#include "uapi/fscrypt.h"

/* ------------------------------------------------------------------ */
/* Public policy and key operations: the kernel's errors are returned  */
/* unchanged, the tools word them the way fscryptctl does.             */
/* ------------------------------------------------------------------ */

/*
 * GET_ENCRYPTION_POLICY_EX (5.4) handles v1 and v2; before it only v1
 * exists, through GET_ENCRYPTION_POLICY.
 */
BCA_EXPORT int bca_fscrypt_get_policy(int fd, struct bca_fscrypt_policy *pol)
{
	struct fscrypt_get_policy_ex_arg arg;
	struct fscrypt_policy_v1 v1 = { 0 };	/* valgrind: the kernel may copy nothing */

	memset(pol, 0, sizeof(*pol));
	memset(&arg, 0, sizeof(arg));
	arg.policy_size = sizeof(arg.policy);
	if (ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY_EX, &arg) < 0) {
		if (errno != ENOTTY)
			return -errno;
		if (ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY, &v1) < 0)
			return -errno;
		arg.policy.v1 = v1;
		arg.policy.version = FSCRYPT_POLICY_V1;
	}
	switch (arg.policy.version) {
	case FSCRYPT_POLICY_V1:
		pol->version = 1;
		pol->contents_mode = arg.policy.v1.contents_encryption_mode;
		pol->filenames_mode = arg.policy.v1.filenames_encryption_mode;
		pol->flags = arg.policy.v1.flags;
		memcpy(pol->key, arg.policy.v1.master_key_descriptor,
		       FSCRYPT_KEY_DESCRIPTOR_SIZE);
		return 0;
	case FSCRYPT_POLICY_V2:
		pol->version = 2;
		pol->contents_mode = arg.policy.v2.contents_encryption_mode;
		pol->filenames_mode = arg.policy.v2.filenames_encryption_mode;
		pol->flags = arg.policy.v2.flags;
		pol->log2_data_unit_size = BCA_POLICY_V2_LOG2_DUS(&arg.policy.v2);
		memcpy(pol->key, arg.policy.v2.master_key_identifier,
		       FSCRYPT_KEY_IDENTIFIER_SIZE);
		return 0;
	default:
		/* what the kernel says for a version newer than its caller's struct */
		return -EINVAL;
	}
}

int bca_policy_get_fd(int fd, struct bca_fscrypt_policy *pol)
{
	int rc = bca_fscrypt_get_policy(fd, pol);

	/* not encrypted, or a filesystem without encryption support */
	if (rc == -ENODATA || rc == -ENOTTY || rc == -EOPNOTSUPP) {
		memset(pol, 0, sizeof(*pol));
		return 0;
	}
	return rc == -EINVAL ? -BCA_ERR_PARSE : rc;
}

BCA_EXPORT int bca_fscrypt_set_policy(int fd, const struct bca_fscrypt_policy *pol)
{
	struct fscrypt_policy_v1 v1;
	struct fscrypt_policy_v2 v2;
	const void *arg;

	if (pol->reserved[0] || pol->reserved[1] || pol->reserved[2])
		return -EINVAL;
	if (pol->version == 1) {
		if (pol->log2_data_unit_size)
			return -EINVAL;
		memset(&v1, 0, sizeof(v1));
		v1.version = FSCRYPT_POLICY_V1;
		v1.contents_encryption_mode = pol->contents_mode;
		v1.filenames_encryption_mode = pol->filenames_mode;
		v1.flags = pol->flags;
		memcpy(v1.master_key_descriptor, pol->key, FSCRYPT_KEY_DESCRIPTOR_SIZE);
		arg = &v1;
	} else if (pol->version == 2) {
		memset(&v2, 0, sizeof(v2));
		v2.version = FSCRYPT_POLICY_V2;
		v2.contents_encryption_mode = pol->contents_mode;
		v2.filenames_encryption_mode = pol->filenames_mode;
		v2.flags = pol->flags;
		BCA_POLICY_V2_LOG2_DUS(&v2) = pol->log2_data_unit_size;
		memcpy(v2.master_key_identifier, pol->key, FSCRYPT_KEY_IDENTIFIER_SIZE);
		arg = &v2;
	} else {
		return -EINVAL;
	}
	/* the kernel tells the version from the first byte of either struct */
	return ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, arg) < 0 ? -errno : 0;
}

/* 6.16 turned __reserved[0] of struct fscrypt_add_key_arg into flags. */
#define BCA_ADD_KEY_FLAGS(arg)	((arg)->__reserved[0])

BCA_EXPORT int bca_fscrypt_add_key(int fd, const void *key, size_t size, unsigned int flags,
				   uint8_t identifier[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE])
{
	struct fscrypt_add_key_arg *arg;
	struct bca_secret *buf;
	int rc;

	if (!size || size > BCA_HW_WRAPPED_KEY_MAX_SIZE ||
	    (flags & ~(unsigned int)BCA_FSCRYPT_ADD_KEY_HW_WRAPPED))
		return -EINVAL;
	/* the ioctl argument holds a copy of the key: keep it in locked memory */
	rc = bca_secret_new(sizeof(*arg) + size, &buf);
	if (rc < 0)
		return rc;
	arg = bca_secret_get_data(buf);
	arg->key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	arg->raw_size = (uint32_t)size;
	if (flags & BCA_FSCRYPT_ADD_KEY_HW_WRAPPED)
		BCA_ADD_KEY_FLAGS(arg) = FSCRYPT_ADD_KEY_FLAG_HW_WRAPPED;
	memcpy(arg->raw, key, size);
	if (ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, arg) < 0) {
		rc = -errno;
	} else {
		memcpy(identifier, arg->key_spec.u.identifier, FSCRYPT_KEY_IDENTIFIER_SIZE);
		rc = 0;
	}
	bca_secret_free(buf);
	return rc;
}

BCA_EXPORT int bca_fscrypt_remove_key(int fd,
				      const uint8_t identifier[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE],
				      unsigned int flags, unsigned int *removal)
{
	struct fscrypt_remove_key_arg arg;
	unsigned long req = (flags & BCA_FSCRYPT_REMOVE_KEY_ALL_USERS) ?
		FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS : FS_IOC_REMOVE_ENCRYPTION_KEY;

	if (flags & ~(unsigned int)BCA_FSCRYPT_REMOVE_KEY_ALL_USERS)
		return -EINVAL;
	memset(&arg, 0, sizeof(arg));
	arg.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	memcpy(arg.key_spec.u.identifier, identifier, FSCRYPT_KEY_IDENTIFIER_SIZE);
	if (ioctl(fd, req, &arg) < 0)
		return -errno;
	if (removal) {
		*removal = 0;
		if (arg.removal_status_flags & FSCRYPT_KEY_REMOVAL_STATUS_FLAG_FILES_BUSY)
			*removal |= BCA_FSCRYPT_REMOVAL_FILES_BUSY;
		if (arg.removal_status_flags & FSCRYPT_KEY_REMOVAL_STATUS_FLAG_OTHER_USERS)
			*removal |= BCA_FSCRYPT_REMOVAL_OTHER_USERS;
	}
	return 0;
}

/* FS_IOC_GET_ENCRYPTION_KEY_STATUS for the key spec filled in arg. */
static int key_status(int fd, struct fscrypt_get_key_status_arg *arg,
		      struct bca_fscrypt_key_status *st)
{
	memset(st, 0, sizeof(*st));
	if (ioctl(fd, FS_IOC_GET_ENCRYPTION_KEY_STATUS, arg) < 0)
		return -errno;
	st->raw_status = arg->status;
	st->status_flags = arg->status_flags;
	st->user_count = arg->user_count;
	switch (arg->status) {
	case FSCRYPT_KEY_STATUS_PRESENT:
		st->status = BCA_KEY_PRESENT;
		break;
	case FSCRYPT_KEY_STATUS_ABSENT:
		st->status = BCA_KEY_ABSENT;
		break;
	case FSCRYPT_KEY_STATUS_INCOMPLETELY_REMOVED:
		st->status = BCA_KEY_INCOMPLETELY_REMOVED;
		break;
	default:
		st->status = BCA_KEY_UNKNOWN;
	}
	return 0;
}

BCA_EXPORT int bca_fscrypt_key_status(int fd,
				      const uint8_t identifier[BCA_FSCRYPT_KEY_IDENTIFIER_SIZE],
				      struct bca_fscrypt_key_status *st)
{
	struct fscrypt_get_key_status_arg arg;

	memset(&arg, 0, sizeof(arg));
	arg.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	memcpy(arg.key_spec.u.identifier, identifier, FSCRYPT_KEY_IDENTIFIER_SIZE);
	return key_status(fd, &arg, st);
}

/*
 * For v1 policies this only knows keys added with FS_IOC_ADD_ENCRYPTION_KEY,
 * not the legacy process-keyring ones: callers prefer "the file opened".
 */
int bca_key_status_fd(int fd, const struct bca_fscrypt_policy *pol, enum bca_key_status *st)
{
	struct fscrypt_get_key_status_arg arg;
	struct bca_fscrypt_key_status ks;
	int rc;

	memset(&arg, 0, sizeof(arg));
	if (pol->version == 2) {
		arg.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
		memcpy(arg.key_spec.u.identifier, pol->key, FSCRYPT_KEY_IDENTIFIER_SIZE);
	} else {
		arg.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_DESCRIPTOR;
		memcpy(arg.key_spec.u.descriptor, pol->key, FSCRYPT_KEY_DESCRIPTOR_SIZE);
	}
	rc = key_status(fd, &arg, &ks);
	if (rc == 0)
		*st = ks.status;
	return rc;
}
