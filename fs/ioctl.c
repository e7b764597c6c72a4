/* ioctl: the generic commands, then the file's own. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/termios.h"

SYSCALL_DEFINE3(ioctl, int, fd, unsigned, cmd, uaddr_t, arg)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long r;
	int on;
	if (f->mode & FMODE_PATH) {
		r = -EBADF;
		goto out;
	}
	switch (cmd) {
	case FIOCLEX:
		fd_set_cloexec(fd, true);
		r = 0;
		goto out;
	case FIONCLEX:
		fd_set_cloexec(fd, false);
		r = 0;
		goto out;
	case FIONBIO:
		if (get_user(on, arg)) {
			r = -EFAULT;
			goto out;
		}
		if (f->f_op->setfl &&
		    (r = f->f_op->setfl(f, on ? f->flags | O_NONBLOCK
					      : f->flags & ~(unsigned)O_NONBLOCK)))
			goto out;
		f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~(unsigned)O_NONBLOCK;
		r = 0;
		goto out;
	case FIOASYNC:
		if (get_user(on, arg)) {
			r = -EFAULT;
			goto out;
		}
		f->flags = on ? f->flags | FASYNC : f->flags & ~(unsigned)FASYNC;
		r = 0;
		goto out;
	case FIONREAD:
		if (S_ISREG(f->inode->mode)) {
			int64_t left = f->inode->size - f->pos;
			r = put_user((int)(left > 0 ? min(left, (int64_t)INT32_MAX) : 0), arg)
				? -EFAULT
				: 0;
			goto out;
		}
		break;
	}
	if (f->f_op && f->f_op->ioctl)
		r = f->f_op->ioctl(f, cmd, arg);
	else
		r = -ENOTTY;
out:
	fput(f);
	return r;
}
