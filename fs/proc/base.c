/* /proc/PID: a process as its files. */
#include <stdio.h>
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "fs.h"
#include "mm.h"
#include "uaccess.h"
#include "ktime.h"
#include "proc.h"
#include "tty.h"

static uint64_t mm_rss_pages(struct mm *mm);

/* ---- Magic links ---- */

static int link_exe(const struct proc_node *n, struct path *out)
{
	struct task *t = proc_task(n);
	if (!t || !t->mm || !t->mm->exe_file)
		return -ENOENT;
	path_copy(out, &t->mm->exe_file->path);
	return 0;
}

static int link_cwd(const struct proc_node *n, struct path *out)
{
	struct task *t = proc_task(n);
	if (!t || !t->fs)
		return -ENOENT;
	path_copy(out, &t->fs->pwd);
	return 0;
}

static int link_root(const struct proc_node *n, struct path *out)
{
	struct task *t = proc_task(n);
	if (!t || !t->fs)
		return -ENOENT;
	path_copy(out, &t->fs->root);
	return 0;
}

static int link_fd(const struct proc_node *n, struct path *out)
{
	struct task *t = proc_task(n);
	if (!t || !t->files || n->fd >= t->files->max_fds || !t->files->fd[n->fd])
		return -ENOENT;
	path_copy(out, &t->files->fd[n->fd]->path);
	return 0;
}

static const struct proc_entry fd_link_entry = {
    .name = "fd", .mode = S_IFLNK | 0700, .link = link_fd};
static int show_fdinfo(struct seq *s, const struct proc_node *n);
static const struct proc_entry fdinfo_entry = {
    .name = "fdinfo", .mode = S_IFREG | 0444, .show = show_fdinfo};

static int fd_list(const struct proc_node *n, int after, int *next)
{
	struct task *t = proc_task(n);
	if (!t || !t->files)
		return -ENOENT;
	for (int fd = after < 0 ? 0 : after; fd < t->files->max_fds; fd++)
		if (t->files->fd[fd]) {
			*next = fd;
			return 0;
		}
	return -ENOENT;
}

static int fd_lookup_as(const struct proc_node *n, const char *name, struct proc_node *child,
			const struct proc_entry *e)
{
	struct task *t = proc_task(n);
	char *end;
	long fd = strtol(name, &end, 10);
	if (!t || !t->files || *end || end == name || fd < 0 || fd >= t->files->max_fds ||
	    !t->files->fd[fd] || (name[0] == '0' && name[1]))
		return -ENOENT;
	child->entry = e;
	child->pid = n->pid;
	child->fd = (int)fd;
	return 0;
}

static int fd_lookup(const struct proc_node *n, const char *name, struct proc_node *child)
{
	return fd_lookup_as(n, name, child, &fd_link_entry);
}

static int fdinfo_lookup(const struct proc_node *n, const char *name, struct proc_node *child)
{
	return fd_lookup_as(n, name, child, &fdinfo_entry);
}

/* /proc/PID/task: one directory per thread. */
static int task_list(const struct proc_node *n, int after, int *next)
{
	struct task *t = proc_task(n);
	if (!t)
		return -ENOENT;
	int best = -1;
	struct task *x;
	for_each_thread(t->proc, x)
		if (x->tid >= after && (best < 0 || x->tid < best))
			best = x->tid;
	if (best < 0)
		return -ENOENT;
	*next = best;
	return 0;
}

static int task_lookup(const struct proc_node *n, const char *name, struct proc_node *child)
{
	struct task *t = proc_task(n), *x;
	char *end;
	long tid = strtol(name, &end, 10);
	if (!t || *end || end == name || name[0] == '0')
		return -ENOENT;
	x = find_task((int)tid);
	if (!x || x->proc != t->proc || x->state != TASK_RUNNING)
		return -ENOENT;
	child->entry = &proc_tid_entry;
	child->pid = (int)tid;
	child->fd = 0;
	return 0;
}

/* ---- Files about the process ---- */

/* Bytes of [start, end) in the task's memory, NULs kept (cmdline, environ). */
static int show_user_range(struct seq *s, struct task *t, uaddr_t start, uaddr_t end)
{
	char buf[4096];
	while (start < end) {
		size_t n = min((size_t)(end - start), sizeof buf);
		if (copy_from_task(t, buf, start, n))
			break;
		seq_write(s, buf, n);
		start += n;
	}
	return 0;
}

static int show_cmdline(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	if (!t)
		return proc_zombie(n) ? 0 : -ESRCH; /* a zombie has no memory */
	if (!t->mm || !t->host)
		return 0;
	return show_user_range(s, t, t->mm->arg_start, t->mm->arg_end);
}

