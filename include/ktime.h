/* The guest's clocks: the host's, counted from the guest's boot. */
#ifndef KTIME_H
#define KTIME_H
#include "kernel.h"
#include "host.h"
#include "uapi/time.h"

/* The guest's reading of a clock id, or -EINVAL. */
int64_t clock_read_ns(int clock);
int64_t guest_uptime_ns(void);
/* The host monotonic time of the guest's boot. */
int64_t boot_time_ns(void);
void time_init(void);
/* The host's CLOCK_MONOTONIC and CLOCK_BOOTTIME at the guest's boot. */
void time_clock_origin(int64_t origin[2]);
/* Whether the platform's stubs see the guest's clocks (a time namespace). */
void time_platform_started(bool timens);
/* Whether guests are offered the host vDSO for their clock reads. */
bool vdso_offered(void);

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
