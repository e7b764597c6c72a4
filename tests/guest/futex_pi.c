/* PI futexes through the raw system call: LOCK_PI, LOCK_PI2, TRYLOCK_PI,
 * UNLOCK_PI on a word holding the owner's thread id and FUTEX_WAITERS;
 * hand-over to the waiter, timeouts, errors, owners that die (with and
 * without a robust list). Words are printed with thread ids as names. */
#include "t.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>

static atomic_uint word;
static _Atomic pid_t tids[3]; /* main, A, B */
static atomic_int stage;

static long futex(int op, const struct timespec *ts)
{
	return syscall(SYS_futex, &word, op, 0, ts, NULL, 0);
}

static void show(const char *when)
{
	static const char *const names[] = {"main", "A", "B"};
	unsigned v = atomic_load(&word), tid = v & FUTEX_TID_MASK;
	const char *who = tid ? "other" : "0";
	for (int i = 0; i < 3; i++)
		if (tid && tid == (unsigned)tids[i])
			who = names[i];
	SAY("  %s: owner %s%s%s\n", when, who, v & FUTEX_WAITERS ? " +waiters" : "",
	    v & FUTEX_OWNER_DIED ? " +owner-died" : "");
}

static void wait_stage(int n)
{
	while (atomic_load(&stage) < n)
		usleep(1000);
}

/* B: waits for the lock, shows what it got, gives it back. */
static void *waiter(void *arg)
{
	(void)arg;
	tids[2] = gettid();
	SAY("  B: lock -> %ld\n", futex(FUTEX_LOCK_PI, NULL));
	show("B has it");
	SAY("  B: unlock -> %ld\n", futex(FUTEX_UNLOCK_PI, NULL));
	return NULL;
}

static pthread_t start_waiter(void)
{
	pthread_t th;
	tids[2] = 0;
	pthread_create(&th, NULL, waiter, NULL);
	while (!tids[2])
		usleep(1000);
	wait_sleeping(tids[2]);
	return th;
}

/* A: times out and fails while main holds the lock. */
static void *contender(void *arg)
{
	(void)arg;
	tids[1] = gettid();
	T(futex(FUTEX_TRYLOCK_PI, NULL));
	show("after A's trylock");
	struct timespec rt = time_in_ms(CLOCK_REALTIME, 30), mono = time_in_ms(CLOCK_MONOTONIC, 30);
	T(futex(FUTEX_LOCK_PI, &rt));
	T(futex(FUTEX_LOCK_PI2, &mono));
	rt = time_in_ms(CLOCK_REALTIME, 30);
	T(futex(FUTEX_LOCK_PI2 | FUTEX_CLOCK_REALTIME, &rt));
	struct timespec bad = {0, 1000000000};
	T(futex(FUTEX_LOCK_PI2, &bad));
	T(syscall(SYS_futex, &word, FUTEX_LOCK_PI2, 0, (void *)8, NULL, 0));
	T(futex(FUTEX_UNLOCK_PI, NULL));
	T(futex(FUTEX_UNLOCK_PI | FUTEX_CLOCK_REALTIME, NULL));
	T(futex(FUTEX_TRYLOCK_PI | FUTEX_CLOCK_REALTIME, NULL));
	return NULL;
}

struct robust_entry {
	void *next;
	atomic_uint *futex;
};
struct robust_head {
	void *next;
	long futex_offset;
	void *pending;
};

/* A: takes the lock (in the kernel or in user space), maybe on a robust
 * list, and dies holding it once told to. */
static void *dying_owner(void *arg)
{
	long how = (long)arg;
	static struct robust_head head;
	static struct robust_entry entry;
	tids[1] = gettid();
	if (how & 2) {
		entry.next = &head;
		head.next = (void *)((unsigned long)&entry | 1); /* a PI futex */
		head.futex_offset = (char *)&word - (char *)&entry;
		head.pending = NULL;
		syscall(SYS_set_robust_list, &head, sizeof head);
	}
	if (how & 1)
		futex(FUTEX_LOCK_PI, NULL);
	else
		atomic_store(&word, (unsigned)tids[1]);
	atomic_store(&stage, 1);
	wait_stage(2);
	return NULL;
}

static void owner_dies(const char *what, long how, bool with_waiter)
{
	SAY(" %s\n", what);
	atomic_store(&word, 0);
	atomic_store(&stage, 0);
	pthread_t a, b;
	pthread_create(&a, NULL, dying_owner, (void *)how);
	wait_stage(1);
	if (with_waiter)
		b = start_waiter();
	atomic_store(&stage, 2);
	pthread_join(a, NULL);
	if (with_waiter)
		pthread_join(b, NULL);
	show("in the end");
}

int main(void)
{
	tids[0] = gettid();
	/* Uncontended, in the kernel. */
	T(futex(FUTEX_LOCK_PI, NULL));
	show("locked");
	T(futex(FUTEX_LOCK_PI, NULL));
	T(futex(FUTEX_TRYLOCK_PI, NULL));
	T(futex(FUTEX_UNLOCK_PI, NULL));
	show("unlocked");
	T(futex(FUTEX_UNLOCK_PI, NULL));
	T(futex(FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG, NULL));
	show("trylocked");
	T(futex(FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, NULL));

	/* Contended: the waiter sets FUTEX_WAITERS, unlock hands it over. */
	atomic_store(&word, (unsigned)tids[0]);
	pthread_t th = start_waiter();
	show("B waits");
	/* B prints as soon as it has the lock: say our result after B ends. */
	long handed = futex(FUTEX_UNLOCK_PI, NULL);
	pthread_join(th, NULL);
	SAY("  A: unlock to B -> %ld\n", handed);
	show("after B");

	/* Another's lock: trylock sets FUTEX_WAITERS and fails; timeouts; errors. */
	T(futex(FUTEX_LOCK_PI, NULL));
	pthread_create(&th, NULL, contender, NULL);
	pthread_join(th, NULL);
	show("after A");
	T(futex(FUTEX_UNLOCK_PI, NULL));
	show("unlocked");
	T(syscall(SYS_futex, (char *)&word + 1, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	T(syscall(SYS_futex, (void *)8, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
	T(syscall(SYS_futex, (void *)8, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
	atomic_store(&word, 0x3ffffffe); /* no such thread */
	T(futex(FUTEX_LOCK_PI, NULL));
	show("no such owner");

	/* Owners that die holding the lock. */
	owner_dies("dies, a waiter", 1, true);
	owner_dies("dies on a robust list, a waiter", 3, true);
	owner_dies("dies on a robust list, taken in user space, a waiter", 2, true);
	owner_dies("dies on a robust list, nobody waits", 2, false);
	T(futex(FUTEX_LOCK_PI, NULL));
	show("taken after the dead owner");
	T(futex(FUTEX_UNLOCK_PI, NULL));
	show("unlocked");
	return 0;
}
