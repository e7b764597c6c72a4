/*
 * Tasks and processes. A task is one guest thread (Linux's task_struct); a
 * process is a thread group with its identity, children and shared signal
 * state (Linux's signal_struct). Each task is driven by one kernel task
 * thread, a host pthread of ./linux that runs the task's kernel side.
 */
#ifndef TASK_H
#define TASK_H
#include "kernel.h"
#include "host.h"
#include "wait.h"
#include "uapi/ptrace.h"
#include "uapi/signal.h"
#include "uapi/misc.h"
#include "timer.h"

struct host_thread;
struct mm;
struct file;
struct tty;
struct path;
struct fs_struct;
struct files_struct;

#define PID_MAX	      32768
#define TASK_COMM_LEN 16

struct cred {
	uid_t_ uid, euid, suid, fsuid;
	gid_t_ gid, egid, sgid, fsgid;
	int ngroups;
	gid_t_ groups[64];
	uint64_t cap_effective, cap_permitted, cap_inheritable, cap_bset, cap_ambient;
	unsigned securebits;
	bool keep_caps;
};
#define CAP_FULL_SET 0x1ffffffffffULL

struct sighand {
	int refcount;
	struct linux_sigaction action[NSIG];
};

struct sigqueue {
	struct list_head list;
	struct linux_siginfo info;
	struct sigpending_user *user; /* charged for RLIMIT_SIGPENDING */
};

struct sigpending {
	linux_sigset_t signal;
	struct list_head queue;
};

enum process_state { PROCESS_ALIVE, PROCESS_ZOMBIE, PROCESS_DEAD };

/* Job-control events a parent has yet to collect with wait. */
#define JOB_STOPPED   1
#define JOB_CONTINUED 2

struct process {
	int pid; /* the thread group id */
	int refcount;
	struct process *parent;
	/* The parent's thread this child counts as the child of (Linux's
	 * real_parent): the one that forked it, until it exits. */
	int parent_tid;
	struct list_head children, sibling;
	struct list_head threads;
	int nr_threads;
	struct list_head all; /* in the list of all processes */

	struct sigpending shared_pending;
	int pgid, sid;
	/* What /proc shows of a zombie: its last thread's name and ids. */
	char zombie_comm[TASK_COMM_LEN];
	uid_t_ zombie_uid;
	gid_t_ zombie_gid;
	struct tty *tty; /* controlling terminal */

	enum process_state state;
	int exit_status; /* wait status word */
	bool group_exiting;
	int exit_signal; /* sent to the parent at exit (SIGCHLD) */
	int job_event;	 /* JOB_* waiting for the parent */
	int stop_signal;
	bool stopped;
	struct wait_queue wait_child;	 /* woken when a child changes state */
	struct wait_queue signalfd_wait; /* woken when a signal is queued */
	struct wait_queue pidfd_wait;	 /* woken when it exits and when it is reaped */
	struct list_head posix_timers;	 /* timer_create's, by id */
	int next_timer_id;

	struct linux_rlimit rlim[RLIM_NLIMITS];
	int64_t dead_utime_ns, dead_stime_ns;	/* of exited threads */
	int64_t child_utime_ns, child_stime_ns; /* of reaped children */
	int64_t maxrss_kb, child_maxrss_kb;	/* peak RSS: own (across exec), children's */
	int64_t start_time_ns;
	bool is_subreaper;
	struct task *group_exec_task; /* an execve waiting for the other threads */
	/* A core dump: the thread writing it, and the others' states, saved
	 * as they stop on their way out (coredump.c). */
	struct task *core_dumper;
	struct core_thread *core_threads;
	int core_parked;
	bool did_exec;
	int dumpable;
	int oom_score_adj;
	struct ktimer real_timer; /* alarm, ITIMER_REAL */
	int64_t it_real_interval;
	/* ITIMER_VIRTUAL, ITIMER_PROF: expiry in the process's CPU time (0: off) */
	int64_t it_cpu_expires[2], it_cpu_interval[2];
	int64_t next_xcpu_ns; /* RLIMIT_CPU: when SIGXCPU is next due */
};

enum task_state { TASK_RUNNING, TASK_EXITING, TASK_DEAD };

/* Work the task must do before it returns to its guest code. */
#define TIF_SIGPENDING 1

struct restart_block {
	long (*fn)(struct restart_block *);
	int64_t deadline_ns;
	int clock;
	uaddr_t rmtp;
};

struct task {
	int tid;
	struct process *proc;
	struct list_head thread_node;
	enum task_state state;
	char comm[TASK_COMM_LEN];

