/*
 * The big kernel lock, wait queues and sleeping. A task thread holds the lock
 * while it runs kernel code and drops it to sleep or to run its guest; guest
 * code of all tasks runs in parallel on every host CPU.
 */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "wait.h"

static struct host_mutex kernel_mutex;
__thread struct task *current;

void lock_kernel(void)
{
	host_mutex_lock(&kernel_mutex);
}

void unlock_kernel(void)
{
	host_mutex_unlock(&kernel_mutex);
}

int64_t ktime_get_ns(void)
{
	return host_monotonic_ns();
}

void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

void waiter_add(struct wait_queue *wq, struct waiter *w)
{
	w->task = current;
	w->func = NULL;
	w->exclusive = false;
	list_add(&w->link, &wq->waiters);
}

void waiter_add_callback(struct wait_queue *wq, struct waiter *w,
			 int (*func)(struct waiter *w, unsigned key), bool exclusive)
{
	w->task = func ? NULL : current;
	w->func = func;
	w->exclusive = exclusive;
	if (exclusive)
		list_add_tail(&w->link, &wq->waiters);
	else
		list_add(&w->link, &wq->waiters);
}

void waiter_del(struct waiter *w)
{
	list_del(&w->link);
}

void task_wake(struct task *t)
{
	host_sleeper_wake(&t->wake);
}

/* A callback may remove (and free) its own waiter: the walk is the safe one
 * and reads the waiter before calling it. */
void wake_up_poll(struct wait_queue *wq, unsigned key)
{
	struct waiter *w, *n;
	list_for_each_entry_safe(w, n, &wq->waiters, link) {
		bool exclusive = w->exclusive;
		int took = 1;
		if (w->func)
			took = w->func(w, key);
		else
			task_wake(w->task);
		if (took && exclusive)
			break;
	}
}

void wake_up(struct wait_queue *wq)
{
	wake_up_poll(wq, 0);
}

/*
 * Drops the kernel lock and sleeps until woken or until the deadline. The
 * wake count is read under the lock, and wakers bump it under the lock,
 * so a wake-up between the caller's check and the sleep is never lost.
 * Returns nonzero once the deadline has passed.
 */
int schedule_deadline(int64_t deadline_ns)
{
	struct task *t = current;
	int seen = host_sleeper_count(&t->wake);
	t->sleeping = true;
	int64_t asleep_from = ktime_get_ns();
	unlock_kernel();
	int r = host_sleeper_wait(&t->wake, seen, deadline_ns);
	lock_kernel();
	t->sleeping = false;
	/* Time asleep is neither user nor system time: skip it. */
	t->last_switch_ns += ktime_get_ns() - asleep_from;
	return r == -ETIMEDOUT || (deadline_ns && host_monotonic_ns() >= deadline_ns);
}
