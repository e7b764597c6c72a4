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

/*
 * A waiter is a sleeping task, or a callback (epoll, socket relays) that is
 * told which poll events happened (0: any) and returns whether it took the
 * wake-up. An exclusive waiter that takes one ends the wake-up (Linux's
 * exclusive wait entries), so it is queued behind the others.
 */
struct waiter {
	struct list_head link;
	struct task *task;
	int (*func)(struct waiter *w, unsigned key);
	bool exclusive;
};

#define WAIT_QUEUE_INIT(name)                                                                      \
	{                                                                                          \
		LIST_HEAD_INIT((name).waiters)                                                     \
	}

void wait_queue_init(struct wait_queue *wq);
void waiter_add(struct wait_queue *wq, struct waiter *w);
/* func NULL: the waiter is current, woken as by waiter_add. */
void waiter_add_callback(struct wait_queue *wq, struct waiter *w,
			 int (*func)(struct waiter *w, unsigned key), bool exclusive);
void waiter_del(struct waiter *w);
void wake_up(struct wait_queue *wq);
/* A wake-up key telling callbacks that the queue itself goes away: they
 * must remove their waiters. */
#define POLLFREE 0x4000
/* Wakes the waiters with the poll events that happened (POLLIN, ...). */
void wake_up_poll(struct wait_queue *wq, unsigned key);
static inline bool waitqueue_active(const struct wait_queue *wq)
{
	return !list_empty(&wq->waiters);
}
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
