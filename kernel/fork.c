/*
 * fork, vfork, clone and clone3. A new process is a host fork of the parent's
 * stub (copy-on-write by the host); a new thread is a host thread in the
 * same stub. Either way the child waits, parked in the stub, until its own
 * task thread adopts it.
 */
#include "kernel.h"
#include "capability.h"
#include "host.h"
#include "task.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "fs.h"
#include "mm.h"
#include "uapi/sched.h"

struct vfork_done {
	bool done;
	struct task *waiter;
};

/* The parent of a vfork child resumes once the child execs or exits. */
void vfork_release(struct task *child)
{
	struct vfork_done *vd = (struct vfork_done *)child->vfork_parent;
	if (!vd)
		return;
	child->vfork_parent = NULL;
	vd->done = true;
	task_wake(vd->waiter);
}

static struct process *process_alloc(struct task *parent_task, unsigned long flags, int exit_signal)
{
	struct process *parent = parent_task->proc, *p = kzalloc(sizeof *p);
	if (!p)
		return NULL;
	p->refcount = 1;
	list_init(&p->children);
	list_init(&p->threads);
	sigpending_init(&p->shared_pending);
	wait_queue_init(&p->wait_child);
	wait_queue_init(&p->signalfd_wait);
	wait_queue_init(&p->pidfd_wait);
	list_init(&p->posix_timers);
	p->parent = (flags & CLONE_PARENT) && parent->parent ? parent->parent : parent;
	p->parent_tid = p->parent == parent ? parent_task->tid : parent->parent_tid;
	p->pgid = parent->pgid;
	p->sid = parent->sid;
	p->tty = parent->tty;
	memcpy(p->rlim, parent->rlim, sizeof p->rlim);
	p->oom_score_adj = parent->oom_score_adj;
	p->dumpable = parent->dumpable;
	/* A sibling tells its parent as the caller does (Linux's copy_process). */
	p->exit_signal = flags & CLONE_PARENT ? parent->exit_signal : exit_signal;
	p->state = PROCESS_ALIVE;
	p->start_time_ns = ktime_get_ns();
	return p;
}

static int copy_resources(struct task *c, struct task *parent, unsigned long flags)
{
	if (flags & CLONE_VM) {
		c->mm = parent->mm;
		c->mm->refcount++;
	} else if (!(c->mm = mm_dup(parent->mm))) {
		return -ENOMEM;
	}
	if (flags & CLONE_FILES) {
		c->files = parent->files;
		c->files->refcount++;
	} else if (!(c->files = files_dup(parent->files))) {
		return -ENOMEM;
	}
	if (flags & CLONE_FS) {
		c->fs = parent->fs;
		c->fs->refcount++;
	} else if (!(c->fs = fs_dup(parent->fs))) {
		return -ENOMEM;
	}
	if (flags & CLONE_SIGHAND) {
		c->sighand = parent->sighand;
		c->sighand->refcount++;
	} else {
		if (!(c->sighand = kmalloc(sizeof *c->sighand)))
			return -ENOMEM;
		*c->sighand = *parent->sighand;
		c->sighand->refcount = 1;
		if (flags & CLONE_CLEAR_SIGHAND)
			flush_signal_handlers(c);
	}
	return 0;
}

static void free_unstarted(struct task *c)
{
	if (c->mm)
		mm_put(c->mm);
	if (c->files)
		files_put(c->files);
	if (c->fs)
		fs_put(c->fs);
	if (c->sighand && --c->sighand->refcount == 0)
		kfree(c->sighand);
	kfree(c);
}

#define NAMESPACE_FLAGS                                                                            \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
	 CLONE_NEWCGROUP | CLONE_NEWTIME)

/* umk has no namespaces, and answers as a Linux built without them: a new
 * user namespace is EINVAL, the others EPERM without CAP_SYS_ADMIN (checked
 * first), else EINVAL. */
static int refuse_namespaces(unsigned long flags)
{
	if (!(flags & NAMESPACE_FLAGS))
		return 0;
	pr_warn("%s[%d]: new namespaces (%#lx) not implemented\n", current->comm, current->tid,
		flags & NAMESPACE_FLAGS);
	if (!(flags & CLONE_NEWUSER) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	return -EINVAL;
}

static int check_clone_flags(unsigned long flags)
{
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_FS) && (flags & CLONE_NEWNS))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && (flags & CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_PIDFD) && (flags & (CLONE_THREAD | CLONE_DETACHED)))
		return -EINVAL;
	if ((flags & (CLONE_PARENT | CLONE_THREAD)) && current->proc == init_process &&
	    (flags & CLONE_PARENT))
		return -EINVAL;
	return refuse_namespaces(flags);
}

/* RLIMIT_NPROC counts the threads of the real user; root, and a task
 * with CAP_SYS_RESOURCE or CAP_SYS_ADMIN, is not limited. */
