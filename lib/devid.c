// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Device identity through libblkid: what a device already carries
 * (filesystem, LUKS, RAID, partition table), and whether it is in use.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <blkid.h>

#include "internal.h"

struct bca_devid {
	char *type;	/* signature type ("ext4", "crypto_LUKS", "dos"), NULL if none */
	char *uuid;
	char *label;
	uint64_t size;	/* bytes */
	bool busy;	/* mounted, held by a dm/md device, or open exclusively */
};

static char *dup_value(blkid_probe pr, const char *name)
{
	const char *v;

	if (blkid_probe_lookup_value(pr, name, &v, NULL) < 0)
		return NULL;
	return strdup(v);
}

/*
 * Opening O_EXCL fails with EBUSY exactly when the kernel considers the
 * device claimed: mounted, a dm/md member, or opened O_EXCL by someone.
 */
BCA_EXPORT int bca_devid_probe(struct bca_ctx *ctx, const char *path, struct bca_devid **out)
{
	struct bca_devid *id;
	blkid_probe pr;
	struct stat st;
	int fd, rc;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	id = calloc(1, sizeof(*id));
	if (!id)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd < 0 && errno == EBUSY) {
		id->busy = true;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		rc = -errno;
		free(id);
		return rc;
	}
	pr = blkid_new_probe();
	if (!pr || blkid_probe_set_device(pr, fd, 0, 0) < 0) {
		rc = pr ? -EIO : -ENOMEM;
		goto out;
	}
	id->size = (uint64_t)blkid_probe_get_size(pr);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_UUID |
					  BLKID_SUBLKS_LABEL);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	rc = blkid_do_safeprobe(pr);
	if (rc == 0) {
		id->type = dup_value(pr, "TYPE");
		if (!id->type)
			id->type = dup_value(pr, "PTTYPE");
		id->uuid = dup_value(pr, "UUID");
		id->label = dup_value(pr, "LABEL");
	} else if (rc == -2) {
		/* more than one signature: ambiguous, which is a signature too */
		id->type = strdup("ambiguous");
	}
	bca_dbg(ctx, "%s: type %s%s", path, id->type ? id->type : "none", id->busy ? ", busy" : "");
	rc = 0;
out:
	if (pr)
		blkid_free_probe(pr);
	close(fd);
	if (rc < 0) {
		free(id);
		return rc;
	}
	*out = id;
	return 0;
}

BCA_EXPORT void bca_devid_free(struct bca_devid *id)
{
	if (!id)
		return;
	free(id->type);
	free(id->uuid);
	free(id->label);
	free(id);
}

BCA_EXPORT const char *bca_devid_get_type(const struct bca_devid *id) { return id->type; }
BCA_EXPORT const char *bca_devid_get_uuid(const struct bca_devid *id) { return id->uuid; }
BCA_EXPORT const char *bca_devid_get_label(const struct bca_devid *id) { return id->label; }
BCA_EXPORT uint64_t bca_devid_get_size(const struct bca_devid *id) { return id->size; }
BCA_EXPORT bool bca_devid_is_busy(const struct bca_devid *id) { return id->busy; }
