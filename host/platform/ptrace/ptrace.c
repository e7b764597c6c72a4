/*
 * The ptrace platform: each guest thread is a host thread in a stub, traced
 * by the task thread that drives it and resumed with PTRACE_SYSEMU, so every
 * guest system call stops it before the host sees it.
 *
 * Only a tracee's tracer thread may make ptrace requests for it. New stubs,
 * threads and fork children therefore start parked in the stub (stub_park)
 * and untraced; the task thread that will drive them seizes them (adopt).
 * Nothing is ever handed from one tracer to another.
 *
 * A tracer and its tracee are pinned to one CPU: a stop costs ~14 us there
 * against ~100 us across CPUs on a 2-vCPU VM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>
#include "platform.h"
#include "template.h"
#include "stub/stub.h"
#include "stub_syms.h"

struct pt_thread {
	struct host_thread h;
	struct user_regs_struct regs; /* at the last stop */
	int cpu;		      /* where tracer and tracee are pinned */
};

_Static_assert(sizeof(struct user_regs_struct) == sizeof(struct user_regs), "regs layout");

static int next_cpu;

static struct pt_thread *pt(struct host_thread *h)
{
	return (struct pt_thread *)h;
}

static struct pt_thread *thread_new(int tid)
{
	struct pt_thread *t = calloc(1, sizeof *t);
	if (t)
		t->h.tid = tid;
	return t;
}

/* Pins the tracee, and the calling tracer with it, to one CPU: the next in
 * turn among those the guest allows. */
static void place(struct pt_thread *t)
{
	int n = host_cpu_count(), cpu = 0;
	for (int i = 0; i < n; i++) {
		cpu = __atomic_fetch_add(&next_cpu, 1, __ATOMIC_RELAXED) % n;
		if (host_thread_allows(&t->h, cpu))
			break;
	}
	t->cpu = cpu;
	host_thread_pin(cpu);
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(t->h.tid, sizeof set, &set);
}