	struct host_thread *host;
	struct user_regs regs;
	bool in_user;		    /* its guest code is running (kick to interrupt) */
	bool sleeping;		    /* blocked in the kernel (ps shows S) */
	bool adopt_pending;	    /* host thread not yet driven by this task's thread */
	struct host_sleeper wake;   /* what the task thread sleeps on */
	void (*kthread_fn)(void *); /* run in task context before entering user */
	void *kthread_arg;

	struct mm *mm;
	struct fs_struct *fs;
	struct files_struct *files;
	struct sighand *sighand;
	struct cred cred;

	linux_sigset_t blocked;
	linux_sigset_t saved_sigmask;
	linux_sigset_t sigwait_set; /* awaited in rt_sigtimedwait: not fatal */
	bool restore_sigmask;
	struct sigpending pending;
	struct linux_stack sas;
	int exit_code;
	unsigned personality;
	int pdeath_signal;
	bool no_new_privs;
	/* The rseq area registered with the host for this thread (0: none). */
	struct {
		uaddr_t area;
		uint32_t len, sig;
	} rseq;
	uint64_t timer_slack_ns;
	int nice;
	int ioprio; /* ioprio_set: class << 13 | level; 0, none, by default */
	int sched_policy, sched_priority;
	uint64_t cpu_mask; /* sched_setaffinity, over the guest's CPUs */

	uaddr_t set_child_tid, clear_child_tid;
	uaddr_t robust_list;
	size_t robust_len;
	struct restart_block restart;
	struct task *vfork_parent; /* released at our exec or exit */
	bool vfork_done;

	int64_t utime_ns, stime_ns, last_switch_ns;
	int64_t start_time_ns;
};

extern __thread struct task *current;

/* pid.c */
int alloc_pid(void);
int last_pid_allocated(void);
void free_pid(int pid);
struct task *find_task(int tid);
struct process *find_process(int pid);
void attach_task_pid(struct task *t);
void detach_task_pid(struct task *t);
void attach_process_pid(struct process *p);
void detach_process_pid(struct process *p);
bool pgrp_exists(int pgid, int sid);
extern struct list_head all_processes;
extern struct process *init_process;
#define for_each_process(p)	 list_for_each_entry(p, &all_processes, all)
#define for_each_thread(proc, t) list_for_each_entry(t, &(proc)->threads, thread_node)

/* task.c: life of a task thread */
struct task *task_alloc(void);
void task_start(struct task *t);
void task_wake(struct task *t);
__attribute__((noreturn)) void task_thread_exit(void);
bool task_is_leader(const struct task *t);

/* fork.c / exit.c */
long do_fork(unsigned long flags, uaddr_t stack, uaddr_t parent_tid, uaddr_t child_tid, uaddr_t tls,
	     int exit_signal, uaddr_t pidfd);
void fork_child_setup(struct task *c);
void vfork_release(struct task *child);
/* The old address space goes (exit, exec): robust and PI futexes, then
 * clear_child_tid. */
void mm_release(struct task *t);
/* Folds the stub's peak RSS into the process's, before the stub goes. */
void update_maxrss(struct task *t);
__attribute__((noreturn)) void do_exit(int status);
__attribute__((noreturn)) void do_group_exit(int status);
/* The whole group exits with status (unless it already is): the other
 * threads are woken to die; the caller goes on. */
void start_group_exit(int status);
/* setpriority's rules for one task: EPERM for others', EACCES to lower. */
long set_task_nice(struct task *t, int niceval);
void release_process(struct process *p);
/* pidfd.c: a pidfd's process (NULL for another file); a new pidfd. */
struct process *pidfd_process(struct file *f);
int pidfd_create(struct process *p, unsigned flags);
/* Whether the caller may attach to p as a debugger would (pidfd_getfd,
 * process_vm_readv). */
bool ptrace_may_access(struct process *p);
/* References that keep a process's structure after it is reaped (pidfds). */
struct process *get_process(struct process *p);
void put_process(struct process *p);

/* sched.c: sleeping under the big kernel lock */
int schedule_deadline(int64_t deadline_ns);
static inline void schedule(void)
{
	schedule_deadline(0);
}
int64_t ktime_get_ns(void); /* host monotonic */

/* itimer.c */
/* The process's CPU time now, including threads running at this moment. */
int64_t process_cputime_ns(struct process *p, bool with_system);
void cpu_timers_changed(void);
/* A periodic ITIMER_REAL's SIGALRM was dequeued: arm its next period. */
void itimer_rearm(struct process *p);
/* posix-timers.c: a process's timers go at exit and exec */
void exit_itimers(struct process *p);
/* ipc/sem.c: a process's SEM_UNDO adjustments are applied at its exit */
void exit_sem(struct process *p);

/* sys.c */
extern struct new_utsname utsname;
void proc_account(struct task *t, bool to_user);

#endif
