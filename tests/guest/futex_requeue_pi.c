/* Requeue-PI: waiters on a condition word (FUTEX_WAIT_REQUEUE_PI) moved to
 * a PI futex by FUTEX_CMP_REQUEUE_PI, which takes the lock for the first
 * of them if it is free; the others get it as it is unlocked, in order.
 * Also the errors and the wake-ups that are refused. */
#include "t.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>

static atomic_uint cond, mutex, other;
static _Atomic pid_t tids[3]; /* main, W1, W2 */

static long futex(atomic_uint *w, int op, unsigned val, long val2, atomic_uint *w2, unsigned val3)
{
	return syscall(SYS_futex, w, op, val, val2, w2, val3);
}

static const char *owner(void)
{
	static const char *const names[] = {"main", "W1", "W2"};
	unsigned tid = atomic_load(&mutex) & FUTEX_TID_MASK;
	for (int i = 0; i < 3; i++)
		if (tid && tid == (unsigned)tids[i])
			return names[i];
	return tid ? "other" : "0";
}

/* What each waiter saw, printed by main once all is done. */
static char seen[3][80];
static atomic_int order;

static void *waiter(void *arg)
{
	int i = (int)(long)arg;
	tids[i] = gettid();
	long r = futex(&cond, FUTEX_WAIT_REQUEUE_PI, 0, 0, &mutex, 0);
	int n = atomic_fetch_add(&order, 1) + 1;
	snprintf(seen[i], sizeof seen[i], "woken %ld as number %d, mutex owner %s%s, unlock ", r, n,
		 owner(), atomic_load(&mutex) & FUTEX_WAITERS ? " +waiters" : "");
	long u = futex(&mutex, FUTEX_UNLOCK_PI, 0, 0, NULL, 0);
	snprintf(seen[i] + strlen(seen[i]), sizeof seen[i] - strlen(seen[i]), "%ld", u);
	return NULL;
}

static void start(pthread_t *th, int i)
{
	tids[i] = 0;
	pthread_create(th, NULL, waiter, (void *)(long)i);
	while (!tids[i])
		usleep(1000);
	wait_sleeping(tids[i]);
}

static void round_trip(bool held)
{
	pthread_t w1, w2;
	atomic_store(&order, 0);
	atomic_store(&cond, 0);
	atomic_store(&mutex, held ? (unsigned)tids[0] : 0);
	start(&w1, 1);
	start(&w2, 2);
	T(futex(&cond, FUTEX_WAKE, 1, 0, NULL, 0));
	T(futex(&cond, FUTEX_CMP_REQUEUE, 1, 1, &other, 0));
	T(futex(&cond, FUTEX_CMP_REQUEUE_PI, 1, 0, &other, 0));
	T(futex(&cond, FUTEX_CMP_REQUEUE_PI, 1, 5, &mutex, 1));
	T(futex(&cond, FUTEX_CMP_REQUEUE_PI, 1, 5, &mutex, 0));
	if (held) {
		usleep(20000);
		SAY("  mutex owner %s%s\n", owner(),
		    atomic_load(&mutex) & FUTEX_WAITERS ? " +waiters" : "");
		SAY("  unlock: %ld\n", futex(&mutex, FUTEX_UNLOCK_PI, 0, 0, NULL, 0));
	}
	pthread_join(w1, NULL);
	pthread_join(w2, NULL);
	SAY("  W1: %s\n  W2: %s\n", seen[1], seen[2]);
	SAY("  in the end: owner %s\n", owner());
}

int main(void)
{
	tids[0] = gettid();
	SAY(" mutex free: the first waiter gets it at once\n");
	round_trip(false);
	SAY(" mutex held: both wait on it\n");
	round_trip(true);

	SAY(" errors\n");
	struct timespec ts = time_in_ms(CLOCK_MONOTONIC, 20);
	T(futex(&cond, FUTEX_WAIT_REQUEUE_PI, 0, (long)&ts, &mutex, 0));
	T(futex(&cond, FUTEX_WAIT_REQUEUE_PI, 1, 0, &mutex, 0));
	T(futex(&cond, FUTEX_WAIT_REQUEUE_PI, 0, 0, &cond, 0));
	T(futex(&cond, FUTEX_WAIT_REQUEUE_PI | FUTEX_CLOCK_REALTIME, 1, 0, &mutex, 0));
	T(futex(&cond, FUTEX_CMP_REQUEUE_PI, 2, 1, &mutex, 0));
	T(futex(&cond, FUTEX_CMP_REQUEUE_PI, 1, -1, &mutex, 0));
	T(futex(&cond, FUTEX_CMP_REQUEUE_PI, 1, 1, &cond, 0));
	T(futex(&cond, FUTEX_CMP_REQUEUE_PI, 1, 1, &mutex, 7));
	T(futex(&cond, FUTEX_CMP_REQUEUE_PI, 1, 1, &mutex, 0));
	return 0;
}
