/* Host threads, the kernel's mutexes and futex sleeps. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include "platform.h"

int64_t (*host_sleep_hook)(enum host_sleep what);

/* How long a thread waiting for a lock spins, when its holder runs. */
#define MUTEX_SPIN_NS 20000

/* Threads that ended wait in a pool for the next host_thread_create: a
 * host thread's creation and end cost more than a whole fork's share. */
#define POOL_MAX 32

struct start {
	void (*fn)(void *);
	void *arg;
};

struct idle {
	struct idle *next;
	int go; /* futex: job is set */
	struct start job;
};

static struct host_mutex pool_lock;
static struct idle *pool;
static int pooled;
static __thread bool in_pool;	 /* made by host_thread_create */
static __thread jmp_buf job_end; /* where host_thread_exit goes */

/* Waits in the pool for the next job; false if the pool is full. */
static bool park(struct start *job)
{
	struct idle w = {.go = 0};
	host_mutex_lock(&pool_lock);
	bool room = pooled < POOL_MAX;
	if (room) {
		w.next = pool;
		pool = &w;
		pooled++;
	}
	host_mutex_unlock(&pool_lock);
	if (!room)
		return false;
	while (!__atomic_load_n(&w.go, __ATOMIC_ACQUIRE))
		host_futex_wait(&w.go, 0, 0);
	*job = w.job;
	return true;
}

static void *trampoline(void *p)
{
	struct start job = *(struct start *)p;
	free(p);
	in_pool = true;
	do {
		if (!setjmp(job_end))
			job.fn(job.arg);
	} while (park(&job));
	return NULL;
}

static bool unpark(void (*fn)(void *), void *arg)
{
	host_mutex_lock(&pool_lock);
	struct idle *w = pool;
	if (w) {
		pool = w->next;
		pooled--;
	}
	host_mutex_unlock(&pool_lock);
	if (!w)
		return false;
	w->job.fn = fn;
	w->job.arg = arg;
	__atomic_store_n(&w->go, 1, __ATOMIC_RELEASE);
	host_futex_wake(&w->go, 1);
	return true;
}

int host_thread_create(void (*fn)(void *), void *arg)
{
	if (unpark(fn, arg))
		return 0;
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

/* Back to the trampoline, which parks the thread for its next job: the
 * thread's state is its next job's, pinning included. */
void host_thread_exit(void)
{
	if (in_pool)
		longjmp(job_end, 1);
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
	/* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline. */
	long r =
	    futex(word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, val, tsp, FUTEX_BITSET_MATCH_ANY);
	return r < 0 && errno == ETIMEDOUT ? -ETIMEDOUT : 0;
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

static inline void cpu_relax(void)
{
	__asm__ volatile("pause");
}

/* Spins until *word != val (true), or for about ns (false). */
static bool spin_while(const int *word, int val, int64_t ns)
{
	int64_t end = host_monotonic_ns() + ns;
	for (unsigned i = 1;; i++) {
		if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != val)
			return true;
		cpu_relax();
		if (i % 64 == 0 && host_monotonic_ns() >= end)
			return false;
	}
}

int host_sleeper_count(const struct host_sleeper *s)
{
	return __atomic_load_n(&s->count, __ATOMIC_ACQUIRE);
}

/* The platform may let the waiter spin first: a sleeper woken on an idle
 * CPU takes tens of microseconds to run on this kind of VM. */
int host_sleeper_wait(struct host_sleeper *e, int seen, int64_t deadline_ns)
{
	int64_t spin = host_sleep_hook ? host_sleep_hook(HOST_SLEEP_BEGIN) : 0;
	if (deadline_ns && spin > deadline_ns - host_monotonic_ns())
		spin = deadline_ns - host_monotonic_ns();
	int r = 0;
	if (spin <= 0 || !spin_while(&e->count, seen, spin)) {
		if (host_sleep_hook)
			host_sleep_hook(HOST_SLEEP_DEEP);
		__atomic_store_n(&e->sleeping, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&e->count, __ATOMIC_SEQ_CST) == seen)
			r = host_futex_wait(&e->count, seen, deadline_ns);
		__atomic_store_n(&e->sleeping, 0, __ATOMIC_RELAXED);
	}
	if (host_sleep_hook)
		host_sleep_hook(HOST_SLEEP_END);
	return r;
}

void host_sleeper_wake(struct host_sleeper *e)
{
	__atomic_add_fetch(&e->count, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&e->sleeping, __ATOMIC_SEQ_CST))
		host_futex_wake(&e->count, 1);
}

int host_membarrier(void)
{
	return syscall(SYS_membarrier, 1 /* MEMBARRIER_CMD_GLOBAL */, 0, 0) < 0 ? -errno : 0;
}

/* A holder running on another CPU lets go within microseconds, mostly:
 * worth a spin, where waking from a sleep costs tens. A holder on this
 * CPU is not running. */
static bool spin_lock(struct host_mutex *m)
{
	if (__atomic_load_n(&m->cpu, __ATOMIC_RELAXED) == sched_getcpu())
		return false;
	int64_t end = host_monotonic_ns() + MUTEX_SPIN_NS;
	for (unsigned i = 1;; i++) {
		if (__atomic_load_n(&m->state, __ATOMIC_RELAXED) == 0 &&
		    __sync_bool_compare_and_swap(&m->state, 0, 1))
			return true;
		cpu_relax();
		if (i % 64 == 0 && host_monotonic_ns() >= end)
			return false;
	}
}

/* Drepper's three-state mutex ("Futexes are tricky", mutex 2), spinning
 * first. */
void host_mutex_lock(struct host_mutex *m)
{
	int c = __sync_val_compare_and_swap(&m->state, 0, 1);
	if (c != 0 && !spin_lock(m)) {
		if (c != 2)
			c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
		while (c != 0) {
			futex(&m->state, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 2, NULL, 0);
			c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
		}
	}
	__atomic_store_n(&m->cpu, sched_getcpu(), __ATOMIC_RELAXED);
}

void host_mutex_unlock(struct host_mutex *m)
{
	if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
		futex(&m->state, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, 0);
	}
}
