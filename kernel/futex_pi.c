/*
 * Priority-inheritance futexes, as glibc's PTHREAD_PRIO_INHERIT and robust
 * PI mutexes use them. The word holds the owner's thread id, FUTEX_WAITERS
 * once someone waits in the kernel, and FUTEX_OWNER_DIED after a robust
 * owner died holding it. The kernel keeps a state per contended futex: its
 * owner and its waiters in order of arrival. Unlocking hands the lock to
 * the first waiter, writing its id in the word; when an owner dies, the
 * first waiter gets the lock and writes the word itself, with
 * FUTEX_OWNER_DIED. umk schedules no
 * priorities (the host runs every thread), so the inheritance is only the
 * ownership protocol; that is what user space sees.
 */
#include "kernel.h"
#include "task.h"
#include "futex.h"
#include "uaccess.h"

struct futex_pi_state {
	struct list_head list; /* in pi_states */
	struct futex_key key;
	struct task *owner;
	struct list_head waiters; /* struct futex_q, first come first */
	int fixups;		  /* waiters handed the lock by a dead owner, word not yet fixed */
};

static LIST_HEAD(pi_states);

static struct futex_pi_state *find_pi_state(const struct futex_key *key)
{
	struct futex_pi_state *ps;
	list_for_each_entry(ps, &pi_states, list)
		if (futex_key_eq(&ps->key, key))
			return ps;
	return NULL;
}

static struct futex_pi_state *pi_state_alloc(const struct futex_key *key, struct task *owner)
{
	struct futex_pi_state *ps = kzalloc(sizeof *ps);
	if (!ps)
		return NULL;
	ps->key = *key;
	ps->owner = owner;
	list_init(&ps->waiters);
	list_add(&ps->list, &pi_states);
	return ps;
}

/* A state lives while someone waits on it or still has to fix its word. */
static void pi_state_put_if_idle(struct futex_pi_state *ps)
{
	if (!list_empty(&ps->waiters) || ps->fixups)
		return;
	list_del(&ps->list);
	kfree(ps);
}

/* Gives the lock to its first waiter, who is off the list then. */
static void pi_hand_over(struct futex_pi_state *ps, struct futex_q *w, bool owner_died)
{
	list_del(&w->list);
	ps->owner = w->task;
	w->pi_locked = true;
	if (owner_died) {
		w->pi_fixup = true;
		ps->fixups++;
	}
	task_wake(w->task);
}

static struct futex_q *first_waiter(struct futex_pi_state *ps)
{
	return list_empty(&ps->waiters) ? NULL
					: list_first_entry(&ps->waiters, struct futex_q, list);
}

/* Waiters exist: the word must name the state's owner (Linux's
 * attach_to_pi_state), unless a dead owner's heir is still fixing it. */
static int attach_to_pi_state(uint32_t uval, struct futex_pi_state *ps)
{
	if (ps->fixups)
		return 0;
	if (!ps->owner || (uval & FUTEX_TID_MASK) != (uint32_t)ps->owner->tid)
		return -EINVAL;
	return 0;
}

/* The first waiter: the owner named in the word must be a live thread. */
static int attach_to_pi_owner(uaddr_t uaddr, uint32_t uval, const struct futex_key *key,
			      struct futex_pi_state **ps)
{
	struct task *owner = find_task((int)(uval & FUTEX_TID_MASK));
	if (!owner || owner->state != TASK_RUNNING) {
		uint32_t now;
		if (get_user(now, uaddr))
			return -EFAULT;
		return now != uval ? -EAGAIN : -ESRCH;
	}
	*ps = pi_state_alloc(key, owner);
	return *ps ? 0 : -ENOMEM;
}

/*
 * Takes the lock for task if it is free (1), or sets FUTEX_WAITERS and
 * finds the state to wait on (0, *ps). set_waiters: a lock taken for a
 * requeued waiter keeps FUTEX_WAITERS and gets a state, for the waiters
 * requeued behind it.
 */
