/*
 * Futexes: the wait queue (futex.c), priority-inheritance futexes
 * (futex_pi.c), robust lists (futex_robust.c) and futex_waitv
 * (futex_waitv.c). Everything runs under the big kernel lock.
 */
#ifndef FUTEX_H
#define FUTEX_H
#include "kernel.h"
#include "list.h"

struct task;

/* Wakes up to n waiters on a futex of current's address space. */
int futex_wake_addr(uaddr_t uaddr, int n);
/* A thread exits or execs: its robust futexes are marked, its PI futexes
 * go to their next waiters. */
void futex_exit_release(struct task *t);

/* ---- Inside the futex code ---- */

#define FUTEX_WAITERS	 0x80000000U
#define FUTEX_OWNER_DIED 0x40000000U
#define FUTEX_TID_MASK	 0x3fffffffU

/* What a futex word is: its address in one address space (private), or its
 * offset in a shared object (a file's inode, shared anonymous memory). */
struct futex_key {
	const void *obj;
	uint64_t off;
};

struct futex_pi_state;

/* A waiting task: on a futex (in the queue of futex.c), or on a PI futex
 * (in its state's list of waiters). */
struct futex_q {
	struct list_head list;
	struct futex_key key;
	uint32_t bitset;
	struct task *task;
	bool woken;
	/* FUTEX_WAIT_REQUEUE_PI: the PI futex it may be moved to (pi_key),
	 * and once it is, its state there. */
	bool requeue_pi;
	struct futex_key pi_key;
	struct futex_pi_state *pi;
	bool pi_locked; /* the PI futex was handed to it */
	bool pi_fixup;	/* ... by a dying owner: the word still names that one */
};

extern struct list_head futex_queue;

struct futex_key get_futex_key(uaddr_t uaddr, bool private);
bool futex_key_eq(const struct futex_key *a, const struct futex_key *b);
/* An atomic compare-and-exchange on a word of current's: 0 with the old
 * value in *cur, or -EFAULT (also for a word that is not writable). */
int futex_cmpxchg(uaddr_t uaddr, uint32_t old, uint32_t new, uint32_t *cur);
/* A timeout as a host-monotonic deadline (0: none): relative (on the
 * monotonic clock), or absolute on CLOCK_REALTIME or CLOCK_MONOTONIC. */
int futex_deadline(uaddr_t uts, bool absolute, int clock, int64_t *deadline);
/* Queues q (key, bitset, task set) if the word still holds val. */
int futex_queue_if(struct futex_q *q, uaddr_t uaddr, uint32_t val);

long futex_lock_pi(uaddr_t uaddr, bool private, int64_t deadline, bool trylock);
long futex_unlock_pi(uaddr_t uaddr, bool private);
long futex_wait_requeue_pi(uaddr_t uaddr, bool private, uint32_t val, int64_t deadline,
			   uaddr_t uaddr2);
long futex_requeue_pi(uaddr_t uaddr, bool private, int nr_wake, int nr_requeue, uaddr_t uaddr2,
		      uint32_t val3);
void exit_robust_list(struct task *t);
void exit_pi_state_list(struct task *t);

#endif