static int show_environ(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	if (!t)
		return -ESRCH;
	if (current->cred.euid != t->cred.uid && !capable(CAP_SYS_PTRACE))
		return -EACCES;
	if (!t->mm || !t->host)
		return 0;
	return show_user_range(s, t, t->mm->env_start, t->mm->env_end);
}

static int show_comm(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	if (!t)
		return -ESRCH;
	seq_printf(s, "%s\n", t->comm);
	return 0;
}

static int write_comm(const struct proc_node *n, const char *buf, size_t len)
{
	struct task *t = proc_task(n);
	if (!t)
		return -ESRCH;
	if (t->proc != current->proc)
		return -EINVAL;
	/* As Linux: the bytes as written, a trailing newline included. */
	memset(t->comm, 0, sizeof t->comm);
	memcpy(t->comm, buf, min(len, sizeof t->comm - 1));
	return 0;
}

static int show_oom_score_adj(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	if (!t)
		return -ESRCH;
	seq_printf(s, "%d\n", t->proc->oom_score_adj);
	return 0;
}

/* umk never kills for memory: the value is kept for those who read it. */
static int write_oom_score_adj(const struct proc_node *n, const char *buf, size_t len)
{
	struct task *t = proc_task(n);
	char *end;
	long v = strtol(buf, &end, 10);
	(void)len;
	if (!t)
		return -ESRCH;
	if (end == buf || v < -1000 || v > 1000)
		return -EINVAL;
	if (v < t->proc->oom_score_adj && !capable(CAP_SYS_RESOURCE))
		return -EACCES;
	t->proc->oom_score_adj = (int)v;
	return 0;
}

static int show_oom_score(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	if (!t)
		return -ESRCH;
	int v = 666 + t->proc->oom_score_adj * 2 / 3; /* Linux's scale: 0..2000 */
	seq_printf(s, "%d\n", v < 0 ? 0 : v);
	return 0;
}

static int show_cgroup(struct seq *s, const struct proc_node *n)
{
	if (!proc_task(n))
		return -ESRCH;
	seq_printf(s, "0::/\n");
	return 0;
}

static int show_limits(struct seq *s, const struct proc_node *n)
{
	static const struct {
		const char *name, *unit;
	} lim[RLIM_NLIMITS] = {
	    {"Max cpu time", "seconds"},     {"Max file size", "bytes"},
	    {"Max data size", "bytes"},	     {"Max stack size", "bytes"},
	    {"Max core file size", "bytes"}, {"Max resident set", "bytes"},
	    {"Max processes", "processes"},  {"Max open files", "files"},
	    {"Max locked memory", "bytes"},  {"Max address space", "bytes"},
	    {"Max file locks", "locks"},     {"Max pending signals", "signals"},
	    {"Max msgqueue size", "bytes"},  {"Max nice priority", ""},
	    {"Max realtime priority", ""},   {"Max realtime timeout", "us"},
	};
	struct task *t = proc_task(n);
	if (!t)
		return -ESRCH;
	seq_printf(s, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		char soft[24], hard[24];
		const struct linux_rlimit *r = &t->proc->rlim[i];
		if (r->rlim_cur == RLIM_INFINITY)
			strcpy(soft, "unlimited");
		else
			snprintf(soft, sizeof soft, "%llu", (unsigned long long)r->rlim_cur);
		if (r->rlim_max == RLIM_INFINITY)
			strcpy(hard, "unlimited");
		else
			snprintf(hard, sizeof hard, "%llu", (unsigned long long)r->rlim_max);
		seq_printf(s, "%-25s %-20s %-20s %-10s\n", lim[i].name, soft, hard, lim[i].unit);
	}
	return 0;
}

static int show_mountinfo(struct seq *s, const struct proc_node *n)
{
	if (!proc_task(n))
		return -ESRCH;
	return show_mountinfo_all(s);
}

static int show_smaps_rollup(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	if (!t)
		return -ESRCH;
	uint64_t kb = mm_rss_pages(t->mm) * 4;
	seq_printf(s, "00400000-7fff00000000 ---p 00000000 00:00 0 [rollup]\n");
	seq_printf(
	    s,
	    "Rss:            %8llu kB\nPss:            %8llu kB\n"
	    "Shared_Clean:          0 kB\nShared_Dirty:          0 kB\n"
	    "Private_Clean:         0 kB\nPrivate_Dirty:  %8llu kB\n"
	    "Referenced:     %8llu kB\nAnonymous:      %8llu kB\nSwap:                  0 kB\n",
	    (unsigned long long)kb, (unsigned long long)kb, (unsigned long long)kb,
	    (unsigned long long)kb, (unsigned long long)kb);
	return 0;
}

