/* pthreads as programs use them beyond locks: thread names (and /proc's
 * view of them), thread-local storage, a condition variable timing out on
 * the monotonic clock, cancellation at a blocking call with cleanup
 * handlers, joinable and detached exits, and a thread's own stack. */
#include "t.h"
#include <pthread.h>

static __thread int tls = 7;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile int cleaned;

static void *named(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "umk-worker");
	char path[64], comm[32] = "";
	snprintf(path, sizeof path, "/proc/self/task/%d/comm", gettid());
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, comm, sizeof comm - 1);
	if (fd >= 0)
		close(fd);
	comm[n > 0 ? n : 0] = 0;
	tls = 99;
	SAY("  comm '%.*s', tls %d\n", (int)strcspn(comm, "\n"), comm, tls);
	return (void *)(long)tls;
}

static void cleanup(void *arg)
{
	(void)arg;
	cleaned = 1;
}

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	sleep(100); /* a cancellation point */
	pthread_cleanup_pop(0);
	return NULL;
}

static void *waits_on_pipe(void *arg)
{
	int *p = arg;
	char c;
	read(p[0], &c, 1);
	return NULL;
}

static void *stack_user(void *arg)
{
	size_t *size = arg;
	pthread_attr_t a;
	pthread_getattr_np(pthread_self(), &a);
	void *base;
	pthread_attr_getstack(&a, &base, size);
	pthread_attr_destroy(&a);
	char local;
	/* Our own locals lie in the stack glibc reports. */
	return (void *)(long)((char *)&local > (char *)base &&
			      (char *)&local < (char *)base + *size);
}

int main(void)
{
	pthread_t t;
	void *ret;
	pthread_create(&t, NULL, named, NULL);
	pthread_join(t, &ret);
	SAY("returned %ld, main's tls %d\n", (long)ret, tls);

	/* A condition variable on CLOCK_MONOTONIC times out. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_t cv;
	pthread_cond_init(&cv, &ca);
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += 50000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	int r = pthread_cond_timedwait(&cv, &m, &until);
	pthread_mutex_unlock(&m);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	SAY("timedwait %s, not early %d\n", strerrorname_np(r),
	    now.tv_sec > until.tv_sec ||
		(now.tv_sec == until.tv_sec && now.tv_nsec >= until.tv_nsec));

	/* Cancellation wakes a sleeping thread and runs its cleanup. */
	pthread_create(&t, NULL, sleeper, NULL);
	usleep(100000);
	T(pthread_cancel(t));
	pthread_join(t, &ret);
	SAY("canceled %d, cleanup ran %d\n", ret == PTHREAD_CANCELED, cleaned);

	/* A detached thread (still running) cannot be joined. */
	int p[2];
	pipe(p);
	pthread_create(&t, NULL, waits_on_pipe, p);
	T(pthread_detach(t));
	SAY("join detached: %s\n", strerrorname_np(pthread_join(t, NULL)));
	write(p[1], "x", 1);
	pthread_attr_t a;
	pthread_attr_init(&a);

	/* A thread with a stack size of our choosing runs on it. */
	pthread_attr_setstacksize(&a, 1 << 20);
	size_t size = 0;
	pthread_create(&t, &a, stack_user, &size);
	pthread_join(t, &ret);
	SAY("stack of 1 MiB %d, locals on it %ld\n", size == 1 << 20, (long)ret);
	return 0;
}
