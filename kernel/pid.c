/* Process ids: one number space for threads, processes, groups and sessions. */
#include "kernel.h"
#include "task.h"

struct pid_slot {
	struct task *task;
	struct process *proc;
	bool reserved;
};

static struct pid_slot pids[PID_MAX];
static int last_pid;
LIST_HEAD(all_processes);
struct process *init_process;

/* A number is free when no thread, process, group or session uses it. */
static bool pid_in_use(int nr)
{
	if (pids[nr].task || pids[nr].proc || pids[nr].reserved)
		return true;
	struct process *p;
	for_each_process(p)
		if (p->pgid == nr || p->sid == nr)
			return true;
	return false;
}

int alloc_pid(void)
{
	for (int i = 0; i < PID_MAX - 1; i++) {
		int nr = last_pid + 1 + i;
		if (nr >= PID_MAX)
			nr = nr - PID_MAX + 300; /* Linux wraps to 300 */
		if (!pid_in_use(nr)) {
			pids[nr].reserved = true;
			last_pid = nr;
			return nr;
		}
	}
	return -EAGAIN;
}

int last_pid_allocated(void)
{
	return last_pid;
}

void free_pid(int nr)
{
	if (nr > 0 && nr < PID_MAX)
		pids[nr].reserved = false;
}

struct task *find_task(int tid)
{
	return tid > 0 && tid < PID_MAX ? pids[tid].task : NULL;
}

struct process *find_process(int pid)
{
	return pid > 0 && pid < PID_MAX ? pids[pid].proc : NULL;
}

void attach_task_pid(struct task *t)
{
	pids[t->tid].task = t;
}

void detach_task_pid(struct task *t)
{
	if (pids[t->tid].task == t)
		pids[t->tid].task = NULL;
}

void attach_process_pid(struct process *p)
{
	pids[p->pid].proc = p;
	list_add_tail(&p->all, &all_processes);
}

void detach_process_pid(struct process *p)
{
	if (pids[p->pid].proc == p)
		pids[p->pid].proc = NULL;
	list_del(&p->all);
}

bool pgrp_exists(int pgid, int sid)
{
	struct process *p;
	for_each_process(p)
		if (p->pgid == pgid && (sid < 0 || p->sid == sid) && p->state == PROCESS_ALIVE)
			return true;
	return false;
}
