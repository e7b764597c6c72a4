/*
 * Guest memory that crosses with the hand-off (stub.h): a call's results
 * ride with the answer (write-behind) and its input with the trap
 * (read-ahead), each saving a process_vm_readv/writev of over a
 * microsecond here. Only ./linux's own records say where results go; the
 * control page, which the guest can write, only carries the bytes.
 */
#include <errno.h>
#include <string.h>
#include "seccomp.h"

#define BEHIND_MAX (sizeof((struct sc_thread *)0)->behind / sizeof(struct sc_behind))

static char *behind_area(struct sc_thread *t)
{
	return (char *)t->ctl + STUB_BEHIND_OFFSET;
}

int xfer_write_behind(struct host_thread *h, uaddr_t addr, const void *buf, size_t len)
{
	struct sc_thread *t = sc(h);
	size_t need = sizeof(struct stub_behind) + ((len + 7) & ~(size_t)7);
	if (t != handoff_serving() || t->nbehind == BEHIND_MAX ||
	    need > STUB_BEHIND_SIZE - t->behind_used)
		return -ENOSPC;
	struct stub_behind rec = {addr, len};
	char *at = behind_area(t) + t->behind_used;
	memcpy(at, &rec, sizeof rec);
	memcpy(at + sizeof rec, buf, len);
	t->behind[t->nbehind++] =
	    (struct sc_behind){addr, (uint32_t)len, t->behind_used + (uint32_t)sizeof rec};
	t->behind_used += (unsigned)need;
	t->ahead_ok = false; /* it may overlap what was read ahead */
	return 0;
}

size_t xfer_read_ahead(struct host_thread *h, uaddr_t addr, void *buf, size_t len)
{
	struct sc_thread *t = sc(h);
	if (!t->ahead_ok || t != handoff_serving())
		return 0;
	uint64_t start = __atomic_load_n(&t->ctl->ahead_addr, __ATOMIC_RELAXED);
	uint64_t n = __atomic_load_n(&t->ctl->ahead_len, __ATOMIC_RELAXED);
	if (n > STUB_AHEAD_MAX || addr < start || addr - start >= n)
		return 0;
	size_t k = len < n - (addr - start) ? len : n - (addr - start);
	memcpy(buf, (char *)t->ctl + STUB_AHEAD_OFFSET + (addr - start), k);
	return k;
}

/*
 * Queues a memory call for the stub to make before the guest resumes
 * (stub.h); -ENOSPC: make it now. Only for the thread being served, alone
 * in its address space: another thread's calls could otherwise come
 * between the kernel's view of the memory and the host's.
 */
#define CALL_SIZE (sizeof(struct stub_behind) + sizeof(struct stub_call))

bool xfer_can_defer(const struct sc_thread *t)
{
	return t == handoff_serving() && t->mm->live == 1 &&
	       CALL_SIZE <= STUB_BEHIND_SIZE - t->behind_used;
}

int xfer_defer_call(struct sc_thread *t, long nr, const long args[6], unsigned long seq)
{
	if (!xfer_can_defer(t))
		return -ENOSPC;
	struct stub_behind rec = {(unsigned long)nr, STUB_BEHIND_CALL};
	struct stub_call call = {.seq = seq};
	memcpy(call.args, args, sizeof call.args);
	char *at = behind_area(t) + t->behind_used;
	memcpy(at, &rec, sizeof rec);
	memcpy(at + sizeof rec, &call, sizeof call);
	t->behind_used += (unsigned)CALL_SIZE;
	t->ncalls++;
	t->ahead_ok = false;
	return 0;
}

/* Before ./linux touches guest memory itself, or asks the stub for more
 * than a run: what waits is written now, in order; by the stub when calls
 * wait among the copies. */
void xfer_sync(void)
{
	struct sc_thread *t = handoff_serving();
	if (!t)
		return;
	t->ahead_ok = false;
	if (t->ncalls) {
		xfer_run(t); /* resets the queue: the request's own sync finds it empty */
		request(t, OP_APPLY);
		return;
	}
	for (unsigned i = 0; i < t->nbehind; i++)
		host_vm_write(&t->h, t->behind[i].addr, behind_area(t) + t->behind[i].off,
			      t->behind[i].len);
	t->nbehind = 0;
	t->behind_used = 0;
}

/* Before OP_RUN: the stub writes what waits. */
void xfer_run(struct sc_thread *t)
{
	t->ctl->behind_len = t->behind_used;
	t->nbehind = 0;
	t->ncalls = 0;
	t->behind_used = 0;
	t->ahead_ok = false;
}

/* After the stub posted: a system call's trap brought its input along. */
void xfer_trapped(struct sc_thread *t, bool syscall)
{
	t->ahead_ok = syscall;
}
