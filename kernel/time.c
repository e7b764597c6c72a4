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
#include "init.h"
#include "capability.h"

/*
 * The guest's monotonic and boottime clocks start at its boot: the host's
 * readings minus their values then. Stubs live in a host time namespace with
 * the same offsets, so the host vDSO shows these clocks too; where the host
 * has no time namespaces, or the guest has a wall clock of its own
 * (clock=virtual), the vDSO is not offered and every clock read traps here.
 */
static struct {
	int64_t mono_origin, boot_origin; /* host clocks at the guest's boot */
	int64_t wall_offset;		  /* guest CLOCK_REALTIME - host's */
	bool vdso;			  /* the host vDSO shows the guest's clocks */
} clocks;

/* What settimeofday set and gettimeofday reports: no clock uses it. */
static struct linux_timezone sys_tz;

void time_init(void)
{
	/* Boottime first: then the guest's boottime is never below its
	 * monotonic clock, as in Linux. */
	clocks.boot_origin = host_clock_ns(CLOCK_BOOTTIME);
	clocks.mono_origin = host_clock_ns(CLOCK_MONOTONIC);
}

void time_clock_origin(int64_t origin[2])
{
	origin[0] = clocks.mono_origin;
	origin[1] = clocks.boot_origin;
}

void time_platform_started(bool timens)
{
	clocks.vdso = timens && !boot.clock_virtual;
	if (!timens)
		printk(KERN_INFO "umk: the host has no time namespaces for stubs: "
				 "clock reads trap, no vDSO\n");
}

bool vdso_offered(void)
{
	return clocks.vdso;
}

int64_t boot_time_ns(void)
{
	return clocks.mono_origin;
}

int64_t guest_uptime_ns(void)
{
	return clock_read_ns(CLOCK_BOOTTIME);
}

