/* fadvise64 and readahead: advice about access patterns. The host's page
 * cache holds hostfs and tmpfs pages, so there is nothing to do beyond
 * checking the arguments as Linux does. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "syscall.h"

#define POSIX_FADV_NOREUSE 5

static long check_file(int fd, bool need_read)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long err = 0;
	if (S_ISFIFO(f->inode->mode) || S_ISSOCK(f->inode->mode))
		err = -ESPIPE;
	else if (need_read && (!(f->mode & FMODE_READ) || !S_ISREG(f->inode->mode)))
		err = -EINVAL;
	fput(f);
	return err;
}

SYSCALL_DEFINE4(fadvise64, int, fd, loff_t, offset, loff_t, len, int, advice)
{
	if (advice < 0 || advice > POSIX_FADV_NOREUSE)
		return check_file(fd, false) ?: -EINVAL;
	if (len < 0)
		return -EINVAL;
	(void)offset;
	return check_file(fd, false);
}

SYSCALL_DEFINE3(readahead, int, fd, loff_t, offset, size_t, count)
{
	(void)offset;
	(void)count;
	return check_file(fd, true);
}
