// SPDX-License-Identifier: LGPL-2.1-or-later
/* fscrypt policies and key status (FS_IOC_* ioctls). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"
#include "uapi/fscrypt.h"

/*
 * Reads the policy of the open file fd.  GET_ENCRYPTION_POLICY_EX (5.4)
 * handles v1 and v2; before it only v1 exists.  Returns 0 with
 * pol->version == 0 when the file is not encrypted (ENODATA) or the
 * filesystem has no encryption support (ENOTTY, EOPNOTSUPP).
 */
int bca_policy_get_fd(int fd, struct bca_policy *pol)
{
	struct fscrypt_get_policy_ex_arg arg;
	struct fscrypt_policy_v1 v1;

	memset(pol, 0, sizeof(*pol));
	memset(&arg, 0, sizeof(arg));
	arg.policy_size = sizeof(arg.policy);
	if (ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY_EX, &arg) == 0) {
		if (arg.policy.version == FSCRYPT_POLICY_V2) {
			const struct fscrypt_policy_v2 *p = &arg.policy.v2;

			pol->version = 2;
			pol->contents_mode = p->contents_encryption_mode;
			pol->filenames_mode = p->filenames_encryption_mode;
			pol->flags = p->flags;
			pol->log2_data_unit_size = BCA_POLICY_V2_LOG2_DUS(p);
			memcpy(pol->key_id, p->master_key_identifier, FSCRYPT_KEY_IDENTIFIER_SIZE);
		} else if (arg.policy.version == FSCRYPT_POLICY_V1) {
			const struct fscrypt_policy_v1 *p = &arg.policy.v1;

			pol->version = 1;
			pol->contents_mode = p->contents_encryption_mode;
			pol->filenames_mode = p->filenames_encryption_mode;
			pol->flags = p->flags;
			memcpy(pol->key_id, p->master_key_descriptor, FSCRYPT_KEY_DESCRIPTOR_SIZE);
		} else {
			return -BCA_ERR_PARSE;
		}
		return 0;
	}
	switch (errno) {
	case ENODATA:
	case EOPNOTSUPP:
		return 0;
	case ENOTTY:
		break;
	default:
		return -errno;
	}
	/* kernels before 5.4: v1 only */
	if (ioctl(fd, FS_IOC_GET_ENCRYPTION_POLICY, &v1) < 0)
		return errno == ENODATA || errno == ENOTTY || errno == EOPNOTSUPP ? 0 : -errno;
	pol->version = 1;
	pol->contents_mode = v1.contents_encryption_mode;
	pol->filenames_mode = v1.filenames_encryption_mode;
	pol->flags = v1.flags;
	memcpy(pol->key_id, v1.master_key_descriptor, FSCRYPT_KEY_DESCRIPTOR_SIZE);
	return 0;
}

/*
 * Asks the filesystem holding fd about the policy's master key.  For v1
 * policies this only knows keys added with FS_IOC_ADD_ENCRYPTION_KEY, not
 * the legacy process-keyring ones: callers prefer "the file opened".
 */
int bca_key_status_fd(int fd, const struct bca_policy *pol, enum bca_key_status *st)
{
	struct fscrypt_get_key_status_arg arg;

	memset(&arg, 0, sizeof(arg));
	if (pol->version == 2) {
		arg.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
		memcpy(arg.key_spec.u.identifier, pol->key_id, FSCRYPT_KEY_IDENTIFIER_SIZE);
	} else {
		arg.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_DESCRIPTOR;
		memcpy(arg.key_spec.u.descriptor, pol->key_id, FSCRYPT_KEY_DESCRIPTOR_SIZE);
	}
	if (ioctl(fd, FS_IOC_GET_ENCRYPTION_KEY_STATUS, &arg) < 0)
		return -errno;
	switch (arg.status) {
	case FSCRYPT_KEY_STATUS_PRESENT:
		*st = BCA_KEY_PRESENT;
		break;
	case FSCRYPT_KEY_STATUS_ABSENT:
		*st = BCA_KEY_ABSENT;
		break;
	case FSCRYPT_KEY_STATUS_INCOMPLETELY_REMOVED:
		*st = BCA_KEY_INCOMPLETELY_REMOVED;
		break;
	default:
		*st = BCA_KEY_UNKNOWN;
	}
	return 0;
}
