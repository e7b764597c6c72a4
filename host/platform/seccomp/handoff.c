/*
 * The hand-off between a task thread and its stub thread, through the
 * control page's state word.
 *
 * A waiting side spins on the word for a while, then sleeps in FUTEX_WAIT
 * after saying so (kernel_sleeps, stub_sleeps); the other side makes the
 * FUTEX_WAKE system call only for a side that said it sleeps.
 *
 * On this kind of VM, waking a sleeper on an idle CPU costs tens of
 * microseconds, and the host sends a woken thread to an idle CPU if it
 * can. So placement is umk's: each pair of task thread and stub thread
 * has a home CPU, where the stub thread is pinned, and runs in one of two
 * regimes:
 *
 *  - sleeping: the task thread is at home too, and both sleep at once;
 *    each wakes the other on its own CPU (about 6 us a call), and the
 *    guest's CPU never idles while its call is handled.
 *  - spinning: the task thread sits on another CPU and both spin while the
 *    other works (a microsecond or less a call). Only while every awake
 *    pair can have two CPUs, and only when the guest traps often: moving
 *    the task thread costs as much as ten calls.
 *
 * A pair whose guest computes on a CPU shared with another computing
 * guest moves home to a CPU where no guest computes.
 *
 * A task thread that misses its guest's trap costs that guest about
 * 100 us (two moves, calls in the sleeping regime until it spins again).
 * So where the CPU it spins on is wanted by nothing else, by umk's count of
 * its own threads and the host's count of runnable ones, it spins up to
 * ten times that; other work found there stops such long spins for a
 * while, longer each time it is found again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <linux/futex.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "seccomp.h"

/* Longest spins, in ns: a task thread for its guest, a stub for its task
 * thread, a task thread blocked in the kernel for its wake-up. */
#define KERNEL_SPIN_MAX	 50000
#define STUB_SPIN_MAX	 50000
#define BLOCKED_SPIN_MAX 50000
/* Spinning pays when the guest traps soon enough for the task thread's
 * spin to catch it, this many times in a row without blocking: moving the
 * task thread to another CPU and back costs as much as a dozen calls (a
 * pinned thread's migration, ~30 us here). A run is short when the spin
 * would catch it: LONG_SPIN_MAX while long spins are allowed. */
#define SHORT_RUN_NS KERNEL_SPIN_MAX
#define SHORT_RUNS   8
/* Long spins: how long, how often the host's load is read meanwhile, and
 * how long other work found there stops them (doubling up to the most). */
#define LONG_SPIN_MAX 1000000
#define LOAD_CHECK_NS 25000
#define QUIET_MIN_NS  2000000LL
#define QUIET_MAX_NS  128000000LL
#define MAX_CPUS      256
/* A kick unanswered this long gets help (kick_harder). */
#define KICK_REPAIR_NS 100000000LL
#define KICK_KILL_NS   2000000000LL

static int ncpus;
static int64_t pause_ps;       /* the cost of one spin iteration, in ps */
static uint64_t short_run_tsc; /* SHORT_RUN_NS in TSC ticks */
static uint64_t long_run_tsc;  /* LONG_SPIN_MAX in TSC ticks */
static int loadavg_fd = -1;    /* the host's runnable threads */
static int64_t long_spins_after, quiet_ns = QUIET_MIN_NS;
static int homes[MAX_CPUS];	/* pairs at home on each CPU */
static int computing[MAX_CPUS]; /* pairs whose guest runs on each CPU */
static struct host_mutex homes_lock;
/* Task threads awake (neither sleeping for their stub nor blocked in the
 * kernel): each wants a CPU, and a spinning pair two. Task threads blocked
 * in the kernel but spinning for their wake-up want one each too. */
static int awake, blocked_spinning;
/* A task thread's regime outlives the stub threads it drives (execve). */
static __thread struct {
	bool counted;		   /* in awake */
	bool spinning;		   /* on another CPU than the stub thread, both spin */
	bool blocked_spin;	   /* in blocked_spinning */
	int short_runs;		   /* the guest trapped soon after OP_RUN so many times in a row */
	int cpu;		   /* the CPU this task thread is pinned to, or -1 */
	struct sc_thread *serving; /* the stub thread it drives */
} me = {.cpu = -1};

static void futex_wait(unsigned *word, unsigned val, int64_t ns)
{
	struct timespec ts = {ns / 1000000000, ns % 1000000000};
	syscall(SYS_futex, word, FUTEX_WAIT, val, &ts, NULL, 0);
}

void futex_wake_all(unsigned *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause");
}

/* A task thread counts as awake from its first hand-off until it lets
 * go of the stub thread it drives (its end, or an execve's old stub). */
