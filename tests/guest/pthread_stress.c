/* 16 threads on mutexes, condition variables, barriers, rwlocks,
 * semaphores, and cancellation; the totals must come out exact. */
#include "t.h"
#include <pthread.h>
#include <semaphore.h>

#define THREADS 16
#define ROUNDS	2000

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t barrier;
static sem_t sem;
static long counter, produced, consumed, queue, readers_seen, serial;

static void *worker(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mutex);
		counter++;
		pthread_mutex_unlock(&mutex);
	}
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		serial++;
	/* Half produce, half consume, through a condition variable. */
	for (int i = 0; i < ROUNDS / 4; i++) {
		pthread_mutex_lock(&mutex);
		if (id % 2) {
			queue++;
			produced++;
			pthread_cond_signal(&cond);
		} else {
			while (!queue)
				pthread_cond_wait(&cond, &mutex);
			queue--;
			consumed++;
		}
		pthread_mutex_unlock(&mutex);
	}
	for (int i = 0; i < ROUNDS / 4; i++) {
		if (i % 8 == id % 8) {
			pthread_rwlock_wrlock(&rw);
			readers_seen += 1000;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			long v = readers_seen;
			(void)v;
			pthread_rwlock_unlock(&rw);
		}
		sem_wait(&sem);
		sem_post(&sem);
	}
	return (void *)id;
}

static void *cancellable(void *arg)
{
	(void)arg;
	for (;;)
		pause(); /* a cancellation point */
	return NULL;
}

int main(void)
{
	pthread_barrier_init(&barrier, NULL, THREADS);
	sem_init(&sem, 0, 3);
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	long sum = 0;
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	SAY("counter %ld sum %ld serial %ld\n", counter, sum, serial);
	SAY("produced %ld consumed %ld left %ld\n", produced, consumed, queue);
	SAY("writes seen %ld\n", readers_seen);
	pthread_t c;
	void *res;
	pthread_create(&c, NULL, cancellable, NULL);
	usleep(20000);
	T(pthread_cancel(c));
	T(pthread_join(c, &res));
	SAY("canceled %d\n", res == PTHREAD_CANCELED);
	return 0;
}
