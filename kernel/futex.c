/*
 * Futexes. Waiters are keyed by (address space, address); the word itself
 * lives in guest memory and is read through the host. Everything runs under
 * the big kernel lock, so checking the word and queueing are atomic with
 * respect to wakers (which are also kernel code).
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

/* What a futex word is: its address in one address space (private), or its
 * offset in a shared object (a file's inode, shared anonymous memory). */
struct futex_key {
	const void *obj;
	uint64_t off;
};

struct futex_q {
	struct list_head list;
	struct futex_key key;
	uint32_t bitset;
	struct task *task;
	bool woken;
};

static LIST_HEAD(futex_queue);

static struct futex_key get_futex_key(uaddr_t uaddr, bool private)
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

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->obj == b->obj && a->off == b->off;
}

static int futex_wake_key(const struct futex_key *key, int n, uint32_t bitset)
{
	int woken = 0;
	struct futex_q *q, *next;
	list_for_each_entry_safe(q, next, &futex_queue, list)
	{
		if (woken >= n)
			break;
		if (!key_eq(&q->key, key) || !(q->bitset & bitset))
			continue;
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

static long futex_wait(uaddr_t uaddr, bool private, uint32_t val, int64_t deadline,
		       uint32_t bitset)
{
	uint32_t cur;
	if (!bitset)
		return -EINVAL;
	if (get_user(cur, uaddr))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	struct futex_q q = {.key = get_futex_key(uaddr, private), .bitset = bitset, .task = current};
	list_add_tail(&q.list, &futex_queue);
	long ret = 0;
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
	if (nr_wake < 0 || nr_requeue < 0)
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
	struct futex_q *q;
	list_for_each_entry(q, &futex_queue, list)
	{
		if (moved >= nr_requeue)
			break;
		if (key_eq(&q->key, &from)) {
			q->key = to;
			moved++;
		}
	}
	return done + moved;
}

static long futex_wake_op(uaddr_t uaddr, bool private, int nr_wake, int nr_wake2, uaddr_t uaddr2,
			  uint32_t op)
{
	unsigned oparg = (op >> 12) & 0xfff, cmparg = op & 0xfff;
	int opc = (op >> 28) & 7, cmp = (op >> 24) & 15;
	if ((op >> 31) & 1)
		oparg = 1U << (oparg & 31);
	uint32_t old, val;
	if (get_user(old, uaddr2))
		return -EFAULT;
	switch (opc) {
	case 0: val = oparg; break;
	case 1: val = old + oparg; break;
	case 2: val = old | oparg; break;
	case 3: val = old & ~oparg; break;
	case 4: val = old ^ oparg; break;
	default: return -ENOSYS;
	}
	if (put_user(val, uaddr2))
		return -EFAULT;
	struct futex_key k1 = get_futex_key(uaddr, private), k2 = get_futex_key(uaddr2, private);
	int woken = futex_wake_key(&k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	bool hit;
	switch (cmp) {
	case 0: hit = old == cmparg; break;
	case 1: hit = old != cmparg; break;
	case 2: hit = (int)old < (int)cmparg; break;
	case 3: hit = (int)old <= (int)cmparg; break;
	case 4: hit = (int)old > (int)cmparg; break;
	case 5: hit = (int)old >= (int)cmparg; break;
	default: return -ENOSYS;
	}
	if (hit)
		woken += futex_wake_key(&k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	return woken;
}

/* A relative timeout on CLOCK_MONOTONIC, or an absolute one (bitset ops) on
 * the given clock, as a host-monotonic deadline. */
static int futex_deadline(uaddr_t uts, bool absolute, bool realtime, int64_t *deadline)
{
	struct linux_timespec ts;
	*deadline = 0;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof ts))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	int64_t ns = timespec_to_ns(&ts);
	if (!absolute)
		*deadline = ktime_get_ns() + ns;
	else
		*deadline = realtime ? ns - clock_realtime_offset() : ns - clock_monotonic_offset();
	if (*deadline <= 0)
		*deadline = 1;
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
	if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		if ((err = futex_deadline(uts, false, false, &deadline)))
			return err;
		return futex_wait(uaddr, private, val, deadline, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		if ((err = futex_deadline(uts, true, realtime, &deadline)))
			return err;
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
	}
	pr_warn("%s[%d]: futex op %d not implemented\n", current->comm, current->tid, cmd);
	return -ENOSYS;
}

#define FUTEX_OWNER_DIED 0x40000000
#define FUTEX_WAITERS    0x80000000
#define FUTEX_TID_MASK   0x3fffffff

static void handle_futex_death(uaddr_t uaddr, int tid)
{
	uint32_t v;
	if (uaddr & 3 || get_user(v, uaddr) || (int)(v & FUTEX_TID_MASK) != tid)
		return;
	uint32_t nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (put_user(nv, uaddr))
		return;
	if (v & FUTEX_WAITERS)
		futex_wake_addr(uaddr, 1);
}

void exit_robust_list(struct task *t)
{
	struct {
		uint64_t next;
		int64_t offset;
		uint64_t pending;
	} head;
	if (!t->robust_list || !t->host || copy_from_user(&head, t->robust_list, sizeof head))
		return;
	uint64_t entry = head.next;
	for (int limit = 2048; entry != t->robust_list && limit; limit--) {
		uint64_t next;
		if (get_user(next, entry))
			return;
		if (entry != head.pending)
			handle_futex_death(entry + (uint64_t)head.offset, t->tid);
		entry = next & ~1ULL;
	}
	if (head.pending)
		handle_futex_death(head.pending + (uint64_t)head.offset, t->tid);
}

SYSCALL_DEFINE2(set_robust_list, uaddr_t, head, size_t, len)
{
	if (len != 24)
		return -EINVAL;
	current->robust_list = head;
	current->robust_len = len;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, uaddr_t, uhead, uaddr_t, ulen)
{
	struct task *t = pid ? find_task(pid) : current;
	if (!t)
		return -ESRCH;
	size_t len = 24;
	if (put_user(len, ulen) || put_user(t->robust_list, uhead))
		return -EFAULT;
	return 0;
}