static int wait_stop(struct pt_thread *t, int *status)
{
	for (;;) {
		if (waitpid(t->h.tid, status, __WALL) == t->h.tid)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

static bool gone(int status)
{
	return WIFEXITED(status) || WIFSIGNALED(status);
}

static int pt_init(struct platform_config *cfg)
{
	return template_start(cfg);
}

/* Seize a parked thread: it stops at once, still inside stub_park. */
static int pt_adopt(struct host_thread *h)
{
	struct pt_thread *t = pt(h);
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXIT;
	if (ptrace(PTRACE_SEIZE, t->h.tid, 0, opts) < 0)
		return -errno;
	if (ptrace(PTRACE_INTERRUPT, t->h.tid, 0, 0) < 0)
		return -errno;
	place(t);
	for (;;) {
		int status;
		if (wait_stop(t, &status) < 0 || gone(status))
			return -ESRCH;
		if (status >> 16 == PTRACE_EVENT_STOP)
			break;
		ptrace(PTRACE_CONT, t->h.tid, 0, 0); /* a stray signal: drop it */
	}
	if (ptrace(PTRACE_GETREGS, t->h.tid, 0, &t->regs) < 0)
		return -errno;
	return 0;
}

static int pt_spawn(struct host_thread **out)
{
	int pid = template_fork(STUB_FORK_PTRACE, NULL, 0);
	if (pid < 0)
		return pid;
	struct pt_thread *t = thread_new(pid);
	if (!t) {
		kill(pid, SIGKILL);
		return -ENOMEM;
	}
	int err = pt_adopt(&t->h);
	if (err) {
		kill(pid, SIGKILL);
		free(t);
		return err;
	}
	*out = &t->h;
	return 0;
}

/*
 * Runs the stopped thread at rip with the given registers until it traps at
 * the int3 that ends every gadget. Kicks that arrive meanwhile are dropped:
 * the kernel checks for pending work after the call anyway. A fault in the
 * gadget (a guest address the kernel touches) is -EFAULT.
 */
static long run_gadget(struct pt_thread *t, struct user_regs_struct *r)
{
	if (ptrace(PTRACE_SETREGS, t->h.tid, 0, r) < 0)
		return -errno;
	int sig = 0;
	for (;;) {
		int status;
		if (ptrace(PTRACE_CONT, t->h.tid, 0, sig) < 0 || wait_stop(t, &status) < 0 ||
		    gone(status))
			return -ESRCH;
		sig = 0;
		siginfo_t si;
		if ((WSTOPSIG(status) == SIGTRAP || WSTOPSIG(status) == SIGSEGV ||
		     WSTOPSIG(status) == SIGBUS) &&
		    ptrace(PTRACE_GETSIGINFO, t->h.tid, 0, &si) == 0) {
			if (si.si_signo == SIGTRAP && si.si_code == SI_KERNEL)
				break;
			if (si.si_signo != SIGTRAP && si.si_code > 0)
				return -EFAULT;
		}
	}
	if (ptrace(PTRACE_GETREGS, t->h.tid, 0, r) < 0)
		return -errno;
	return (long)r->rax;
}

static void gadget_regs(struct pt_thread *t, struct user_regs_struct *r, uint64_t rip, long nr,
			const long a[6])
{
	*r = t->regs;
	r->rip = rip;
	r->rax = (uint64_t)nr;
	r->orig_rax = (uint64_t)-1;
	r->rdi = (uint64_t)a[0];
	r->rsi = (uint64_t)a[1];
	r->rdx = (uint64_t)a[2];
	r->r10 = (uint64_t)a[3];
	r->r8 = (uint64_t)a[4];
	r->r9 = (uint64_t)a[5];
}

static long pt_syscall(struct host_thread *h, long nr, const long args[6])
{
	struct pt_thread *t = pt(h);
	struct user_regs_struct r;
	gadget_regs(t, &r, STUB_SYSCALL_ADDR, nr, args);
	return run_gadget(t, &r);
}

static long pt_cmpxchg(struct host_thread *h, uaddr_t addr, uint32_t old, uint32_t new)
{
	struct pt_thread *t = pt(h);
	struct user_regs_struct r = t->regs;
	r.rip = STUB_CMPXCHG_ADDR;
	r.rdi = addr;
	r.rax = old;
	r.rdx = new;
	long ret = run_gadget(t, &r);
	return ret < 0 ? ret : (long)(uint32_t)ret;
}

static int pt_clone(struct host_thread *h, unsigned long flags, struct host_thread **out)
{
	struct pt_thread *t = pt(h), *c;
	unsigned long host_flags = (flags & CLONE_THREAD) ? CLONE_AS_THREAD
				   : (flags & CLONE_VM)	  ? CLONE_AS_VFORK
							  : CLONE_AS_FORK;
	const long args[6] = {(long)host_flags, 0, 0, 0, 0, 0};
	struct user_regs_struct r;
	gadget_regs(t, &r, STUB_CLONE_ADDR, SYS_clone, args);
	long tid = run_gadget(t, &r);
	if (tid < 0)
		return (int)tid;
	if (!(c = thread_new((int)tid))) {
		syscall(SYS_tkill, tid, SIGKILL);
		return -ENOMEM;
	}
	*out = &c->h;
	return 0;
}

/* A stop while the stub is on its way to the GETFD call (a kick): go on. */
static bool getfd_waiting(void *arg)
{
	struct pt_thread *t = arg;
	int status;
	if (waitpid(t->h.tid, &status, __WALL | WNOHANG) == t->h.tid) {
		if (gone(status))
			return false;
		ptrace(PTRACE_CONT, t->h.tid, 0, 0);
	}
	return true;
}

/*
 * The template's filter turns STUB_NR_GETFD into a seccomp user
 * notification; answering it installs our fd in the stub and makes it the
 * call's result. The stub then reaches the gadget's int3.
 */
static long pt_install_fd(struct host_thread *h, int fd)
{
	static const long none[6];
	struct pt_thread *t = pt(h);
	struct user_regs_struct r;
	gadget_regs(t, &r, STUB_SYSCALL_ADDR, STUB_NR_GETFD, none);
	if (ptrace(PTRACE_SETREGS, t->h.tid, 0, &r) < 0 || ptrace(PTRACE_CONT, t->h.tid, 0, 0) < 0)
		return -ESRCH;
	long ret = template_addfd(t->h.tid, fd, getfd_waiting, t);
	if (ret == -ESRCH)
		return ret;
	for (;;) {
		int status;
		if (wait_stop(t, &status) < 0 || gone(status))
			return -ESRCH;
		if (status >> 8 == SIGTRAP)
			break;
		ptrace(PTRACE_CONT, t->h.tid, 0, 0);
	}
	return ret;
}

static long pt_mmap_fd(struct host_thread *h, const long args[6], int fd)
{
	long a[6] = {args[0], args[1], args[2], args[3], pt_install_fd(h, fd), args[5]};
	if (a[4] < 0)
		return a[4];
	long r = pt_syscall(h, SYS_mmap, a);
	const long close_args[6] = {a[4]};
	pt_syscall(h, SYS_close, close_args);
	return r;
}

static int64_t pt_maxrss_kb(struct host_thread *h)
{
	return host_proc_maxrss_kb(h->tid);
}

static int syscall_abi_ok(struct pt_thread *t)
{
	struct ptrace_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->h.tid, sizeof info, &info) <= 0)
		return 1;
	return info.arch == AUDIT_ARCH_X86_64;
}

