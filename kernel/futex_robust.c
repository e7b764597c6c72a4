/*
 * Robust futexes: a thread registers a list of the locks it holds; when it
 * dies (or execs) holding one, the lock's word gets FUTEX_OWNER_DIED and a
 * waiter is woken, who then owns a lock in need of repair (EOWNERDEAD).
 * The low bit of each list pointer says the lock is a PI futex, whose
 * waiters get the lock itself (futex_pi.c).
 */
#include "kernel.h"
#include "task.h"
#include "futex.h"
#include "syscall.h"
#include "uaccess.h"

#define ROBUST_LIST_LIMIT 2048

struct robust_list_head {
	uint64_t next;
	int64_t futex_offset;
	uint64_t list_op_pending;
};

/* Returns nonzero if the word cannot be read or written: the walk stops. */
static int handle_futex_death(uaddr_t uaddr, struct task *t, bool pi, bool pending_op)
{
	uint32_t uval, cur;
	if (uaddr & 3)
		return -1;
	for (;;) {
		if (get_user(uval, uaddr))
			return -1;
		uint32_t owner = uval & FUTEX_TID_MASK;
		/* A thread that died between unlocking and waking: wake for it. */
		if (pending_op && !pi && !owner) {
			futex_wake_addr(uaddr, 1);
			return 0;
		}
		if (owner != (uint32_t)t->tid)
			return 0;
		uint32_t mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		if (futex_cmpxchg(uaddr, uval, mval, &cur))
			return -1;
		if (cur == uval)
			break;
	}
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake_addr(uaddr, 1);
	return 0;
}

/* An entry pointer of the list, and its PI bit. */
static void decode_robust_entry(uint64_t v, uint64_t *entry, bool *pi)
{
	*entry = v & ~1ULL;
	*pi = v & 1;
}

static int fetch_robust_entry(uint64_t *entry, uaddr_t at, bool *pi)
{
	uint64_t v;
	if (get_user(v, at))
		return -EFAULT;
	decode_robust_entry(v, entry, pi);
	return 0;
}

void exit_robust_list(struct task *t)
{
	struct robust_list_head head;
	uint64_t entry, pending, next;
	bool pi, pending_pi, next_pi;
	uaddr_t uhead = t->robust_list;
	if (!uhead || !t->host || copy_from_user(&head, uhead, sizeof head))
		return;
	decode_robust_entry(head.next, &entry, &pi);
	decode_robust_entry(head.list_op_pending, &pending, &pending_pi);
	for (int limit = ROBUST_LIST_LIMIT; entry != uhead && limit; limit--) {
		int rc = fetch_robust_entry(&next, entry, &next_pi);
		if (entry != pending &&
		    handle_futex_death(entry + (uint64_t)head.futex_offset, t, pi, false))
			return;
		if (rc)
			return;
		entry = next;
		pi = next_pi;
	}
	if (pending)
		handle_futex_death(pending + (uint64_t)head.futex_offset, t, pending_pi, true);
}

SYSCALL_DEFINE2(set_robust_list, uaddr_t, head, size_t, len)
{
	if (len != sizeof(struct robust_list_head))
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
	size_t len = sizeof(struct robust_list_head);
	if (put_user(len, ulen) || put_user(t->robust_list, uhead))
		return -EFAULT;
	return 0;
}
