/*
 * Wait queues. A sleeping task thread waits on its own futex word; waking a
 * queue bumps the word of every waiter. Everything happens under the big
 * kernel lock, which is dropped only inside schedule_deadline().
 */
#ifndef WAIT_H
#define WAIT_H
#include "list.h"
#include <stdint.h>

struct task;

struct wait_queue {
	struct list_head waiters;
};

struct waiter {
	struct list_head link;
	struct task *task;
};

#define WAIT_QUEUE_INIT(name) {LIST_HEAD_INIT((name).waiters)}

void wait_queue_init(struct wait_queue *wq);
void waiter_add(struct wait_queue *wq, struct waiter *w);
void waiter_del(struct waiter *w);
void wake_up(struct wait_queue *wq);
bool signal_pending(struct task *t);
int schedule_deadline(int64_t deadline_ns);

/*
 * Sleeps until cond holds (0), a signal is pending (-ERESTARTSYS) or the
 * host-monotonic deadline passes (-ETIMEDOUT; 0 means none).
 */
#define wait_event_deadline(wq, cond, deadline)                                                    \
	({                                                                                         \
		int ret_ = 0;                                                                      \
		struct waiter w_;                                                                  \
		waiter_add(&(wq), &w_);                                                            \
		for (;;) {                                                                         \
			if (cond)                                                                  \
				break;                                                             \
			if (signal_pending(current)) {                                             \
				ret_ = -ERESTARTSYS;                                               \
				break;                                                             \
			}                                                                          \
			if (schedule_deadline(deadline)) {                                         \
				ret_ = (cond) ? 0 : -ETIMEDOUT;                                    \
				break;                                                             \
			}                                                                          \
		}                                                                                  \
		waiter_del(&w_);                                                                   \
		ret_;                                                                              \
	})

#define wait_event_interruptible(wq, cond) wait_event_deadline(wq, cond, 0)

#endif
