/*
 * process_vm_readv and process_vm_writev: another process's memory, with
 * the rights a debugger would need. The remote side goes a page at a time
 * and the call stops at the first page either side cannot reach, returning
 * what it moved, or the error if nothing moved (Linux's
 * mm/process_vm_access.c).
 */
#include "kernel.h"
#include "task.h"
#include "iov.h"
#include "syscall.h"
#include "uaccess.h"
#include "mm.h"

/* One remote segment to or from the local iter; bytes moved, or an error
 * when none moved. */
static long move_segment(struct task *t, uaddr_t addr, size_t len, struct iov_iter *local,
			 bool write)
{
	char buf[PAGE_SIZE];
	size_t done = 0;
	while (done < len && local->count) {
		size_t to_page_end = PAGE_SIZE - ((addr + done) & (PAGE_SIZE - 1));
		size_t n = min(min(len - done, to_page_end), local->count);
		int err = 0;
		if (write) {
			size_t got = copy_from_iter(buf, n, local);
			err = got < n ? -EFAULT : copy_to_task(t, addr + done, buf, n);
		} else if (!(err = copy_from_task(t, buf, addr + done, n)) &&
			   copy_to_iter(buf, n, local) < n) {
			err = -EFAULT;
		}
		if (err)
			return done ? (long)done : err;
		done += n;
	}
	return (long)done;
}

static long process_vm_rw(int pid, uaddr_t lvec, unsigned long liovcnt, uaddr_t rvec,
			  unsigned long riovcnt, unsigned long flags, bool write)
{
	if (flags)
		return -EINVAL;
	struct kvec *lv = NULL, *rv = NULL;
	struct iov_iter local, remote;
	long ret = import_iovec(lvec, liovcnt, &lv, &local);
	if (ret <= 0)
		goto out;
	if ((ret = import_iovec(rvec, riovcnt, &rv, &remote)) <= 0)
		goto out;
	struct task *t = find_task(pid);
	ret = -ESRCH;
	if (!t)
		goto out;
	ret = -EPERM;
	if (!ptrace_may_access(t->proc))
		goto out;
	ret = -ESRCH;
	if (!t->mm || !t->host)
		goto out;
	size_t moved = 0;
	for (unsigned long k = 0; k < riovcnt && local.count; k++) {
		long n = move_segment(t, rv[k].base, rv[k].len, &local, write);
		if (n < 0) {
			ret = moved ? (long)moved : n;
			goto out;
		}
		moved += (size_t)n;
		if ((size_t)n < rv[k].len && local.count)
			break; /* stopped short of the segment's end */
	}
	ret = (long)moved;
out:
	kfree(lv);
	kfree(rv);
	return ret;
}

SYSCALL_DEFINE6(process_vm_readv, int, pid, uaddr_t, lvec, unsigned long, liovcnt, uaddr_t, rvec,
		unsigned long, riovcnt, unsigned long, flags)
{
	return process_vm_rw(pid, lvec, liovcnt, rvec, riovcnt, flags, false);
}

SYSCALL_DEFINE6(process_vm_writev, int, pid, uaddr_t, lvec, unsigned long, liovcnt, uaddr_t, rvec,
		unsigned long, riovcnt, unsigned long, flags)
{
	return process_vm_rw(pid, lvec, liovcnt, rvec, riovcnt, flags, true);
}
