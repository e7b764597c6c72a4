/*
 * Process file descriptors: pidfd_open and CLONE_PIDFD make them; they
 * name one process for good (its pid may be reused, the pidfd never
 * follows), are readable once it has exited, and serve pidfd_send_signal,
 * pidfd_getfd and waitid(P_PIDFD). Each holds a reference to the process.
 */
#include "kernel.h"
#include "task.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "fs.h"
#include "seq_file.h"
#include "capability.h"
#include "uapi/misc.h"

#define PIDFD_NONBLOCK O_NONBLOCK

#define PIDFD_SIGNAL_THREAD	   (1U << 0)
#define PIDFD_SIGNAL_THREAD_GROUP  (1U << 1)
#define PIDFD_SIGNAL_PROCESS_GROUP (1U << 2)

static void pidfd_release(struct file *f)
{
	put_process(f->private);
}

/* Readable once the whole process has exited; hung up once reaped. */
static unsigned pidfd_poll(struct file *f, struct poll_table *pt)
{
	struct process *p = f->private;
	poll_wait(f, &p->pidfd_wait, pt);
	if (p->state == PROCESS_DEAD)
		return POLLIN | POLLRDNORM | POLLHUP;
	return p->state == PROCESS_ZOMBIE ? POLLIN | POLLRDNORM : 0;
}

static void pidfd_show_fdinfo(struct file *f, struct seq *s)
{
	struct process *p = f->private;
	int pid = p->state == PROCESS_DEAD ? -1 : p->pid;
	seq_printf(s, "Pid:\t%d\nNSpid:\t%d\n", pid, pid);
}

static const struct file_operations pidfd_fops = {
    .release = pidfd_release,
    .poll = pidfd_poll,
    .show_fdinfo = pidfd_show_fdinfo,
};

struct process *pidfd_process(struct file *f)
{
	return f->f_op == &pidfd_fops ? f->private : NULL;
}

int pidfd_create(struct process *p, unsigned flags)
{
	struct file *f = anon_inode_getfile("[pidfd]", &pidfd_fops, get_process(p),
					    O_RDWR | (flags & O_NONBLOCK));
	if (!f) {
		put_process(p);
		return -ENOMEM;
	}
	int fd = fd_install(f, O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE2(pidfd_open, int, pid, unsigned, flags)
{
	if ((flags & ~PIDFD_NONBLOCK) || pid <= 0)
		return -EINVAL;
	struct process *p = find_process(pid);
	if (!p)
		return find_task(pid) ? -EINVAL : -ESRCH; /* a thread's id */
	return pidfd_create(p, flags);
}

/* The process of a pidfd, referenced: the caller puts it. */
static struct process *pidfd_get_process(int fd)
{
	struct file *f = fget(fd);
	if (!f)
		return ERR_PTR(-EBADF);
	struct process *p = pidfd_process(f);
	if (p)
		get_process(p);
	fput(f);
	return p ? p : ERR_PTR(-EBADF);
}

static struct task *process_leader(struct process *p)
{
	if (p->state != PROCESS_ALIVE || list_empty(&p->threads))
		return NULL;
	struct task *t = find_task(p->pid);
	return t && t->proc == p ? t : list_first_entry(&p->threads, struct task, thread_node);
}

static int pidfd_signal_to(struct process *p, int sig, struct linux_siginfo *info, unsigned flags)
{
	if (flags & PIDFD_SIGNAL_PROCESS_GROUP)
		return kill_pgrp(p->pgid, sig, info);
	if (!(flags & PIDFD_SIGNAL_THREAD))
		return kill_process_info(p, sig, info);
	struct task *t = process_leader(p);
	if (!t)
		return 0;
	int err = kill_process_info(p, 0, info); /* permission only */
	return err || !sig ? err : send_signal(sig, info, t, false);
}

SYSCALL_DEFINE4(pidfd_send_signal, int, pidfd, int, sig, uaddr_t, uinfo, unsigned, flags)
{
	unsigned type =
	    flags & (PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP);
	if ((flags & ~type) || (type & (type - 1)))
		return -EINVAL;
	struct process *p = pidfd_get_process(pidfd);
	if (IS_ERR(p))
		return PTR_ERR(p);
	struct linux_siginfo info;
	long ret = -EINVAL;
	if (uinfo) {
		ret = -EFAULT;
		if (copy_from_user(&info, uinfo, sizeof info))
			goto out;
		ret = -EINVAL;
		if (info.si_signo != sig)
			goto out;
		/* Only one's own process may be sent a signal that claims to
		 * come from the kernel or from tkill. */
		ret = -EPERM;
		if ((p != current->proc || current->tid != p->pid ||
		     type > PIDFD_SIGNAL_THREAD_GROUP) &&
		    (info.si_code >= 0 || info.si_code == SI_TKILL))
			goto out;
	} else {
		prepare_kill_siginfo(&info, sig, type == PIDFD_SIGNAL_THREAD ? SI_TKILL : SI_USER);
	}
	ret = -EINVAL;
	if (sig < 0 || sig > NSIG)
		goto out;
	ret = p->state == PROCESS_DEAD ? -ESRCH : pidfd_signal_to(p, sig, &info, type);
out:
	put_process(p);
	return ret;
}

/* PTRACE_MODE_ATTACH_REALCREDS: the caller's real ids are all of the
 * target's and it is dumpable, or the caller may ptrace anything. */
bool ptrace_may_access(struct process *p)
{
	struct task *t = process_leader(p);
	if (!t)
		return false;
	if (p == current->proc)
		return true;
	const struct cred *c = &current->cred, *tc = &t->cred;
	bool same = c->uid == tc->uid && c->uid == tc->euid && c->uid == tc->suid &&
		    c->gid == tc->gid && c->gid == tc->egid && c->gid == tc->sgid;
	return (same && p->dumpable == 1) || capable(CAP_SYS_PTRACE);
}

SYSCALL_DEFINE3(pidfd_getfd, int, pidfd, int, fd, unsigned, flags)
{
	if (flags)
		return -EINVAL;
	struct process *p = pidfd_get_process(pidfd);
	if (IS_ERR(p))
		return PTR_ERR(p);
	struct task *t = process_leader(p);
	long ret = -ESRCH;
	if (!t || !t->files)
		goto out;
	ret = -EPERM;
	if (!ptrace_may_access(p))
		goto out;
	ret = -EBADF;
	struct files_struct *files = t->files;
	if (fd < 0 || fd >= files->max_fds || !files->fd[fd])
		goto out;
	struct file *f = get_file(files->fd[fd]);
	ret = fd_install(f, O_CLOEXEC);
	if (ret < 0)
		fput(f);
out:
	put_process(p);
	return ret;
}
