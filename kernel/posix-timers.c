/*
 * POSIX timers: timer_create and friends. Each timer is a kernel timer that
 * queues its signal with SI_TIMER. While that signal is still queued, further
 * expirations only count as overruns in it (one signal per timer at most, as
 * in Linux); the count it carries when delivered is what timer_getoverrun
 * reports. Expirations are counted from the time elapsed, so the kernel
 * timer need not fire for each: with a signal waiting it fires at most every
 * COALESCE_NS, and SIGEV_NONE timers, which tell nobody, never fire. A
 * signal queued before the timer was set again or deleted is stale: as in
 * Linux since 6.13, it is dropped when its turn comes. Timers on the CPU
 * clocks of the process or the calling thread are checked on a tick of
 * CPU_TICK_NS while any is armed. Timers belong to the process and go at
 * its exit or exec.
 */
#include "kernel.h"
#include "task.h"
#include "signal.h"
#include "ktime.h"
#include "syscall.h"
#include "timer.h"
#include "uaccess.h"

#define COALESCE_NS 1000000
#define CPU_TICK_NS 4000000 /* Linux's HZ=250 */

struct k_itimer {
	struct list_head list; /* in proc->posix_timers */
	struct process *proc;
	int id;
	int clock;
	int notify; /* SIGEV_* */
	int signo;
	int tid; /* SIGEV_THREAD_ID's thread */
	/* A CPU clock: the thread's or process's id, and what it counts. */
	int cpu_id;
	bool cpu_thread;
	int cpu_kind; /* CPUCLOCK_PROF, _VIRT (user time only), _SCHED */
	uint64_t value;
	struct ktimer t;	    /* fires the timers on wall and monotonic clocks */
	struct list_head cpu_link;  /* armed on a CPU clock: in cpu_timers */
	struct list_head wall_link; /* armed for a wall time: in wall_timers */
	bool armed;
	int64_t expires; /* the next expiration, in timer_now()'s terms */
	int64_t interval;
	int overrun_last;
	int sigseq; /* bumped by timer_settime: older signals are stale */
};

static LIST_HEAD(cpu_timers);
static struct ktimer cpu_tick;

#define CPUCLOCK_VIRT  1
#define CPUCLOCK_SCHED 2

/* CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, and the CPU clocks of
 * other processes and threads: ~id << 3 | thread << 2 | kind. */
static bool is_cpu_clock(int clock)
{
	return clock < 0 || clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID;
}

/* The CPU time a timer counts, with what is running now (0 once its
 * thread or process is gone: the clock stopped). */
static int64_t timer_cputime(struct k_itimer *k)
{
	bool with_system = k->cpu_kind != CPUCLOCK_VIRT;
	if (!k->cpu_thread) {
		struct process *p = find_process(k->cpu_id);
		return p && p->state == PROCESS_ALIVE ? process_cputime_ns(p, with_system) : 0;
	}
	struct task *t = find_task(k->cpu_id);
	if (!t || t->state != TASK_RUNNING)
		return 0;
	return t->utime_ns + (with_system ? t->stime_ns : 0) +
	       (t->in_user ? ktime_get_ns() - t->last_switch_ns : 0);
}

/* Which CPU time a timer on clock counts; -EINVAL if nobody's. */
static int timer_cpu_clock(struct k_itimer *k, int clock)
{
	k->cpu_kind = CPUCLOCK_SCHED;
	k->cpu_thread = clock == CLOCK_THREAD_CPUTIME_ID;
	k->cpu_id = k->cpu_thread ? current->tid : current->proc->pid;
	if (clock >= 0)
		return 0;
	int id = ~(clock >> 3);
	k->cpu_kind = clock & 3;
	k->cpu_thread = clock & 4;
	if (k->cpu_kind > CPUCLOCK_SCHED)
		return -EINVAL;
	if (!id)
		return 0;
	k->cpu_id = id;
	if (k->cpu_thread) {
		/* Only threads of one's own process, as in Linux. */
		struct task *t = find_task(id);
		return t && t->proc == current->proc ? 0 : -EINVAL;
	}
	struct process *p = find_process(id);
	return p && p->state == PROCESS_ALIVE ? 0 : -EINVAL;
}

/* The timer's clock now: host monotonic time, or the CPU time it counts. */
static int64_t timer_now(struct k_itimer *k)
{
	return is_cpu_clock(k->clock) ? timer_cputime(k) : ktime_get_ns();
}

/* What a queued signal of this timer carries in si_sys_private (never 0, so
 * a user's own SI_TIMER signals, with 0 there, are not taken for one). */
static int timer_sigtag(const struct k_itimer *k)
{
	return (int)(((unsigned)k->sigseq << 1) | 1);
}

static struct k_itimer *find_timer(struct process *p, int id)
{
	struct k_itimer *k;
	list_for_each_entry(k, &p->posix_timers, list)
		if (k->id == id)
			return k;
	return NULL;
}

