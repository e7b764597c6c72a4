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
	t->regs.rax = (uint64_t)ret;
}
