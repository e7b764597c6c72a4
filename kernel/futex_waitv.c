/*
 * futex_waitv: one wait on up to 128 futexes, as Wine and Proton use it.
 * Returns the index of a futex that was woken (the highest, as Linux).
 */
#include "kernel.h"
#include "task.h"
#include "futex.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/time.h"

#define FUTEX_WAITV_MAX	 128
#define FUTEX2_SIZE_U32	 0x02
#define FUTEX2_SIZE_MASK 0x03
#define FUTEX2_NUMA	 0x04
#define FUTEX2_MPOL	 0x08
#define FUTEX2_PRIVATE	 FUTEX_PRIVATE_FLAG
#define FUTEX2_VALID	 (FUTEX2_SIZE_MASK | FUTEX2_NUMA | FUTEX2_MPOL | FUTEX2_PRIVATE)

struct futex_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

static int check_waitv(const struct futex_waitv *w)
{
	if ((w->flags & ~FUTEX2_VALID) || w->reserved)
		return -EINVAL;
	if (w->flags & (FUTEX2_NUMA | FUTEX2_MPOL)) {
		pr_warn("%s[%d]: futex_waitv: NUMA futexes not supported\n", current->comm,
			current->tid);
		return -EINVAL;
	}
	if ((w->flags & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32 || w->val > UINT32_MAX)
		return -EINVAL;
	return 0;
}

/* Queues every waiter, or none: -EAGAIN if a word no longer holds its value. */
static int queue_all(struct futex_q *qs, const struct futex_waitv *ws, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		int err = ws[i].uaddr & 3
			      ? -EINVAL
			      : futex_queue_if(&qs[i], ws[i].uaddr, (uint32_t)ws[i].val);
		if (err) {
			while (i--)
				list_del(&qs[i].list);
			return err;
		}
	}
	return 0;
}

/* Takes the waiters off the queue: the highest index woken, or -1. */
static int unqueue_all(struct futex_q *qs, unsigned n)
{
	int woken = -1;
	for (unsigned i = 0; i < n; i++) {
		if (qs[i].woken)
			woken = (int)i;
		else
			list_del(&qs[i].list);
	}
	return woken;
}

static bool any_woken(const struct futex_q *qs, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (qs[i].woken)
			return true;
	return false;
}

static long wait_multiple(struct futex_q *qs, unsigned n, int64_t deadline)
{
	bool timed_out = false;
	while (!any_woken(qs, n) && !signal_pending(current) && !timed_out)
		timed_out = schedule_deadline(deadline);
	int woken = unqueue_all(qs, n);
	if (woken >= 0)
		return woken;
	return timed_out ? -ETIMEDOUT : -ERESTARTSYS;
}

SYSCALL_DEFINE5(futex_waitv, uaddr_t, uwaiters, unsigned, nr, unsigned, flags, uaddr_t, uts, int,
		clock)
{
	if (flags || !nr || nr > FUTEX_WAITV_MAX || !uwaiters)
		return -EINVAL;
	int64_t deadline = 0;
	if (uts) {
		if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
			return -EINVAL;
		int err = futex_deadline(uts, true, clock, &deadline);
		if (err)
			return err;
	}
	struct futex_waitv ws[FUTEX_WAITV_MAX];
	struct futex_q qs[FUTEX_WAITV_MAX];
	if (copy_from_user(ws, uwaiters, nr * sizeof ws[0]))
		return -EFAULT;
	for (unsigned i = 0; i < nr; i++) {
		int err = check_waitv(&ws[i]);
		if (err)
			return err;
		qs[i] = (struct futex_q){
		    .key = get_futex_key(ws[i].uaddr, ws[i].flags & FUTEX2_PRIVATE),
		    .bitset = FUTEX_BITSET_MATCH_ANY,
		    .task = current};
	}
	long ret = queue_all(qs, ws, nr);
	return ret ? ret : wait_multiple(qs, nr, deadline);
}
