/*
 * The seccomp platform: each guest thread is a host thread in a stub whose
 * seccomp filter turns the guest's system calls into SIGSYS. The stub's
 * handler posts the trapped registers to the thread's control page, a
 * memfd that ./linux maps too, and serves the task thread's requests there
 * until told to run the guest again (host/stub/seccomp.c is the stub side,
 * handoff.c the hand-off). Faults and kicks arrive the same way; hot
 * syscall sites are patched into jumps that skip the signal (patch.c).
 *
 * No ptrace: any task thread may drive any stub thread, since all it does
 * is post to a page.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "seccomp.h"
#include "template.h"

#define HWCAP2_FSGSBASE 2

_Static_assert(sizeof(((struct stub_ctl *)0)->regs) == sizeof(struct user_regs), "regs layout");
_Static_assert(sizeof(((struct stub_ctl *)0)->usage) == sizeof(struct rusage), "rusage layout");

/* ---- Address spaces, processes, threads -------------------------------- */

/* Host mappings a stub holds besides the guest's (code, data, control
 * pages, vDSO, jump tables), and what one memory call or new thread (its
 * stack) adds at most: a mapping made or protected inside another, a move. */
#define STUB_OWN_MAPS 64
#define MAPS_PER_CALL 3

/* How many host mappings a stub may hold (vm.max_map_count), read once. */
static unsigned host_max_maps;

static void count_host_maps(struct sc_mm *mm, unsigned n)
{
	__atomic_add_fetch(&mm->host_maps, n, __ATOMIC_RELAXED);
}

/* A memory call may come after its answer (xfer_defer_call) only if the
 * host cannot refuse it for the number of mappings, whatever the guest's
 * calls did to them: each adds at most MAPS_PER_CALL. */
static bool maps_allow_defer(const struct sc_thread *t)
{
	return __atomic_load_n(&t->mm->host_maps, __ATOMIC_RELAXED) + MAPS_PER_CALL <=
	       host_max_maps;
}

/* A new address space; *stub_chan is the stub's end of its fd channel,
 * for the caller to send and close. */
static struct sc_mm *mm_new(int *stub_chan)
{
	struct sc_mm *mm = calloc(1, sizeof *mm);
	int sv[2];
	if (!mm)
		return NULL;
	mm->refs = 1;
	mm->mem_fd = -1;
	mm->host_maps = STUB_OWN_MAPS;
	mm->memfd = memfd_create("umk-ctl", MFD_CLOEXEC);
	if (mm->memfd >= 0 && ftruncate(mm->memfd, STUB_CTL_SIZE) == 0 &&
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) == 0) {
		mm->chan = sv[0];
		*stub_chan = sv[1];
		mm->ctl =
		    mmap(NULL, STUB_CTL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mm->memfd, 0);
		if (mm->ctl != MAP_FAILED)
			return mm;
		close(sv[0]);
		close(sv[1]);
	}
	if (mm->memfd >= 0)
		close(mm->memfd);
	free(mm);
	return NULL;
}

void mm_free(struct sc_mm *mm)
{
	munmap(mm->ctl, STUB_CTL_SIZE);
	close(mm->memfd);
	close(mm->chan);
	if (mm->mem_fd >= 0)
		close(mm->mem_fd);
	patch_free(&mm->patch);
	free(mm);
}

/* The last reference goes to the watcher to free: unmapping the control
 * pages makes the host stop every CPU that ran ./linux (a TLB shootdown,
 * ~20 us here), which a parent waiting for its child's exit need not wait
 * for. */
static void mm_put(struct sc_mm *mm)
{
	host_mutex_lock(&mm->lock);
	int left = --mm->refs;
	host_mutex_unlock(&mm->lock);
	if (!left)
		watch_free_mm(mm);
}

static struct stub_ctl *ctl_at(struct sc_mm *mm, int slot)
{
	return (struct stub_ctl *)(mm->ctl + (size_t)slot * STUB_CTL_SLOT);
}

