/* Exit, zombies, reaping and the wait family. */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "coredump.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "fs.h"
#include "mm.h"
#include "futex.h"
#include "tty.h"
#include "uapi/wait.h"

void (*init_exit_hook)(int status);

static int64_t proc_cputime(struct process *p, bool user);

/* Process groups whose every member's parent is inside the group or in
 * another session get no terminal stops (POSIX orphaned process groups). */
bool is_orphaned_pgrp(int pgid)
{
	struct process *p;
	for_each_process(p) {
		if (p->pgid != pgid || p->state != PROCESS_ALIVE || !p->parent)
			continue;
		if (p->parent->pgid != pgid && p->parent->sid == p->sid)
			return false;
	}
	return true;
}

static bool has_stopped_jobs(int pgid)
{
	struct process *p;
	for_each_process(p)
		if (p->pgid == pgid && p->stopped)
			return true;
	return false;
}

/* Linux's kill_orphaned_pgrp: a group whose link outside was a parent in
 * the same session (the dying process, or a dying member's parent) and
 * that is orphaned now gets SIGHUP and SIGCONT if it has stopped members.
 * The dying process no longer counts: it is a zombie. */
static void kill_orphaned_pgrp(int pgid, struct process *link, int sid)
{
	if (link->pgid == pgid || link->sid != sid || !is_orphaned_pgrp(pgid) ||
	    !has_stopped_jobs(pgid))
		return;
	kill_pgrp(pgid, SIGHUP, NULL);
	kill_pgrp(pgid, SIGCONT, NULL);
}

static void sigchld_info(struct linux_siginfo *info, struct process *p, int why, int status)
{
	memset(info, 0, sizeof *info);
	info->si_signo = SIGCHLD;
	info->si_code = why;
	info->chld.pid = p->pid;
	struct task *t = list_empty(&p->threads)
			     ? NULL
			     : list_first_entry(&p->threads, struct task, thread_node);
	info->chld.uid = t ? t->cred.uid : 0;
	info->chld.status = status;
	info->chld.utime = proc_cputime(p, true) / (NSEC_PER_SEC / USER_HZ);
	info->chld.stime = proc_cputime(p, false) / (NSEC_PER_SEC / USER_HZ);
}

static struct sighand *parent_sighand(struct process *parent)
{
	if (list_empty(&parent->threads))
		return NULL;
	return list_first_entry(&parent->threads, struct task, thread_node)->sighand;
}

void notify_parent_jobctl(struct process *p, int why)
{
	struct process *parent = p->parent;
	if (!parent)
		return;
	struct sighand *sh = parent_sighand(parent);
	if (sh && !(sh->action[SIGCHLD - 1].flags & SA_NOCLDSTOP)) {
		struct linux_siginfo info;
		sigchld_info(&info, p, why, why == CLD_STOPPED ? p->stop_signal : SIGCONT);
		send_sig_info_process(SIGCHLD, &info, parent);
	}
	wake_up(&parent->wait_child);
}

/* Tells the parent a child died; true if the child must be reaped at once
 * because the parent ignores SIGCHLD (or set SA_NOCLDWAIT). */
