/*
 * Signals: generation, queueing, default actions, delivery with Linux's
 * x86-64 rt_sigframe (including XSAVE state), sigreturn and syscall restart.
 */
#include "kernel.h"
#include "capability.h"
#include "host.h"
#include "task.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "coredump.h"
#include "uapi/unistd.h"
#include "ktime.h"

#define SYNCHRONOUS_MASK                                                                           \
	(sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) | sigmask(SIGTRAP) |                 \
	 sigmask(SIGFPE) | sigmask(SIGSYS))
#define SIG_IGNORE_MASK (sigmask(SIGCHLD) | sigmask(SIGURG) | sigmask(SIGWINCH) | sigmask(SIGCONT))
#define SIG_COREDUMP_MASK                                                                          \
	(sigmask(SIGQUIT) | sigmask(SIGILL) | sigmask(SIGTRAP) | sigmask(SIGABRT) |                \
	 sigmask(SIGFPE) | sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGSYS) |                  \
	 sigmask(SIGXCPU) | sigmask(SIGXFSZ))

static bool valid_signal(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

int sig_default_stops(int sig)
{
	return (SIG_STOP_MASK & sigmask(sig)) != 0;
}

/* ---- RLIMIT_SIGPENDING ----
 * Queued signals count against their receiver's real user, across all of
 * that user's processes (Linux's ucounts), and against the receiver's
 * limit; each entry remembers whom it was charged to. */

struct sigpending_user {
	struct list_head list;
	uid_t_ uid;
	long count;
};

static LIST_HEAD(sigpending_users);

static struct sigpending_user *sigpending_user(uid_t_ uid)
{
	struct sigpending_user *u;
	list_for_each_entry(u, &sigpending_users, list)
		if (u->uid == uid)
			return u;
	u = kzalloc(sizeof *u);
	if (u) {
		u->uid = uid;
		list_add(&u->list, &sigpending_users);
	}
	return u;
}

/* A queue entry for t, or NULL when t's user is at t's limit (unless
 * override) or memory is short. */
static struct sigqueue *sigqueue_alloc(struct task *t, bool override)
{
	struct sigpending_user *u = sigpending_user(t->cred.uid);
	if (!u || (!override && (uint64_t)u->count >= t->proc->rlim[RLIMIT_SIGPENDING].rlim_cur))
		return NULL;
	struct sigqueue *q = kzalloc(sizeof *q);
	if (q) {
		q->user = u;
		u->count++;
	}
	return q;
}

static void sigqueue_free(struct sigqueue *q)
{
	struct sigpending_user *u = q->user;
	if (--u->count == 0) {
		list_del(&u->list);
		kfree(u);
	}
	kfree(q);
}

void sigpending_init(struct sigpending *p)
{
	p->signal = 0;
	list_init(&p->queue);
}

void sigpending_flush(struct sigpending *p)
{
	struct sigqueue *q, *n;
	list_for_each_entry_safe(q, n, &p->queue, list) {
		list_del(&q->list);
		sigqueue_free(q);
	}
	p->signal = 0;
}

static void flush_pending_mask(struct sigpending *p, linux_sigset_t mask)
{
	struct sigqueue *q, *n;
	list_for_each_entry_safe(q, n, &p->queue, list) {
		if (mask & sigmask(q->info.si_signo)) {
			list_del(&q->list);
			sigqueue_free(q);
		}
	}
	p->signal &= ~mask;
}

bool signal_pending(struct task *t)
{
	linux_sigset_t pending = t->pending.signal | t->proc->shared_pending.signal;
	return (pending & ~t->blocked) || t->proc->group_exiting || t->state == TASK_EXITING;
}

void signal_wake_up(struct task *t)
{
	task_wake(t);
	if (t->in_user && t->host)
		platform->kick(t->host);
}

bool sig_ignored_by(struct task *t, int sig)
{
	uaddr_t h = t->sighand->action[sig - 1].handler;
	if (h == SIG_IGN)
		return true;
	return h == SIG_DFL && (SIG_IGNORE_MASK & sigmask(sig));
}

/* A task that wants sig now: not blocking it, not on its way out. */
static bool wants_signal(int sig, struct task *t)
{
	if (t->state != TASK_RUNNING)
		return false;
	if (sig == SIGKILL)
		return true;
	/* A stopped process keeps even a fatal signal pending until SIGCONT. */
	if (t->proc->stopped)
		return false;
	return !(t->blocked & sigmask(sig));
}

static void complete_signal(int sig, struct task *t, bool group)
{
	struct process *p = t->proc;
	struct task *target = NULL;
	if (wants_signal(sig, t)) {
		target = t;
	} else if (group) {
		struct task *x;
		for_each_thread(p, x)
			if (wants_signal(sig, x)) {
				target = x;
				break;
			}
	}
	if (!target)
		return;
	/* A fatal signal kills the whole group at once, as in Linux; one that
	 * dumps core is left to a thread of the group, which writes it. */
	bool fatal = sig == SIGKILL ||
		     (t->sighand->action[sig - 1].handler == SIG_DFL && !sig_default_stops(sig) &&
		      !(SIG_IGNORE_MASK & sigmask(sig)) && !(SIG_COREDUMP_MASK & sigmask(sig)) &&
		      !(target->blocked & sigmask(sig)) && !(target->sigwait_set & sigmask(sig)) &&
		      p != init_process);
	if (fatal && !p->group_exiting) {
		p->group_exiting = true;
		p->exit_status = sig;
		p->stopped = false;
		struct task *x;
		for_each_thread(p, x)
			signal_wake_up(x);
		return;
	}
	signal_wake_up(target);
}

/* SIGCONT and the stop signals cancel each other when generated. */
static void prepare_signal(int sig, struct process *p)
{
	struct task *x;
	if (sig_default_stops(sig)) {
		flush_pending_mask(&p->shared_pending, sigmask(SIGCONT));
		for_each_thread(p, x)
			flush_pending_mask(&x->pending, sigmask(SIGCONT));
	} else if (sig == SIGCONT) {
		flush_pending_mask(&p->shared_pending, SIG_STOP_MASK);
		for_each_thread(p, x)
			flush_pending_mask(&x->pending, SIG_STOP_MASK);
		if (p->stopped) {
			p->stopped = false;
			p->job_event = JOB_CONTINUED;
			notify_parent_jobctl(p, CLD_CONTINUED);
			for_each_thread(p, x)
				task_wake(x);
		}
	}
}

int send_signal(int sig, const struct linux_siginfo *info, struct task *t, bool group)
{
	struct process *p = t->proc;
	if (p->state != PROCESS_ALIVE || p->group_exiting)
		return 0;
	prepare_signal(sig, p);
	/* Ignored signals are dropped at once, unless blocked (the handler may
	 * change before they are unblocked). */
	if (sig_ignored_by(t, sig) && !(t->blocked & sigmask(sig)) && sig != SIGKILL)
		return 0;
	struct sigpending *pending = group ? &p->shared_pending : &t->pending;
	if (sig < SIGRTMIN && (pending->signal & sigmask(sig)))
		return 0;
	/* Past the limit, a classic signal, or any sent by kill(), is still
	 * sent, without its siginfo; a queued real-time one fails. A POSIX
	 * timer's entry is never refused (Linux charges it at timer_create). */
	bool override = (sig < SIGRTMIN && (!info || info->si_code >= 0)) ||
			(info && info->si_code == SI_TIMER);
	struct sigqueue *q = sigqueue_alloc(t, override);
	if (!q) {
		if (sig >= SIGRTMIN && info && info->si_code != SI_USER)
			return -EAGAIN;
	} else {
		if (info) {
			q->info = *info;
		} else {
			q->info.si_signo = sig;
			q->info.si_code = SI_KERNEL;
		}
		q->info.si_signo = sig;
		list_add_tail(&q->list, &pending->queue);
	}
	pending->signal |= sigmask(sig);
	wake_up(&p->signalfd_wait);
	complete_signal(sig, t, group);
	return 0;
}

static struct task *process_leader_task(struct process *p)
{
	if (list_empty(&p->threads))
		return NULL;
	return list_first_entry(&p->threads, struct task, thread_node);
}

int send_sig_info_process(int sig, const struct linux_siginfo *info, struct process *p)
{
	struct task *t = process_leader_task(p);
	if (!t)
		return 0;
	return send_signal(sig, info, t, true);
}

void prepare_kill_siginfo(struct linux_siginfo *info, int sig, int code)
{
	memset(info, 0, sizeof *info);
	info->si_signo = sig;
	info->si_code = code;
	info->kill.pid = current->proc->pid;
	info->kill.uid = current->cred.uid;
}

static bool kill_permitted(struct process *p, int sig)
{
	if (!current)
		return true; /* the kernel itself: keyboard signals, timers */
	const struct cred *c = &current->cred;
	struct task *t = process_leader_task(p);
	if (!t || p == current->proc || capable(CAP_KILL))
		return true;
	const struct cred *tc = &t->cred;
	if (c->euid == tc->suid || c->euid == tc->uid || c->uid == tc->suid || c->uid == tc->uid)
		return true;
	return sig == SIGCONT && p->sid == current->proc->sid;
}

int kill_process_info(struct process *p, int sig, const struct linux_siginfo *info)
{
	if (p->state != PROCESS_ALIVE)
		return 0;
	if (!kill_permitted(p, sig))
		return -EPERM;
	if (!sig)
		return 0;
	/* init drops the default actions when it dequeues (do_signal); a blocked
	 * signal must stay queued for its sigtimedwait. */
	return send_sig_info_process(sig, info, p);
}

int kill_process(struct process *p, int sig)
{
	struct linux_siginfo info;
	prepare_kill_siginfo(&info, sig, SI_USER);
	return kill_process_info(p, sig, &info);
}

int kill_pgrp(int pgid, int sig, const struct linux_siginfo *info)
{
	struct process *p, *n;
	int ret = -ESRCH;
	bool any_ok = false;
	list_for_each_entry_safe(p, n, &all_processes, all) {
		if (p->pgid != pgid || p->state != PROCESS_ALIVE)
			continue;
		int err = info ? kill_process_info(p, sig, info) : kill_process(p, sig);
		if (!err)
			any_ok = true;
		else
			ret = err;
	}
	return any_ok ? 0 : ret;
}

void force_sig_fault(int sig, int code, uint64_t addr)
{
	struct task *t = current;
	struct linux_sigaction *ka = &t->sighand->action[sig - 1];
	/* A fault that cannot be handled (blocked or ignored) kills: unblock
	 * it and reset the handler to the default, as Linux's force_sig_info
	 * does; a handler must not run with the signal blocked. */
	if (ka->handler == SIG_IGN || (t->blocked & sigmask(sig))) {
		t->blocked &= ~sigmask(sig);
		ka->handler = SIG_DFL;
	}
	struct linux_siginfo info;
	memset(&info, 0, sizeof info);
	info.si_signo = sig;
	info.si_code = code;
	info.fault.addr = addr;
	send_signal(sig, &info, t, false);
}

void force_sig(int sig)
{
	force_sig_fault(sig, SI_KERNEL, 0);
}

static int dequeue_from(struct sigpending *p, linux_sigset_t allowed, struct linux_siginfo *info)
{
	linux_sigset_t ready = p->signal & allowed;
	if (!ready)
		return 0;
	linux_sigset_t sync = ready & SYNCHRONOUS_MASK;
	int sig = __builtin_ctzll(sync ? sync : ready) + 1;
	struct sigqueue *q, *found = NULL;
	bool more = false;
	list_for_each_entry(q, &p->queue, list) {
		if (q->info.si_signo != sig)
			continue;
		if (found) {
			more = true;
			break;
		}
		found = q;
	}
	if (found) {
		*info = found->info;
		list_del(&found->list);
		sigqueue_free(found);
	} else {
		memset(info, 0, sizeof *info);
		info->si_signo = sig;
		info->si_code = SI_USER;
	}
	if (!more)
		p->signal &= ~sigmask(sig);
	return sig;
}

int dequeue_signal(struct task *t, linux_sigset_t allowed, struct linux_siginfo *info)
{
	for (;;) {
		int sig = dequeue_from(&t->pending, allowed, info);
		if (!sig) {
			sig = dequeue_from(&t->proc->shared_pending, allowed, info);
			if (sig == SIGALRM)
				itimer_rearm(t->proc);
		}
		/* A stale POSIX timer signal is dropped: look again. */
		if (!sig || info->si_code != SI_TIMER || posixtimer_deliver(t->proc, info))
			return sig;
	}
}

/* ---- The signal frame ---- */

static bool on_sig_stack(struct task *t, uaddr_t sp)
{
	return t->sas.ss_size && sp > t->sas.ss_sp && sp - t->sas.ss_sp <= t->sas.ss_size;
}

static int sas_flags(struct task *t, uaddr_t sp)
{
	if (!t->sas.ss_size)
		return SS_DISABLE;
	return on_sig_stack(t, sp) ? SS_ONSTACK : (t->sas.ss_flags & SS_AUTODISARM);
}

static void regs_to_sigcontext(const struct user_regs *r, struct linux_sigcontext *sc)
{
	sc->r8 = r->r8, sc->r9 = r->r9, sc->r10 = r->r10, sc->r11 = r->r11;
	sc->r12 = r->r12, sc->r13 = r->r13, sc->r14 = r->r14, sc->r15 = r->r15;
	sc->rdi = r->rdi, sc->rsi = r->rsi, sc->rbp = r->rbp, sc->rbx = r->rbx;
	sc->rdx = r->rdx, sc->rax = r->rax, sc->rcx = r->rcx, sc->rsp = r->rsp;
	sc->rip = r->rip, sc->eflags = r->eflags;
	sc->cs = USER_CS, sc->ss = USER_DS, sc->fs = 0, sc->gs = 0;
}

static void sigcontext_to_regs(const struct linux_sigcontext *sc, struct user_regs *r)
{
	r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
	r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14, r->r15 = sc->r15;
	r->rdi = sc->rdi, r->rsi = sc->rsi, r->rbp = sc->rbp, r->rbx = sc->rbx;
	r->rdx = sc->rdx, r->rax = sc->rax, r->rcx = sc->rcx, r->rsp = sc->rsp;
	r->rip = sc->rip;
	/* Only the flags a user may change (Linux's FIX_EFLAGS). */
	const uint64_t fix =
	    0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x10000 | 0x200000;
	r->eflags = (r->eflags & ~fix) | (sc->eflags & fix);
	r->cs = USER_CS;
	r->ss = USER_DS;
	r->orig_rax = (uint64_t)-1; /* no syscall restart after sigreturn */
	current->restart.fn = NULL; /* nor a restart_syscall by hand */
}

/* The FPU state for a handler: everything in its initial state. */
static int fpu_reset(struct task *t)
{
	size_t n = host_xstate_size();
	unsigned char *buf = kzalloc(n);
	if (!buf)
		return -ENOMEM;
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80, mxcsr_mask = 0xffff;
	memcpy(buf, &fcw, 2);
	memcpy(buf + 24, &mxcsr, 4);
	memcpy(buf + 28, &mxcsr_mask, 4);
	int err = platform->set_fpu(t->host, buf, n);
	kfree(buf);
	return err;
}

static int setup_rt_frame(struct task *t, int sig, const struct linux_siginfo *info,
			  const struct linux_sigaction *ka, linux_sigset_t oldmask)
{
	struct user_regs *r = &t->regs;
	uaddr_t sp = r->rsp - 128; /* the red zone */
	bool onstack = on_sig_stack(t, sp);
	if ((ka->flags & SA_ONSTACK) && t->sas.ss_size && !onstack)
		sp = t->sas.ss_sp + t->sas.ss_size;

	size_t xsize = host_xstate_size();
	uaddr_t fpstate = ALIGN_DOWN(sp - xsize - 4, 64);
	sp = ALIGN_DOWN(fpstate - sizeof(struct linux_rt_sigframe), 16) - 8;
	if (t->sas.ss_size && !onstack && (ka->flags & SA_ONSTACK) && sp < t->sas.ss_sp)
		return -EFAULT; /* the alternate stack overflowed */

	unsigned char *fx = kzalloc(xsize + 4);
	if (!fx)
		return -ENOMEM;
	if (platform->get_fpu(t->host, fx, xsize) == 0) {
		struct linux_fpx_sw_bytes sw = {
		    FP_XSTATE_MAGIC1, (uint32_t)xsize + 4, host_xfeatures(), (uint32_t)xsize, {0}};
		memcpy(fx + FX_SW_BYTES_OFFSET, &sw, sizeof sw);
		uint32_t magic2 = FP_XSTATE_MAGIC2;
		memcpy(fx + xsize, &magic2, 4);
	}
	int err = copy_to_user(fpstate, fx, xsize + 4);
	kfree(fx);
	if (err)
		return err;

	struct linux_rt_sigframe f;
	memset(&f, 0, sizeof f);
	if (!(ka->flags & SA_RESTORER))
		return -EFAULT;
	f.pretcode = ka->restorer;
	f.uc.uc_flags = UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	f.uc.uc_stack.ss_sp = t->sas.ss_sp;
	f.uc.uc_stack.ss_flags = sas_flags(t, r->rsp);
	f.uc.uc_stack.ss_size = t->sas.ss_size;
	regs_to_sigcontext(r, &f.uc.uc_mcontext);
	f.uc.uc_mcontext.fpstate = fpstate;
	f.uc.uc_mcontext.oldmask = oldmask;
	if (sig == SIGSEGV || sig == SIGBUS) {
		f.uc.uc_mcontext.cr2 = info->fault.addr;
		f.uc.uc_mcontext.trapno = 14;
	}
	f.uc.uc_sigmask = oldmask;
	f.info = *info;
	if (copy_to_user(sp, &f, sizeof f))
		return -EFAULT;
	if (t->sas.ss_flags & SS_AUTODISARM) {
		t->sas.ss_sp = 0;
		t->sas.ss_size = 0;
		t->sas.ss_flags = SS_DISABLE;
	}

	r->rdi = (uint64_t)sig;
	r->rsi = sp + offsetof(struct linux_rt_sigframe, info);
	r->rdx = sp + offsetof(struct linux_rt_sigframe, uc);
	r->rax = 0;
	r->rsp = sp;
	r->rip = ka->handler;
	r->eflags &= ~(0x400ULL | 0x100ULL | 0x10000ULL); /* DF, TF, RF */
	r->cs = USER_CS;
	r->ss = USER_DS;
	return fpu_reset(t);
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct task *t = current;
	uaddr_t frame = t->regs.rsp - 8;
	struct linux_rt_sigframe f;
	if (copy_from_user(&f, frame, sizeof f))
		goto bad;
	sigcontext_to_regs(&f.uc.uc_mcontext, &t->regs);
	t->blocked = f.uc.uc_sigmask & ~SIG_KERNEL_ONLY_MASK;
	if (!(f.uc.uc_stack.ss_flags & SS_DISABLE) || t->sas.ss_size) {
		/* restore_altstack: as sigaltstack would, errors ignored */
		if (!on_sig_stack(t, t->regs.rsp)) {
			if (f.uc.uc_stack.ss_flags & SS_DISABLE) {
				t->sas.ss_sp = 0;
				t->sas.ss_size = 0;
				t->sas.ss_flags = SS_DISABLE;
			} else if (f.uc.uc_stack.ss_size >= MINSIGSTKSZ) {
				t->sas.ss_sp = f.uc.uc_stack.ss_sp;
				t->sas.ss_size = f.uc.uc_stack.ss_size;
				t->sas.ss_flags = f.uc.uc_stack.ss_flags & SS_AUTODISARM;
			}
		}
	}
	uaddr_t fpstate = f.uc.uc_mcontext.fpstate;
	if (!fpstate) {
		fpu_reset(t);
		return (long)t->regs.rax;
	}
	size_t xsize = host_xstate_size();
	unsigned char *fx = kmalloc(xsize);
	if (!fx)
		goto bad;
	if (copy_from_user(fx, fpstate, xsize)) {
		kfree(fx);
		goto bad;
	}
	struct linux_fpx_sw_bytes sw;
	memcpy(&sw, fx + FX_SW_BYTES_OFFSET, sizeof sw);
	if (sw.magic1 != FP_XSTATE_MAGIC1 || sw.xstate_size > xsize) {
		/* A legacy FXSAVE-only frame: the extended state is reset. */
		memset(fx + FXSAVE_SIZE, 0, xsize - FXSAVE_SIZE);
	}
	int err = platform->set_fpu(t->host, fx, xsize);
	kfree(fx);
	if (err)
		goto bad;
	return (long)t->regs.rax;
bad:
	force_sig(SIGSEGV);
	return (long)t->regs.rax;
}

/* ---- Delivery ---- */

static void restart_syscall_fixup(struct user_regs *r, const struct linux_sigaction *ka)
{
	if ((int64_t)r->orig_rax < 0)
		return;
	switch ((long)r->rax) {
	case -ERESTART_RESTARTBLOCK:
	case -ERESTARTNOHAND:
		if (ka) {
			r->rax = (uint64_t)-EINTR;
			break;
		}
		if ((long)r->rax == -ERESTART_RESTARTBLOCK) {
			r->rax = __NR_restart_syscall;
			r->rip -= 2;
			break;
		}
		r->rax = r->orig_rax;
		r->rip -= 2;
		break;
	case -ERESTARTSYS:
		if (ka && !(ka->flags & SA_RESTART)) {
			r->rax = (uint64_t)-EINTR;
			break;
		}
		/* fallthrough */
	case -ERESTARTNOINTR:
		r->rax = r->orig_rax;
		r->rip -= 2;
		break;
	}
}

static void handle_signal(struct task *t, int sig, struct linux_siginfo *info,
			  struct linux_sigaction *ka)
{
	restart_syscall_fixup(&t->regs, ka);
	linux_sigset_t oldmask = t->restore_sigmask ? t->saved_sigmask : t->blocked;
	t->restore_sigmask = false;
	if (setup_rt_frame(t, sig, info, ka, oldmask)) {
		/* Linux's force_sigsegv: when even SIGSEGV's own frame cannot be
		 * built (an overflowed stack), its handler goes and it kills;
		 * otherwise this looped forever in the kernel. */
		if (sig == SIGSEGV)
			ka->handler = SIG_DFL;
		force_sig(SIGSEGV);
		return;
	}
	t->blocked |= ka->mask & ~SIG_KERNEL_ONLY_MASK;
	if (!(ka->flags & SA_NODEFER))
		t->blocked |= sigmask(sig);
	if (ka->flags & SA_RESETHAND)
		ka->handler = SIG_DFL;
}

/* The whole process stops: its threads sleep here until SIGCONT or SIGKILL. */
static void do_signal_stop(struct task *t, int sig)
{
	struct process *p = t->proc;
	if (!p->stopped) {
		p->stopped = true;
		p->stop_signal = sig;
		p->job_event = JOB_STOPPED;
		notify_parent_jobctl(p, CLD_STOPPED);
		struct task *x;
		for_each_thread(p, x)
			if (x != t)
				signal_wake_up(x);
	}
}

/* The other threads die first, as Linux's coredump_wait has them, while
 * this one writes the core file. */
static __attribute__((noreturn)) void coredump_and_exit(int sig, const struct linux_siginfo *info)
{
	struct process *p = current->proc;
	if (!p->group_exiting)
		p->exit_status |= do_coredump(sig, info);
	do_exit(p->exit_status);
}

void do_signal(struct task *t)
{
	struct process *p = t->proc;
	bool delivered = false;
	for (;;) {
		if (p->group_exiting || t->state == TASK_EXITING)
			do_exit(p->group_exiting ? p->exit_status : t->exit_code);
		if (p->stopped) {
			if (t->pending.signal & sigmask(SIGKILL))
				do_group_exit(SIGKILL);
			schedule();
			continue;
		}
		struct linux_siginfo info;
		int sig = dequeue_signal(t, ~t->blocked, &info);
		if (!sig)
			break;
		struct linux_sigaction *ka = &t->sighand->action[sig - 1];
		if (ka->handler == SIG_IGN)
			continue;
		if (ka->handler == SIG_DFL) {
			if (SIG_IGNORE_MASK & sigmask(sig))
				continue;
			if (p == init_process && sig != SIGKILL)
				continue;
			if (sig_default_stops(sig)) {
				/* An orphaned group ignores the terminal stops. */
				if (sig != SIGSTOP && is_orphaned_pgrp(p->pgid))
					continue;
				do_signal_stop(t, sig);
				continue;
			}
			if (SIG_COREDUMP_MASK & sigmask(sig))
				coredump_and_exit(sig, &info);
			do_group_exit(sig);
		}
		handle_signal(t, sig, &info, ka);
		delivered = true;
	}
	if (!delivered) {
		restart_syscall_fixup(&t->regs, NULL);
		if (t->restore_sigmask) {
			t->restore_sigmask = false;
			t->blocked = t->saved_sigmask;
		}
	}
}

void flush_signal_handlers(struct task *t)
{
	for (int i = 0; i < NSIG; i++) {
		struct linux_sigaction *ka = &t->sighand->action[i];
		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
}

/* ---- System calls ---- */

SYSCALL_DEFINE4(rt_sigaction, int, sig, uaddr_t, uact, uaddr_t, uoact, size_t, sigsetsize)
{
	if (sigsetsize != sizeof(linux_sigset_t))
		return -EINVAL;
	if (!valid_signal(sig))
		return -EINVAL;
	struct linux_sigaction *ka = &current->sighand->action[sig - 1], act;
	if (uact) {
		if (copy_from_user(&act, uact, sizeof act))
			return -EFAULT;
		if (sigmask(sig) & SIG_KERNEL_ONLY_MASK)
			return -EINVAL;
	}
	if (uoact && copy_result_to_user(uoact, ka, sizeof *ka))
		return -EFAULT;
	if (!uact)
		return 0;
	act.flags &= ~(uint64_t)SA_UNSUPPORTED;
	act.mask &= ~SIG_KERNEL_ONLY_MASK;
	*ka = act;
	/* POSIX: setting a signal to be ignored discards it if pending. */
	if (sig_ignored_by(current, sig)) {
		struct task *x;
		flush_pending_mask(&current->proc->shared_pending, sigmask(sig));
		for_each_thread(current->proc, x)
			flush_pending_mask(&x->pending, sigmask(sig));
	}
	return 0;
}

int set_blocked(int how, linux_sigset_t set, linux_sigset_t *old)
{
	struct task *t = current;
	if (old)
		*old = t->blocked;
	switch (how) {
	case SIG_BLOCK:
		t->blocked |= set;
		break;
	case SIG_UNBLOCK:
		t->blocked &= ~set;
		break;
	case SIG_SETMASK:
		t->blocked = set;
		break;
	default:
		return -EINVAL;
	}
	t->blocked &= ~SIG_KERNEL_ONLY_MASK;
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, uaddr_t, uset, uaddr_t, uoset, size_t, sigsetsize)
{
	if (sigsetsize != sizeof(linux_sigset_t))
		return -EINVAL;
	linux_sigset_t set, old = current->blocked;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof set))
			return -EFAULT;
		int err = set_blocked(how, set, NULL);
		if (err)
			return err;
	}
	if (uoset && copy_result_to_user(uoset, &old, sizeof old))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, uaddr_t, uset, size_t, sigsetsize)
{
	if (sigsetsize > sizeof(linux_sigset_t))
		return -EINVAL;
	linux_sigset_t set =
	    (current->pending.signal | current->proc->shared_pending.signal) & current->blocked;
	return copy_to_user(uset, &set, sigsetsize) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(rt_sigsuspend, uaddr_t, uset, size_t, sigsetsize)
{
	if (sigsetsize != sizeof(linux_sigset_t))
		return -EINVAL;
	linux_sigset_t set;
	if (copy_from_user(&set, uset, sizeof set))
		return -EFAULT;
	struct task *t = current;
	t->saved_sigmask = t->blocked;
	t->restore_sigmask = true;
	t->blocked = set & ~SIG_KERNEL_ONLY_MASK;
	while (!signal_pending(t))
		schedule();
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE0(pause)
{
	while (!signal_pending(current))
		schedule();
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE2(sigaltstack, uaddr_t, uss, uaddr_t, uoss)
{
	struct task *t = current;
	struct linux_stack old = {t->sas.ss_sp, sas_flags(t, t->regs.rsp), 0, t->sas.ss_size};
	if (uss) {
		struct linux_stack ss;
		if (copy_from_user(&ss, uss, sizeof ss))
			return -EFAULT;
		if (on_sig_stack(t, t->regs.rsp))
			return -EPERM;
		int mode = ss.ss_flags & ~(int32_t)SS_AUTODISARM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			t->sas.ss_sp = 0;
			t->sas.ss_size = 0;
			t->sas.ss_flags = SS_DISABLE;
		} else {
			if (ss.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			t->sas.ss_sp = ss.ss_sp;
			t->sas.ss_size = ss.ss_size;
			t->sas.ss_flags = ss.ss_flags & SS_AUTODISARM;
		}
	}
	if (uoss && copy_to_user(uoss, &old, sizeof old))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	if (sig && !valid_signal(sig))
		return -EINVAL;
	if (pid > 0) {
		/* A zombie still exists: the signal succeeds and does nothing. */
		struct process *p = find_process(pid);
		if (!p) {
			/* A thread id that is not a process id still finds its process. */
			struct task *t = find_task(pid);
			if (!t)
				return -ESRCH;
			p = t->proc;
		}
		return kill_process(p, sig);
	}
	if (pid == 0)
		return kill_pgrp(current->proc->pgid, sig, NULL);
	if (pid == -1) {
		struct process *p, *n;
		int ret = -ESRCH;
		list_for_each_entry_safe(p, n, &all_processes, all) {
			if (p->pid <= 1 || p == current->proc || p->state != PROCESS_ALIVE)
				continue;
			int err = kill_process(p, sig);
			if (err != -EPERM)
				ret = 0;
			else if (ret == -ESRCH)
				ret = err;
		}
		return ret;
	}
	if (pid == INT32_MIN)
		return -ESRCH;
	return kill_pgrp(-pid, sig, NULL);
}

static long do_tkill(int tgid, int tid, int sig)
{
	if (tid <= 0 || (sig && !valid_signal(sig)))
		return -EINVAL;
	struct task *t = find_task(tid);
	if (!t || t->state != TASK_RUNNING || (tgid > 0 && t->proc->pid != tgid))
		return -ESRCH;
	if (!kill_permitted(t->proc, sig))
		return -EPERM;
	if (!sig)
		return 0;
	struct linux_siginfo info;
	prepare_kill_siginfo(&info, sig, SI_TKILL);
	return send_signal(sig, &info, t, false);
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
	return do_tkill(0, tid, sig);
}

/* A siginfo from the caller, sent to the thread or process id target. */
static int copy_queueinfo(uaddr_t uinfo, int sig, int target, struct linux_siginfo *info)
{
	if (copy_from_user(info, uinfo, sizeof *info))
		return -EFAULT;
	/* Claiming to be the kernel or a tkill is for signals to oneself. */
	if ((info->si_code >= 0 || info->si_code == SI_TKILL) && target != current->tid)
		return -EPERM;
	info->si_signo = sig;
	return 0;
}

SYSCALL_DEFINE3(rt_sigqueueinfo, int, pid, int, sig, uaddr_t, uinfo)
{
	struct linux_siginfo info;
	if (!valid_signal(sig))
		return -EINVAL;
	int err = copy_queueinfo(uinfo, sig, pid, &info);
	if (err)
		return err;
	struct process *p = find_process(pid);
	if (!p)
		return -ESRCH;
	return kill_process_info(p, sig, &info);
}

SYSCALL_DEFINE4(rt_tgsigqueueinfo, int, tgid, int, tid, int, sig, uaddr_t, uinfo)
{
	struct linux_siginfo info;
	if (!valid_signal(sig) || tgid <= 0 || tid <= 0)
		return -EINVAL;
	int err = copy_queueinfo(uinfo, sig, tid, &info);
	if (err)
		return err;
	struct task *t = find_task(tid);
	if (!t || t->proc->pid != tgid)
		return -ESRCH;
	if (!kill_permitted(t->proc, sig))
		return -EPERM;
	return send_signal(sig, &info, t, false);
}

SYSCALL_DEFINE4(rt_sigtimedwait, uaddr_t, uset, uaddr_t, uinfo, uaddr_t, uts, size_t, sigsetsize)
{
	if (sigsetsize != sizeof(linux_sigset_t))
		return -EINVAL;
	linux_sigset_t set;
	if (copy_from_user(&set, uset, sizeof set))
		return -EFAULT;
	set &= ~SIG_KERNEL_ONLY_MASK;
	int64_t deadline = 0;
	if (uts) {
		struct linux_timespec ts;
		if (copy_from_user(&ts, uts, sizeof ts))
			return -EFAULT;
		if (ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC || ts.tv_sec < 0)
			return -EINVAL;
		deadline = ktime_get_ns() + timespec_to_ns(&ts);
		if (!deadline)
			deadline = 1;
	}
	struct task *t = current;
	struct linux_siginfo info;
	for (;;) {
		int sig = dequeue_signal(t, set, &info);
		if (sig) {
			if (uinfo && copy_to_user(uinfo, &info, sizeof info))
				return -EFAULT;
			return sig;
		}
		if ((t->pending.signal | t->proc->shared_pending.signal) & ~t->blocked & ~set)
			return -EINTR;
		if (t->proc->group_exiting)
			return -EINTR;
		if (deadline && ktime_get_ns() >= deadline)
			return -EAGAIN;
		/* Wake on any signal: sleep with the awaited ones unblocked. */
		linux_sigset_t saved = t->blocked;
		t->blocked &= ~set;
		t->sigwait_set = set;
		schedule_deadline(deadline);
		t->sigwait_set = 0;
		t->blocked = saved;
	}
}

SYSCALL_DEFINE0(restart_syscall)
{
	struct restart_block *rb = &current->restart;
	if (!rb->fn)
		return -EINTR;
	return rb->fn(rb);
}