static void count_me(struct sc_thread *t)
{
	me.serving = t;
	if (me.counted)
		return;
	me.counted = true;
	__atomic_add_fetch(&awake, 1, __ATOMIC_RELAXED);
}

/* A task thread sleeps (or wakes up): its stub, waiting for the answer,
 * stops spinning for it. */
static void set_asleep(bool asleep)
{
	if (!me.counted)
		return;
	__atomic_add_fetch(&awake, asleep ? -1 : 1, __ATOMIC_RELAXED);
	if (asleep && me.serving)
		__atomic_store_n(&me.serving->ctl->stub_spin, 0, __ATOMIC_RELAXED);
}

void handoff_release(struct sc_thread *t)
{
	if (me.serving == t && me.counted) {
		me.counted = false;
		__atomic_sub_fetch(&awake, 1, __ATOMIC_RELAXED);
	}
	if (me.serving == t)
		me.serving = NULL;
	if (t->home < 0)
		return;
	host_mutex_lock(&homes_lock);
	homes[t->home]--;
	host_mutex_unlock(&homes_lock);
}

void handoff_init(void)
{
	ncpus = host_cpu_count();
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;
	const int n = 20000;
	int64_t t0 = host_monotonic_ns();
	uint64_t tsc0 = __builtin_ia32_rdtsc();
	for (int i = 0; i < n; i++)
		cpu_relax();
	int64_t ns = host_monotonic_ns() - t0;
	pause_ps = ns * 1000 / n;
	if (pause_ps < 1000)
		pause_ps = 1000;
	uint64_t tsc = __builtin_ia32_rdtsc() - tsc0;
	short_run_tsc = tsc * SHORT_RUN_NS / (uint64_t)(ns ? ns : 1);
	long_run_tsc = tsc * LONG_SPIN_MAX / (uint64_t)(ns ? ns : 1);
	loadavg_fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
}

static unsigned spins(int64_t ns)
{
	return (unsigned)(ns * 1000 / pause_ps);
}

/* ---- Placement ----------------------------------------------------------- */

static void pin_kernel(int cpu)
{
	if (cpu != me.cpu) {
		host_thread_pin(cpu);
		me.cpu = cpu;
	}
}

static void pin_stub(struct sc_thread *t, int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(t->h.tid, sizeof set, &set);
}

/* The CPU the guest allows with the fewest homes (homes_lock held). */
static int fewest_homes(struct sc_thread *t)
{
	int best = -1;
	for (int i = 0; i < ncpus; i++)
		if (host_thread_allows(&t->h, i) && (best < 0 || homes[i] < homes[best]))
			best = i;
	return best < 0 ? 0 : best; /* none of the host's: the kernel never asks that */
}

/* Moves the pair's home to cpu (-1: the allowed CPU with the fewest homes). */
static void go_home(struct sc_thread *t, int cpu)
{
	host_mutex_lock(&homes_lock);
	if (cpu < 0)
		cpu = fewest_homes(t);
	if (t->home >= 0)
		homes[t->home]--;
	homes[cpu]++;
	host_mutex_unlock(&homes_lock);
	t->home = cpu;
	pin_stub(t, cpu);
}

/* A guest about to compute where another one does goes where none does. */
static void balance(struct sc_thread *t)
{
	if (__atomic_load_n(&computing[t->home], __ATOMIC_RELAXED) == 0)
		return;
	for (int i = 0; i < ncpus; i++) {
		if (__atomic_load_n(&computing[i], __ATOMIC_RELAXED) == 0 &&
		    host_thread_allows(&t->h, i)) {
			go_home(t, i);
			return;
		}
	}
}

/* Whether a task thread that blocks in the kernel may spin for its
 * wake-up: at home, where no guest computes, while a CPU is left for
 * every awake task thread. */
static bool may_spin_blocked(void)
{
	if (!me.serving || me.serving->home < 0 ||
	    __atomic_load_n(&computing[me.serving->home], __ATOMIC_RELAXED))
		return false;
	return __atomic_load_n(&awake, __ATOMIC_RELAXED) +
		   __atomic_load_n(&blocked_spinning, __ATOMIC_RELAXED) <
	       ncpus;
}

static void stop_blocked_spin(void)
{
	if (me.blocked_spin)
		__atomic_sub_fetch(&blocked_spinning, 1, __ATOMIC_RELAXED);
	me.blocked_spin = false;
}

/*
 * A task thread blocked in the kernel (host_sleep_hook). A wake-up from
 * another task thread (a pipe, a futex, a child's exit) reaches a spinner
 * at once, and a sleeper woken on an idle CPU only after tens of
 * microseconds: where a CPU is free, it spins a while first, at home, so
 * that its stub, which sleeps meanwhile, is woken on the same CPU.
 */
