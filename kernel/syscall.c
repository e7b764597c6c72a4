/* System call dispatch: the table is built at boot from SYSCALL_DEFINE entries. */
#include "kernel.h"
#include "syscall.h"
#include "task.h"
#include "uapi/syscall_names.h"

extern const struct syscall_entry __start_syscall_table[], __stop_syscall_table[];
static long (*syscall_table[NR_SYSCALLS])(const long *);
static uint64_t warned[NR_SYSCALLS / 64];

void syscall_table_init(void)
{
	for (const struct syscall_entry *e = __start_syscall_table; e < __stop_syscall_table; e++) {
		if (syscall_table[e->nr])
			panic("system call %s defined twice", e->name);
		syscall_table[e->nr] = e->fn;
	}
}

static long unknown_syscall(struct task *t, long nr)
{
	bool known = (unsigned long)nr < NR_SYSCALLS;
	if (known && (warned[nr / 64] & (1ULL << (nr % 64))))
		return -ENOSYS;
	if (known)
		warned[nr / 64] |= 1ULL << (nr % 64);
	const char *name = known && syscall_names[nr] ? syscall_names[nr] : "unknown";
	pr_warn("%s[%d]: system call %s (%ld) not implemented\n", t->comm, t->tid, name, nr);
	return -ENOSYS;
}

/* umk.strace: every system call and its result in the kernel log. */
bool syscall_trace;

static void trace_syscall(struct task *t, long nr, const long *a, long ret)
{
	const char *name = (unsigned long)nr < NR_SYSCALLS && syscall_names[nr] ? syscall_names[nr] : "?";
	printk(KERN_DEBUG "%s[%d] %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) = %ld\n", t->comm, t->tid,
	       name, a[0], a[1], a[2], a[3], a[4], a[5], ret);
}

void do_syscall(struct task *t)
{
	long nr = (long)t->regs.orig_rax;
	const long args[6] = {(long)t->regs.rdi, (long)t->regs.rsi, (long)t->regs.rdx,
			      (long)t->regs.r10, (long)t->regs.r8,  (long)t->regs.r9};
	long ret;
	if ((unsigned long)nr < NR_SYSCALLS && syscall_table[nr])
		ret = syscall_table[nr](args);
	else
		ret = unknown_syscall(t, nr);
	if (unlikely(syscall_trace))
		trace_syscall(t, nr, args, ret);
	t->regs.rax = (uint64_t)ret;
}
