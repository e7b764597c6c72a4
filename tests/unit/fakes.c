/*
 * Stand-ins for the host and for kernel parts a unit test does not link.
 * All weak: a test that links the real thing gets the real thing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "kernel.h"
#include "host.h"

#define WEAK __attribute__((weak))

char fake_console[65536];
size_t fake_console_len;

WEAK long host_console_write(const void *buf, size_t len)
{
	size_t n = len < sizeof fake_console - fake_console_len
		       ? len
		       : sizeof fake_console - fake_console_len;
	memcpy(fake_console + fake_console_len, buf, n);
	fake_console_len += n;
	return (long)len;
}

/* The ubd driver's options, for tests of the command line alone. */
WEAK int ubd_setup(const char *arg, char *why, size_t len)
{
	(void)arg, (void)why, (void)len;
	return 0;
}

WEAK int64_t host_monotonic_ns(void)
{
	static int64_t t = 1000;
	return t += 1000;
}

WEAK int64_t host_realtime_ns(void)
{
	return 1700000000LL * 1000000000LL;
}

WEAK void host_exit(int status)
{
	printf("host_exit(%d)\n", status);
	exit(status);
}

WEAK void lock_kernel(void)
{
}

WEAK void unlock_kernel(void)
{
}

WEAK void host_futex_wake(int *w, int n)
{
	(void)w;
	(void)n;
}

WEAK int host_futex_wait(int *w, int v, int64_t d)
{
	(void)w;
	(void)v;
	(void)d;
	return -ETIMEDOUT;
}

/* ---- Guest memory: [FAKE_USER_BASE, +64K) is mapped, the rest faults ---- */

#include "uaccess.h"
#include "task.h"
#include "wait.h"

#define FAKE_USER_BASE 0x10000
unsigned char fake_user[65536];

static long fake_copy(void *k, uaddr_t u, size_t n, bool to_user)
{
	if (u < FAKE_USER_BASE || u >= FAKE_USER_BASE + sizeof fake_user)
		return -EFAULT;
	size_t avail = FAKE_USER_BASE + sizeof fake_user - u;
	size_t m = n < avail ? n : avail;
	if (to_user)
		memcpy(fake_user + (u - FAKE_USER_BASE), k, m);
	else
		memcpy(k, fake_user + (u - FAKE_USER_BASE), m);
	return (long)m;
}

WEAK long copy_to_user_partial(uaddr_t dst, const void *src, size_t n)
{
	return fake_copy((void *)src, dst, n, true);
}

/* A result lands at once here, as on a platform without write-behind. */
WEAK long copy_result_to_user_partial(uaddr_t dst, const void *src, size_t n)
{
	return copy_to_user_partial(dst, src, n);
}

WEAK long copy_from_user_partial(void *dst, uaddr_t src, size_t n)
{
	return fake_copy(dst, src, n, false);
}

WEAK int copy_from_user(void *dst, uaddr_t src, size_t n)
{
	return copy_from_user_partial(dst, src, n) == (long)n ? 0 : -EFAULT;
}

WEAK int copy_to_user(uaddr_t dst, const void *src, size_t n)
{
	return copy_to_user_partial(dst, src, n) == (long)n ? 0 : -EFAULT;
}

/* ---- Tasks and sleeping: one fake process, nothing ever sleeps ---- */

static struct sighand fake_sighand;
static struct process fake_process = {.pid = 100, .pgid = 100, .sid = 100};
static struct task fake_task = {.tid = 100, .proc = &fake_process, .sighand = &fake_sighand};
WEAK __thread struct task *current = &fake_task;
int fake_signals_sent[65];

WEAK int kill_pgrp(int pgid, int sig, const struct linux_siginfo *info)
{
	(void)pgid;
	(void)info;
	fake_signals_sent[sig]++;
	return 0;
}

WEAK bool is_orphaned_pgrp(int pgid)
{
	(void)pgid;
	return false;
}

WEAK void waiter_add(struct wait_queue *wq, struct waiter *w)
{
	(void)wq;
	(void)w;
}

WEAK void waiter_del(struct waiter *w)
{
	(void)w;
}

WEAK void wake_up(struct wait_queue *wq)
{
	(void)wq;
}

WEAK bool signal_pending(struct task *t)
{
	(void)t;
	return true; /* a unit test never sleeps: waits end as if interrupted */
}

WEAK int schedule_deadline(int64_t deadline)
{
	(void)deadline;
	return 1;
}

WEAK int64_t ktime_get_ns(void)
{
	return host_monotonic_ns();
}
