/*
 * The guest's clocks and sleeps: clock_gettime and friends, nanosleep,
 * alarm and the real-time interval timer.
 */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "ktime.h"
#include "timer.h"

static int64_t boot_ns;

void time_init(void)
{
	boot_ns = host_monotonic_ns();
}

int64_t boot_time_ns(void)
{
	return boot_ns;
}

int64_t guest_uptime_ns(void)
{
	return host_monotonic_ns() - boot_ns;
}

/* The guest reads the host's clocks through the vDSO too: these match it. */
int64_t clock_monotonic_offset(void)
{
	return 0;
}

int64_t clock_boottime_offset(void)
{
	return 0;
}

int64_t clock_realtime_offset(void)
{
	return host_realtime_ns() - host_monotonic_ns();
}

int64_t clock_read_ns(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		return host_realtime_ns();
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
		return host_monotonic_ns() + clock_monotonic_offset();
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return host_monotonic_ns() + clock_boottime_offset();
	case CLOCK_PROCESS_CPUTIME_ID:
		return current ? process_cputime_ns(current->proc, true) : 0;
	case CLOCK_THREAD_CPUTIME_ID:
		return current ? current->utime_ns + current->stime_ns : 0;
	}
	return -EINVAL;
}

/* Other processes' and threads' CPU clocks: clockid = ~pid << 3 | kind. */
static int64_t cpu_clock_read(int clock)
{
	int id = ~(clock >> 3), kind = clock & 3;
	bool thread = clock & 4;
	if (kind > 2)
		return -EINVAL;
	if (thread) {
		struct task *t = id ? find_task(id) : current;
		return t ? t->utime_ns + t->stime_ns : -EINVAL;
	}
	struct process *p = id ? find_process(id) : current->proc;
	return p ? process_cputime_ns(p, true) : -EINVAL;
}

static int64_t read_any_clock(int clock)
{
	return clock < 0 ? cpu_clock_read(clock) : clock_read_ns(clock);
}

SYSCALL_DEFINE2(clock_gettime, int, clock, uaddr_t, uts)
{
	int64_t ns = read_any_clock(clock);
	if (ns < 0 && clock != CLOCK_REALTIME)
		return -EINVAL;
	struct linux_timespec ts = ns_to_timespec(ns);
	return copy_to_user(uts, &ts, sizeof ts) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_getres, int, clock, uaddr_t, uts)
{
	if (read_any_clock(clock) < 0 && clock != CLOCK_REALTIME)
		return -EINVAL;
	bool coarse = clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
	struct linux_timespec ts = {0, coarse ? 4000000 : 1};
	if (uts && copy_to_user(uts, &ts, sizeof ts))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(gettimeofday, uaddr_t, utv, uaddr_t, utz)
{
	if (utv) {
		int64_t ns = host_realtime_ns();
		struct linux_timeval tv = {ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000};
		if (copy_to_user(utv, &tv, sizeof tv))
			return -EFAULT;
	}
	if (utz) {
		struct linux_timezone tz = {0, 0};
		if (copy_to_user(utz, &tz, sizeof tz))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(time, uaddr_t, ut)
{
	int64_t s = host_realtime_ns() / NSEC_PER_SEC;
	if (ut && put_user(s, ut))
		return -EFAULT;
	return s;
}

/* The guest's wall clock is the host's: only the host may set it. */
SYSCALL_DEFINE2(settimeofday, uaddr_t, utv, uaddr_t, utz)
{
	(void)utv;
	(void)utz;
	return -EPERM;
}

SYSCALL_DEFINE2(clock_settime, int, clock, uaddr_t, uts)
{
	struct linux_timespec ts;
	bool cpu = clock < 0;
	/* Only the realtime clock and other processes' CPU clocks have a
	 * clock_set in Linux (the latter refuses with EPERM). */
	if (read_any_clock(clock) < 0 || (clock != CLOCK_REALTIME && !cpu))
		return -EINVAL;
	if (copy_from_user(&ts, uts, sizeof ts))
		return -EFAULT;
	if (cpu)
		return -EPERM;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	/* The host keeps the time: the guest's root may not change it. */
	return -EPERM;
}

struct timex_head {
	uint32_t modes;
	int32_t pad;
	int64_t offset, freq, maxerror, esterror;
	int32_t status;
};

SYSCALL_DEFINE1(adjtimex, uaddr_t, utx)
{
	struct timex_head h;
	if (copy_from_user(&h, utx, sizeof h))
		return -EFAULT;
	if (h.modes)
		return -EPERM;
	/* Synchronized, as far as the guest can know: the host keeps time. */
	h.status = 0;
	h.maxerror = h.esterror = 0;
	h.offset = h.freq = 0;
	if (copy_to_user(utx, &h, sizeof h))
		return -EFAULT;
	return 0; /* TIME_OK */
}

/* ---- Sleeping ---- */

static int sleep_until(int64_t deadline)
{
	while (ktime_get_ns() < deadline) {
		if (signal_pending(current))
			return -EINTR;
		schedule_deadline(deadline);
	}
	return 0;
}

static int write_remaining(uaddr_t urem, int64_t deadline)
{
	if (!urem)
		return 0;
	int64_t left = deadline - ktime_get_ns();
	struct linux_timespec ts = ns_to_timespec(left > 0 ? left : 0);
	return copy_to_user(urem, &ts, sizeof ts) ? -EFAULT : 0;
}

static long nanosleep_restart(struct restart_block *rb)
{
	if (!sleep_until(rb->deadline_ns))
		return 0;
	if (write_remaining(rb->rmtp, rb->deadline_ns))
		return -EFAULT;
	return -ERESTART_RESTARTBLOCK;
}

static long relative_sleep(int64_t ns, uaddr_t urem)
{
	int64_t deadline = ktime_get_ns() + ns;
	if (!sleep_until(deadline))
		return 0;
	struct restart_block *rb = &current->restart;
	rb->fn = nanosleep_restart;
	rb->deadline_ns = deadline;
	rb->rmtp = urem;
	if (write_remaining(urem, deadline))
		return -EFAULT;
	return -ERESTART_RESTARTBLOCK;
}

static int read_sleep_time(uaddr_t uts, int64_t *ns)
{
	struct linux_timespec ts;
	if (copy_from_user(&ts, uts, sizeof ts))
		return -EFAULT;
	if (!timespec_valid(&ts))
		return -EINVAL;
	*ns = timespec_to_ns(&ts);
	return 0;
}

SYSCALL_DEFINE2(nanosleep, uaddr_t, uts, uaddr_t, urem)
{
	int64_t ns;
	int err = read_sleep_time(uts, &ns);
	return err ? err : relative_sleep(ns, urem);
}

SYSCALL_DEFINE4(clock_nanosleep, int, clock, int, flags, uaddr_t, uts, uaddr_t, urem)
{
	int64_t ns;
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		break;
	case CLOCK_THREAD_CPUTIME_ID:
		return -EOPNOTSUPP; /* Linux's thread clock has no nsleep */
	default:
		return clock < 0 || clock == CLOCK_PROCESS_CPUTIME_ID ? -EOPNOTSUPP : -EINVAL;
	}
	int err = read_sleep_time(uts, &ns);
	if (err)
		return err;
	if (!(flags & TIMER_ABSTIME))
		return relative_sleep(ns, urem);
	/* An absolute time: restarting sleeps to the same time. */
	int64_t deadline = ns - (clock_read_ns(clock) - ktime_get_ns());
	return sleep_until(deadline) ? -ERESTARTNOHAND : 0;
}
