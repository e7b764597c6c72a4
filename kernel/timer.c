/* Kernel timers, kept in expiry order and fired by one host thread. */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "timer.h"

static LIST_HEAD(timers);
static int timer_seq;

void timer_add(struct ktimer *t, int64_t expires)
{
	if (t->pending)
		list_del(&t->list);
	t->expires = expires;
	t->pending = true;
	struct ktimer *x;
	list_for_each_entry(x, &timers, list)
		if (x->expires > expires)
			break;
	list_add_tail(&t->list, &x->list);
	__atomic_add_fetch(&timer_seq, 1, __ATOMIC_RELEASE);
	host_futex_wake(&timer_seq, 1);
}

void timer_del(struct ktimer *t)
{
	if (!t->pending)
		return;
	list_del(&t->list);
	t->pending = false;
}

void timers_clock_was_set(int64_t delta)
{
	LIST_HEAD(moved);
	struct ktimer *t, *n;
	list_for_each_entry_safe(t, n, &timers, list) {
		if (t->wall) {
			list_del(&t->list);
			list_add_tail(&t->list, &moved);
		}
	}
	list_for_each_entry_safe(t, n, &moved, list) {
		t->pending = false;
		timer_add(t, t->expires - delta);
	}
}

static void timer_thread(void *arg)
{
	(void)arg;
	lock_kernel();
	for (;;) {
		int64_t now = ktime_get_ns(), deadline = 0;
		while (!list_empty(&timers)) {
			struct ktimer *t = list_first_entry(&timers, struct ktimer, list);
			if (t->expires > now) {
				deadline = t->expires;
				break;
			}
			list_del(&t->list);
			t->pending = false;
			t->fn(t);
		}
		int seq = __atomic_load_n(&timer_seq, __ATOMIC_ACQUIRE);
		unlock_kernel();
		host_futex_wait(&timer_seq, seq, deadline);
		lock_kernel();
	}
}

void timer_thread_start(void)
{
	host_thread_create(timer_thread, NULL);
}
