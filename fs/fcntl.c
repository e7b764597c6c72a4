/* fcntl, dup, dup2, dup3. */
#include "kernel.h"
#include "capability.h"
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
	/* O_NOATIME is for the owner (or CAP_FOWNER) only. */
	uid_t_ fsuid = current->cred.fsuid;
	if ((flags & O_NOATIME) && !(f->flags & O_NOATIME) && fsuid != f->inode->uid &&
	    !capable(CAP_FOWNER))
		return -EPERM;
	/* Regular files never signal readiness anyway; other files would. */
	if ((flags & FASYNC) && !(f->flags & FASYNC) && !S_ISREG(f->inode->mode)) {
		static bool warned;
		if (!warned)
			pr_warn("%s[%d]: O_ASYNC: SIGIO is not implemented\n", current->comm,
				current->tid);
		warned = true;
	}
	/* O_APPEND cannot be cleared on an append-only inode (not modelled). */
	if ((flags & O_DIRECT) && !S_ISREG(f->inode->mode) && !S_ISFIFO(f->inode->mode))
		return -EINVAL;
	if (f->f_op && f->f_op->setfl) {
		int err = f->f_op->setfl(f, flags);
		if (err)
			return err;
	}
	f->flags = (f->flags & ~SETFL_MASK) | (flags & SETFL_MASK);
	return 0;
}

/* F_SETOWN and friends: which thread, process or group SIGIO and SIGURG
 * would go to. The owner is kept and read back as in Linux; nothing in
 * umk raises SIGIO yet. */
static bool owner_exists(int type, int id)
{
	if (type != F_OWNER_PGRP)
		return type == F_OWNER_TID ? find_task(id) != NULL : find_process(id) != NULL;
	struct process *p;
	for_each_process(p)
		if (p->pgid == id)
			return true;
	return false;
}

static long set_owner(struct file *f, int type, int id)
{
	if (id && !owner_exists(type, id))
		return -ESRCH;
	f->owner_type = type;
	f->owner_pid = id;
	return 0;
}

static long fcntl_owner(struct file *f, int cmd, unsigned long arg)
{
	struct f_owner_ex {
		int type, pid;
	} ox;
	int argi = (int)arg;
	switch (cmd) {
	case F_GETOWN:
		return f->owner_type == F_OWNER_PGRP ? -f->owner_pid : f->owner_pid;
	case F_SETOWN:
		if (argi == INT32_MIN)
			return -EINVAL;
		return argi < 0 ? set_owner(f, F_OWNER_PGRP, -argi)
				: set_owner(f, F_OWNER_PID, argi);
	case F_GETOWN_EX:
		ox.type = f->owner_type;
		ox.pid = f->owner_pid;
		return copy_to_user(arg, &ox, sizeof ox) ? -EFAULT : 0;
	case F_SETOWN_EX:
		if (copy_from_user(&ox, arg, sizeof ox))
			return -EFAULT;
		if (ox.type != F_OWNER_TID && ox.type != F_OWNER_PID && ox.type != F_OWNER_PGRP)
			return -EINVAL;
		return set_owner(f, ox.type, ox.pid);
	case F_GETSIG:
		return f->owner_sig;
	default: /* F_SETSIG */
		if (argi < 0 || argi > NSIG)
			return -EINVAL;
		f->owner_sig = argi;
		return 0;
	}
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
			if (r == -EMFILE &&
			    (int)arg >= (int)current->proc->rlim[RLIMIT_NOFILE].rlim_cur)
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
		unsigned acc =
		    f->mode & FMODE_PATH						   ? O_PATH
		    : (f->mode & (FMODE_READ | FMODE_WRITE)) == (FMODE_READ | FMODE_WRITE) ? O_RDWR
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
	case F_GETOWN_EX:
	case F_SETOWN_EX:
	case F_GETSIG:
	case F_SETSIG:
		r = fcntl_owner(f, cmd, arg);
		break;
	case F_GETLEASE:
		r = F_UNLCK; /* no leases are ever granted (F_SETLEASE below) */
		break;
	case F_SETLEASE:
	case F_NOTIFY:
	default:
		pr_warn("%s[%d]: fcntl command %d not implemented\n", current->comm, current->tid,
			cmd);
		r = -EINVAL;
	}
	fput(f);
	return r;
}