/* The still-queued signal of this timer, if any. */
static struct linux_siginfo *queued_signal(struct k_itimer *k, struct sigpending *pending)
{
	struct sigqueue *q;
	list_for_each_entry(q, &pending->queue, list) {
		if (q->info.si_code == SI_TIMER && q->info.si_signo == k->signo &&
		    q->info.timer.tid == k->id)
			return &q->info;
	}
	return NULL;
}

/* Signals n expirations: one signal, the rest counted as its overrun.
 * True if a signal of this timer was still waiting. */
static bool timer_send(struct k_itimer *k, int64_t n)
{
	struct task *t = NULL;
	if (k->notify == SIGEV_THREAD_ID) {
		t = find_task(k->tid);
		if (!t || t->proc != k->proc || t->state != TASK_RUNNING)
			return false; /* the thread is gone: nobody to tell */
	}
	struct sigpending *pending = t ? &t->pending : &k->proc->shared_pending;
	struct linux_siginfo *queued = queued_signal(k, pending);
	if (queued) {
		if (queued->timer.private_ != timer_sigtag(k)) {
			queued->timer.private_ = timer_sigtag(k);
			queued->timer.overrun = 0;
			n--;
		}
		queued->timer.overrun = (int)min((int64_t)queued->timer.overrun + n, INT32_MAX);
		return true;
	}
	struct linux_siginfo info;
	memset(&info, 0, sizeof info);
	info.si_signo = k->signo;
	info.si_code = SI_TIMER;
	info.timer.tid = k->id;
	info.timer.overrun = (int)min(n - 1, INT32_MAX);
	info.timer.value = k->value;
	info.timer.private_ = timer_sigtag(k);
	if (t)
		send_signal(k->signo, &info, t, false);
	else
		send_sig_info_process(k->signo, &info, k->proc);
	return false;
}

/* The expirations up to now (when due), moving a periodic timer's next
 * expiration past now. */
static int64_t timer_forward(struct k_itimer *k, int64_t now)
{
	if (!k->armed || k->expires > now)
		return 0;
	if (!k->interval) {
		k->armed = false;
		return 1;
	}
	return forward_expiry(&k->expires, now, k->interval);
}

static void timer_fire(struct ktimer *t)
{
	struct k_itimer *k = container_of(t, struct k_itimer, t);
	int64_t now = ktime_get_ns(), n = timer_forward(k, now);
	bool waiting = timer_send(k, n ? n : 1);
	if (k->armed)
		timer_add(t, waiting ? max(k->expires, now + COALESCE_NS) : k->expires);
}

static void cpu_tick_fire(struct ktimer *t)
{
	struct k_itimer *k, *n;
	list_for_each_entry_safe(k, n, &cpu_timers, cpu_link) {
		int64_t expired = timer_forward(k, timer_cputime(k));
		if (!k->armed)
			list_del(&k->cpu_link);
		if (expired && k->notify != SIGEV_NONE)
			timer_send(k, expired);
	}
	if (!list_empty(&cpu_timers))
		timer_add(t, ktime_get_ns() + CPU_TICK_NS);
}

/* Armed with TIMER_ABSTIME on a wall clock: a clock set moves them. */
static LIST_HEAD(wall_timers);

void posix_timers_clock_was_set(int64_t delta)
{
	struct k_itimer *k;
	list_for_each_entry(k, &wall_timers, wall_link) {
		k->expires -= delta;
		if (k->t.pending)
			timer_add(&k->t, k->expires);
	}
}

/* Takes the timer off its clock. */
static void timer_disarm(struct k_itimer *k)
{
	timer_del(&k->t);
	list_del(&k->wall_link);
	if (k->armed && is_cpu_clock(k->clock))
		list_del(&k->cpu_link);
	k->armed = false;
}

static void timer_arm(struct k_itimer *k)
{
	k->armed = true;
	if (!is_cpu_clock(k->clock)) {
		if (k->notify != SIGEV_NONE)
			timer_add(&k->t, k->expires);
		return;
	}
	list_add_tail(&k->cpu_link, &cpu_timers);
	cpu_tick.fn = cpu_tick_fire;
	if (!cpu_tick.pending)
		timer_add(&cpu_tick, ktime_get_ns() + CPU_TICK_NS);
}

bool posixtimer_deliver(struct process *p, struct linux_siginfo *info)
{
	if (!info->timer.private_)
		return true; /* sent by rt_sigqueueinfo, not by a timer */
	struct k_itimer *k = find_timer(p, info->timer.tid);
	if (!k || info->timer.private_ != timer_sigtag(k))
		return false;
	k->overrun_last = info->timer.overrun;
	info->timer.private_ = 0;
	return true;
}

static void timer_free(struct k_itimer *k)
{
	timer_disarm(k);
	list_del(&k->list);
	kfree(k);
}

void exit_itimers(struct process *p)
{
	while (!list_empty(&p->posix_timers))
		timer_free(list_first_entry(&p->posix_timers, struct k_itimer, list));
}

