/* sched_setattr and sched_getattr: policies and nice values through the
 * extensible struct, its size rules, and bad arguments. */
#include "t.h"
#include <sched.h>
#include <sys/resource.h>
#include <stdint.h>

struct attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
};

static void show(pid_t pid)
{
	struct attr a;
	memset(&a, 0xff, sizeof a);
	long r = syscall(SYS_sched_getattr, pid, &a, 48, 0);
	SAY("  getattr %ld: size %u policy %u nice %d prio %u flags %lu\n", r, a.size, a.policy,
	    a.nice, a.priority, (unsigned long)a.flags);
}

int main(void)
{
	struct attr a = {.size = 48, .policy = SCHED_OTHER, .nice = 4};
	T(syscall(SYS_sched_setattr, 0, &a, 0));
	show(0);
	T(getpriority(PRIO_PROCESS, 0));
	a.policy = SCHED_BATCH;
	a.nice = 2;
	T(syscall(SYS_sched_setattr, 0, &a, 0));
	show(0);
	a.policy = SCHED_FIFO;
	a.nice = 0;
	a.priority = 10;
	T(syscall(SYS_sched_setattr, 0, &a, 0));
	show(0);
	T(sched_getscheduler(0));
	a.policy = SCHED_OTHER;
	a.priority = 0;
	T(syscall(SYS_sched_setattr, 0, &a, 0));
	show(0);
	/* Bad ones. */
	a.priority = 5; /* SCHED_OTHER takes priority 0 only */
	T(syscall(SYS_sched_setattr, 0, &a, 0));
	a.priority = 0;
	a.policy = 77;
	T(syscall(SYS_sched_setattr, 0, &a, 0));
	a.policy = SCHED_OTHER;
	T(syscall(SYS_sched_setattr, 0, &a, 1));
	T(syscall(SYS_sched_setattr, 99999, &a, 0));
	T(syscall(SYS_sched_setattr, 0, NULL, 0));
	T(syscall(SYS_sched_setattr, 0, BADPTR, 0));
	T(syscall(SYS_sched_getattr, 0, &a, 16, 0)); /* smaller than the first version */
	T(syscall(SYS_sched_getattr, 0, &a, 48, 1));
	T(syscall(SYS_sched_getattr, 0, BADPTR, 48, 0));
	T(syscall(SYS_sched_getattr, 99999, &a, 48, 0));
	return 0;
}
