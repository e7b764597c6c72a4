/* Threads sharing an epoll set: each event wakes a waiter, level-triggered
 * readiness is passed on to the other waiters, EPOLLONESHOT hands each
 * event to exactly one thread (the pattern of thread-pool servers). */
#include "t.h"
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#define THREADS 4
#define EVENTS	200

static int ep, efd;
static int handled[THREADS];
static volatile int done;

static void *worker(void *arg)
{
	int me = (int)(intptr_t)arg;
	while (!done) {
		struct epoll_event ev;
		int n = epoll_wait(ep, &ev, 1, 100);
		if (n <= 0)
			continue;
		uint64_t v;
		if (read(efd, &v, 8) == 8)
			__atomic_add_fetch(&handled[me], (int)v, __ATOMIC_RELAXED);
		/* Re-arm the one-shot item for the next event. */
		struct epoll_event e = {.events = EPOLLIN | EPOLLONESHOT};
		epoll_ctl(ep, EPOLL_CTL_MOD, efd, &e);
	}
	return NULL;
}

static int lt_result[2];
static struct timespec lt_start;

/* 1 if it saw the event within a second of the write, 0 if not. */
static void *lt_waiter(void *arg)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, 3000);
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	long ms = (t.tv_sec - lt_start.tv_sec) * 1000 + (t.tv_nsec - lt_start.tv_nsec) / 1000000;
	lt_result[(intptr_t)arg] = n == 1 && ms < 1000;
	return NULL;
}

int main(void)
{
	ep = OK(epoll_create1(0));
	efd = OK(eventfd(0, EFD_NONBLOCK | EFD_SEMAPHORE));
	struct epoll_event e = {.events = EPOLLIN | EPOLLONESHOT};
	T(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &e));
	pthread_t th[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i);
	for (int i = 0; i < EVENTS; i++) {
		uint64_t one = 1;
		write(efd, &one, 8);
		if (i % 20 == 0)
			usleep(1000);
	}
	int total = 0;
	for (int tries = 0; tries < 500 && total < EVENTS; tries++) {
		usleep(10000);
		total = 0;
		for (int i = 0; i < THREADS; i++)
			total += __atomic_load_n(&handled[i], __ATOMIC_RELAXED);
	}
	done = 1;
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	SAY("handled %d of %d\n", total, EVENTS);

	/* Level-triggered: an event wakes one waiter; what is still ready
	 * after it looked wakes the next. */
	int p[2];
	T(pipe(p));
	ep = OK(epoll_create1(0));
	e.events = EPOLLIN;
	T(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));
	pthread_t w[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&w[i], NULL, lt_waiter, (void *)(intptr_t)i);
	usleep(100000);
	clock_gettime(CLOCK_MONOTONIC, &lt_start);
	T(write(p[1], "x", 1));
	for (int i = 0; i < 2; i++)
		pthread_join(w[i], NULL);
	SAY("woken: %d %d\n", lt_result[0], lt_result[1]);
	return 0;
}
