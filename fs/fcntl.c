/* fcntl, dup, dup2, dup3. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "pipe.h"
#include "filesystems.h"
#include "syscall.h"
#include "uaccess.h"

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME | FASYNC)

static long do_dup(int oldfd, int newfd, unsigned flags, bool dup2)
{
	struct file *f = fget_raw(oldfd);
	if (!f)
		return -EBADF;
	if (dup2 && oldfd == newfd) {
		fput(f);
		return newfd;
	}
	long r = fd_install_at(f, newfd, flags);
	if (r < 0)
		fput(f);
	return r;
}

SYSCALL_DEFINE1(dup, int, fd)
{
	struct file *f = fget_raw(fd);
	if (!f)
		return -EBADF;
	int r = fd_install(f, 0);
	if (r < 0)
		fput(f);
	return r;
}

SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd)
{
	return do_dup(oldfd, newfd, 0, true);
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return do_dup(oldfd, newfd, (unsigned)flags, false);
}

static long setfl(struct file *f, unsigned long arg)
{
	unsigned flags = (unsigned)arg;
	/* O_APPEND cannot be cleared on an append-only inode (not modelled). */
	if ((flags & O_DIRECT) && !S_ISREG(f->inode->mode))
		return -EINVAL;
	if (f->f_op && f->f_op->setfl) {
		int err = f->f_op->setfl(f, flags);
		if (err)
			return err;
	}
	f->flags = (f->flags & ~SETFL_MASK) | (flags & SETFL_MASK);
	return 0;
}

SYSCALL_DEFINE3(fcntl, int, fd, int, cmd, unsigned long, arg)
{
	struct file *f = fget_raw(fd);
	if (!f)
		return -EBADF;
	long r;
	if ((f->mode & FMODE_PATH) && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD &&
	    cmd != F_SETFD && cmd != F_GETFL) {
		fput(f);
		return -EBADF;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= (1UL << 20)) {
			r = -EINVAL;
			break;
		}
		r = fd_install_flags(get_file(f), cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0, (int)arg);
		if (r < 0) {
			fput(f);
			if (r == -EMFILE && (int)arg >= (int)current->proc->rlim[RLIMIT_NOFILE].rlim_cur)
				r = -EINVAL;
		}
		break;
	case F_GETFD:
		r = fd_is_cloexec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		fd_set_cloexec(fd, arg & FD_CLOEXEC);
		r = 0;
		break;
	case F_GETFL: {
		unsigned acc = f->mode & FMODE_PATH ? O_PATH
			     : (f->mode & (FMODE_READ | FMODE_WRITE)) == (FMODE_READ | FMODE_WRITE)
				     ? O_RDWR
			     : (f->mode & FMODE_WRITE) ? O_WRONLY
						       : O_RDONLY;
		r = (long)((f->flags & ~(unsigned)O_ACCMODE & ~(unsigned)O_PATH) | acc);
		break;
	}
	case F_SETFL:
		r = setfl(f, arg);
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		r = pipe_fcntl(f, cmd, arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		r = fcntl_lock(f, cmd, arg);
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		r = shmem_fcntl_seals(f, cmd, (unsigned)arg);
		break;
	case F_GETOWN:
	case F_SETOWN:
	case F_GETSIG:
	case F_SETSIG:
	case F_SETLEASE:
	case F_GETLEASE:
	case F_NOTIFY:
	default:
		pr_warn("%s[%d]: fcntl command %d not implemented\n", current->comm, current->tid,
			cmd);
		r = -EINVAL;
	}
	fput(f);
	return r;
}
