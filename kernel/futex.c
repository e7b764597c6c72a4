/*
 * Futexes. Waiters are keyed by (address space, address); the word itself
 * lives in guest memory and is read through the host, and changed with an
 * atomic compare-and-exchange made by the caller's stub thread where the
 * guest may change it at the same time. Everything runs under the big
 * kernel lock, so checking the word and queueing are atomic with respect
 * to wakers (which are also kernel code).
 */
#include "kernel.h"
#include "task.h"
#include "futex.h"
#include "syscall.h"
#include "uaccess.h"
#include "mm.h"
#include "fs.h"
#include "uapi/misc.h"
#include "ktime.h"
#include "uapi/time.h"

LIST_HEAD(futex_queue);

struct futex_key get_futex_key(uaddr_t uaddr, bool private)
{
	struct mm *mm = current->mm;
	if (!private) {
		struct vma *v = find_vma(mm, uaddr);
		if (v && v->start <= uaddr && (v->vm_flags & VM_SHARED)) {
			uint64_t off = (uint64_t)v->pgoff + (uaddr - v->start);
			if (v->file)
				return (struct futex_key){v->file->inode, off};
			if (v->shared)
				return (struct futex_key){v->shared, off};
		}
	}
	return (struct futex_key){mm, uaddr};
}

bool futex_key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->obj == b->obj && a->off == b->off;
}

int futex_cmpxchg(uaddr_t uaddr, uint32_t old, uint32_t new, uint32_t *cur)
{
	struct vma *v = find_vma(current->mm, uaddr);
	if (!v || v->start > uaddr || !(v->prot & PROT_WRITE) || (v->vm_flags & VM_SPECIAL))
		return -EFAULT;
	long r = host_mem_cmpxchg32(current->host, uaddr, old, new);
	if (r < 0)
		return -EFAULT;
	*cur = (uint32_t)r;
	return 0;
}

/* Requeue-PI waiters are woken only by FUTEX_CMP_REQUEUE_PI: meeting one
 * here is -EINVAL, as in Linux. */
static int futex_wake_key(const struct futex_key *key, int n, uint32_t bitset)
{
	int woken = 0;
	struct futex_q *q, *next;
	list_for_each_entry_safe(q, next, &futex_queue, list) {
		if (woken >= n)
			break;
		if (!futex_key_eq(&q->key, key) || !(q->bitset & bitset))
			continue;
		if (q->requeue_pi)
			return -EINVAL;
		list_del(&q->list);
		q->woken = true;
		task_wake(q->task);
		woken++;
	}
	return woken;
}

int futex_wake_addr(uaddr_t uaddr, int n)
{
	struct futex_key key = get_futex_key(uaddr, false);
	return futex_wake_key(&key, n, FUTEX_BITSET_MATCH_ANY);
}

int futex_queue_if(struct futex_q *q, uaddr_t uaddr, uint32_t val)
{
	uint32_t cur;
	if (get_user(cur, uaddr))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	list_add_tail(&q->list, &futex_queue);
	return 0;
}