static bool over_nproc_limit(struct task *t)
{
	uint64_t lim = t->proc->rlim[RLIMIT_NPROC].rlim_cur, n = 0;
	if (lim == RLIM_INFINITY || t->cred.uid == 0 || capable(CAP_SYS_RESOURCE) ||
	    capable(CAP_SYS_ADMIN))
		return false;
	struct process *p;
	for_each_process(p) {
		struct task *x;
		for_each_thread(p, x)
			n += x->cred.uid == t->cred.uid;
	}
	return n >= lim;
}

/* CLONE_PIDFD: the parent gets the child's pidfd before the child runs. */
static int clone_pidfd(struct process *p, uaddr_t upidfd, int *fd)
{
	*fd = pidfd_create(p, 0);
	if (*fd >= 0 && put_user((int32_t)*fd, upidfd)) {
		fd_close(*fd);
		*fd = -1;
		return -EFAULT;
	}
	return *fd;
}

long do_fork(unsigned long flags, uaddr_t stack, uaddr_t parent_tid, uaddr_t child_tid, uaddr_t tls,
	     int exit_signal, uaddr_t pidfd)
{
	struct task *parent = current;
	int pidfd_nr = -1, err = check_clone_flags(flags);
	if (err)
		return err;
	if (!(flags & CLONE_THREAD) && over_nproc_limit(parent))
		return -EAGAIN;
	struct task *c = task_alloc();
	if (!c)
		return -ENOMEM;
	int tid = alloc_pid();
	if (tid < 0) {
		kfree(c);
		return tid;
	}
	c->tid = tid;
	memcpy(c->comm, parent->comm, sizeof c->comm);
	c->cred = parent->cred;
	c->nice = parent->nice;
	c->ioprio = parent->ioprio;
	c->sched_policy = parent->sched_policy;
	c->sched_priority = parent->sched_priority;
	c->cpu_mask = parent->cpu_mask;
	c->no_new_privs = parent->no_new_privs;
	c->personality = parent->personality;
	/* A forked process keeps the host's rseq registration; a thread or a
	 * CLONE_VM child has none (Linux's rseq_fork). */
	if (!(flags & CLONE_VM))
		c->rseq = parent->rseq;
	c->blocked = parent->blocked;
	c->regs = parent->regs;
	c->regs.rax = 0;
	if (stack)
		c->regs.rsp = stack;
	if (flags & CLONE_SETTLS)
		c->regs.fs_base = tls;
	if (!(flags & CLONE_VM) || (flags & CLONE_VFORK))
		c->sas = parent->sas;
	else
		c->sas.ss_flags = SS_DISABLE;
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = child_tid;
	if ((err = copy_resources(c, parent, flags)) < 0)
		goto fail;
	if (flags & CLONE_THREAD) {
		c->proc = parent->proc;
	} else if (!(c->proc = process_alloc(parent, flags, exit_signal))) {
		err = -ENOMEM;
		goto fail;
	}
	if ((flags & CLONE_PIDFD) && (err = clone_pidfd(c->proc, pidfd, &pidfd_nr)) < 0)
		goto fail_proc;
	if ((err = platform->clone(parent->host, flags & (CLONE_VM | CLONE_THREAD), &c->host)) < 0)
		goto fail_proc;
	host_thread_set_cpus(c->host, c->cpu_mask);
	if (!(flags & CLONE_THREAD)) {
		c->proc->pid = tid;
		list_add_tail(&c->proc->sibling, &c->proc->parent->children);
		attach_process_pid(c->proc);
	}
	list_add_tail(&c->thread_node, &c->proc->threads);
	c->proc->nr_threads++;
	attach_task_pid(c);

	if (flags & CLONE_PARENT_SETTID)
		put_user((int32_t)tid, parent_tid);
	c->set_child_tid = (flags & CLONE_CHILD_SETTID) ? child_tid : 0;
	struct vfork_done vd = {false, parent};
	if (flags & CLONE_VFORK)
		c->vfork_parent = (struct task *)&vd;
	c->adopt_pending = true;
	task_start(c);
	if (flags & CLONE_VFORK) {
		/* Killable, not interruptible: the child owns our memory until then. */
		while (!vd.done && !parent->proc->group_exiting)
			schedule();
		if (!vd.done) {
			c = find_task(tid);
			if (c && c->vfork_parent == (struct task *)&vd)
				c->vfork_parent = NULL;
		}
	}
	return tid;
fail_proc:
	if (pidfd_nr >= 0)
		fd_close(pidfd_nr);
	if (!(flags & CLONE_THREAD))
		put_process(c->proc);
fail:
	free_pid(tid);
	free_unstarted(c);
	return err;
}

/* Runs first in the child's task thread: CLONE_CHILD_SETTID writes into the
 * child's own memory. */
void fork_child_setup(struct task *c)
{
	if (c->set_child_tid)
		put_user((int32_t)c->tid, c->set_child_tid);
}