static bool notify_parent_exit(struct process *p)
{
	struct process *parent = p->parent;
	int st = p->exit_status, why, status;
	if ((st & 0x7f) == 0) {
		why = CLD_EXITED;
		status = (st >> 8) & 0xff;
	} else {
		why = (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
		status = st & 0x7f;
	}
	struct sighand *sh = parent_sighand(parent);
	bool autoreap = false;
	int sig = p->exit_signal;
	if (sh && sig == SIGCHLD &&
	    (sh->action[SIGCHLD - 1].handler == SIG_IGN ||
	     (sh->action[SIGCHLD - 1].flags & SA_NOCLDWAIT))) {
		autoreap = true;
		if (sh->action[SIGCHLD - 1].handler == SIG_IGN)
			sig = 0;
	}
	if (sig > 0 && sig <= NSIG) {
		struct linux_siginfo info;
		sigchld_info(&info, p, why, status);
		info.si_signo = sig;
		send_sig_info_process(sig, &info, parent);
	}
	wake_up(&parent->wait_child);
	return autoreap;
}

static struct process *find_new_reaper(struct process *p)
{
	for (struct process *a = p->parent; a; a = a->parent)
		if (a->is_subreaper && a->state == PROCESS_ALIVE)
			return a;
	return init_process;
}

/* PR_SET_PDEATHSIG: the child asked to hear of its parent thread's death. */
static void signal_parent_death(struct process *c)
{
	struct task *ct;
	for_each_thread(c, ct)
		if (ct->pdeath_signal)
			send_signal(ct->pdeath_signal, NULL, ct, false);
}

/* A thread exits while others of its process live on: its children become
 * a live sibling's, and hear of it, as in Linux. */
static void reparent_to_sibling(struct task *t)
{
	struct task *heir = NULL, *x;
	for_each_thread(t->proc, x)
		if (x != t && x->state != TASK_EXITING && !heir)
			heir = x;
	if (!heir)
		return; /* the whole group goes: reparent_children tells them */
	struct process *c;
	list_for_each_entry(c, &t->proc->children, sibling) {
		if (c->parent_tid == t->tid) {
			c->parent_tid = heir->tid;
			signal_parent_death(c);
		}
	}
}

/* Children of a dying process go to a subreaper or to init; a group this
 * exit orphans gets SIGHUP and SIGCONT if it has stopped members. */
static void reparent_children(struct process *p)
{
	struct process *reaper = find_new_reaper(p);
	struct process *c, *n;
	list_for_each_entry_safe(c, n, &p->children, sibling) {
		signal_parent_death(c);
		list_del(&c->sibling);
		c->parent = reaper;
		c->parent_tid = reaper->pid;
		list_add_tail(&c->sibling, &reaper->children);
		if (c->state == PROCESS_ZOMBIE) {
			if (notify_parent_exit(c))
				release_process(c);
		}
		kill_orphaned_pgrp(c->pgid, p, c->sid);
	}
	wake_up(&reaper->wait_child);
}

void release_process(struct process *p)
{
	if (p->state == PROCESS_DEAD)
		return;
	p->state = PROCESS_DEAD;
	timer_del(&p->real_timer);
	if (p->parent) {
		p->parent->child_utime_ns += proc_cputime(p, true) + p->child_utime_ns;
		p->parent->child_stime_ns += proc_cputime(p, false) + p->child_stime_ns;
		p->parent->child_maxrss_kb =
		    max(p->parent->child_maxrss_kb, max(p->maxrss_kb, p->child_maxrss_kb));
	}
	list_del(&p->sibling);
	detach_process_pid(p);
	sigpending_flush(&p->shared_pending);
	/* epoll items that polled a signalfd in this process let go. */
	wake_up_poll(&p->signalfd_wait, POLLFREE);
	wake_up(&p->pidfd_wait);
	put_process(p);
}

struct process *get_process(struct process *p)
{
	p->refcount++;
	return p;
}

void put_process(struct process *p)
{
	if (--p->refcount == 0)
		kfree(p);
}

static void exit_process(struct task *t)
{
	struct process *p = t->proc;
	if (!p->group_exiting)
		p->exit_status = t->exit_code; /* already a wait status */
	if (p == init_process) {
		printk(KERN_EMERG
		       "Kernel panic - not syncing: Attempted to kill init! exitcode=0x%08x\n",
		       p->exit_status);
		if (init_exit_hook)
			init_exit_hook(p->exit_status);
	}
	p->state = PROCESS_ZOMBIE;
	memcpy(p->zombie_comm, t->comm, sizeof p->zombie_comm);
	p->zombie_uid = t->cred.euid;
	p->zombie_gid = t->cred.egid;
	wake_up(&p->pidfd_wait);
	timer_del(&p->real_timer);
	exit_itimers(p);
	exit_sem(p);
	tty_release_session(p);
	reparent_children(p);
	/* A session leader's exit hangs up its terminal (tty layer, later). */
	if (p->parent)
		kill_orphaned_pgrp(p->pgid, p->parent, p->sid);
	if (notify_parent_exit(p))
		release_process(p);
}

/* Like Linux's exit_mm_release and exec_mm_release: the futexes first,
 * then clear_child_tid, which only a task that shares its memory (a
 * thread, a CLONE_VM child) clears and wakes; nobody else could see it. */
void mm_release(struct task *t)
{
	futex_exit_release(t);
	t->robust_list = 0;
	if (t->clear_child_tid && t->host && t->mm && t->mm->refcount > 1) {
		uint32_t zero = 0;
		if (!copy_to_user(t->clear_child_tid, &zero, sizeof zero))
			futex_wake_addr(t->clear_child_tid, 1);
	}
	t->clear_child_tid = 0;
}

static void exit_files_fs_mm(struct task *t)
{
	if (t->files)
		files_put(t->files);
	if (t->fs)
		fs_put(t->fs);
	if (t->mm)
		mm_put(t->mm);
	t->files = NULL;
	t->fs = NULL;
	t->mm = NULL;
}

void do_exit(int code)
{
	struct task *t = current;
	struct process *p = t->proc;
	if (p->core_dumper && p->core_dumper != t)
		core_thread_park(t);
	t->state = TASK_EXITING;
	t->exit_code = code;
	mm_release(t);
	vfork_release(t);
	proc_account(t, false);
	update_maxrss(t);
	p->dead_utime_ns += t->utime_ns;
	p->dead_stime_ns += t->stime_ns;
	if (t->host) {
		platform->release(t->host);
		t->host = NULL;
	}
	exit_files_fs_mm(t);
	sigpending_flush(&t->pending);
	if (p->nr_threads > 1)
		reparent_to_sibling(t);
	list_del(&t->thread_node);
	detach_task_pid(t);
	free_pid(t->tid);
	t->state = TASK_DEAD;
	if (--p->nr_threads == 0)
		exit_process(t);
	else if (p->group_exec_task)
		task_wake(p->group_exec_task);
	else if (p->core_dumper)
		task_wake(p->core_dumper);
	if (--t->sighand->refcount == 0)
		kfree(t->sighand);
	kfree(t);
	task_thread_exit();
}

void start_group_exit(int status)
{
	struct process *p = current->proc;
	if (p->group_exiting)
		return;
	p->group_exiting = true;
	p->exit_status = status;
	struct task *x;
	for_each_thread(p, x)
		if (x != current)
			signal_wake_up(x);
}

void do_group_exit(int status)
{
	start_group_exit(status);
	do_exit(current->proc->exit_status);
}

SYSCALL_DEFINE1(exit, int, code)
{
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	do_group_exit((code & 0xff) << 8);
}

/* ---- wait ---- */

struct wait_opts {
	int which; /* P_ALL, P_PID, P_PGID, P_PIDFD */
	int id;
	struct process *target; /* P_PIDFD's */
	int options;
	uaddr_t uinfo;	 /* waitid */
	uaddr_t ustatus; /* wait4 */
	uaddr_t urusage;
	int64_t ret_pid;
	bool fault; /* a result did not reach the guest: EFAULT, event consumed */
};

static bool eligible(const struct wait_opts *wo, struct process *c)
{
	if (wo->which == P_PID && c->pid != wo->id)
		return false;
	if (wo->which == P_PGID && c->pgid != wo->id)
		return false;
	if (wo->which == P_PIDFD && c != wo->target)
		return false;
	/* __WCLONE selects children that signal something other than SIGCHLD. */
	if (!(wo->options & __WALL) && ((c->exit_signal != SIGCHLD) ^ !!(wo->options & __WCLONE)))
		return false;
	return true;
}

static int64_t proc_cputime(struct process *p, bool user)
{
	int64_t ns = user ? p->dead_utime_ns : p->dead_stime_ns;
	struct task *t;
	for_each_thread(p, t)
		ns += user ? t->utime_ns : t->stime_ns;
	return ns;
}

void update_maxrss(struct task *t)
{
	if (!t->host)
		return;
	int64_t kb = platform->maxrss_kb(t->host);
	if (kb > t->proc->maxrss_kb)
		t->proc->maxrss_kb = kb;
}

static void fill_rusage(struct linux_rusage *ru, int64_t utime, int64_t stime)
{
	memset(ru, 0, sizeof *ru);
	ru->ru_utime.tv_sec = utime / NSEC_PER_SEC;
	ru->ru_utime.tv_usec = utime % NSEC_PER_SEC / 1000;
	ru->ru_stime.tv_sec = stime / NSEC_PER_SEC;
	ru->ru_stime.tv_usec = stime % NSEC_PER_SEC / 1000;
}

/* Like Linux, the child is reaped (or its event consumed) even when the
 * results cannot be written: the call then fails with EFAULT. */
static int report(struct wait_opts *wo, struct process *c, int why, int status, int wstatus)
{
	if (wo->ustatus && copy_result_to_user(wo->ustatus, &wstatus, sizeof wstatus))
		wo->fault = true;
	if (wo->urusage) {
		struct linux_rusage ru;
		fill_rusage(&ru, proc_cputime(c, true) + c->child_utime_ns,
			    proc_cputime(c, false) + c->child_stime_ns);
		ru.ru_maxrss = max(c->maxrss_kb, c->child_maxrss_kb);
		if (copy_result_to_user(wo->urusage, &ru, sizeof ru))
			wo->fault = true;
	}
	if (wo->uinfo) {
		struct linux_siginfo info;
		sigchld_info(&info, c, why, status);
		if (copy_result_to_user(wo->uinfo, &info, sizeof info))
			wo->fault = true;
	}
	wo->ret_pid = c->pid;
	return 1;
}

/* 1 if c was reported, 0 if it has nothing to report, or -errno. */
static int wait_consider(struct wait_opts *wo, struct process *c)
{
	if (c->state == PROCESS_ZOMBIE && (wo->options & WEXITED)) {
		int st = c->exit_status, why, status;
		if ((st & 0x7f) == 0) {
			why = CLD_EXITED;
			status = (st >> 8) & 0xff;
		} else {
			why = (st & 0x80) ? CLD_DUMPED : CLD_KILLED;
			status = st & 0x7f;
		}
		int r = report(wo, c, why, status, st);
		if (r > 0 && !(wo->options & WNOWAIT))
			release_process(c);
		return r;
	}
	if (c->state != PROCESS_ALIVE)
		return 0;
	if (c->job_event == JOB_STOPPED && c->stopped && (wo->options & WUNTRACED)) {
		int r = report(wo, c, CLD_STOPPED, c->stop_signal, (c->stop_signal << 8) | 0x7f);
		if (r > 0 && !(wo->options & WNOWAIT))
			c->job_event = 0;
		return r;
	}
	if (c->job_event == JOB_CONTINUED && (wo->options & WCONTINUED)) {
		int r = report(wo, c, CLD_CONTINUED, SIGCONT, 0xffff);
		if (r > 0 && !(wo->options & WNOWAIT))
			c->job_event = 0;
		return r;
	}
	return 0;
}

static long do_wait(struct wait_opts *wo)
{
	struct process *self = current->proc;
	struct waiter w;
	long ret;
	waiter_add(&self->wait_child, &w);
	for (;;) {
		bool any = false;
		struct process *c, *n;
		ret = 0;
		list_for_each_entry_safe(c, n, &self->children, sibling) {
			if (!eligible(wo, c))
				continue;
			any = true;
			int r = wait_consider(wo, c);
			if (r) {
				ret = r < 0 ? r : wo->ret_pid;
				break;
			}
		}
		if (ret)
			break;
		if (!any) {
			ret = -ECHILD;
			break;
		}
		if (wo->options & WNOHANG)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	waiter_del(&w);
	return ret > 0 && wo->fault ? -EFAULT : ret;
}

SYSCALL_DEFINE4(wait4, int, pid, uaddr_t, ustatus, int, options, uaddr_t, urusage)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	struct wait_opts wo = {
	    .which = P_ALL, .options = options | WEXITED, .ustatus = ustatus, .urusage = urusage};
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid > 0) {
		wo.which = P_PID;
		wo.id = pid;
	} else if (pid == 0) {
		wo.which = P_PGID;
		wo.id = current->proc->pgid;
	} else if (pid < -1) {
		wo.which = P_PGID;
		wo.id = -pid;
	}
	return do_wait(&wo);
}

