/*
 * The life of a task thread: the kernel side of one guest thread. It runs
 * the guest until its next system call or fault, handles that in process
 * context under the big kernel lock, delivers pending signals, and resumes
 * the guest, until the task exits.
 */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "signal.h"
#include "syscall.h"

struct task *task_alloc(void)
{
	struct task *t = kzalloc(sizeof *t);
	if (!t)
		return NULL;
	list_init(&t->pending.queue);
	list_init(&t->thread_node);
	t->start_time_ns = ktime_get_ns();
	return t;
}

bool task_is_leader(const struct task *t)
{
	return t->tid == t->proc->pid;
}

static void handle_trap(struct task *t, const struct trap *trap)
{
	static bool warned_abi;
	switch (trap->kind) {
	case TRAP_SYSCALL:
		do_syscall(t);
		if (trap->test_result) { /* r11 too, where a syscall leaves the flags */
			t->regs.eflags = result_test_flags(t->regs.rax, t->regs.eflags);
			t->regs.r11 = t->regs.eflags;
		}
		break;
	case TRAP_BAD_ABI:
		/* As a kernel without IA32 emulation: int $0x80 is a #GP. */
		if (!warned_abi) {
			warned_abi = true;
			pr_warn(
			    "%s[%d]: int $0x80 system call refused: umk runs 64-bit code only\n",
			    t->comm, t->tid);
		}
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		break;
	case TRAP_FAULT:
		force_sig_fault(trap->signo, trap->code, trap->addr);
		break;
	case TRAP_KICK:
		break;
	case TRAP_GONE:
		/* Killed from the host: the guest sees SIGKILL. Its exit still
		 * releases t->host, which frees what the platform kept for it. */
		if (trap->code < 0)
			pr_warn("%s[%d]: killed: the host refused a memory call (error %d)\n",
				t->comm, t->tid, -trap->code);
		do_group_exit(SIGKILL);
	}
}

static void task_main(void *arg)
{
	struct task *t = arg;
	struct trap trap;
	current = t;
	lock_kernel();
	if (t->adopt_pending) {
		t->adopt_pending = false;
		if (platform->adopt(t->host) < 0) {
			t->host = NULL;
			do_exit(SIGKILL);
		}
		fork_child_setup(t);
	}
	if (t->kthread_fn)
		t->kthread_fn(t->kthread_arg);
	for (;;) {
		do_signal(t);
		t->in_user = true;
		proc_account(t, true);
		unlock_kernel();
		trap = (struct trap){0};
		platform->run(t->host, &t->regs, &trap);
		lock_kernel();
		t->in_user = false;
		proc_account(t, false);
		handle_trap(t, &trap);
	}
}

void task_start(struct task *t)
{
	t->last_switch_ns = ktime_get_ns();
	if (host_thread_create(task_main, t) < 0)
		panic("cannot create a task thread");
}

void task_thread_exit(void)
{
	current = NULL;
	unlock_kernel();
	host_thread_exit();
}