SYSCALL_DEFINE0(fork)
{
	return do_fork(0, 0, 0, 0, 0, SIGCHLD, 0);
}

SYSCALL_DEFINE0(vfork)
{
	return do_fork(CLONE_VM | CLONE_VFORK, 0, 0, 0, 0, SIGCHLD, 0);
}

SYSCALL_DEFINE5(clone, unsigned long, flags, uaddr_t, stack, uaddr_t, parent_tid, uaddr_t,
		child_tid, uaddr_t, tls)
{
	if (flags & CLONE_PIDFD && flags & CLONE_PARENT_SETTID)
		return -EINVAL;
	return do_fork(flags & ~CSIGNAL & 0xffffffffUL, stack, parent_tid, child_tid, tls,
		       (int)(flags & CSIGNAL), parent_tid);
}

SYSCALL_DEFINE2(clone3, uaddr_t, uargs, size_t, size)
{
	struct clone_args a;
	if (size < CLONE_ARGS_SIZE_VER0 || size > 4096)
		return -EINVAL;
	memset(&a, 0, sizeof a);
	if (copy_from_user(&a, uargs, min(size, sizeof a)))
		return -EFAULT;
	if (size > sizeof a) {
		/* Unknown trailing fields must be zero. */
		unsigned char extra[64];
		for (size_t off = sizeof a; off < size; off += sizeof extra) {
			size_t n = min(sizeof extra, size - off);
			if (copy_from_user(extra, uargs + off, n))
				return -EFAULT;
			for (size_t i = 0; i < n; i++)
				if (extra[i])
					return -E2BIG;
		}
	}
	if (a.exit_signal > NSIG || (a.flags & CSIGNAL) || a.set_tid || a.set_tid_size)
		return -EINVAL;
	/* A thread or a sibling takes no exit signal of its own (Linux's
	 * clone3_args_valid). */
	if ((a.flags & (CLONE_THREAD | CLONE_PARENT)) && a.exit_signal)
		return -EINVAL;
	if ((a.stack == 0) != (a.stack_size == 0))
		return -EINVAL;
	if (a.flags & CLONE_INTO_CGROUP)
		return -EINVAL;
	uaddr_t sp = a.stack ? a.stack + a.stack_size : 0;
	return do_fork(a.flags, sp, a.parent_tid, a.child_tid, a.tls, (int)a.exit_signal, a.pidfd);
}

SYSCALL_DEFINE1(set_tid_address, uaddr_t, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->tid;
}

/* Single-threaded, and sharing its memory with no other process. */
static bool alone(const struct task *t)
{
	return t->proc->nr_threads == 1 && t->mm->refcount == 1;
}

/* What a fork would have given the caller a copy of, copied now (Linux's
 * ksys_unshare). Unsharing threads, signal handlers or memory is only
 * possible where there is nothing to unshare. */
SYSCALL_DEFINE1(unshare, unsigned long, flags)
{
	struct task *t = current;
	if (flags & CLONE_NEWUSER)
		flags |= CLONE_THREAD | CLONE_FS;
	if (flags & CLONE_VM)
		flags |= CLONE_SIGHAND;
	if (flags & CLONE_SIGHAND)
		flags |= CLONE_THREAD;
	if (flags & CLONE_NEWNS)
		flags |= CLONE_FS;
	if (flags & ~(CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES |
		      CLONE_SYSVSEM | NAMESPACE_FLAGS))
		return -EINVAL;
	if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) && t->proc->nr_threads > 1)
		return -EINVAL;
	if ((flags & (CLONE_SIGHAND | CLONE_VM)) && t->sighand->refcount > 1)
		return -EINVAL;
	if ((flags & CLONE_VM) && !alone(t))
		return -EINVAL;
	int err = refuse_namespaces(flags);
	if (err)
		return err;
	/* Undo adjustments are the process's: a thread cannot leave them. */
	if ((flags & CLONE_SYSVSEM) && t->proc->nr_threads > 1) {
		pr_warn(
		    "%s[%d]: unshare(CLONE_SYSVSEM) in a multithreaded process not implemented\n",
		    t->comm, t->tid);
		return -EINVAL;
	}
	if ((flags & CLONE_FS) && t->fs->refcount > 1) {
		struct fs_struct *fs = fs_dup(t->fs);
		if (!fs)
			return -ENOMEM;
		fs_put(t->fs);
		t->fs = fs;
	}
	if ((flags & CLONE_FILES) && unshare_files(t))
		return -ENOMEM;
	if (flags & CLONE_SYSVSEM)
		exit_sem(t->proc);
	return 0;
}

/* No namespace to enter: a valid fd is not one (a pidfd names a process
 * in the only namespaces there are). */
SYSCALL_DEFINE2(setns, int, fd, int, nstype)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	fput(f);
	pr_warn("%s[%d]: setns (%#x) not implemented: there are no namespaces\n", current->comm,
		current->tid, (unsigned)nstype);
	return -EINVAL;
}