static int show_fdinfo(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	if (!t || !t->files || n->fd >= t->files->max_fds || !t->files->fd[n->fd])
		return -ENOENT;
	struct file *f = t->files->fd[n->fd];
	unsigned acc = (f->mode & FMODE_READ) && (f->mode & FMODE_WRITE) ? O_RDWR
		       : (f->mode & FMODE_WRITE)			 ? O_WRONLY
									 : O_RDONLY;
	unsigned flags = (f->flags & ~(unsigned)O_ACCMODE) | acc;
	if (t->files->cloexec[n->fd / 64] & (1ULL << (n->fd % 64)))
		flags |= O_CLOEXEC;
	seq_printf(s, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%llu\n", (long long)f->pos,
		   flags, f->path.mnt->id, (unsigned long long)f->inode->ino);
	if (f->f_op && f->f_op->show_fdinfo)
		f->f_op->show_fdinfo(f, s);
	return 0;
}

static char task_state_char(struct task *t)
{
	if (t->proc->stopped)
		return 'T';
	return t->sleeping ? 'S' : 'R';
}

static uint64_t mm_rss_pages(struct mm *mm)
{
	/* The host decides residency; report what is mapped and written. */
	return mm ? mm->total_vm / 4 : 0;
}

/* A zombie's stat: its identity, times and state; no memory. */
static int show_zombie_stat(struct seq *s, struct process *p)
{
	int64_t tick = NSEC_PER_SEC / USER_HZ;
	seq_printf(s, "%d (%s) Z %d %d %d 0 -1 %u 0 0 0 0 ", p->pid, p->zombie_comm,
		   p->parent ? p->parent->pid : 0, p->pgid, p->sid, 0x400004u);
	seq_printf(s, "%lld %lld %lld %lld 20 0 1 0 %lld ", (long long)(p->dead_utime_ns / tick),
		   (long long)(p->dead_stime_ns / tick), (long long)(p->child_utime_ns / tick),
		   (long long)(p->child_stime_ns / tick),
		   (long long)((p->start_time_ns - boot_time_ns()) / tick));
	seq_printf(s, "0 0 %llu 0 0 0 0 0 0 0 0 0 0 0 0 0 %d 0 0 0 0 0 0 0 0 0 0 0 0 0 %d\n",
		   (unsigned long long)RLIM_INFINITY, p->exit_signal, p->exit_status);
	return 0;
}

static int show_stat(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	struct process *z = t ? NULL : proc_zombie(n);
	if (z)
		return show_zombie_stat(s, z);
	if (!t)
		return -ESRCH;
	struct process *p = t->proc;
	struct mm *mm = t->mm;
	int64_t tick = NSEC_PER_SEC / USER_HZ;
	unsigned long long m[9] = {0};
	if (mm) {
		m[0] = mm->start_code, m[1] = mm->end_code, m[2] = mm->start_stack;
		m[3] = mm->start_data, m[4] = mm->end_data, m[5] = mm->start_brk;
		m[6] = mm->arg_start, m[7] = mm->arg_end, m[8] = mm->env_end;
	}
	/* Fields 1-13: identity, terminal, flags, faults. */
	seq_printf(s, "%d (%s) %c %d %d %d %d %d %u 0 0 0 0 ", t->tid, t->comm, task_state_char(t),
		   p->parent ? p->parent->pid : 0, p->pgid, p->sid, tty_nr_of(p), tty_fg_pgrp_of(p),
		   0x400000u);
	/* 14-22: times, priority, threads, start time. */
	seq_printf(s, "%lld %lld %lld %lld %d %d %d 0 %lld ", (long long)(t->utime_ns / tick),
		   (long long)(t->stime_ns / tick), (long long)(p->child_utime_ns / tick),
		   (long long)(p->child_stime_ns / tick), 20 + t->nice, t->nice, p->nr_threads,
		   (long long)((p->start_time_ns - boot_time_ns()) / tick));
	/* 23-30: memory. */
	seq_printf(s, "%llu %llu %llu %llu %llu %llu 0 0 ",
		   (unsigned long long)(mm ? mm->total_vm * 4096 : 0),
		   (unsigned long long)mm_rss_pages(mm), (unsigned long long)RLIM_INFINITY, m[0],
		   m[1], m[2]);
	/* 31-44: obsolete signal fields, wchan, exit signal, scheduling. */
	seq_printf(s, "0 0 0 0 0 0 0 %d 0 0 0 0 0 0 ", p->exit_signal);
	/* 45-52: data, brk, arguments, environment, exit code. */
	seq_printf(s, "%llu %llu %llu %llu %llu %llu %llu 0\n", m[3], m[4], m[5], m[6], m[7], m[7],
		   m[8]);
	return 0;
}

