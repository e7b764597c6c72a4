/* Host threads, the kernel's mutexes and futex sleeps. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include "platform.h"

void (*host_sleep_hook)(bool asleep);

struct start {
	void (*fn)(void *);
	void *arg;
};

static void *trampoline(void *p)
{
	struct start s = *(struct start *)p;
	free(p);
	s.fn(s.arg);
	return NULL;
}

int host_thread_create(void (*fn)(void *), void *arg)
{
	struct start *s = malloc(sizeof *s);
	if (!s)
		return -ENOMEM;
	s->fn = fn;
	s->arg = arg;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	pthread_t t;
	int err = pthread_create(&t, &attr, trampoline, s);
	pthread_attr_destroy(&attr);
	if (err) {
		free(s);
		return -err;
	}
	return 0;
}

void host_thread_exit(void)
{
	pthread_exit(NULL);
}

int host_gettid(void)
{
	return gettid();
}

void host_thread_pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	if (cpu >= 0)
		CPU_SET(cpu, &set);
	else
		for (int i = 0; i < host_cpu_count(); i++)
			CPU_SET(i, &set);
	sched_setaffinity(0, sizeof set, &set);
}

static long futex(int *word, int op, int val, const struct timespec *ts, int val3)
{
	return syscall(SYS_futex, word, op, val, ts, NULL, val3);
}

int host_futex_wait(int *word, int val, int64_t deadline_ns)
{
	struct timespec ts, *tsp = NULL;
	if (deadline_ns) {
		ts.tv_sec = deadline_ns / 1000000000;
		ts.tv_nsec = deadline_ns % 1000000000;
		tsp = &ts;
	}
	if (host_sleep_hook)
		host_sleep_hook(true);
	/* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline. */
	long r =
	    futex(word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, val, tsp, FUTEX_BITSET_MATCH_ANY);
	int err = errno;
	if (host_sleep_hook)
		host_sleep_hook(false);
	return r < 0 && err == ETIMEDOUT ? -ETIMEDOUT : 0;
}

void host_futex_wake(int *word, int count)
{
	futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, count, NULL, 0);
}

void host_thread_set_cpus(struct host_thread *t, uint64_t mask)
{
	__atomic_store_n(&t->cpus, mask, __ATOMIC_RELAXED);
}

/* Field 39 of /proc/TID/stat, after the command name (which may hold
 * anything, so the fields are counted from its closing parenthesis). */
int host_thread_cpu(struct host_thread *t)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", t->tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *s = strrchr(buf, ')');
	for (int field = 2; s && field < 39; field++)
		s = strchr(s + 1, ' ');
	return s ? atoi(s + 1) : 0;
}

int host_membarrier(void)
{
	return syscall(SYS_membarrier, 1 /* MEMBARRIER_CMD_GLOBAL */, 0, 0) < 0 ? -errno : 0;
}

/* Drepper's three-state mutex ("Futexes are tricky", mutex 2). */
void host_mutex_lock(struct host_mutex *m)
{
	int c = __sync_val_compare_and_swap(&m->state, 0, 1);
	if (c == 0)
		return;
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		futex(&m->state, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 2, NULL, 0);
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

void host_mutex_unlock(struct host_mutex *m)
{
	if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
		futex(&m->state, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, 0);
	}
}