int64_t handoff_blocked(enum host_sleep what)
{
	if (!me.counted)
		return 0;
	if (what != HOST_SLEEP_BEGIN) {
		stop_blocked_spin();
		if (what == HOST_SLEEP_END)
			set_asleep(false);
		return 0;
	}
	xfer_sync(); /* others may run meanwhile: nothing of ours waits */
	set_asleep(true);
	me.short_runs = 0;
	if (!may_spin_blocked())
		return 0;
	me.blocked_spin = true;
	__atomic_add_fetch(&blocked_spinning, 1, __ATOMIC_RELAXED);
	pin_kernel(me.serving->home);
	return BLOCKED_SPIN_MAX;
}

/* ---- Regimes ------------------------------------------------------------- */

/* Whether every awake pair can have two CPUs. */
static bool cpus_free(void)
{
	return ncpus > 1 && 2 * __atomic_load_n(&awake, __ATOMIC_RELAXED) +
				    __atomic_load_n(&blocked_spinning, __ATOMIC_RELAXED) <=
				ncpus;
}

/* The host's runnable threads (the fourth field of /proc/loadavg,
 * "runnable/all"); more than any count of umk's own where it is unknown. */
static long host_runnable(void)
{
	char buf[128];
	ssize_t n = loadavg_fd < 0 ? -1 : pread(loadavg_fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return LONG_MAX;
	buf[n] = 0;
	char *p = buf;
	for (int field = 0; field < 3 && p; field++)
		p = strchr(p + 1, ' ');
	return p ? strtol(p, NULL, 10) : LONG_MAX;
}

static bool long_spins_allowed(void)
{
	return loadavg_fd >= 0 &&
	       host_monotonic_ns() >= __atomic_load_n(&long_spins_after, __ATOMIC_RELAXED);
}

/* Whether a spin may go on past the hand-off's scale: no other pair and
 * nothing outside umk wants a CPU (each awake pair may run two threads,
 * each blocked spinner one) two looks in a row, so that the host's own
 * short tasks (a worker thread, an interrupt's) do not count. */
static bool cpu_unwanted(bool *seen_busy)
{
	if (!cpus_free() || !long_spins_allowed())
		return false;
	long own = 2 * __atomic_load_n(&awake, __ATOMIC_RELAXED) +
		   __atomic_load_n(&blocked_spinning, __ATOMIC_RELAXED);
	int64_t quiet = __atomic_load_n(&quiet_ns, __ATOMIC_RELAXED);
	if (host_runnable() <= own) {
		__atomic_store_n(&quiet_ns, QUIET_MIN_NS, __ATOMIC_RELAXED);
		*seen_busy = false;
		return true;
	}
	if (!*seen_busy) {
		*seen_busy = true;
		return true;
	}
	__atomic_store_n(&long_spins_after, host_monotonic_ns() + quiet, __ATOMIC_RELAXED);
	__atomic_store_n(&quiet_ns, quiet < QUIET_MAX_NS ? 2 * quiet : quiet, __ATOMIC_RELAXED);
	return false;
}

/* Before waiting for the guest: spin from another CPU, or sleep at home.
 * Returns the CPU the task thread goes to. */
static int choose_regime(struct sc_thread *t)
{
	me.spinning = me.short_runs >= SHORT_RUNS && cpus_free();
	if (me.spinning)
		return (t->home + 1) % ncpus;
	balance(t);
	return t->home;
}

/* Learns how long the guest ran between traps, by the stub's own clock:
 * the hand-off's delays do not count. */
static void account_run(struct sc_thread *t)
{
	uint64_t ran = t->ctl->user_tsc;
	bool caught = ran < short_run_tsc || (ran < long_run_tsc && long_spins_allowed());
	me.short_runs = caught ? me.short_runs + 1 : 0;
}

struct sc_thread *handoff_serving(void)
{
	return me.serving;
}

void post(struct sc_thread *t, unsigned op)
{
	struct stub_ctl *c = t->ctl;
	if (op != OP_RUN)
		xfer_sync(); /* the request may depend on what waits */
	count_me(t);
	if (t->home < 0 || !host_thread_allows(&t->h, t->home))
		go_home(t, -1);
	int cpu = me.cpu;
	if (op == OP_RUN) {
		cpu = choose_regime(t);
		__atomic_add_fetch(&computing[t->home], 1, __ATOMIC_RELAXED);
		t->computing = t->home;
	}
	c->op = op;
	c->stub_spin = me.spinning && cpus_free() ? spins(STUB_SPIN_MAX) : 0;
	__atomic_store_n(&c->state, STUB_TURN, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&c->stub_sleeps, __ATOMIC_SEQ_CST))
		futex_wake_all(&c->state);
	/* A move takes ~30 us (the other CPU may have to wake up): the guest
	 * runs meanwhile. */
	pin_kernel(cpu);
}