static long futex_wait(uaddr_t uaddr, bool private, uint32_t val, int64_t deadline, uint32_t bitset)
{
	if (!bitset)
		return -EINVAL;
	struct futex_q q = {
	    .key = get_futex_key(uaddr, private), .bitset = bitset, .task = current};
	long ret = futex_queue_if(&q, uaddr, val);
	if (ret)
		return ret;
	for (;;) {
		if (q.woken)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (schedule_deadline(deadline) && !q.woken) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	if (!q.woken)
		list_del(&q.list);
	return ret;
}

static long futex_requeue(uaddr_t uaddr, bool private, int nr_wake, int nr_requeue, uaddr_t uaddr2,
			  bool cmp, uint32_t val3)
{
	if (nr_wake < 0 || nr_requeue < 0 || (uaddr2 & 3))
		return -EINVAL;
	if (cmp) {
		uint32_t cur;
		if (get_user(cur, uaddr))
			return -EFAULT;
		if (cur != val3)
			return -EAGAIN;
	}
	struct futex_key from = get_futex_key(uaddr, private), to = get_futex_key(uaddr2, private);
	int done = futex_wake_key(&from, nr_wake, FUTEX_BITSET_MATCH_ANY), moved = 0;
	if (done < 0)
		return done;
	struct futex_q *q;
	list_for_each_entry(q, &futex_queue, list) {
		if (moved >= nr_requeue)
			break;
		if (!futex_key_eq(&q->key, &from))
			continue;
		if (q->requeue_pi)
			return -EINVAL;
		q->key = to;
		moved++;
	}
	return done + moved;
}

/* A 12-bit field of a FUTEX_WAKE_OP op, sign-extended as in Linux. */
static uint32_t wake_op_arg(uint32_t op, int shift)
{
	return (uint32_t)((int32_t)(op << (20 - shift)) >> 20);
}

static int wake_op_value(uint32_t op, uint32_t old, uint32_t *val)
{
	uint32_t oparg = wake_op_arg(op, 12), kind = (op >> 28) & 7;
	if ((op >> 31) & 1)
		oparg = 1U << (oparg & 31);
	const uint32_t value[] = {oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg};
	if (kind >= ARRAY_SIZE(value))
		return -ENOSYS;
	*val = value[kind];
	return 0;
}

static int wake_op_cmp(uint32_t op, uint32_t old, bool *hit)
{
	int32_t a = (int32_t)old, b = (int32_t)wake_op_arg(op, 0);
	uint32_t kind = (op >> 24) & 15;
	const bool result[] = {a == b, a != b, a<b, a <= b, a> b, a >= b};
	if (kind >= ARRAY_SIZE(result))
		return -ENOSYS;
	*hit = result[kind];
	return 0;
}

/* The operation on the second word is atomic, as Linux's: other threads
 * may be changing it in user space. An unknown comparison is found only
 * after the word has changed, also as in Linux. */
static long futex_wake_op(uaddr_t uaddr, bool private, int nr_wake, int nr_wake2, uaddr_t uaddr2,
			  uint32_t op)
{
	uint32_t old, val, cur;
	bool hit;
	int err;
	if (uaddr2 & 3)
		return -EINVAL;
	if (get_user(old, uaddr2))
		return -EFAULT;
	for (;;) {
		if ((err = wake_op_value(op, old, &val)) ||
		    (err = futex_cmpxchg(uaddr2, old, val, &cur)))
			return err;
		if (cur == old)
			break;
		old = cur;
	}
	if ((err = wake_op_cmp(op, old, &hit)))
		return err;
	struct futex_key k1 = get_futex_key(uaddr, private), k2 = get_futex_key(uaddr2, private);
	int woken = futex_wake_key(&k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (woken >= 0 && hit) {
		int more = futex_wake_key(&k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
		woken = more < 0 ? more : woken + more;
	}
	return woken;
}

int futex_deadline(uaddr_t uts, bool absolute, int clock, int64_t *deadline)
{
	struct linux_timespec ts;
	*deadline = 0;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof ts))
		return -EFAULT;
	if (!timespec_valid(&ts))
		return -EINVAL;
	int64_t ns = timespec_to_ns(&ts);
	*deadline = absolute ? clock_to_host_ns(clock, ns) : ktime_get_ns() + ns;
	if (*deadline <= 0)
		*deadline = 1;
	return 0;
}

/* The operations that take a timeout, and how they read it. */
static int futex_timeout(int cmd, bool realtime, uaddr_t uts, int64_t *deadline)
{
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_deadline(uts, false, CLOCK_MONOTONIC, deadline);
	case FUTEX_LOCK_PI:
		realtime = true;
		/* fallthrough */
	case FUTEX_LOCK_PI2:
	case FUTEX_WAIT_BITSET:
	case FUTEX_WAIT_REQUEUE_PI:
		return futex_deadline(uts, true, realtime ? CLOCK_REALTIME : CLOCK_MONOTONIC,
				      deadline);
	}
	*deadline = 0;
	return 0;
}

SYSCALL_DEFINE6(futex, uaddr_t, uaddr, int, op, uint32_t, val, uaddr_t, uts, uaddr_t, uaddr2,
		uint32_t, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME, private = op & FUTEX_PRIVATE_FLAG;
	struct futex_key key;
	int64_t deadline;
	int err;
	if (uaddr & 3)
		return -EINVAL;
	if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT && cmd != FUTEX_LOCK_PI2 &&
	    cmd != FUTEX_WAIT_REQUEUE_PI)
		return -ENOSYS;
	if ((err = futex_timeout(cmd, realtime, uts, &deadline)))
		return err;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, private, val, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, private, val, deadline, val3);
	case FUTEX_WAKE:
		key = get_futex_key(uaddr, private);
		return futex_wake_key(&key, (int)val, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		if (!val3)
			return -EINVAL;
		key = get_futex_key(uaddr, private);
		return futex_wake_key(&key, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, private, (int)val, (int)uts, uaddr2, false, 0);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, private, (int)val, (int)uts, uaddr2, true, val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, private, (int)val, (int)uts, uaddr2, val3);
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2:
		return futex_lock_pi(uaddr, private, deadline, false);
	case FUTEX_TRYLOCK_PI:
		return futex_lock_pi(uaddr, private, 0, true);
	case FUTEX_UNLOCK_PI:
		return futex_unlock_pi(uaddr, private);
	case FUTEX_WAIT_REQUEUE_PI:
		return futex_wait_requeue_pi(uaddr, private, val, deadline, uaddr2);
	case FUTEX_CMP_REQUEUE_PI:
		return futex_requeue_pi(uaddr, private, (int)val, (int)uts, uaddr2, val3);
	}
	pr_warn("%s[%d]: futex op %d not implemented\n", current->comm, current->tid, cmd);
	return -ENOSYS;
}

void futex_exit_release(struct task *t)
{
	exit_robust_list(t);
	exit_pi_state_list(t);
}
