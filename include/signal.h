/* Signal generation and delivery inside the kernel. */
#ifndef SIGNAL_H
#define SIGNAL_H
#include "kernel.h"
#include "uapi/signal.h"

struct task;
struct process;

#define SIG_KERNEL_ONLY_MASK (sigmask(SIGKILL) | sigmask(SIGSTOP))
#define SIG_STOP_MASK	     (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))

void sigpending_init(struct sigpending *p);
void sigpending_flush(struct sigpending *p);

/* Sends to one thread (group=false) or to its whole process. info may be
 * NULL for SI_KERNEL. Returns 0 or -errno (-EAGAIN if the queue is full). */
int send_signal(int sig, const struct linux_siginfo *info, struct task *t, bool group);
int send_sig_info_process(int sig, const struct linux_siginfo *info, struct process *p);
/* From current, with SI_USER and the sender's pid and uid. */
int kill_process(struct process *p, int sig);
/* The siginfo of a signal current sends (si_code SI_USER or SI_TKILL). */
void prepare_kill_siginfo(struct linux_siginfo *info, int sig, int code);
/* Sends with a given siginfo if current may; 0 for a process that exited. */
int kill_process_info(struct process *p, int sig, const struct linux_siginfo *info);
int kill_pgrp(int pgid, int sig, const struct linux_siginfo *info);
/* A synchronous fault of current: never blocked or ignored. */
void force_sig_fault(int sig, int code, uint64_t addr);
void force_sig(int sig);

void signal_wake_up(struct task *t);
/* Before returning to guest code: delivers or acts on pending signals,
 * restarts interrupted system calls. */
void do_signal(struct task *t);
void flush_signal_handlers(struct task *t);
bool sig_ignored_by(struct task *t, int sig);
int sig_default_stops(int sig);
int dequeue_signal(struct task *t, linux_sigset_t allowed, struct linux_siginfo *info);
int set_blocked(int how, linux_sigset_t set, linux_sigset_t *old);
/* posix-timers.c: a timer's signal is being dequeued. False if it is stale
 * (to drop); else its overrun count becomes timer_getoverrun's. */
bool posixtimer_deliver(struct process *p, struct linux_siginfo *info);
/* exit.c: job-control notifications and orphaned groups */
void notify_parent_jobctl(struct process *p, int why);
bool is_orphaned_pgrp(int pgid);

#endif
