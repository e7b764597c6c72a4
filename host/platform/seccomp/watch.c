/*
 * Stub processes seen from outside: a thread that watches them die, reaps
 * the ones umk did not make, frees address spaces and makes a fresh stub
 * ahead (spare_make).
 *
 * A stub process that dies (killed from the host, or by its own filter)
 * leaves its task threads waiting on control pages nobody will post to:
 * the watcher polls every stub's pidfd, marks the dead one's threads and
 * wakes them.
 *
 * A guest can jump to the stub's system call instruction with the clone
 * flags the filter allows and make a process umk knows nothing of. Such a
 * process cannot make a system call it survives, but it could spin. Every
 * stub process is a child of the template: the watcher kills, every
 * couple of seconds, the template's children that are not umk's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include "seccomp.h"
#include "template.h"

#define REAP_MS 2000

struct host_mutex sc_lock;
static struct sc_proc *procs; /* all of umk's stub processes */
static int epfd = -1;
static int suspects[64], nsuspects; /* unknown children at the last scan */
/* Address spaces to free, and the eventfd that says there is work: some to
 * free, or a spare stub to make (its epoll event carries pid 0, which no
 * process has). */
static struct free_mm {
	struct sc_mm *mm;
	struct free_mm *next;
} * to_free;
static int work_efd = -1;

void watch_free_mm(struct sc_mm *mm)
{
	struct free_mm *f = malloc(sizeof *f);
	if (!f) {
		mm_free(mm);
		return;
	}
	f->mm = mm;
	host_mutex_lock(&sc_lock);
	f->next = to_free;
	to_free = f;
	host_mutex_unlock(&sc_lock);
	watch_wake();
}

void watch_wake(void)
{
	uint64_t one = 1;
	if (write(work_efd, &one, sizeof one) < 0)
		return; /* the count is at its limit: a wake-up is pending anyway */
}

static void free_mms(void)
{
	uint64_t n;
	if (read(work_efd, &n, sizeof n) < 0)
		return;
	host_mutex_lock(&sc_lock);
	struct free_mm *f = to_free;
	to_free = NULL;
	host_mutex_unlock(&sc_lock);
	while (f) {
		struct free_mm *next = f->next;
		mm_free(f->mm);
		free(f);
		f = next;
	}
}

void watch_add(struct sc_proc *p)
{
	host_mutex_lock(&sc_lock);
	p->next = procs;
	procs = p;
	host_mutex_unlock(&sc_lock);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)p->pid};
	epoll_ctl(epfd, EPOLL_CTL_ADD, p->pidfd, &ev);
}

void watch_del(struct sc_proc *p)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, p->pidfd, NULL);
	host_mutex_lock(&sc_lock);
	for (struct sc_proc **pp = &procs; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	host_mutex_unlock(&sc_lock);
}

static struct sc_proc *find_proc(int pid)
{
	for (struct sc_proc *p = procs; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

static bool exited(int pidfd)
{
	struct pollfd pf = {pidfd, POLLIN, 0};
	return poll(&pf, 1, 0) == 1;
}

/* The event names a pid: the process may have been released and the pid
 * reused since, so the pidfd decides. */
static void mark_dead(int pid)
{
	host_mutex_lock(&sc_lock);
	struct sc_proc *p = find_proc(pid);
	if (p && !p->dead && exited(p->pidfd)) {
		p->dead = true;
		epoll_ctl(epfd, EPOLL_CTL_DEL, p->pidfd, NULL);
		for (struct sc_thread *t = p->first; t; t = t->next_in_proc) {
			t->dead = true;
			__atomic_store_n(&t->ctl->state, STUB_DEAD, __ATOMIC_SEQ_CST);
			futex_wake_all(&t->ctl->state);
		}
	}
	host_mutex_unlock(&sc_lock);
}

static bool was_suspect(int pid)
{
	for (int i = 0; i < nsuspects; i++)
		if (suspects[i] == pid)
			return true;
	return false;
}

/* Kills the template's unknown children seen at two scans in a row (a
 * fresh fork is known within microseconds). */
static void reap(void)
{
	static int children[4096];
	int now[64], n = 0, nchildren = template_children(children, 4096);
	for (int i = 0; i < nchildren; i++) {
		int pid = children[i];
		host_mutex_lock(&sc_lock);
		bool known = find_proc(pid) != NULL;
		host_mutex_unlock(&sc_lock);
		if (known)
			continue;
		if (was_suspect(pid))
			kill(pid, SIGKILL);
		else if (n < 64)
			now[n++] = pid;
	}
	memcpy(suspects, now, sizeof now);
	nsuspects = n;
}

static void watcher(void *arg)
{
	(void)arg;
	int64_t next_reap = host_monotonic_ns() + REAP_MS * 1000000LL;
	for (;;) {
		struct epoll_event ev[16];
		int n = epoll_wait(epfd, ev, 16, REAP_MS);
		for (int i = 0; i < n; i++) {
			if (ev[i].data.u64)
				mark_dead((int)ev[i].data.u64);
			else
				free_mms();
		}
		spare_make();
		if (host_monotonic_ns() >= next_reap) {
			reap();
			next_reap = host_monotonic_ns() + REAP_MS * 1000000LL;
		}
	}
}

int watch_start(void)
{
	epfd = epoll_create1(EPOLL_CLOEXEC);
	work_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0};
	if (epfd < 0 || work_efd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, work_efd, &ev) < 0)
		return -errno;
	return host_thread_create(watcher, NULL);
}
