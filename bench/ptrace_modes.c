/*
 * Which ptrace design is faster for a user-mode kernel with one kernel
 * thread per guest thread?
 *   own:    each task thread traces its own tracee (umk's design); the pair
 *           is pinned to one CPU.
 *   shared: one platform thread makes every ptrace call; task threads hand
 *           each stop to it and back through futexes (the alternative when
 *           new tracees stay attached to their parent's tracer).
 * Two tracees run getppid loops at once; reports ns per trapped syscall.
 * Build: cc -O2 -pthread bench/ptrace_modes.c -o ptrace_modes
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#define N	20000
#define TRACEES 2

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static void pin(pid_t tid, int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(tid, sizeof s, &s);
}

static pid_t spawn(int cpu)
{
	pid_t p = fork();
	if (p == 0) {
		pin(0, cpu);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		for (int i = 0; i < N; i++)
			syscall(SYS_getppid);
		_exit(0);
	}
	return p;
}

/* Answers one SYSEMU stop: the work a task thread does per syscall. */
static int answer(pid_t p)
{
	struct user_regs_struct r;
	ptrace(PTRACE_GETREGS, p, 0, &r);
	if (r.orig_rax == SYS_exit_group || r.orig_rax == SYS_exit) {
		ptrace(PTRACE_CONT, p, 0, 0);
		return 0;
	}
	r.rax = 42;
	ptrace(PTRACE_SETREGS, p, 0, &r);
	ptrace(PTRACE_SYSEMU, p, 0, 0);
	return 1;
}

static void *own_tracer(void *arg)
{
	int cpu = (int)(long)arg;
	pin(0, cpu);
	pid_t p = spawn(cpu);
	int st;
	waitpid(p, &st, 0);
	ptrace(PTRACE_SETOPTIONS, p, 0, PTRACE_O_EXITKILL);
	ptrace(PTRACE_SYSEMU, p, 0, 0);
	while (waitpid(p, &st, 0) == p && WIFSTOPPED(st))
		answer(p);
	return NULL;
}

/* shared: the platform thread waits for stops and hands each to the task
 * thread owning that tracee; the task thread "handles" it and hands back. */
struct handoff {
	atomic_int state; /* 0 idle, 1 stop pending for the task, 2 answered */
	pid_t pid;
};
static struct handoff slots[TRACEES];

static long futex(atomic_int *w, int op, int v)
{
	return syscall(SYS_futex, w, op, v, NULL, NULL, 0);
}

static void *task_thread(void *arg)
{
	struct handoff *h = arg;
	for (;;) {
		while (atomic_load(&h->state) != 1)
			futex(&h->state, FUTEX_WAIT, atomic_load(&h->state));
		if (h->pid < 0)
			return NULL;
		atomic_store(&h->state, 2);
		futex(&h->state, FUTEX_WAKE, 1);
	}
}

static void run_shared(void)
{
	pid_t pids[TRACEES];
	pthread_t tt[TRACEES];
	for (int i = 0; i < TRACEES; i++) {
		pids[i] = spawn(i);
		int st;
		waitpid(pids[i], &st, 0);
		ptrace(PTRACE_SETOPTIONS, pids[i], 0, PTRACE_O_EXITKILL);
		slots[i].pid = pids[i];
		pthread_create(&tt[i], NULL, task_thread, &slots[i]);
		ptrace(PTRACE_SYSEMU, pids[i], 0, 0);
	}
	int live = TRACEES, st;
	while (live) {
		pid_t p = waitpid(-1, &st, __WALL);
		if (p < 0)
			break;
		int i = p == pids[0] ? 0 : 1;
		if (!WIFSTOPPED(st)) {
			live--;
			continue;
		}
		/* hand to the task thread, wait for its answer, then resume */
		atomic_store(&slots[i].state, 1);
		futex(&slots[i].state, FUTEX_WAKE, 1);
		while (atomic_load(&slots[i].state) != 2)
			futex(&slots[i].state, FUTEX_WAIT, 1);
		atomic_store(&slots[i].state, 0);
		answer(p);
	}
	for (int i = 0; i < TRACEES; i++) {
		slots[i].pid = -1;
		atomic_store(&slots[i].state, 1);
		futex(&slots[i].state, FUTEX_WAKE, 1);
		pthread_join(tt[i], NULL);
	}
}

int main(void)
{
	double t = now();
	pthread_t th[TRACEES];
	for (long i = 0; i < TRACEES; i++)
		pthread_create(&th[i], NULL, own_tracer, (void *)i);
	for (int i = 0; i < TRACEES; i++)
		pthread_join(th[i], NULL);
	printf("own tracer per task, pinned:  %8.0f ns/syscall\n", (now() - t) / (N * TRACEES));
	t = now();
	run_shared();
	printf("one shared platform thread:   %8.0f ns/syscall\n", (now() - t) / (N * TRACEES));
	return 0;
}
