/* The guest's clocks, as offsets from the host's CLOCK_MONOTONIC. */
#ifndef KTIME_H
#define KTIME_H
#include "kernel.h"
#include "host.h"
#include "uapi/time.h"

/* guest clock = host monotonic + offset */
int64_t clock_monotonic_offset(void);
int64_t clock_realtime_offset(void);
int64_t clock_boottime_offset(void);
/* The guest's reading of a clock id, or -EINVAL. */
int64_t clock_read_ns(int clock);
int64_t guest_uptime_ns(void);
int64_t boot_time_ns(void);
void time_init(void);

static inline struct linux_timespec ns_to_timespec(int64_t ns)
{
	struct linux_timespec ts = {ns / NSEC_PER_SEC, ns % NSEC_PER_SEC};
	if (ts.tv_nsec < 0) {
		ts.tv_sec--;
		ts.tv_nsec += NSEC_PER_SEC;
	}
	return ts;
}

/* A guest's duration in ns, saturating instead of overflowing. */
static inline int64_t timespec_to_ns(const struct linux_timespec *ts)
{
	if (ts->tv_sec >= INT64_MAX / NSEC_PER_SEC - 1)
		return INT64_MAX / 2;
	return ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

static inline int64_t timeval_to_ns(const struct linux_timeval *tv)
{
	if (tv->tv_sec >= INT64_MAX / NSEC_PER_SEC - 1 || tv->tv_usec >= INT64_MAX / 1000)
		return INT64_MAX / 2;
	return tv->tv_sec * NSEC_PER_SEC + tv->tv_usec * 1000;
}

/* The host-monotonic time (what kernel timers run on) at which a guest clock
 * reads t; clock is a valid clock id. */
static inline int64_t clock_to_host_ns(int clock, int64_t t)
{
	return t - (clock_read_ns(clock) - host_monotonic_ns());
}

static inline bool timespec_valid(const struct linux_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC_PER_SEC;
}

#endif