int64_t clock_read_ns(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		return host_clock_ns(clock) + clocks.wall_offset;
	case CLOCK_REALTIME_ALARM: /* the host may lack the RTC its alarm needs */
		return host_clock_ns(CLOCK_REALTIME) + clocks.wall_offset;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
		return host_clock_ns(clock) - clocks.mono_origin;
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return host_clock_ns(CLOCK_BOOTTIME) - clocks.boot_origin;
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

/* Any clock id a guest may name: 0 and its reading in *ns, or -EINVAL.
 * (The guest's monotonic raw clock may read below 0 just after boot.) */
static int read_any_clock(int clock, int64_t *ns)
{
	if (clock < 0) {
		*ns = cpu_clock_read(clock);
		return *ns < 0 ? -EINVAL : 0;
	}
	if (clock > CLOCK_TAI || clock == CLOCK_TAI - 1)
		return -EINVAL;
	*ns = clock_read_ns(clock);
	return 0;
}

SYSCALL_DEFINE2(clock_gettime, int, clock, uaddr_t, uts)
{
	int64_t ns;
	int err = read_any_clock(clock, &ns);
	if (err)
		return err;
	struct linux_timespec ts = ns_to_timespec(ns);
	return copy_result_to_user(uts, &ts, sizeof ts) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_getres, int, clock, uaddr_t, uts)
{
	int64_t ns;
	if (read_any_clock(clock, &ns))
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
		int64_t ns = clock_read_ns(CLOCK_REALTIME);
		struct linux_timeval tv = {ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000};
		if (copy_result_to_user(utv, &tv, sizeof tv))
			return -EFAULT;
	}
	if (utz) {
		if (copy_to_user(utz, &sys_tz, sizeof sys_tz))
			return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(time, uaddr_t, ut)
{
	int64_t s = clock_read_ns(CLOCK_REALTIME) / NSEC_PER_SEC;
	if (ut && put_user(s, ut))
		return -EFAULT;
	return s;
}

/* Sleepers until a wall time, woken when the clock is set. */
static struct wait_queue wall_sleepers = WAIT_QUEUE_INIT(wall_sleepers);
static unsigned wall_set_seq;

/* The wall clock is the host's unless clock=virtual gave the guest its own;
 * the guest may never change the host's. What waits for a wall time
 * moves with it (Linux's clock_was_set). */
static int set_realtime(int64_t ns)
{
	if (!capable(CAP_SYS_TIME) || !boot.clock_virtual)
		return -EPERM;
	int64_t old = clocks.wall_offset;
	clocks.wall_offset = ns - host_clock_ns(CLOCK_REALTIME);
	timers_clock_was_set(clocks.wall_offset - old);
	posix_timers_clock_was_set(clocks.wall_offset - old);
	timerfd_clock_was_set();
	wall_set_seq++;
	wake_up(&wall_sleepers);
	return 0;
}

SYSCALL_DEFINE2(settimeofday, uaddr_t, utv, uaddr_t, utz)
{
	struct linux_timeval tv;
	struct linux_timezone tz;
	if (utv && copy_from_user(&tv, utv, sizeof tv))
		return -EFAULT;
	if (utv && (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000))
		return -EINVAL;
	if (utz && copy_from_user(&tz, utz, sizeof tz))
		return -EFAULT;
	if (utz && (tz.tz_minuteswest < -15 * 60 || tz.tz_minuteswest > 15 * 60))
		return -EINVAL;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	if (utv) {
		int err = set_realtime(timeval_to_ns(&tv));
		if (err)
			return err;
	}
	if (utz)
		sys_tz = tz; /* only what gettimeofday reports back */
	return 0;
}

SYSCALL_DEFINE2(clock_settime, int, clock, uaddr_t, uts)
{
	struct linux_timespec ts;
	int64_t ns;
	bool cpu = clock < 0;
	/* Only the realtime clock and other processes' CPU clocks have a
	 * clock_set in Linux (the latter refuses with EPERM). */
	if (read_any_clock(clock, &ns) || (clock != CLOCK_REALTIME && !cpu))
		return -EINVAL;
	if (copy_from_user(&ts, uts, sizeof ts))
		return -EFAULT;
	if (cpu)
		return -EPERM;
	if (!timespec_valid(&ts))
		return -EINVAL;
	return set_realtime(timespec_to_ns(&ts));
}

struct timex_head {
	uint32_t modes;
	int32_t pad;
	int64_t offset, freq, maxerror, esterror;
	int32_t status, pad2;
	int64_t constant, precision, tolerance;
	struct linux_timeval time;
};

/* Steps the wall clock by the timex's time (nanoseconds with ADJ_NANO). */
static int adjtimex_step(const struct timex_head *h)
{
	int64_t unit = h->modes & ADJ_NANO ? 1 : 1000;
	if (h->time.tv_usec < 0 || h->time.tv_usec >= NSEC_PER_SEC / unit)
		return -EINVAL;
	int64_t step = h->time.tv_sec * NSEC_PER_SEC + h->time.tv_usec * unit;
	return set_realtime(clock_read_ns(CLOCK_REALTIME) + step);
}

SYSCALL_DEFINE1(adjtimex, uaddr_t, utx)
{
	struct timex_head h;
	if (copy_from_user(&h, utx, sizeof h))
		return -EFAULT;
	if (h.modes && !capable(CAP_SYS_TIME))
		return -EPERM;
	if (h.modes & ~(ADJ_SETOFFSET | ADJ_MICRO | ADJ_NANO)) {
		if (boot.clock_virtual) {
			pr_info("umk: adjtimex modes %#x: only ADJ_SETOFFSET steps the "
				"virtual clock\n",
				h.modes);
			return -ENOSYS;
		}
		return -EPERM; /* the host keeps the time */
	}
	if (h.modes & ADJ_SETOFFSET) {
		int err = adjtimex_step(&h);
		if (err)
			return err;
	}
	/* Synchronized, as far as the guest can know: the host keeps time. */
	h.status = 0;
	h.maxerror = h.esterror = 0;
	h.offset = h.freq = 0;
	if (copy_to_user(utx, &h, offsetof(struct timex_head, constant)))
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

/* Until a wall clock reads wall, however the guest sets it meanwhile. */
static int sleep_until_wall(int clock, int64_t wall)
{
	for (;;) {
		int64_t deadline = clock_to_host_ns(clock, wall);
		if (ktime_get_ns() >= deadline)
			return 0;
		unsigned seq = wall_set_seq;
		if (wait_event_deadline(wall_sleepers, wall_set_seq != seq, deadline) ==
		    -ERESTARTSYS)
			return -EINTR;
	}
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
	if (clock == CLOCK_REALTIME || clock == CLOCK_TAI)
		return sleep_until_wall(clock, ns) ? -ERESTARTNOHAND : 0;
	return sleep_until(clock_to_host_ns(clock, ns)) ? -ERESTARTNOHAND : 0;
}
