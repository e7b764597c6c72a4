/* glibc's priority-inheritance mutexes, which live on PI futexes: eight
 * threads counting under one, trylock and timedlock, error checking, and
 * a process-shared one (robust ones are in futex_robust). */
#include "t.h"
#include <pthread.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <time.h>

#define THREADS 8
#define ROUNDS	5000

static pthread_mutex_t *mtx;
static long counter;

static void init_mutex(pthread_mutex_t *m, int type, bool pshared)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	pthread_mutexattr_settype(&a, type);
	if (pshared)
		pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	if (pthread_mutex_init(m, &a))
		exit(3);
	pthread_mutexattr_destroy(&a);
}

static void *count(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(mtx);
		long v = counter;
		if (i % 64 == 0)
			sched_yield(); /* let others pile up on the lock */
		counter = v + 1;
		pthread_mutex_unlock(mtx);
	}
	return NULL;
}

static void *try_others(void *arg)
{
	(void)arg;
	SAY("  other: trylock %s\n", strerrorname_np(pthread_mutex_trylock(mtx)) ?: "0");
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	SAY("  other: timedlock %s\n", strerrorname_np(pthread_mutex_timedlock(mtx, &ts)) ?: "0");
	SAY("  other: unlock %s\n", strerrorname_np(pthread_mutex_unlock(mtx)) ?: "0");
	return NULL;
}

static const char *err(int e)
{
	return e ? strerrorname_np(e) : "0";
}

int main(void)
{
	mtx = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long *shared_counter = (long *)(mtx + 1);

	SAY(" contention\n");
	init_mutex(mtx, PTHREAD_MUTEX_NORMAL, false);
	pthread_t th[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, count, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	SAY("  counter %ld\n", counter);

	SAY(" trylock and timedlock while held\n");
	T(pthread_mutex_lock(mtx));
	pthread_create(&th[0], NULL, try_others, NULL);
	pthread_join(th[0], NULL);
	T(pthread_mutex_unlock(mtx));
	pthread_mutex_destroy(mtx);

	SAY(" error checking\n");
	init_mutex(mtx, PTHREAD_MUTEX_ERRORCHECK, false);
	T(pthread_mutex_lock(mtx));
	SAY("  relock: %s\n", err(pthread_mutex_lock(mtx)));
	T(pthread_mutex_unlock(mtx));
	SAY("  unlock unlocked: %s\n", err(pthread_mutex_unlock(mtx)));
	pthread_mutex_destroy(mtx);

	SAY(" process-shared\n");
	init_mutex(mtx, PTHREAD_MUTEX_NORMAL, true);
	pid_t c = fork();
	if (c == 0) {
		T(pthread_mutex_lock(mtx));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	SAY("  locked by a process gone: trylock %s\n", err(pthread_mutex_trylock(mtx)));
	init_mutex(mtx, PTHREAD_MUTEX_NORMAL, true);
	SAY(" process-shared contention\n");
	*shared_counter = 0;
	pid_t kids[3];
	for (int k = 0; k < 3; k++) {
		if ((kids[k] = fork()) == 0) {
			for (int i = 0; i < ROUNDS; i++) {
				pthread_mutex_lock(mtx);
				long v = *shared_counter;
				if (i % 64 == 0)
					sched_yield();
				*shared_counter = v + 1;
				pthread_mutex_unlock(mtx);
			}
			_exit(0);
		}
	}
	for (int k = 0; k < 3; k++)
		waitpid(kids[k], NULL, 0);
	SAY("  counter %ld\n", *shared_counter);
	return 0;
}
