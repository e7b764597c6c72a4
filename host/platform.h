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

/* Called around a task thread's sleeps in the kernel (host_futex_wait),
 * for a platform that keeps count of the threads that want a CPU. */
extern void (*host_sleep_hook)(bool asleep);

#endif