static int futex_lock_pi_atomic(uaddr_t uaddr, const struct futex_key *key, struct task *task,
				bool set_waiters, struct futex_pi_state **ps)
{
	for (;;) {
		uint32_t uval, cur, newval, tid = (uint32_t)task->tid;
		if (get_user(uval, uaddr))
			return -EFAULT;
		if ((uval & FUTEX_TID_MASK) == tid)
			return -EDEADLK;
		if ((*ps = find_pi_state(key)))
			return attach_to_pi_state(uval, *ps);
		bool is_free = !(uval & FUTEX_TID_MASK);
		if (is_free)
			newval =
			    (uval & FUTEX_OWNER_DIED) | tid | (set_waiters ? FUTEX_WAITERS : 0);
		else
			newval = uval | FUTEX_WAITERS;
		if (futex_cmpxchg(uaddr, uval, newval, &cur))
			return -EFAULT;
		if (cur != uval)
			continue;
		if (is_free) {
			if (set_waiters && !(*ps = pi_state_alloc(key, task)))
				return -ENOMEM;
			return 1;
		}
		int err = attach_to_pi_owner(uaddr, newval, key, ps);
		if (err != -EAGAIN)
			return err;
	}
}

/* Sleeps on a PI state until handed the lock, a signal or the deadline. */
static long pi_wait(struct futex_q *q, int64_t deadline)
{
	for (;;) {
		if (q->pi_locked)
			return 0;
		if (signal_pending(current))
			return -EINTR;
		if (schedule_deadline(deadline) && !q->pi_locked)
			return -ETIMEDOUT;
	}
}

/* The heir of a dead owner writes itself into the word, with
 * FUTEX_OWNER_DIED whether the owner was robust or not (Linux's
 * fixup_pi_state_owner). */
static int pi_fixup_owner(uaddr_t uaddr)
{
	uint32_t uval, cur;
	if (get_user(uval, uaddr))
		return -EFAULT;
	for (;;) {
		uint32_t newval = (uint32_t)current->tid | FUTEX_WAITERS | FUTEX_OWNER_DIED;
		if (futex_cmpxchg(uaddr, uval, newval, &cur))
			return -EFAULT;
		if (cur == uval)
			return 0;
		uval = cur;
	}
}

/* After pi_wait: the lock is ours (0) or the wait is over (ret). */
static long pi_wait_done(struct futex_q *q, uaddr_t uaddr, long ret)
{
	struct futex_pi_state *ps = q->pi;
	if (!q->pi_locked) {
		list_del(&q->list);
		pi_state_put_if_idle(ps);
		return ret;
	}
	if (!q->pi_fixup)
		return 0;
	ret = pi_fixup_owner(uaddr);
	ps->fixups--;
	pi_state_put_if_idle(ps);
	return ret;
}

long futex_lock_pi(uaddr_t uaddr, bool private, int64_t deadline, bool trylock)
{
	struct futex_q q = {.key = get_futex_key(uaddr, private), .task = current};
	long ret = futex_lock_pi_atomic(uaddr, &q.key, current, false, &q.pi);
	if (ret)
		return ret == 1 ? 0 : ret;
	if (trylock) {
		pi_state_put_if_idle(q.pi);
		return -EAGAIN;
	}
	list_add_tail(&q.list, &q.pi->waiters);
	ret = pi_wait_done(&q, uaddr, pi_wait(&q, deadline));
	/* The timeout is absolute: a handler interrupts nothing. */
	return ret == -EINTR ? -ERESTARTNOINTR : ret;
}

long futex_unlock_pi(uaddr_t uaddr, bool private)
{
	struct futex_key key = get_futex_key(uaddr, private);
	for (;;) {
		uint32_t uval, cur;
		if (get_user(uval, uaddr))
			return -EFAULT;
		if ((uval & FUTEX_TID_MASK) != (uint32_t)current->tid)
			return -EPERM;
		struct futex_pi_state *ps = find_pi_state(&key);
		struct futex_q *w = ps ? first_waiter(ps) : NULL;
		uint32_t newval = w ? FUTEX_WAITERS | (uint32_t)w->task->tid : 0;
		if (futex_cmpxchg(uaddr, uval, newval, &cur))
			return -EFAULT;
		if (cur != uval) {
			if (w)
				continue; /* a new waiter set FUTEX_WAITERS: again */
			return -EAGAIN;
		}
		if (w) {
			pi_hand_over(ps, w, false);
			pi_state_put_if_idle(ps);
		}
		return 0;
	}
}

