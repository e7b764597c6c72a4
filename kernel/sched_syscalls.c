/*
 * Scheduling calls: the host schedules every guest thread, so policies,
 * priorities and affinity are kept and reported as the guest set them;
 * what Linux refuses, umk refuses with the same errno.
 */
#include "kernel.h"
#include "capability.h"
#include "host.h"
#include "task.h"
#include "syscall.h"
#include "mm.h"
#include "uaccess.h"

#define SCHED_OTHER 0
#define SCHED_FIFO  1
#define SCHED_RR    2
#define SCHED_BATCH 3
#define SCHED_IDLE  5
#define SCHED_RESET_ON_FORK 0x40000000

static struct task *sched_target(int pid)
{
	if (pid < 0)
		return ERR_PTR(-EINVAL);
	struct task *t = pid ? find_task(pid) : current;
	return t && t->state == TASK_RUNNING ? t : ERR_PTR(-ESRCH);
}

static bool realtime(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static long set_policy(struct task *t, int policy, int prio)
{
	policy &= ~SCHED_RESET_ON_FORK;
	if (policy != SCHED_OTHER && policy != SCHED_BATCH && policy != SCHED_IDLE &&
	    !realtime(policy))
		return -EINVAL;
	if (realtime(policy) ? (prio < 1 || prio > 99) : prio != 0)
		return -EINVAL;
	if (realtime(policy) && !capable(CAP_SYS_NICE))
		return -EPERM;
	if (t != current && !capable(CAP_SYS_NICE) && current->cred.euid != t->cred.uid)
		return -EPERM;
	t->sched_policy = policy;
	t->sched_priority = prio;
	return 0;
}

SYSCALL_DEFINE0(sched_yield)
{
	unlock_kernel();
	lock_kernel();
	return 0;
}

SYSCALL_DEFINE1(sched_getscheduler, int, pid)
{
	struct task *t = sched_target(pid);
	return IS_ERR(t) ? PTR_ERR(t) : t->sched_policy;
}

SYSCALL_DEFINE3(sched_setscheduler, int, pid, int, policy, uaddr_t, uparam)
{
	struct task *t = sched_target(pid);
	int prio;
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (!uparam)
		return -EINVAL;
	if (get_user(prio, uparam))
		return -EFAULT;
	return set_policy(t, policy, prio);
}

SYSCALL_DEFINE2(sched_getparam, int, pid, uaddr_t, uparam)
{
	struct task *t = sched_target(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (!uparam)
		return -EINVAL;
	return put_user(t->sched_priority, uparam) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(sched_setparam, int, pid, uaddr_t, uparam)
{
	struct task *t = sched_target(pid);
	int prio;
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (!uparam)
		return -EINVAL;
	if (get_user(prio, uparam))
		return -EFAULT;
	return set_policy(t, t->sched_policy, prio);
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
	if (realtime(policy))
		return 99;
	return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE ? 0 : -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
	if (realtime(policy))
		return 1;
	return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE ? 0 : -EINVAL;
}

SYSCALL_DEFINE2(sched_rr_get_interval, int, pid, uaddr_t, uts)
{
	struct task *t = sched_target(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	struct linux_timespec ts = {0, t->sched_policy == SCHED_FIFO ? 0 : 100000000};
	return copy_to_user(uts, &ts, sizeof ts) ? -EFAULT : 0;
}

#define MEMBARRIER_CMD_QUERY                      0
#define MEMBARRIER_CMD_GLOBAL                     1
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED           2
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED  4
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED          8
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED 16

/* Guest threads are host threads: a host-wide barrier orders them all,
 * which is at least what every command promises. */
SYSCALL_DEFINE3(membarrier, int, cmd, unsigned, flags, int, cpu_id)
{
	(void)cpu_id;
	const int supported = MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |
			      MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED |
			      MEMBARRIER_CMD_PRIVATE_EXPEDITED |
			      MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	if (flags)
		return -EINVAL;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return supported;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
		return 0;
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		current->mm->membarrier_registered = true;
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		if (!current->mm->membarrier_registered)
			return -EPERM;
		return host_membarrier();
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		return host_membarrier();
	}
	return -EINVAL;
}
