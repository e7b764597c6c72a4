/*
 * Shared by the platforms (host-internal): each one's thread structure
 * starts with struct host_thread, so host/mem.c finds the host thread id.
 */
#ifndef HOST_PLATFORM_H
#define HOST_PLATFORM_H
#include "host.h"

struct host_thread {
	int tid; /* the host thread id: for process_vm_* and /proc/TID/mem */
	/* The host CPUs the guest thread may run on (bit i: CPU i; 0: all),
	 * from sched_setaffinity; the platform places it there. */
	uint64_t cpus;
};

/* Whether the guest thread may run on cpu. */
static inline bool host_thread_allows(struct host_thread *t, int cpu)
{
	uint64_t m = __atomic_load_n(&t->cpus, __ATOMIC_RELAXED);
	return !m || (cpu < 64 && (m >> cpu & 1));
}

/* Called around a task thread's sleeps in the kernel (host_sleeper_wait),
 * for a platform that keeps count of the threads that want a CPU: at the
 * beginning (the answer is how long the thread may spin first, in ns),
 * when it stops spinning and sleeps, and at the end. */
enum host_sleep { HOST_SLEEP_BEGIN, HOST_SLEEP_DEEP, HOST_SLEEP_END };
extern int64_t (*host_sleep_hook)(enum host_sleep what);

/* Writes guest memory at once (host_mem_write, less the sync_mem). */
long host_vm_write(const struct host_thread *t, uaddr_t addr, const void *buf, size_t len);

/* Peak resident set of a host process from /proc (VmHWM), in KiB. */
int64_t host_proc_maxrss_kb(int pid);

#endif