/* A free slot whose last thread is gone (its exit cleared the state). */
static int slot_alloc(struct sc_mm *mm)
{
	host_mutex_lock(&mm->lock);
	for (int i = 0; i < STUB_MAX_SLOTS; i++) {
		if (!mm->used[i] &&
		    __atomic_load_n(&ctl_at(mm, i)->state, __ATOMIC_ACQUIRE) == STUB_DEAD) {
			mm->used[i] = true;
			mm->live++;
			mm->refs++;
			host_mutex_unlock(&mm->lock);
			return i;
		}
	}
	host_mutex_unlock(&mm->lock);
	return -EAGAIN;
}

static void slot_free(struct sc_mm *mm, int slot)
{
	host_mutex_lock(&mm->lock);
	mm->used[slot] = false;
	mm->live--;
	host_mutex_unlock(&mm->lock);
	mm_put(mm);
}

/* A slot's page as its new thread must find it. */
static void ctl_init(struct sc_mm *mm, int slot)
{
	struct stub_ctl *c = ctl_at(mm, slot);
	memset(c, 0, sizeof *c);
	c->state = STUB_TURN;
	c->xstate_size = (unsigned)host_xstate_size();
	c->xfeatures = host_xfeatures();
	c->stack_top = STUB_STACK_TOP(slot) - STUB_FRAME_ROOM;
}

static struct sc_proc *proc_new(int pid)
{
	struct sc_proc *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->pid = pid;
	p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (p->pidfd < 0) {
		free(p);
		return NULL;
	}
	watch_add(p);
	return p;
}

/* Kills a process umk is done with. The death watcher lets go of it
 * first: it would only wake up to see a death it need not report. */
static void proc_kill(struct sc_proc *p)
{
	watch_del(p);
	/* The host tears a killed process down on its own CPU, often ours
	 * (its home): as an idle-class task it does so when that CPU is
	 * free, not before the parent hears of the exit (~30 us here). */
	struct sched_param idle = {0};
	sched_setscheduler(p->pid, SCHED_IDLE, &idle);
	syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0);
	close(p->pidfd);
	free(p);
}

/* t becomes the thread tid of p using slot in mm; it takes over one
 * reference to mm. */
static struct sc_thread *thread_attach(struct sc_thread *t, int tid, struct sc_mm *mm, int slot,
				       struct sc_proc *p)
{
	t->h.tid = tid;
	t->mm = mm;
	t->slot = slot;
	t->ctl = ctl_at(mm, slot);
	t->proc = p;
	t->home = t->computing = -1;
	host_mutex_lock(&sc_lock);
	t->next_in_proc = p->first;
	p->first = t;
	p->threads++;
	t->dead = p->dead;
	host_mutex_unlock(&sc_lock);
	return t;
}

/* Unlinks t from its process; returns whether it was the last one. */
static bool thread_unlink(struct sc_thread *t)
{
	struct sc_proc *p = t->proc;
	host_mutex_lock(&sc_lock);
	for (struct sc_thread **pp = &p->first; *pp; pp = &(*pp)->next_in_proc) {
		if (*pp == t) {
			*pp = t->next_in_proc;
			break;
		}
	}
	bool last = --p->threads == 0;
	host_mutex_unlock(&sc_lock);
	return last;
}

/* ---- The platform ------------------------------------------------------ */

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	((ucontext_t *)uc)->uc_mcontext.gregs[REG_RAX] = 0;
}

