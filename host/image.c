/*
 * Disk images behind the ubd block devices: whole host files that the
 * user named on the command line (ubdN=), never a name from the guest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "host.h"

int host_open_image(const char *path, int flags)
{
	int f = O_CLOEXEC | O_NOCTTY | ((flags & HOST_IMAGE_WRITE) ? O_RDWR : O_RDONLY);
	if (flags & HOST_IMAGE_SYNC)
		f |= O_SYNC;
	if (flags & HOST_IMAGE_CREATE)
		f |= O_CREAT | O_EXCL;
	int fd = open(path, f, 0644);
	return fd < 0 ? -errno : fd;
}

/* An open file description lock over the whole file: it conflicts with the
 * same lock taken by any other process or open (UML takes a POSIX lock,
 * which conflicts with it too), and goes away with the fd. */
int host_lock_image(int fd, bool write)
{
	struct flock fl = {.l_type = write ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET};
	if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	return errno == EAGAIN || errno == EACCES ? -EBUSY : -errno;
}

int host_realpath(const char *path, char *buf, size_t len)
{
	char *r = realpath(path, NULL);
	if (!r)
		return -errno;
	size_t n = strlen(r);
	int err = n < len ? 0 : -ENAMETOOLONG;
	if (!err)
		memcpy(buf, r, n + 1);
	free(r);
	return err;
}