static int show_statm(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	if (!t)
		return -ESRCH;
	uint64_t size = t->mm ? t->mm->total_vm : 0, rss = mm_rss_pages(t->mm);
	seq_printf(s, "%llu %llu 0 0 0 0 0\n", (unsigned long long)size, (unsigned long long)rss);
	return 0;
}

static void show_sigset(struct seq *s, const char *name, linux_sigset_t set)
{
	seq_printf(s, "%s:\t%016llx\n", name, (unsigned long long)set);
}

/* A zombie's status: who it was, and its state. */
static int show_zombie_status(struct seq *s, struct process *p)
{
	seq_printf(s, "Name:\t%s\nState:\tZ (zombie)\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n",
		   p->zombie_comm, p->pid, p->pid);
	seq_printf(s, "PPid:\t%d\nTracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n",
		   p->parent ? p->parent->pid : 0, p->zombie_uid, p->zombie_uid, p->zombie_uid,
		   p->zombie_uid, p->zombie_gid, p->zombie_gid, p->zombie_gid, p->zombie_gid);
	seq_printf(s, "Threads:\t1\n");
	return 0;
}

static int show_status(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	struct process *z = t ? NULL : proc_zombie(n);
	if (z)
		return show_zombie_status(s, z);
	if (!t)
		return -ESRCH;
	struct process *p = t->proc;
	const struct cred *c = &t->cred;
	static const char *const states[] = {"R (running)", "S (sleeping)", "T (stopped)"};
	char st = task_state_char(t);
	seq_printf(s, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n",
		   t->comm, t->fs ? t->fs->umask : 022,
		   states[st == 'R'   ? 0
			  : st == 'S' ? 1
				      : 2],
		   p->pid, t->tid);
	seq_printf(s, "PPid:\t%d\nTracerPid:\t0\n", p->parent ? p->parent->pid : 0);
	seq_printf(s, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", c->uid, c->euid, c->suid,
		   c->fsuid, c->gid, c->egid, c->sgid, c->fsgid);
	seq_printf(s, "FDSize:\t%d\nGroups:\t", t->files ? t->files->max_fds : 0);
	for (int i = 0; i < c->ngroups; i++)
		seq_printf(s, "%u ", c->groups[i]);
	seq_printf(s, "\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", t->tid, p->pgid, p->sid);
	if (t->mm) {
		uint64_t kb = t->mm->total_vm * 4;
		seq_printf(s, "VmPeak:\t%8llu kB\nVmSize:\t%8llu kB\nVmLck:\t%8llu kB\n",
			   (unsigned long long)kb, (unsigned long long)kb,
			   (unsigned long long)locked_pages(t->mm, 0, TASK_SIZE) * 4);
		seq_printf(s, "VmRSS:\t%8llu kB\n", (unsigned long long)mm_rss_pages(t->mm) * 4);
	}
	seq_printf(s, "Threads:\t%d\n", p->nr_threads);
	show_sigset(s, "SigQ", 0);
	show_sigset(s, "SigPnd", t->pending.signal);
	show_sigset(s, "ShdPnd", p->shared_pending.signal);
	show_sigset(s, "SigBlk", t->blocked);
	linux_sigset_t ign = 0, caught = 0;
	for (int i = 0; i < NSIG; i++) {
		uaddr_t h = t->sighand->action[i].handler;
		if (h == SIG_IGN)
			ign |= 1ULL << i;
		else if (h != SIG_DFL)
			caught |= 1ULL << i;
	}
	show_sigset(s, "SigIgn", ign);
	show_sigset(s, "SigCgt", caught);
	seq_printf(s,
		   "CapInh:\t%016llx\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t%016llx\n"
		   "CapAmb:\t%016llx\nNoNewPrivs:\t%d\nSeccomp:\t0\n",
		   (unsigned long long)c->cap_inheritable, (unsigned long long)c->cap_permitted,
		   (unsigned long long)c->cap_effective, (unsigned long long)c->cap_bset,
		   (unsigned long long)c->cap_ambient, t->no_new_privs);
	seq_printf(s,
		   "Cpus_allowed_list:\t0-%d\nvoluntary_ctxt_switches:\t0\n"
		   "nonvoluntary_ctxt_switches:\t0\n",
		   cpu_count() - 1);
	return 0;
}