/* Whether this host delivers a seccomp SIGSYS: a child tries. */
static bool seccomp_works(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct sock_filter f[] = {
		    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = {4, f};
		struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
		if (sigaction(SIGSYS, &sa, NULL) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
			_exit(1);
		_exit(syscall(SYS_getppid) == 0 ? 0 : 1);
	}
	int status;
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/* The host's vm.max_map_count; 0 (no deferred calls) if unknown. */
static unsigned read_max_map_count(void)
{
	unsigned n = 0;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "re");
	if (f) {
		if (fscanf(f, "%u", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n;
}

static int sc_init(struct platform_config *cfg)
{
	/* The stub keeps its own %gs and the guest's %fs with these instructions. */
	if (!(getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE))
		return -ENODEV;
	if (!seccomp_works())
		return -ENOSYS;
	int err = template_start(cfg);
	if (err)
		return err;
	handoff_init();
	host_max_maps = read_max_map_count();
	host_sleep_hook = handoff_blocked;
	patch_init(cfg);
	err = watch_start();
	if (!err)
		watch_wake(); /* the first spare stub */
	return err;
}

static void sc_release(struct host_thread *h);

/* A fresh stub: the template forks it, it installs its filter and maps its
 * control pages, and says it is ready. */
static int spawn_fresh(struct host_thread **out)
{
	int chan;
	struct sc_mm *mm = mm_new(&chan);
	if (!mm)
		return -ENOMEM;
	mm->used[0] = true;
	mm->live = 1;
	ctl_init(mm, 0);
	struct sc_thread *t = calloc(1, sizeof *t);
	const int fds[2] = {chan, mm->memfd};
	int pid = t ? template_fork(STUB_FORK_SECCOMP, fds, 2) : -ENOMEM;
	close(chan);
	struct sc_proc *p = pid > 0 ? proc_new(pid) : NULL;
	if (!p) {
		if (pid > 0)
			kill(pid, SIGKILL);
		free(t);
		mm_put(mm);
		return pid < 0 ? pid : -ENOMEM;
	}
	thread_attach(t, pid, mm, 0, p);
	if (wait_stub(t) < 0) {
		sc_release(&t->h);
		return -ESRCH;
	}
	*out = &t->h;
	return 0;
}

/*
 * A fresh stub costs about 190 us, mostly in other processes (the
 * template's fork, the filter), and every execve of a vfork child needs
 * one. One waits ready, made ahead by the watcher while the caller's CPU
 * goes on.
 */
static struct sc_thread *spare;

void spare_make(void)
{
	struct host_thread *h;
	if (!__atomic_load_n(&spare, __ATOMIC_ACQUIRE) && spawn_fresh(&h) == 0)
		__atomic_store_n(&spare, sc(h), __ATOMIC_RELEASE);
}

static int sc_spawn(struct host_thread **out)
{
	struct sc_thread *t = __atomic_exchange_n(&spare, NULL, __ATOMIC_ACQ_REL);
	watch_wake();
	if (t && !t->dead) {
		*out = &t->h;
		return 0;
	}
	if (t)
		sc_release(&t->h);
	return spawn_fresh(out);
}

/* Asks t for op with fds sent on its address space's channel. */
static long chan_request(struct sc_thread *t, unsigned op, const int *fds, int nfds)
{
	struct sc_mm *mm = t->mm;
	host_mutex_lock(&mm->chan_lock);
	unsigned long seq = ++mm->chan_seq;
	long r = send_fds(mm->chan, &seq, sizeof seq, fds, nfds, MSG_DONTWAIT);
	if (r == 0) {
		t->ctl->seq = seq;
		r = request(t, op);
	}
	host_mutex_unlock(&mm->chan_lock);
	return r;
}

/* A fork: the child's channel and control pages (a new memfd) go to the
 * parent, which forks; the child maps them where the parent's were.
 * Returns the pid. */
static long fork_request(struct sc_thread *t, struct sc_mm *mm, int chan)
{
	mm->used[t->slot] = true;
	mm->live = 1;
	ctl_init(mm, t->slot);
	if (patch_fork(t->mm, mm))
		return -ENOMEM;
	mm->host_maps = __atomic_load_n(&t->mm->host_maps, __ATOMIC_RELAXED);
	const int fds[2] = {chan, mm->memfd};
	return chan_request(t, OP_FORK, fds, 2);
}

static int fork_stub(struct sc_thread *t, struct host_thread **out)
{
	int chan = -1;
	struct sc_mm *mm = mm_new(&chan);
	struct sc_thread *c = calloc(1, sizeof *c);
	long pid = mm && c ? fork_request(t, mm, chan) : -ENOMEM;
	if (chan >= 0)
		close(chan);
	struct sc_proc *p = pid > 0 ? proc_new((int)pid) : NULL;
	if (!p) {
		if (pid > 0)
			kill((int)pid, SIGKILL);
		free(c);
		if (mm)
			mm_put(mm);
		return pid < 0 ? (int)pid : -ENOMEM;
	}
	*out = &thread_attach(c, (int)pid, mm, t->slot, p)->h;
	return 0;
}

/* A thread, or a vfork child: a new slot in the same address space. */
static int clone_vm(struct sc_thread *t, unsigned long flags, struct host_thread **out)
{
	struct sc_thread *c = calloc(1, sizeof *c);
	if (!c)
		return -ENOMEM;
	int slot = slot_alloc(t->mm);
	long tid = slot;
	if (slot >= 0) {
		count_host_maps(t->mm, MAPS_PER_CALL); /* its stack */
		ctl_init(t->mm, slot);
		t->ctl->args[0] = (long)((flags & CLONE_THREAD) ? CLONE_AS_THREAD : CLONE_AS_VFORK);
		t->ctl->args[1] = slot;
		tid = request(t, OP_CLONE_VM);
	}
	/* A thread joins t's process; a vfork child is a process of its own. */
	struct sc_proc *p = tid <= 0 ? NULL : (flags & CLONE_THREAD) ? t->proc : proc_new((int)tid);
	if (!p) {
		if (tid > 0)
			kill((int)tid, SIGKILL);
		if (slot >= 0)
			slot_free(t->mm, slot);
		free(c);
		return tid < 0 ? (int)tid : -ENOMEM;
	}
	thread_attach(c, (int)tid, t->mm, slot, p);
	c->fpu_dirty = true; /* the parent put the guest's FPU state in the child's page */
	*out = &c->h;
	return 0;
}

static int sc_clone(struct host_thread *h, unsigned long flags, struct host_thread **out)
{
	struct sc_thread *t = sc(h);
	return (flags & CLONE_VM) ? clone_vm(t, flags, out) : fork_stub(t, out);
}

/* The child waits, ready, for its first OP_RUN. */
static int sc_adopt(struct host_thread *h)
{
	return handoff_adopt(sc(h));
}

static bool is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP;
}

/* A signal the stub reported; false if it is nobody's (resume the guest). */
static bool signal_trap(struct sc_thread *t, struct user_regs *regs, struct trap *trap)
{
	const struct stub_ctl *c = t->ctl;
	int sig = c->signo, code = c->code;
	uint64_t addr = c->addr;
	if (sig == STUB_KICK_SIGNAL) {
		trap->kind = TRAP_KICK;
		return true;
	}
	/* Faults the CPU raised (si_code > 0), or int3 / int $n (SI_KERNEL);
	 * anything else is a stray host signal. */
	if (!is_fault(sig) || code <= 0)
		return false;
	switch (patch_fault(t, regs, sig, addr)) {
	case PATCH_CALL_TESTED:
		trap->test_result = true;
		/* fall through */
	case PATCH_CALL:
		trap->kind = TRAP_SYSCALL;
		return true;
	case PATCH_RESUME:
		return false;
	}
	trap->kind = TRAP_FAULT;
	trap->signo = sig;
	trap->code = code;
	trap->addr = addr;
	trap->trapno = c->trapno;
	trap->error_code = c->err;
	return true;
}

static int sc_run(struct host_thread *h, struct user_regs *regs, struct trap *trap)
{
	struct sc_thread *t = sc(h);
	struct stub_ctl *c = t->ctl;
	for (;;) {
		if (regs->gs_base)
			patch_gs_used(t);
		memcpy(c->regs, regs, sizeof *regs);
		c->flags = t->fpu_dirty ? CTL_FPU : 0;
		t->fpu_dirty = false;
		xfer_run(t);
		post(t, OP_RUN);
		if (wait_stub(t) < 0) {
			trap->kind = TRAP_GONE;
			/* The page is the guest's to write: only an errno is taken. */
			long err = c->deferred_err;
			trap->code = err < 0 && err > -4096 ? (int)err : 0;
			return 0;
		}
		xfer_trapped(t, c->event == EV_SYSCALL || c->event == EV_PATCHED);
		memcpy(regs, c->regs, sizeof *regs);
		switch (c->event) {
		case EV_SYSCALL:
			trap->kind =
			    (unsigned)c->code == AUDIT_ARCH_X86_64 ? TRAP_SYSCALL : TRAP_BAD_ABI;
			if (trap->kind == TRAP_SYSCALL)
				patch_trapped(t, regs);
			return 0;
		case EV_PATCHED:
			regs->rip = regs->rcx = patch_return(t, c->site);
			trap->test_result = patch_tests_result(c->site);
			trap->kind = TRAP_SYSCALL;
			return 0;
		case EV_SIGNAL:
			if (signal_trap(t, regs, trap))
				return 0;
			break;
		default: /* a page the guest wrote itself */
			trap->kind = TRAP_KICK;
			return 0;
		}
	}
}

static void sc_kick(struct host_thread *h)
{
	struct sc_thread *t = sc(h);
	int64_t none = 0;
	__atomic_compare_exchange_n(&t->kick_ns, &none, host_monotonic_ns(), false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	if (!t->dead)
		syscall(SYS_tgkill, t->proc->pid, t->h.tid, STUB_KICK_SIGNAL);
}

/* Mirrors the filter, so that the kernel's own requests never kill a
 * stub: these calls only, memory calls below the stub. */
static bool below_stub(long addr, long len)
{
	return (unsigned long)addr <= STUB_GUEST_END &&
	       (unsigned long)len <= STUB_GUEST_END - (unsigned long)addr;
}

static bool filter_allows(long nr, const long a[6])
{
	switch (nr) {
	case SYS_mmap:
		return (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && below_stub(a[0], a[1]);
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_madvise:
	case SYS_rseq:
		return below_stub(a[0], a[1]);
	case SYS_mremap:
		return below_stub(a[0], a[1]) &&
		       (a[3] ? (a[3] & MREMAP_FIXED) && below_stub(a[4], a[2])
			     : below_stub(a[0], a[2]));
	case SYS_close:
	case SYS_getrusage:
		return true;
	}
	return false;
}

/* Host memory calls that fail only when the host runs out (stub.h): a
 * fixed anonymous mapping of modest size (a large one may meet the host's
 * overcommit check), munmap, an mprotect that adds no write access. */
#define DEFER_MMAP_MAX (16UL << 20)
static bool deferrable(const struct sc_thread *t, long nr, const long a[6])
{
	if (!maps_allow_defer(t))
		return false;
	switch (nr) {
	case SYS_mmap:
		return (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) == MAP_FIXED && a[4] == -1 &&
		       (a[3] & MAP_ANONYMOUS) && (unsigned long)a[1] <= DEFER_MMAP_MAX;
	case SYS_munmap:
		return true;
	case SYS_mprotect:
		return !(a[2] & PROT_WRITE);
	}
	return false;
}

/* A host system call that t's stub makes now, for the kernel. */
long stub_syscall(struct sc_thread *t, long nr, const long args[6])
{
	t->ctl->nr = nr;
	memcpy(t->ctl->args, args, sizeof t->ctl->args);
	return request(t, OP_SYSCALL);
}

static long sc_syscall(struct host_thread *h, long nr, const long args[6])
{
	struct sc_thread *t = sc(h);
	if (!filter_allows(nr, args))
		return -EINVAL;
	patch_memory_call(t, nr, args);
	if (nr == SYS_mmap || nr == SYS_munmap || nr == SYS_mprotect || nr == SYS_mremap ||
	    nr == SYS_madvise)
		count_host_maps(t->mm, MAPS_PER_CALL);
	if (deferrable(t, nr, args) && xfer_defer_call(t, nr, args, 0) == 0)
		return nr == SYS_mmap ? args[0] : 0;
	if (nr != SYS_mremap)
		return stub_syscall(t, nr, args);
	struct patch_move mv;
	patch_mremap(t, args, &mv);
	long r = stub_syscall(t, nr, args);
	patch_mremapped(t, args, r, &mv);
	return r;
}

/* A private file mapping at a fixed place, from a host mount that allows
 * what it asks: the host refuses it only when it runs out. */
static bool map_deferrable(const struct sc_thread *t, const long a[6], int fd)
{
	struct statvfs sv;
	if (!maps_allow_defer(t) || (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != MAP_FIXED ||
	    (a[3] & MAP_TYPE) != MAP_PRIVATE)
		return false;
	return !(a[2] & PROT_EXEC) || (fstatvfs(fd, &sv) == 0 && !(sv.f_flag & ST_NOEXEC));
}

/* The fd goes now, the mapping with the next run. A message sent for a
 * call that then could not wait is dropped by the next receive (its seq is
 * not asked for). */
static int defer_map_fd(struct sc_thread *t, const long a[6], int fd)
{
	struct sc_mm *mm = t->mm;
	if (!xfer_can_defer(t))
		return -ENOSPC;
	host_mutex_lock(&mm->chan_lock);
	unsigned long seq = ++mm->chan_seq;
	long r = send_fds(mm->chan, &seq, sizeof seq, &fd, 1, MSG_DONTWAIT);
	host_mutex_unlock(&mm->chan_lock);
	return r < 0 ? (int)r : xfer_defer_call(t, STUB_NR_MAP_FD, a, seq);
}

/* A file mapping the stub makes with fd, now or with the next run. */
long stub_map_fd(struct sc_thread *t, const long args[6], int fd)
{
	const long a[6] = {args[0], args[1], args[2], args[3], fd, args[5]};
	count_host_maps(t->mm, MAPS_PER_CALL);
	if (map_deferrable(t, a, fd) && defer_map_fd(t, a, fd) == 0)
		return a[0];
	memcpy(t->ctl->args, a, sizeof a);
	return chan_request(t, OP_MAP_FD, &fd, 1);
}

/* A file mapping: the fd goes to the stub with the request. Code comes
 * from the file's copy, where it is patched (patch.c). */
static long sc_mmap_fd(struct host_thread *h, const long args[6], int fd)
{
	struct sc_thread *t = sc(h);
	const long a[6] = {args[0], args[1], args[2], args[3], fd, args[5]};
	if (!filter_allows(SYS_mmap, a))
		return -EINVAL;
	patch_memory_call(t, SYS_mmap, a);
	if ((a[3] & MAP_TYPE) != MAP_PRIVATE && (a[2] & PROT_WRITE))
		copy_forbid(fd);
	struct code_copy *c = patch_code_copy(t, a, fd);
	if (!c)
		return stub_map_fd(t, a, fd);
	long r = stub_map_fd(t, a, copy_fd(c));
	patch_mapped(t, a, c, r == a[0]);
	return r;
}

static long sc_cmpxchg(struct host_thread *h, uaddr_t addr, uint32_t old, uint32_t new)
{
	struct sc_thread *t = sc(h);
	t->ctl->args[0] = (long)addr;
	t->ctl->args[1] = old;
	t->ctl->args[2] = new;
	return request(t, OP_CMPXCHG);
}

static int sc_get_fpu(struct host_thread *h, void *buf, size_t len)
{
	struct sc_thread *t = sc(h);
	if (len > STUB_FPU_MAX)
		return -EINVAL;
	if (!t->fpu_dirty && request(t, OP_GET_FPU) == -ESRCH)
		return -ESRCH;
	memcpy(buf, (char *)t->ctl + STUB_FPU_OFFSET, len);
	return 0;
}

/* Taken to the stub with the next OP_RUN. */
static int sc_set_fpu(struct host_thread *h, const void *buf, size_t len)
{
	struct sc_thread *t = sc(h);
	if (len > STUB_FPU_MAX)
		return -EINVAL;
	memcpy((char *)t->ctl + STUB_FPU_OFFSET, buf, len);
	t->fpu_dirty = true;
	return 0;
}

/* The stub's own getrusage, into t's control page: cheaper than
 * /proc/PID/status by far. */
static int64_t sc_maxrss_kb(struct host_thread *h)
{
	struct sc_thread *t = sc(h);
	const long args[6] = {RUSAGE_SELF, (long)STUB_CTL_AT(t->slot)->usage};
	if (sc_syscall(h, SYS_getrusage, args) < 0)
		return 0;
	struct rusage ru;
	memcpy(&ru, t->ctl->usage, sizeof ru);
	return ru.ru_maxrss;
}

/* A new program's FPU state: every component initial (XSTATE_BV 0);
 * MXCSR, which XRSTOR loads whatever XSTATE_BV says, at its reset value. */
static void fpu_init(struct sc_thread *t)
{
	static const uint32_t mxcsr = 0x1f80;
	char *fx = (char *)t->ctl + STUB_FPU_OFFSET;
	memset(fx, 0, host_xstate_size());
	memcpy(fx + 24, &mxcsr, sizeof mxcsr);
	t->fpu_dirty = true;
}

/* An execve that keeps the stub: the guest's memory goes, and with it
 * what patching knew of it; the jump table stays. */
static int sc_reset(struct host_thread *h)
{
	struct sc_thread *t = sc(h);
	struct sc_mm *mm = t->mm;
	if (mm->live != 1 || t->proc->threads != 1)
		return -EBUSY;
	const long args[6] = {HOST_GUEST_START, (long)(STUB_GUEST_END - HOST_GUEST_START)};
	if (xfer_defer_call(t, SYS_munmap, args, 0) < 0) {
		long r = stub_syscall(t, SYS_munmap, args);
		if (r < 0)
			return (int)r;
	}
	host_mutex_lock(&mm->lock);
	patch_free(&mm->patch);
	host_mutex_unlock(&mm->lock);
	mm->host_maps = STUB_OWN_MAPS;
	fpu_init(t);
	return 0;
}

/* The last of umk's threads in a process takes the process with it, and
 * with it any thread a guest made behind umk's back. */
static void sc_release(struct host_thread *h)
{
	struct sc_thread *t = sc(h);
	if (thread_unlink(t)) {
		proc_kill(t->proc);
	} else if (!t->dead) {
		post(t, OP_EXIT);
	}
	/* After the last post: the task thread, which goes on to other
	 * tasks, must not keep driving t. */
	handoff_release(t);
	slot_free(t->mm, t->slot);
	free(t);
}

const struct platform_ops seccomp_platform = {
    .name = "seccomp",
    .init = sc_init,
    .spawn = sc_spawn,
    .clone = sc_clone,
    .adopt = sc_adopt,
    .run = sc_run,
    .kick = sc_kick,
    .syscall = sc_syscall,
    .mmap_fd = sc_mmap_fd,
    .cmpxchg = sc_cmpxchg,
    .get_fpu = sc_get_fpu,
    .set_fpu = sc_set_fpu,
    .maxrss_kb = sc_maxrss_kb,
    .release = sc_release,
    .reset = sc_reset,
    .write_behind = xfer_write_behind,
    .read_ahead = xfer_read_ahead,
    .sync_mem = xfer_sync,
};
