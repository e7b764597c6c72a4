/* Robust futexes: glibc's robust mutexes, plain and PI, whose owner dies,
 * with and without a waiter, between threads and processes; the kernel's side
 * of a raw robust list (the pending entry, a thread that dies between
 * unlocking and waking); FUTEX_WAKE_OP's arithmetic on the second word. */
#include "t.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <sys/mman.h>

static pthread_mutex_t *mtx;
static volatile int owning;

static const char *err(int e)
{
	return e ? strerrorname_np(e) : "0";
}

/* Takes the mutex and dies holding it, a while later if asked (by then
 * the caller waits for it in the kernel). */
static void *lock_and_die(void *arg)
{
	pthread_mutex_lock(mtx);
	owning = 1;
	if (arg)
		usleep(50000);
	return NULL;
}

static void owner_dies(bool waiting)
{
	pthread_t th;
	owning = 0;
	pthread_create(&th, NULL, lock_and_die, waiting ? mtx : NULL);
	if (waiting)
		while (!owning)
			usleep(1000);
	else
		pthread_join(th, NULL);
	SAY("  lock: %s\n", err(pthread_mutex_lock(mtx)));
	if (waiting)
		pthread_join(th, NULL);
	SAY("  consistent: %s\n", err(pthread_mutex_consistent(mtx)));
	SAY("  unlock: %s\n", err(pthread_mutex_unlock(mtx)));
	SAY("  lock again: %s\n", err(pthread_mutex_lock(mtx)));
	SAY("  unlock: %s\n", err(pthread_mutex_unlock(mtx)));
}

/* A robust, process-shared mutex, with priority inheritance (on a PI
 * futex) or without. */
static void robust_cases(int protocol)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setprotocol(&a, protocol);
	pthread_mutex_init(mtx, &a);
	SAY(" thread dies holding it\n");
	owner_dies(false);
	SAY(" thread dies holding it while we wait\n");
	owner_dies(true);
	SAY(" process dies holding it\n");
	pid_t c = fork();
	if (c == 0) {
		pthread_mutex_lock(mtx);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	SAY("  lock: %s\n", err(pthread_mutex_lock(mtx)));
	SAY("  unlock without consistent: %s\n", err(pthread_mutex_unlock(mtx)));
	SAY("  lock: %s\n", err(pthread_mutex_lock(mtx)));
	pthread_mutex_destroy(mtx);
}

/* A raw robust list whose pending entry is a free futex: the dying thread
 * wakes a waiter for it. */
static atomic_uint word;
struct robust_head {
	void *next;
	long futex_offset;
	void *pending;
};

static void *die_pending(void *arg)
{
	(void)arg;
	static struct robust_head head;
	static void *entry;
	head.next = &head;
	head.futex_offset = (char *)&word - (char *)&entry;
	head.pending = &entry;
	syscall(SYS_set_robust_list, &head, sizeof head);
	usleep(50000);
	return NULL;
}

static long futex(atomic_uint *w, int op, unsigned val, long val2, atomic_uint *w2, unsigned val3)
{
	return syscall(SYS_futex, w, op, val, val2, w2, val3);
}

int main(void)
{
	mtx = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	SAY("without priority inheritance\n");
	robust_cases(PTHREAD_PRIO_NONE);
	SAY("with priority inheritance\n");
	robust_cases(PTHREAD_PRIO_INHERIT);

	SAY(" pending entry\n");
	atomic_store(&word, 0);
	pthread_t th;
	pthread_create(&th, NULL, die_pending, NULL);
	T(futex(&word, FUTEX_WAIT, 0, 0, NULL, 0));
	pthread_join(th, NULL);

	SAY(" wake_op\n");
	atomic_uint w1 = 0, w2 = 5;
	/* add -1 (a sign-extended 12-bit argument), wake if old < -1: no */
	T(futex(&w1, FUTEX_WAKE_OP, 1, 1, &w2,
		FUTEX_OP(FUTEX_OP_ADD, 0xfff, FUTEX_OP_CMP_LT, 0xfff)));
	SAY("  w2 %u\n", w2);
	T(futex(&w1, FUTEX_WAKE_OP, 1, 1, &w2,
		FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_GE, 0)));
	SAY("  w2 %u\n", w2);
	T(futex(&w1, FUTEX_WAKE_OP, 1, 1, &w2, FUTEX_OP(FUTEX_OP_ANDN, 16, FUTEX_OP_CMP_EQ, 20)));
	SAY("  w2 %u\n", w2);
	T(futex(&w1, FUTEX_WAKE_OP, 1, 1, &w2, FUTEX_OP(FUTEX_OP_XOR, 1, FUTEX_OP_CMP_NE, 4)));
	SAY("  w2 %u\n", w2);
	T(futex(&w1, FUTEX_WAKE_OP, 1, 1, &w2, FUTEX_OP(FUTEX_OP_SET, 9, 7, 0)));
	SAY("  w2 %u (changed before the comparison was refused)\n", w2);
	T(futex(&w1, FUTEX_WAKE_OP, 1, 1, &w2, (6 << 28)));
	SAY("  w2 %u\n", w2);
	T(futex(&w1, FUTEX_WAKE_OP, 1, 1, (void *)8, 0));
	T(futex(&w1, FUTEX_WAKE_OP, 1, 1, (atomic_uint *)((char *)&w2 + 1), 0));
	return 0;
}
