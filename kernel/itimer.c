/*
 * Interval timers (alarm, setitimer, getitimer) and RLIMIT_CPU. ITIMER_REAL
 * is a kernel timer; ITIMER_VIRTUAL, ITIMER_PROF and the CPU limit count
 * the process's CPU time, checked on a tick that runs only while one of
 * them is armed somewhere.
 */
#include "kernel.h"
#include "task.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "ktime.h"
#include "timer.h"

#define CPU_TICK_NS 4000000 /* Linux's HZ=250 */

static void send_kernel_signal(struct process *p, int sig)
{
	struct linux_siginfo info;
	memset(&info, 0, sizeof info);
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	send_sig_info_process(sig, &info, p);
}

int64_t process_cputime_ns(struct process *p, bool with_system)
{
	int64_t ns = p->dead_utime_ns + (with_system ? p->dead_stime_ns : 0), now = ktime_get_ns();
	struct task *t;
	for_each_thread(p, t) {
		ns += t->utime_ns + (with_system ? t->stime_ns : 0);
		if (t->in_user)
			ns += now - t->last_switch_ns;
	}
	return ns;
}

/* ---- The CPU tick ---- */

static struct ktimer cpu_tick;

static bool needs_tick(struct process *p)
{
	return p->it_cpu_expires[0] || p->it_cpu_expires[1] ||
	       p->rlim[RLIMIT_CPU].rlim_cur != RLIM_INFINITY;
}

static void check_itimer(struct process *p, int which, int sig)
{
	int64_t *exp = &p->it_cpu_expires[which];
	if (!*exp || process_cputime_ns(p, which == 1) < *exp)
		return;
	send_kernel_signal(p, sig);
	*exp = p->it_cpu_interval[which] ? *exp + p->it_cpu_interval[which] : 0;
}

/* SIGXCPU at the soft limit and every second after, SIGKILL at the hard. */
static void check_rlimit_cpu(struct process *p)
{
	const struct linux_rlimit *r = &p->rlim[RLIMIT_CPU];
	if (r->rlim_cur == RLIM_INFINITY)
		return;
	int64_t secs = process_cputime_ns(p, true) / NSEC_PER_SEC;
	if (r->rlim_max != RLIM_INFINITY && (uint64_t)secs >= r->rlim_max) {
		send_kernel_signal(p, SIGKILL);
		return;
	}
	if ((uint64_t)secs >= r->rlim_cur && secs * NSEC_PER_SEC >= p->next_xcpu_ns) {
		send_kernel_signal(p, SIGXCPU);
		p->next_xcpu_ns = (secs + 1) * NSEC_PER_SEC;
	}
}

static void cpu_tick_fire(struct ktimer *t)
{
	bool any = false;
	struct process *p;
	for_each_process(p) {
		if (p->state != PROCESS_ALIVE || !needs_tick(p))
			continue;
		any = true;
		check_itimer(p, 0, SIGVTALRM);
		check_itimer(p, 1, SIGPROF);
		check_rlimit_cpu(p);
	}
	if (any)
		timer_add(t, ktime_get_ns() + CPU_TICK_NS);
}

void cpu_timers_changed(void)
{
	cpu_tick.fn = cpu_tick_fire;
	if (!cpu_tick.pending)
		timer_add(&cpu_tick, ktime_get_ns() + CPU_TICK_NS);
}

/* ---- ITIMER_REAL and alarm ---- */

/* As in Linux, a periodic ITIMER_REAL is not re-armed when it fires but when
 * its SIGALRM is dequeued (itimer_rearm): a tiny interval cannot keep the
 * timer thread busy, and periods missed meanwhile are skipped. */
static void real_timer_fire(struct ktimer *t)
{
	struct process *p = container_of(t, struct process, real_timer);
	send_kernel_signal(p, SIGALRM);
}

void itimer_rearm(struct process *p)
{
	struct ktimer *t = &p->real_timer;
	if (t->pending || !p->it_real_interval)
		return;
	int64_t expires = t->expires;
	forward_expiry(&expires, ktime_get_ns(), p->it_real_interval);
	timer_add(t, expires);
}

static int64_t real_timer_left(struct process *p)
{
	if (!p->real_timer.pending)
		return 0;
	int64_t left = p->real_timer.expires - ktime_get_ns();
	return left > 0 ? left : 1000;
}

static void real_timer_set(struct process *p, int64_t value, int64_t interval)
{
	timer_del(&p->real_timer);
	p->real_timer.fn = real_timer_fire;
	p->it_real_interval = interval;
	if (value)
		timer_add(&p->real_timer, ktime_get_ns() + value);
}

SYSCALL_DEFINE1(alarm, unsigned, seconds)
{
	struct process *p = current->proc;
	int64_t left = real_timer_left(p);
	real_timer_set(p, (int64_t)seconds * NSEC_PER_SEC, 0); /* fits: seconds is 32-bit */
	/* Whole seconds, rounded up to at least one if any time was left. */
	return left ? (long)((left + NSEC_PER_SEC / 2) / NSEC_PER_SEC) + (left < NSEC_PER_SEC / 2)
		    : 0;
}

/* ---- getitimer and setitimer ---- */

static struct linux_timeval ns_to_tv(int64_t ns)
{
	struct linux_timeval tv = {ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC + 999) / 1000};
	if (tv.tv_usec >= 1000000) {
		tv.tv_sec++;
		tv.tv_usec -= 1000000;
	}
	return tv;
}

static void get_itimer(struct process *p, int which, struct linux_itimerval *v)
{
	if (which == ITIMER_REAL) {
		v->it_interval = ns_to_tv(p->it_real_interval);
		v->it_value = ns_to_tv(real_timer_left(p));
		return;
	}
	int k = which == ITIMER_PROF;
	int64_t left = 0;
	if (p->it_cpu_expires[k]) {
		left = p->it_cpu_expires[k] - process_cputime_ns(p, k);
		if (left <= 0)
			left = 1000;
	}
	v->it_interval = ns_to_tv(p->it_cpu_interval[k]);
	v->it_value = ns_to_tv(left);
}

SYSCALL_DEFINE2(getitimer, int, which, uaddr_t, uval)
{
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	struct linux_itimerval v;
	get_itimer(current->proc, which, &v);
	return copy_to_user(uval, &v, sizeof v) ? -EFAULT : 0;
}

static bool tv_valid(const struct linux_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

SYSCALL_DEFINE3(setitimer, int, which, uaddr_t, unew, uaddr_t, uold)
{
	struct process *p = current->proc;
	struct linux_itimerval nv, ov;
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (unew && copy_from_user(&nv, unew, sizeof nv))
		return -EFAULT;
	if (unew && (!tv_valid(&nv.it_value) || !tv_valid(&nv.it_interval)))
		return -EINVAL;
	get_itimer(p, which, &ov);
	if (unew) {
		int64_t value = timeval_to_ns(&nv.it_value), iv = timeval_to_ns(&nv.it_interval);
		if (which == ITIMER_REAL) {
			real_timer_set(p, value, iv);
		} else {
			int k = which == ITIMER_PROF;
			p->it_cpu_expires[k] = value ? process_cputime_ns(p, k) + value : 0;
			p->it_cpu_interval[k] = iv;
			if (value)
				cpu_timers_changed();
		}
	}
	if (uold && copy_to_user(uold, &ov, sizeof ov))
		return -EFAULT;
	return 0;
}
