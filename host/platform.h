/*
 * Shared by the platforms (host-internal): each one's thread structure
 * starts with struct host_thread, so host/mem.c finds the host thread id.
 */
#ifndef HOST_PLATFORM_H
#define HOST_PLATFORM_H
#include "host.h"

struct host_thread {
	int tid; /* the host thread id: for process_vm_* and /proc/TID/mem */
};

/* Called around a task thread's sleeps in the kernel (host_sleeper_wait),
 * for a platform that keeps count of the threads that want a CPU: at the
 * beginning (the answer is how long the thread may spin first, in ns),
 * when it stops spinning and sleeps, and at the end. */
enum host_sleep { HOST_SLEEP_BEGIN, HOST_SLEEP_DEEP, HOST_SLEEP_END };
extern int64_t (*host_sleep_hook)(enum host_sleep what);

/* Peak resident set of a host process from /proc (VmHWM), in KiB. */
int64_t host_proc_maxrss_kb(int pid);

#endif
