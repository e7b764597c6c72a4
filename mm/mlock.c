/*
 * mlock, mlock2, munlock, mlockall, munlockall. umk keeps Linux's record
 * (VM_LOCKED on the VMAs, RLIMIT_MEMLOCK, /proc's VmLck) but moves no
 * page: the host decides what of the guest's memory stays resident, as
 * for all of it (ARCHITECTURE.md), so locking promises only what swapping
 * on the host would break anyway.
 */
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "mm.h"
#include "syscall.h"
#include "uapi/misc.h"
#include "uapi/mman.h"

uint64_t locked_pages(struct mm *mm, uaddr_t start, uaddr_t end)
{
	uint64_t n = 0;
	struct vma *v;
	list_for_each_entry(v, &mm->vmas, list) {
		uaddr_t s = max(v->start, start), e = min(v->end, end);
		if ((v->vm_flags & VM_LOCKED) && s < e)
			n += (e - s) >> PAGE_SHIFT;
	}
	return n;
}

static bool can_do_mlock(void)
{
	return capable(CAP_IPC_LOCK) || current->proc->rlim[RLIMIT_MEMLOCK].rlim_cur != 0;
}

/* Locking [start, end) keeps the process within RLIMIT_MEMLOCK. */
static bool within_memlock_limit(struct mm *mm, uaddr_t start, uaddr_t end)
{
	uint64_t lim = current->proc->rlim[RLIMIT_MEMLOCK].rlim_cur;
	if (capable(CAP_IPC_LOCK) || lim == RLIM_INFINITY)
		return true;
	uint64_t after = locked_pages(mm, 0, TASK_SIZE) - locked_pages(mm, start, end) +
			 ((end - start) >> PAGE_SHIFT);
	return after <= lim >> PAGE_SHIFT;
}

int mmap_locked(struct mm *mm, int flags, uaddr_t start, uaddr_t end)
{
	if (!(flags & MAP_LOCKED) && !mm->lock_future)
		return 0;
	if ((flags & MAP_LOCKED) && !can_do_mlock())
		return -EPERM;
	return within_memlock_limit(mm, start, end) ? VM_LOCKED : -EAGAIN;
}

/* Linux's order: permission, the limit, then the range itself. */
static long do_mlock(uaddr_t start, size_t len, bool lock)
{
	struct mm *mm = current->mm;
	if (lock && !can_do_mlock())
		return -EPERM;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	uaddr_t end = start + len;
	if (end < start)
		return -EINVAL;
	if (lock && !within_memlock_limit(mm, start, end))
		return -ENOMEM;
	if (end == start)
		return 0;
	if (!range_mapped(mm, start, end))
		return -ENOMEM;
	set_vm_flag(mm, start, end, VM_LOCKED, lock);
	return 0;
}

SYSCALL_DEFINE2(mlock, uaddr_t, start, size_t, len)
{
	return do_mlock(start, len, true);
}

SYSCALL_DEFINE3(mlock2, uaddr_t, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(start, len, true);
}

SYSCALL_DEFINE2(munlock, uaddr_t, start, size_t, len)
{
	return do_mlock(start, len, false);
}

SYSCALL_DEFINE1(mlockall, int, flags)
{
	struct mm *mm = current->mm;
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	uint64_t lim = current->proc->rlim[RLIMIT_MEMLOCK].rlim_cur;
	if ((flags & MCL_CURRENT) && !capable(CAP_IPC_LOCK) && lim != RLIM_INFINITY &&
	    mm->total_vm > lim >> PAGE_SHIFT)
		return -ENOMEM;
	mm->lock_future = flags & MCL_FUTURE;
	if (flags & MCL_CURRENT)
		set_vm_flag(mm, 0, TASK_SIZE, VM_LOCKED, true);
	return 0;
}

SYSCALL_DEFINE0(munlockall)
{
	current->mm->lock_future = false;
	set_vm_flag(current->mm, 0, TASK_SIZE, VM_LOCKED, false);
	return 0;
}
