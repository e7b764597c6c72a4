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
};

void timer_add(struct ktimer *t, int64_t expires);
void timer_del(struct ktimer *t);
void timer_thread_start(void);

#endif