static bool stub_posted(struct sc_thread *t)
{
	return __atomic_load_n(&t->ctl->state, __ATOMIC_ACQUIRE) != STUB_TURN;
}

static bool spin_for_post(struct sc_thread *t, int64_t ns)
{
	unsigned n = spins(ns);
	for (unsigned i = 0; i < n && !stub_posted(t); i++)
		cpu_relax();
	return stub_posted(t);
}

/*
 * A kick unanswered for long: the guest blocked the kick signal in its host
 * thread (a forged sigreturn frame can do that). ptrace unblocks it, and the
 * pending kick goes through. A thread that still does not answer is stuck
 * in a stub it broke: its process is killed.
 */
static void kick_harder(struct sc_thread *t)
{
	int64_t waited = host_monotonic_ns() - __atomic_load_n(&t->kick_ns, __ATOMIC_RELAXED);
	if (waited > KICK_KILL_NS) {
		syscall(SYS_pidfd_send_signal, t->proc->pidfd, SIGKILL, NULL, 0);
		return;
	}
	if (waited < KICK_REPAIR_NS || t->repaired)
		return;
	t->repaired = true;
	int tid = t->h.tid, status;
	uint64_t none = 0;
	if (ptrace(PTRACE_SEIZE, tid, 0, 0) < 0)
		return;
	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0) == 0 && waitpid(tid, &status, __WALL) == tid &&
	    WIFSTOPPED(status))
		ptrace(PTRACE_SETSIGMASK, tid, sizeof none, &none);
	ptrace(PTRACE_DETACH, tid, 0, 0);
	syscall(SYS_tgkill, t->proc->pid, tid, STUB_KICK_SIGNAL);
}

static void sleep_for_stub(struct sc_thread *t)
{
	struct stub_ctl *c = t->ctl;
	/* First, so that a stub posting while we move home does not spin
	 * there, on the CPU we are moving to. */
	set_asleep(true);
	if (t->home >= 0)
		pin_kernel(t->home); /* where the stub's wake finds us */
	__atomic_store_n(&c->kernel_sleeps, 1, __ATOMIC_SEQ_CST);
	while (!stub_posted(t) && !t->dead) {
		/* Wake up now and then to look again at the thread's life. */
		bool kicked = __atomic_load_n(&t->kick_ns, __ATOMIC_RELAXED);
		futex_wait(&c->state, STUB_TURN, kicked ? KICK_REPAIR_NS : 1000000000);
		if (kicked)
			kick_harder(t);
	}
	__atomic_store_n(&c->kernel_sleeps, 0, __ATOMIC_RELAXED);
	set_asleep(false);
}

/* Waits until the stub thread posts; -ESRCH once it is gone. */
int wait_stub(struct sc_thread *t)
{
	struct stub_ctl *c = t->ctl;
	if (me.spinning) {
		bool posted = spin_for_post(t, c->op == OP_RUN ? KERNEL_SPIN_MAX : STUB_SPIN_MAX);
		bool seen_busy = false;
		for (int64_t spun = KERNEL_SPIN_MAX;
		     c->op == OP_RUN && !posted && spun < LONG_SPIN_MAX && cpu_unwanted(&seen_busy);
		     spun += LOAD_CHECK_NS)
			posted = spin_for_post(t, LOAD_CHECK_NS);
	}
	if (!stub_posted(t)) {
		me.spinning = false;
		sleep_for_stub(t);
	}
	if (t->computing >= 0) {
		__atomic_sub_fetch(&computing[t->computing], 1, __ATOMIC_RELAXED);
		t->computing = -1;
		account_run(t);
		__atomic_store_n(&t->kick_ns, 0, __ATOMIC_RELAXED);
		t->repaired = false;
	}
	if (t->dead || __atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != KERNEL_TURN)
		return -ESRCH;
	return 0;
}

/* A task thread takes up a new task (a fork child's first post): the
 * runs of the task it served before say nothing of this one's. */
int handoff_adopt(struct sc_thread *t)
{
	me.short_runs = 0;
	me.spinning = false;
	return wait_stub(t);
}

/* Asks the stub thread to do op; returns its answer. */
long request(struct sc_thread *t, unsigned op)
{
	post(t, op);
	if (wait_stub(t) < 0)
		return -ESRCH;
	return t->ctl->ret;
}