static int pt_run(struct host_thread *h, struct user_regs *regs, struct trap *trap)
{
	struct pt_thread *t = pt(h);
	if (!host_thread_allows(h, t->cpu))
		place(t); /* sched_setaffinity moved it */
	memcpy(&t->regs, regs, sizeof t->regs);
	if (ptrace(PTRACE_SETREGS, t->h.tid, 0, &t->regs) < 0)
		goto dead;
	for (;;) {
		int status;
		if (ptrace(PTRACE_SYSEMU, t->h.tid, 0, 0) < 0 || wait_stop(t, &status) < 0 ||
		    gone(status))
			goto dead;
		int sig = WSTOPSIG(status), event = status >> 16;
		if (event == PTRACE_EVENT_EXIT)
			continue;
		if (ptrace(PTRACE_GETREGS, t->h.tid, 0, &t->regs) < 0)
			goto dead;
		memcpy(regs, &t->regs, sizeof *regs);
		if (sig == (SIGTRAP | 0x80)) {
			trap->kind = syscall_abi_ok(t) ? TRAP_SYSCALL : TRAP_BAD_ABI;
			return 0;
		}
		if (event == PTRACE_EVENT_STOP) {
			trap->kind = TRAP_KICK;
			return 0;
		}
		siginfo_t si;
		if (ptrace(PTRACE_GETSIGINFO, t->h.tid, 0, &si) < 0)
			goto dead;
		if (sig == STUB_KICK_SIGNAL && si.si_code == SI_TKILL) {
			trap->kind = TRAP_KICK;
			return 0;
		}
		/* Faults the CPU raised (si_code > 0), or int3 / int $n (SI_KERNEL). */
		if ((sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
		     sig == SIGTRAP) &&
		    (si.si_code > 0)) {
			trap->kind = TRAP_FAULT;
			trap->signo = sig;
			trap->code = si.si_code;
			trap->addr = (uint64_t)si.si_addr;
			trap->trapno = 0;
			trap->error_code = 0;
			return 0;
		}
		/* Anything else (a stray host signal) is not the guest's: drop it. */
	}
dead:
	trap->kind = TRAP_GONE;
	trap->code = 0;
	return 0;
}

static void pt_kick(struct host_thread *h)
{
	syscall(SYS_tkill, h->tid, STUB_KICK_SIGNAL);
}

static int pt_get_fpu(struct host_thread *h, void *buf, size_t len)
{
	struct pt_thread *t = pt(h);
	struct iovec iov = {buf, len};
	return ptrace(PTRACE_GETREGSET, t->h.tid, NT_X86_XSTATE, &iov) < 0 ? -errno : 0;
}

static int pt_set_fpu(struct host_thread *h, const void *buf, size_t len)
{
	struct pt_thread *t = pt(h);
	struct iovec iov = {(void *)buf, len};
	return ptrace(PTRACE_SETREGSET, t->h.tid, NT_X86_XSTATE, &iov) < 0 ? -errno : 0;
}

/* A SIGSEGV the host forces on a return to user mode: the thread's rseq
 * area (the guest's memory) cannot be updated. It comes back on every
 * return, so such a thread can run no instruction again. */
static bool host_forced_segv(struct pt_thread *t, int status)
{
	siginfo_t si;
	return WSTOPSIG(status) == SIGSEGV && status >> 16 == 0 &&
	       ptrace(PTRACE_GETSIGINFO, t->h.tid, 0, &si) == 0 && si.si_code == SI_KERNEL;
}

/* The host thread makes its own exit call: other threads of its stub live on.
 * Once it stops at PTRACE_EVENT_EXIT it is detached, so a thread-group
 * leader's exit never waits for the rest of its group. A thread that cannot
 * reach its exit call takes its stub with it, as Linux's SIGSEGV for a bad
 * rseq area takes the process. */
static void pt_release(struct host_thread *h)
{
	struct pt_thread *t = pt(h);
	static const long zero[6];
	struct user_regs_struct r;
	gadget_regs(t, &r, STUB_SYSCALL_ADDR, SYS_exit, zero);
	if (ptrace(PTRACE_SETREGS, t->h.tid, 0, &r) == 0) {
		int status;
		while (ptrace(PTRACE_CONT, t->h.tid, 0, 0) == 0 && wait_stop(t, &status) == 0 &&
		       !gone(status)) {
			if (status >> 16 == PTRACE_EVENT_EXIT) {
				ptrace(PTRACE_DETACH, t->h.tid, 0, 0);
				break;
			}
			if (host_forced_segv(t, status))
				syscall(SYS_tkill, t->h.tid, SIGKILL);
		}
	}
	free(t);
}

const struct platform_ops ptrace_platform = {
    .name = "ptrace",
    .init = pt_init,
    .spawn = pt_spawn,
    .clone = pt_clone,
    .adopt = pt_adopt,
    .run = pt_run,
    .kick = pt_kick,
    .syscall = pt_syscall,
    .mmap_fd = pt_mmap_fd,
    .cmpxchg = pt_cmpxchg,
    .get_fpu = pt_get_fpu,
    .set_fpu = pt_set_fpu,
    .maxrss_kb = pt_maxrss_kb,
    .release = pt_release,
};