/* The clocks timers run on: wall, monotonic, boot and CPU time. */
static int timer_clock_check(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return 0;
	}
	return is_cpu_clock(clock) ? 0 : -EINVAL;
}

/* Linux's good_sigevent. */
static int check_sigevent(struct k_itimer *k, const struct linux_sigevent *ev)
{
	k->notify = ev->sigev_notify;
	k->signo = ev->sigev_signo;
	k->value = ev->sigev_value;
	switch (ev->sigev_notify) {
	case SIGEV_SIGNAL | SIGEV_THREAD_ID: {
		struct task *t = find_task(ev->sigev_notify_thread_id);
		if (!t || t->proc != current->proc)
			return -EINVAL;
		k->tid = t->tid;
	}
		/* fallthrough */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD: /* glibc's threads are its business: a signal here */
		if (ev->sigev_signo <= 0 || ev->sigev_signo > SIGRTMAX)
			return -EINVAL;
		return 0;
	case SIGEV_NONE:
		return 0;
	}
	return -EINVAL;
}

static int alloc_timer_id(struct process *p)
{
	for (;;) {
		int id = p->next_timer_id;
		p->next_timer_id = id == INT32_MAX ? 0 : id + 1;
		if (!find_timer(p, id))
			return id;
	}
}

SYSCALL_DEFINE3(timer_create, int, clock, uaddr_t, uevent, uaddr_t, uid)
{
	struct linux_sigevent ev;
	if (uevent && copy_from_user(&ev, uevent, sizeof ev))
		return -EFAULT;
	int err = timer_clock_check(clock);
	if (err)
		return err;
	struct process *p = current->proc;
	struct k_itimer *k = kzalloc(sizeof *k);
	if (!k)
		return -ENOMEM;
	k->proc = p;
	k->clock = clock;
	k->t.fn = timer_fire;
	list_init(&k->wall_link);
	/* As in Linux, the id is taken before the sigevent and a CPU clock's
	 * owner are checked. */
	k->id = alloc_timer_id(p);
	list_add_tail(&k->list, &p->posix_timers);
	if (uevent) {
		err = check_sigevent(k, &ev);
	} else {
		k->notify = SIGEV_SIGNAL;
		k->signo = SIGALRM;
		k->value = (uint64_t)k->id;
	}
	if (!err && put_user(k->id, uid))
		err = -EFAULT;
	if (!err && is_cpu_clock(clock))
		err = timer_cpu_clock(k, clock);
	if (err)
		timer_free(k);
	return err ? err : 0;
}

static struct linux_itimerspec timer_get(struct k_itimer *k)
{
	struct linux_itimerspec v = {ns_to_timespec(k->interval), {0, 0}};
	int64_t now = timer_now(k);
	/* A timer that tells nobody expires here; others when they fire. */
	if (k->notify == SIGEV_NONE && !is_cpu_clock(k->clock))
		timer_forward(k, now);
	if (k->armed) {
		int64_t next = k->expires;
		if (k->interval && next <= now)
			next += ((now - next) / k->interval + 1) * k->interval;
		v.it_value = ns_to_timespec(next > now ? next - now : 1);
	}
	return v;
}

SYSCALL_DEFINE4(timer_settime, int, id, int, flags, uaddr_t, unew, uaddr_t, uold)
{
	struct linux_itimerspec nv;
	if (copy_from_user(&nv, unew, sizeof nv))
		return -EFAULT;
	struct k_itimer *k = find_timer(current->proc, id);
	if (!k)
		return -EINVAL;
	if (!timespec_valid(&nv.it_value) || !timespec_valid(&nv.it_interval))
		return -EINVAL;
	struct linux_itimerspec old = timer_get(k);
	timer_disarm(k);
	k->sigseq++;
	int64_t value = timespec_to_ns(&nv.it_value);
	k->interval = value ? timespec_to_ns(&nv.it_interval) : 0;
	if (!(flags & TIMER_ABSTIME))
		k->expires = timer_now(k) + value;
	else
		k->expires = is_cpu_clock(k->clock) ? value : clock_to_host_ns(k->clock, value);
	if (value && (flags & TIMER_ABSTIME) &&
	    (k->clock == CLOCK_REALTIME || k->clock == CLOCK_TAI))
		list_add_tail(&k->wall_link, &wall_timers);
	if (value)
		timer_arm(k);
	if (uold && copy_to_user(uold, &old, sizeof old))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timer_gettime, int, id, uaddr_t, ucur)
{
	struct k_itimer *k = find_timer(current->proc, id);
	if (!k)
		return -EINVAL;
	struct linux_itimerspec v = timer_get(k);
	return copy_to_user(ucur, &v, sizeof v) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(timer_getoverrun, int, id)
{
	struct k_itimer *k = find_timer(current->proc, id);
	return k ? k->overrun_last : -EINVAL;
}

SYSCALL_DEFINE1(timer_delete, int, id)
{
	struct k_itimer *k = find_timer(current->proc, id);
	if (!k)
		return -EINVAL;
	timer_free(k);
	return 0;
}
