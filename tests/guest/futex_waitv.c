/* futex_waitv: one wait on several futexes, woken by any of them (the
 * result is its index), across threads and processes (shared and private
 * words); values that changed, timeouts on both clocks, bad arguments. */
#include "t.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>

static atomic_uint words[4];

static long waitv(struct futex_waitv *w, unsigned n, unsigned flags, struct timespec *ts,
		  clockid_t clock)
{
	return syscall(SYS_futex_waitv, w, n, flags, ts, clock);
}

static void set(struct futex_waitv *w, int n, atomic_uint *base, unsigned flags)
{
	for (int i = 0; i < n; i++)
		w[i] = (struct futex_waitv){
		    .val = 0, .uaddr = (unsigned long)&base[i], .flags = flags};
}

static void *wake_two(void *arg)
{
	(void)arg;
	/* Retry until the waiter sleeps: FUTEX_WAKE says how many it woke. */
	while (syscall(SYS_futex, &words[2], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0)
		usleep(1000);
	return NULL;
}

int main(void)
{
	struct futex_waitv w[129];
	set(w, 4, words, FUTEX_32 | FUTEX_PRIVATE_FLAG);
	pthread_t th;
	pthread_create(&th, NULL, wake_two, NULL);
	T(waitv(w, 4, 0, NULL, 0));
	pthread_join(th, NULL);

	/* Between processes, on a shared page (not private). */
	atomic_uint *shared =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	set(w, 3, shared, FUTEX_32);
	pid_t c = fork();
	if (c == 0) {
		while (syscall(SYS_futex, &shared[1], FUTEX_WAKE, 1, NULL, NULL, 0) == 0)
			usleep(1000);
		_exit(0);
	}
	T(waitv(w, 3, 0, NULL, 0));
	waitpid(c, NULL, 0);

	/* A word that no longer holds its value; timeouts. */
	set(w, 4, words, FUTEX_32 | FUTEX_PRIVATE_FLAG);
	w[3].val = 5;
	T(waitv(w, 4, 0, NULL, 0));
	struct timespec ts = time_in_ms(CLOCK_MONOTONIC, 20);
	T(waitv(w, 3, 0, &ts, CLOCK_MONOTONIC));
	ts = time_in_ms(CLOCK_REALTIME, 20);
	T(waitv(w, 3, 0, &ts, CLOCK_REALTIME));

	/* Bad arguments. */
	T(waitv(w, 3, 0, &ts, CLOCK_BOOTTIME));
	T(waitv(w, 3, 1, NULL, 0));
	T(waitv(w, 0, 0, NULL, 0));
	set(w, 129, words, FUTEX_32);
	for (int i = 0; i < 129; i++)
		w[i].uaddr = (unsigned long)&words[i % 4];
	T(waitv(w, 129, 0, NULL, 0));
	T(waitv(NULL, 1, 0, NULL, 0));
	T(waitv((void *)8, 1, 0, NULL, 0));
	struct timespec bad = {0, 2000000000};
	T(waitv(w, 1, 0, &bad, CLOCK_MONOTONIC));
	T(waitv(w, 1, 0, (void *)8, CLOCK_MONOTONIC));
	set(w, 2, words, FUTEX_32);
	w[1].flags = 3; /* 64-bit */
	T(waitv(w, 2, 0, NULL, 0));
	w[1].flags = FUTEX_32 | 0x1000;
	T(waitv(w, 2, 0, NULL, 0));
	w[1].flags = FUTEX_32;
	w[1].__reserved = 1;
	T(waitv(w, 2, 0, NULL, 0));
	w[1].__reserved = 0;
	w[1].val = 1ULL << 32;
	T(waitv(w, 2, 0, NULL, 0));
	w[1].val = 0;
	w[1].uaddr += 1;
	T(waitv(w, 2, 0, NULL, 0));
	w[1].uaddr = 8;
	T(waitv(w, 2, 0, NULL, 0));
	return 0;
}