SYSCALL_DEFINE5(waitid, int, which, int, id, uaddr_t, uinfo, int, options, uaddr_t, urusage)
{
	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	struct wait_opts wo = {
	    .which = which, .id = id, .options = options, .uinfo = uinfo, .urusage = urusage};
	bool nonblock_pidfd = false;
	switch (which) {
	case P_ALL:
		break;
	case P_PID:
	case P_PGID:
		if (id <= 0 && !(which == P_PGID && id == 0))
			return -EINVAL;
		if (which == P_PGID && id == 0)
			wo.id = current->proc->pgid;
		break;
	case P_PIDFD: {
		if (id < 0)
			return -EINVAL;
		struct file *f = fget(id);
		wo.target = f ? pidfd_process(f) : NULL;
		nonblock_pidfd = f && (f->flags & O_NONBLOCK);
		if (wo.target)
			get_process(wo.target);
		if (f)
			fput(f);
		if (!wo.target)
			return -EBADF;
		/* A PIDFD_NONBLOCK pidfd never waits: EAGAIN instead. */
		if (nonblock_pidfd)
			wo.options |= WNOHANG;
		break;
	}
	default:
		return -EINVAL;
	}
	long r = do_wait(&wo);
	if (wo.target)
		put_process(wo.target);
	if (r == 0 && nonblock_pidfd && !(options & WNOHANG))
		return -EAGAIN;
	if (r == 0 && uinfo) {
		/* WNOHANG with nothing to report: zero si_pid and si_signo. */
		struct linux_siginfo info;
		memset(&info, 0, sizeof info);
		if (copy_to_user(uinfo, &info, sizeof info))
			return -EFAULT;
	}
	return r < 0 ? r : 0;
}
