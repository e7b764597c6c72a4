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
#include "uapi/sched.h"

#define SCHED_OTHER	    0
#define SCHED_FIFO	    1
#define SCHED_RR	    2
#define SCHED_BATCH	    3
#define SCHED_IDLE	    5
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

#define MEMBARRIER_CMD_QUERY				    0
#define MEMBARRIER_CMD_GLOBAL				    1
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED			    2
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED	    4
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED		    8
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED	    16
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE	    32
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE 64

/* Guest threads are host threads: a host-wide barrier orders them all and
 * makes every CPU switch context (which serializes its core), which is at
 * least what every command promises. */
SYSCALL_DEFINE3(membarrier, int, cmd, unsigned, flags, int, cpu_id)
{
	(void)cpu_id;
	const int supported =
	    MEMBARRIER_CMD_GLOBAL | MEMBARRIER_CMD_GLOBAL_EXPEDITED |
	    MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED |
	    MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE |
	    MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE;
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
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
		current->mm->membarrier_sync_core_registered = true;
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
		if (!current->mm->membarrier_registered)
			return -EPERM;
		return host_membarrier();
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		if (!current->mm->membarrier_sync_core_registered)
			return -EPERM;
		return host_membarrier();
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		return host_membarrier();
	}
	return -EINVAL;
}

/* Restartable sequences are the host's business: the guest thread is a
 * host thread whose memory is the guest's, so its own registration keeps
 * cpu_id current and aborts critical sections, with Linux's checks. */
SYSCALL_DEFINE4(rseq, uaddr_t, area, uint32_t, len, int, flags, uint32_t, sig)
{
	struct task *t = current;
	long r = host_stub_rseq(t->host, area, len, flags, sig);
	if (r == 0 && !(flags & RSEQ_FLAG_UNREGISTER)) {
		t->rseq.area = area;
		t->rseq.len = len;
		t->rseq.sig = sig;
	} else if (r == 0) {
		t->rseq.area = 0;
	}
	return r;
}

/* struct sched_attr, as of Linux 5.3 (SCHED_ATTR_SIZE_VER1). */
struct sched_attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
};

#define SCHED_ATTR_SIZE_VER0	 48
#define SCHED_FLAG_RESET_ON_FORK 0x01
#define SCHED_FLAG_KEEP_POLICY	 0x08
#define SCHED_FLAG_KEEP_PARAMS	 0x10
#define SCHED_FLAG_ALL		 0x7f

/* The guest's struct, of its size: a larger one must be zeros beyond ours
 * (E2BIG, with our size written back, as Linux's sched_copy_attr). */
static long copy_sched_attr(uaddr_t uattr, struct sched_attr *a)
{
	uint32_t size;
	if (get_user(size, uattr))
		return -EFAULT;
	size = size ? size : SCHED_ATTR_SIZE_VER0;
	if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE)
		goto too_big;
	memset(a, 0, sizeof *a);
	if (copy_from_user(a, uattr, min(size, (uint32_t)sizeof *a)))
		return -EFAULT;
	for (uint32_t off = sizeof *a; off < size; off++) {
		uint8_t b;
		if (get_user(b, uattr + off))
			return -EFAULT;
		if (b)
			goto too_big;
	}
	a->nice = a->nice < -20 ? -20 : a->nice > 19 ? 19 : a->nice;
	return 0;
too_big:
	put_user((uint32_t)sizeof *a, uattr);
	return -E2BIG;
}

SYSCALL_DEFINE3(sched_setattr, int, pid, uaddr_t, uattr, unsigned, flags)
{
	struct sched_attr a;
	if (!uattr || pid < 0 || flags)
		return -EINVAL;
	long err = copy_sched_attr(uattr, &a);
	if (err)
		return err;
	struct task *t = sched_target(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (a.flags & ~(uint64_t)SCHED_FLAG_ALL)
		return -EINVAL;
	if (a.flags & ~(uint64_t)(SCHED_FLAG_RESET_ON_FORK | SCHED_FLAG_KEEP_POLICY |
				  SCHED_FLAG_KEEP_PARAMS)) {
		pr_info("umk: sched_setattr flags %#llx (deadline, utilization clamps) not "
			"implemented\n",
			(unsigned long long)a.flags);
		return -ENOSYS;
	}
	int policy = a.flags & SCHED_FLAG_KEEP_POLICY ? t->sched_policy : (int)a.policy;
	int prio = a.flags & SCHED_FLAG_KEEP_PARAMS ? t->sched_priority : (int)a.priority;
	if ((err = set_policy(t, policy, prio)))
		return err;
	return realtime(policy) ? 0 : set_task_nice(t, a.nice);
}

SYSCALL_DEFINE4(sched_getattr, int, pid, uaddr_t, uattr, unsigned, usize, unsigned, flags)
{
	if (!uattr || pid < 0 || usize < SCHED_ATTR_SIZE_VER0 || usize > PAGE_SIZE || flags)
		return -EINVAL;
	struct task *t = sched_target(pid);
	if (IS_ERR(t))
		return PTR_ERR(t);
	uint32_t size = min(usize, (unsigned)sizeof(struct sched_attr));
	/* A real-time task reports its priority, others their nice value. */
	bool rt = realtime(t->sched_policy);
	struct sched_attr a = {.size = size,
			       .policy = (uint32_t)t->sched_policy,
			       .nice = rt ? 0 : t->nice,
			       .priority = rt ? (uint32_t)t->sched_priority : 0,
			       .util_max = 1024};
	return copy_to_user(uattr, &a, size) ? -EFAULT : 0;
}