void exit_pi_state_list(struct task *t)
{
	struct futex_pi_state *ps, *n;
	list_for_each_entry_safe(ps, n, &pi_states, list) {
		if (ps->owner != t)
			continue;
		struct futex_q *w = first_waiter(ps);
		ps->owner = NULL;
		if (w)
			pi_hand_over(ps, w, true);
		pi_state_put_if_idle(ps);
	}
}

/* ---- Requeue-PI: a condition variable whose waiters move to a PI mutex ---- */

long futex_wait_requeue_pi(uaddr_t uaddr, bool private, uint32_t val, int64_t deadline,
			   uaddr_t uaddr2)
{
	if (uaddr2 & 3)
		return -EINVAL;
	struct futex_q q = {.key = get_futex_key(uaddr, private),
			    .bitset = FUTEX_BITSET_MATCH_ANY,
			    .task = current,
			    .requeue_pi = true,
			    .pi_key = get_futex_key(uaddr2, private)};
	if (futex_key_eq(&q.key, &q.pi_key))
		return -EINVAL;
	long ret = futex_queue_if(&q, uaddr, val);
	if (ret)
		return ret;
	/* On the first futex until requeued (or handed the lock at once). */
	while (!q.pi && !q.pi_locked) {
		if (signal_pending(current))
			ret = -ERESTARTNOINTR;
		else if (schedule_deadline(deadline) && !q.pi && !q.pi_locked)
			ret = -ETIMEDOUT;
		if (ret && !q.pi && !q.pi_locked) {
			list_del(&q.list);
			return ret;
		}
		ret = 0;
	}
	if (q.pi_locked && !q.pi_fixup)
		return 0;
	ret = pi_wait_done(&q, uaddr2, pi_wait(&q, deadline));
	/* Requeued already: a restart would find the first word changed. */
	return ret == -EINTR ? -EAGAIN : ret;
}

/* Moves up to nr_requeue requeue-PI waiters of uaddr to the PI futex
 * uaddr2, after trying to take it for the first of them. */
static long requeue_pi_waiters(const struct futex_key *from, const struct futex_key *to,
			       struct futex_pi_state *ps, int count, int nr_requeue)
{
	struct futex_q *q, *n;
	list_for_each_entry_safe(q, n, &futex_queue, list) {
		if (count - 1 >= nr_requeue)
			break;
		if (!futex_key_eq(&q->key, from))
			continue;
		if (!q->requeue_pi || !futex_key_eq(&q->pi_key, to))
			return -EINVAL;
		list_del(&q->list);
		q->pi = ps;
		list_add_tail(&q->list, &ps->waiters);
		count++;
	}
	return count;
}

long futex_requeue_pi(uaddr_t uaddr, bool private, int nr_wake, int nr_requeue, uaddr_t uaddr2,
		      uint32_t val3)
{
	if (nr_wake != 1 || nr_requeue < 0 || (uaddr2 & 3))
		return -EINVAL;
	struct futex_key from = get_futex_key(uaddr, private), to = get_futex_key(uaddr2, private);
	if (futex_key_eq(&from, &to))
		return -EINVAL;
	uint32_t cur;
	if (get_user(cur, uaddr))
		return -EFAULT;
	if (cur != val3)
		return -EAGAIN;
	struct futex_q *top = NULL, *q;
	list_for_each_entry(q, &futex_queue, list)
		if (futex_key_eq(&q->key, &from)) {
			top = q;
			break;
		}
	if (!top)
		return 0;
	if (!top->requeue_pi || !futex_key_eq(&top->pi_key, &to))
		return -EINVAL;
	struct futex_pi_state *ps;
	int count = 0, got = futex_lock_pi_atomic(uaddr2, &to, top->task, true, &ps);
	if (got < 0)
		return got;
	if (got == 1) {
		list_del(&top->list);
		top->pi_locked = true;
		task_wake(top->task);
		count = 1;
	}
	long ret = requeue_pi_waiters(&from, &to, ps, count, nr_requeue);
	pi_state_put_if_idle(ps);
	return ret;
}
