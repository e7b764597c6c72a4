/* Kernel timers: callbacks at a host-monotonic time, run by the timer thread
 * under the kernel lock. */
#ifndef TIMER_H
#define TIMER_H
#include "kernel.h"

struct ktimer {
	struct list_head list;
	int64_t expires;
	void (*fn)(struct ktimer *t);
	bool pending;
	bool wall; /* set for a time of the wall clock: moves when the guest sets it */
};

void timer_add(struct ktimer *t, int64_t expires);
void timer_del(struct ktimer *t);
/* The guest's wall clock moved forward by delta ns (clock=virtual): the
 * wall timers move with it, as Linux's CLOCK_REALTIME hrtimers do. */
void timers_clock_was_set(int64_t delta);
/* And so do POSIX timers armed for a wall time (kernel/posix-timers.c),
 * and timerfds armed with TFD_TIMER_CANCEL_ON_SET say so (fs/timerfd.c). */
void posix_timers_clock_was_set(int64_t delta);
void timerfd_clock_was_set(void);

/* The expirations of a periodic timer up to now (0 if *expires is later),
 * moving *expires past now by whole intervals, as Linux's hrtimer_forward. */
static inline int64_t forward_expiry(int64_t *expires, int64_t now, int64_t interval)
{
	if (*expires > now)
		return 0;
	int64_t n = 1 + (now - *expires) / interval;
	*expires += n * interval;
	return n;
}
void timer_thread_start(void);

#endif
