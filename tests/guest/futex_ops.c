/* The classic futex operations: WAIT's value check and timeouts (relative,
 * and absolute on either clock with WAIT_BITSET), WAKE counts, bitsets,
 * CMP_REQUEUE and WAKE_OP, and their bad arguments. */
#include "t.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>

static uint32_t word, word2;
static int woken;

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *ts_or_val2, uint32_t *uaddr2,
		  uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts_or_val2, uaddr2, val3);
}

struct waiter {
	uint32_t *addr;
	uint32_t bits;
};

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;
	long r = futex(w->addr, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, w->bits);
	if (r == 0)
		__atomic_add_fetch(&woken, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Starts n waiters on addr and gives them time to sleep. */
static void start(pthread_t *t, struct waiter *w, int n, uint32_t *addr, uint32_t bits)
{
	for (int i = 0; i < n; i++) {
		w[i] = (struct waiter){addr, bits};
		pthread_create(&t[i], NULL, waiter_fn, &w[i]);
	}
	usleep(300000);
}

static void settle(void)
{
	usleep(150000);
}

int main(void)
{
	struct timespec rel = {0, 20000000}, bad = {0, 2000000000};
	T(futex(&word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0)); /* value differs */
	T(futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0));
	T(futex(&word, FUTEX_WAIT_PRIVATE, 0, &bad, NULL, 0));
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 20000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	T(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &now, NULL, FUTEX_BITSET_MATCH_ANY));
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_nsec += 20000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	T(futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &now, NULL,
		FUTEX_BITSET_MATCH_ANY));
	T(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &rel, NULL, 0)); /* empty bitset */
	T(futex(&word, FUTEX_WAIT_PRIVATE, 0, BADPTR, NULL, 0));
	T(futex(BADPTR, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	T(futex((uint32_t *)((char *)&word + 1), FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	T(futex(&word, 99, 0, NULL, NULL, 0));
	T(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0)); /* nobody */

	pthread_t t[4];
	struct waiter w[4];
	/* WAKE wakes at most its count. */
	start(t, w, 3, &word, FUTEX_BITSET_MATCH_ANY);
	T(futex(&word, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0));
	T(futex(&word, FUTEX_WAKE_PRIVATE, 5, NULL, NULL, 0));
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);

	/* Bitsets: a wake reaches only the waiters whose bits it shares. */
	start(t, w, 2, &word, 1);
	start(t + 2, w + 2, 2, &word, 2);
	T(futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 2));
	T(futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 0));
	T(futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 1));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);

	/* CMP_REQUEUE: wake one, move the rest to word2 (if word is still 0). */
	start(t, w, 3, &word, FUTEX_BITSET_MATCH_ANY);
	T(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)10, &word2, 7)); /* not 7 */
	T(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)10, &word2, 0));
	T(futex(&word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0)); /* moved away */
	T(futex(&word2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	T(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)-1, &word2, 0));

	/* WAKE_OP: word2 += 1; wake on word; wake on word2 if its old value
	 * was 0. */
	start(t, w, 1, &word, FUTEX_BITSET_MATCH_ANY);
	start(t + 1, w + 1, 1, &word2, FUTEX_BITSET_MATCH_ANY);
	word2 = 0;
	T(futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &word2,
		FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)));
	SAY("word2 now %u\n", word2);
	settle();
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	SAY("woken in all %d\n", woken);
	return 0;
}
