/*
 * signalfd: reading a file dequeues the reader's pending signals of a set,
 * as struct signalfd_siginfo records. Signals are queued as usual (the
 * reader normally blocks them); queueing wakes the process's signalfd wait
 * queue, which read and poll wait on.
 */
#include "kernel.h"
#include "task.h"
#include "signal.h"
#include "fs.h"
#include "iov.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/misc.h"
#include "uapi/signalfd.h"

struct signalfd_ctx {
	linux_sigset_t mask; /* the signals read here */
};

/* Which union member of a siginfo is meaningful (Linux's siginfo_layout). */
enum siginfo_layout { SIL_KILL, SIL_TIMER, SIL_POLL, SIL_FAULT, SIL_CHLD, SIL_RT, SIL_SYS };

static enum siginfo_layout siginfo_layout(int sig, int code)
{
	static const struct {
		int sig, limit;
		enum siginfo_layout layout;
	} kernel_codes[] = {
	    {SIGILL, 11, SIL_FAULT}, {SIGFPE, 15, SIL_FAULT}, {SIGSEGV, 10, SIL_FAULT},
	    {SIGBUS, 5, SIL_FAULT},  {SIGTRAP, 6, SIL_FAULT}, {SIGCHLD, 6, SIL_CHLD},
	    {SIGIO, 6, SIL_POLL},    {SIGSYS, 2, SIL_SYS},
	};
	if (code > SI_USER && code < SI_KERNEL) {
		for (size_t i = 0; i < ARRAY_SIZE(kernel_codes); i++)
			if (kernel_codes[i].sig == sig && code <= kernel_codes[i].limit)
				return kernel_codes[i].layout;
		return code <= 6 ? SIL_POLL : SIL_KILL;
	}
	if (code == SI_TIMER)
		return SIL_TIMER;
	if (code == SI_SIGIO)
		return SIL_POLL;
	return code < 0 ? SIL_RT : SIL_KILL;
}

static void signalfd_copyinfo(struct linux_signalfd_siginfo *n, const struct linux_siginfo *k)
{
	memset(n, 0, sizeof *n);
	n->ssi_signo = (uint32_t)k->si_signo;
	n->ssi_errno = k->si_errno;
	n->ssi_code = k->si_code;
	switch (siginfo_layout(k->si_signo, k->si_code)) {
	case SIL_KILL:
		n->ssi_pid = (uint32_t)k->kill.pid;
		n->ssi_uid = k->kill.uid;
		break;
	case SIL_TIMER:
		n->ssi_tid = (uint32_t)k->timer.tid;
		n->ssi_overrun = (uint32_t)k->timer.overrun;
		n->ssi_ptr = k->timer.value;
		n->ssi_int = (int32_t)k->timer.value;
		break;
	case SIL_POLL:
		n->ssi_band = (uint32_t)k->poll.band;
		n->ssi_fd = k->poll.fd;
		break;
	case SIL_FAULT:
		n->ssi_addr = k->fault.addr;
		break;
	case SIL_CHLD:
		n->ssi_pid = (uint32_t)k->chld.pid;
		n->ssi_uid = k->chld.uid;
		n->ssi_status = k->chld.status;
		n->ssi_utime = (uint64_t)k->chld.utime;
		n->ssi_stime = (uint64_t)k->chld.stime;
		break;
	case SIL_RT:
		n->ssi_pid = (uint32_t)k->rt.pid;
		n->ssi_uid = k->rt.uid;
		n->ssi_ptr = k->rt.value;
		n->ssi_int = (int32_t)k->rt.value;
		break;
	case SIL_SYS:
		n->ssi_call_addr = k->sys.call_addr;
		n->ssi_syscall = k->sys.syscall;
		n->ssi_arch = k->sys.arch;
		break;
	}
}

/* One signal of the set: its number, -EAGAIN, or -ERESTARTSYS. */
static int signalfd_dequeue(struct signalfd_ctx *ctx, struct linux_siginfo *info, bool nonblock)
{
	struct task *t = current;
	int sig = dequeue_signal(t, ctx->mask, info);
	if (sig || nonblock)
		return sig ? sig : -EAGAIN;
	int err = wait_event_interruptible(t->proc->signalfd_wait,
					   (sig = dequeue_signal(t, ctx->mask, info)) != 0);
	return err ? err : sig;
}

static long signalfd_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	struct signalfd_ctx *ctx = f->private;
	struct linux_signalfd_siginfo rec;
	if (to->count < sizeof rec)
		return -EINVAL;
	bool nonblock = f->flags & O_NONBLOCK;
	long total = 0;
	while (to->count >= sizeof rec) {
		struct linux_siginfo info;
		int sig = signalfd_dequeue(ctx, &info, nonblock);
		if (sig < 0)
			return total ? total : sig;
		signalfd_copyinfo(&rec, &info);
		if (copy_to_iter(&rec, sizeof rec, to) != sizeof rec)
			return total ? total : -EFAULT;
		total += sizeof rec;
		nonblock = true;
	}
	return total;
}

static unsigned signalfd_poll(struct file *f, struct poll_table *pt)
{
	struct signalfd_ctx *ctx = f->private;
	struct task *t = current;
	poll_wait(f, &t->proc->signalfd_wait, pt);
	linux_sigset_t pending = t->pending.signal | t->proc->shared_pending.signal;
	return (pending & ctx->mask) ? POLLIN : 0;
}

static void signalfd_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_operations signalfd_fops = {
    .read = signalfd_read,
    .poll = signalfd_poll,
    .llseek = noop_llseek,
    .release = signalfd_release,
};

static long do_signalfd4(int ufd, uaddr_t umask, size_t sizemask, int flags)
{
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (sizemask != sizeof(linux_sigset_t))
		return -EINVAL;
	linux_sigset_t mask;
	if (copy_from_user(&mask, umask, sizeof mask))
		return -EFAULT;
	mask &= ~SIG_KERNEL_ONLY_MASK;
	if (ufd != -1) {
		struct file *f = fget(ufd);
		if (!f)
			return -EBADF;
		long r = -EINVAL;
		if (f->f_op == &signalfd_fops) {
			((struct signalfd_ctx *)f->private)->mask = mask;
			wake_up(&current->proc->signalfd_wait);
			r = ufd;
		}
		fput(f);
		return r;
	}
	struct signalfd_ctx *ctx = kzalloc(sizeof *ctx);
	if (!ctx)
		return -ENOMEM;
	ctx->mask = mask;
	struct file *f = anon_inode_getfile("[signalfd]", &signalfd_fops, ctx,
					    O_RDWR | ((unsigned)flags & O_NONBLOCK));
	if (!f) {
		kfree(ctx);
		return -ENOMEM;
	}
	int fd = fd_install(f, (unsigned)flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE4(signalfd4, int, ufd, uaddr_t, umask, size_t, sizemask, int, flags)
{
	return do_signalfd4(ufd, umask, sizemask, flags);
}

SYSCALL_DEFINE3(signalfd, int, ufd, uaddr_t, umask, size_t, sizemask)
{
	return do_signalfd4(ufd, umask, sizemask, 0);
}