static int show_maps(struct seq *s, const struct proc_node *n)
{
	struct task *t = proc_task(n);
	if (!t)
		return -ESRCH;
	struct mm *mm = t->mm;
	if (!mm)
		return 0;
	struct vma *v;
	char *path = kmalloc(PATH_MAX);
	list_for_each_entry(v, &mm->vmas, list) {
		uint64_t dev = 0, ino = 0;
		const char *name = v->name;
		if (v->file) {
			struct inode *i = v->file->inode;
			dev = i->sb ? i->sb->dev : 0;
			ino = i->ino;
			char *p = path ? d_path(&v->file->path, path, PATH_MAX) : NULL;
			name = IS_ERR_OR_NULL(p) ? "" : p;
		} else if (!name && v->start <= mm->brk && v->end >= mm->start_brk &&
			   mm->brk > mm->start_brk) {
			name = "[heap]";
		}
		char line[128];
		int len = snprintf(
		    line, sizeof line, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu",
		    (unsigned long long)v->start, (unsigned long long)v->end,
		    (v->prot & PROT_READ) ? 'r' : '-', (v->prot & PROT_WRITE) ? 'w' : '-',
		    (v->prot & PROT_EXEC) ? 'x' : '-', (v->vm_flags & VM_SHARED) ? 's' : 'p',
		    (unsigned long long)(v->file ? v->pgoff : 0), MAJOR(dev), MINOR(dev),
		    (unsigned long long)ino);
		seq_write(s, line, (size_t)len);
		/* Linux pads the name to column 73. */
		if (name && *name)
			seq_printf(s, "%*s%s", len < 72 ? 73 - len : 1, "", name);
		seq_write(s, "\n", 1);
	}
	kfree(path);
	return 0;
}

static int show_mounts_of(struct seq *s, const struct proc_node *n)
{
	(void)n;
	return show_mounts(s);
}

/* What /proc/PID and /proc/PID/task/TID both hold. */
#define PID_FILES                                                                                  \
	{.name = "cgroup", .mode = S_IFREG | 0444, .show = show_cgroup},                           \
	    {.name = "cmdline", .mode = S_IFREG | 0444, .show = show_cmdline},                     \
	    {.name = "comm", .mode = S_IFREG | 0644, .show = show_comm, .write = write_comm},      \
	    {.name = "cwd", .mode = S_IFLNK | 0777, .link = link_cwd},                             \
	    {.name = "environ", .mode = S_IFREG | 0400, .show = show_environ},                     \
	    {.name = "exe", .mode = S_IFLNK | 0777, .link = link_exe},                             \
	    {.name = "fd", .mode = S_IFDIR | 0500, .list = fd_list, .lookup = fd_lookup},          \
	    {.name = "fdinfo", .mode = S_IFDIR | 0500, .list = fd_list, .lookup = fdinfo_lookup},  \
	    {.name = "limits", .mode = S_IFREG | 0444, .show = show_limits},                       \
	    {.name = "maps", .mode = S_IFREG | 0444, .show = show_maps},                           \
	    {.name = "mountinfo", .mode = S_IFREG | 0444, .show = show_mountinfo},                 \
	    {.name = "mounts", .mode = S_IFREG | 0444, .show = show_mounts_of},                    \
	    {.name = "oom_score", .mode = S_IFREG | 0444, .show = show_oom_score},                 \
	    {.name = "oom_score_adj",                                                              \
	     .mode = S_IFREG | 0644,                                                               \
	     .show = show_oom_score_adj,                                                           \
	     .write = write_oom_score_adj},                                                        \
	    {.name = "root", .mode = S_IFLNK | 0777, .link = link_root},                           \
	    {.name = "smaps_rollup", .mode = S_IFREG | 0444, .show = show_smaps_rollup},           \
	    {.name = "stat", .mode = S_IFREG | 0444, .show = show_stat},                           \
	    {.name = "statm", .mode = S_IFREG | 0444, .show = show_statm},                         \
	{                                                                                          \
		.name = "status", .mode = S_IFREG | 0444, .show = show_status                      \
	}

static const struct proc_entry pid_children[] = {
    PID_FILES,
    {.name = "task", .mode = S_IFDIR | 0555, .list = task_list, .lookup = task_lookup},
    {0},
};

static const struct proc_entry tid_children[] = {PID_FILES, {0}};

const struct proc_entry proc_pid_entry = {
    .name = "pid", .mode = S_IFDIR | 0555, .children = pid_children};
const struct proc_entry proc_tid_entry = {
    .name = "tid", .mode = S_IFDIR | 0555, .children = tid_children};
