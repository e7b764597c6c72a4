/*
 * Process identity and system information: ids and credentials, process
 * groups and sessions, uname, resource limits and usage, sysinfo, reboot,
 * prctl, personality, arch_prctl, scheduling basics.
 */
#include "kernel.h"
#include "capability.h"
#include "host.h"
#include "task.h"
#include "signal.h"
#include "syscall.h"
#include "pagemap.h"
#include "uaccess.h"
#include "ktime.h"
#include "mm.h"
#include "tty.h"
#include "init.h"
#include "uapi/misc.h"

struct new_utsname utsname = {
    .sysname = "Linux",
    .nodename = "(none)",
    .release = "6.1.0-umk",
    .version = "#1 SMP PREEMPT_DYNAMIC umk",
    .machine = "x86_64",
    .domainname = "(none)",
};

int cpu_count(void)
{
	return host_cpu_count();
}

void proc_account(struct task *t, bool to_user)
{
	int64_t now = ktime_get_ns(), d = now - t->last_switch_ns;
	if (to_user)
		t->stime_ns += d;
	else
		t->utime_ns += d;
	t->last_switch_ns = now;
}

/* ---- ids ---- */

SYSCALL_DEFINE0(getpid)
{
	return current->proc->pid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->tid;
}

SYSCALL_DEFINE0(getppid)
{
	struct process *p = current->proc->parent;
	return p ? p->pid : 0;
}

SYSCALL_DEFINE0(getuid)
{
	return current->cred.uid;
}

SYSCALL_DEFINE0(geteuid)
{
	return current->cred.euid;
}

SYSCALL_DEFINE0(getgid)
{
	return current->cred.gid;
}

SYSCALL_DEFINE0(getegid)
{
	return current->cred.egid;
}

/* Capabilities follow the uid changes as in Linux's cap_emulate_setxuid:
 * leaving root drops them, unless PR_SET_KEEPCAPS keeps the permitted set. */
static void fixup_caps(struct cred *c, uid_t_ old_uid, uid_t_ old_euid, uid_t_ old_suid)
{
	if ((old_uid == 0 || old_euid == 0 || old_suid == 0) && c->uid && c->euid && c->suid &&
	    !c->keep_caps)
		c->cap_permitted = c->cap_effective = 0;
	if (old_euid == 0 && c->euid != 0)
		c->cap_effective = 0;
	if (old_euid != 0 && c->euid == 0)
		c->cap_effective = c->cap_permitted;
}

/* As Linux's commit_creds: a process whose effective or filesystem ids
 * change is no longer dumpable and forgets its parent-death signal. */
static void note_id_change(uid_t_ euid, gid_t_ egid, uid_t_ fsuid, gid_t_ fsgid)
{
	const struct cred *c = &current->cred;
	if (c->euid == euid && c->egid == egid && c->fsuid == fsuid && c->fsgid == fsgid)
		return;
	current->proc->dumpable = 0;
	current->pdeath_signal = 0;
}

static long set_uids(uid_t_ ruid, uid_t_ euid, uid_t_ suid)
{
	struct cred *c = &current->cred;
	const uid_t_ none = (uid_t_)-1;
	bool priv = capable(CAP_SETUID);
	uid_t_ allowed[3] = {c->uid, c->euid, c->suid};
	uid_t_ want[3] = {ruid, euid, suid};
	for (int i = 0; i < 3; i++) {
		if (want[i] == none || priv)
			continue;
		if (want[i] != allowed[0] && want[i] != allowed[1] && want[i] != allowed[2])
			return -EPERM;
	}
	uid_t_ ou = c->uid, oe = c->euid, os = c->suid, ofs = c->fsuid;
	if (ruid != none)
		c->uid = ruid;
	if (euid != none)
		c->euid = euid;
	if (suid != none)
		c->suid = suid;
	c->fsuid = c->euid;
	fixup_caps(c, ou, oe, os);
	note_id_change(oe, c->egid, ofs, c->fsgid);
	return 0;
}

static long set_gids(gid_t_ rgid, gid_t_ egid, gid_t_ sgid)
{
	struct cred *c = &current->cred;
	const gid_t_ none = (gid_t_)-1;
	bool priv = capable(CAP_SETGID);
	gid_t_ allowed[3] = {c->gid, c->egid, c->sgid};
	gid_t_ want[3] = {rgid, egid, sgid};
	for (int i = 0; i < 3; i++) {
		if (want[i] == none || priv)
			continue;
		if (want[i] != allowed[0] && want[i] != allowed[1] && want[i] != allowed[2])
			return -EPERM;
	}
	gid_t_ oe = c->egid, ofs = c->fsgid;
	if (rgid != none)
		c->gid = rgid;
	if (egid != none)
		c->egid = egid;
	if (sgid != none)
		c->sgid = sgid;
	c->fsgid = c->egid;
	note_id_change(c->euid, oe, c->fsuid, ofs);
	return 0;
}

SYSCALL_DEFINE1(setuid, uid_t_, uid)
{
	if (uid == (uid_t_)-1)
		return -EINVAL; /* not a valid id */
	if (capable(CAP_SETUID))
		return set_uids(uid, uid, uid);
	struct cred *c = &current->cred;
	if (uid != c->uid && uid != c->suid)
		return -EPERM;
	return set_uids((uid_t_)-1, uid, (uid_t_)-1);
}

SYSCALL_DEFINE1(setgid, gid_t_, gid)
{
	if (gid == (gid_t_)-1)
		return -EINVAL;
	if (capable(CAP_SETGID))
		return set_gids(gid, gid, gid);
	struct cred *c = &current->cred;
	if (gid != c->gid && gid != c->sgid)
		return -EPERM;
	return set_gids((gid_t_)-1, gid, (gid_t_)-1);
}

SYSCALL_DEFINE2(setreuid, uid_t_, ruid, uid_t_, euid)
{
	struct cred *c = &current->cred;
	const uid_t_ none = (uid_t_)-1;
	if (!capable(CAP_SETUID)) {
		if (ruid != none && ruid != c->uid && ruid != c->euid)
			return -EPERM;
		if (euid != none && euid != c->uid && euid != c->euid && euid != c->suid)
			return -EPERM;
	}
	/* The saved id follows the effective one when the real one changes. */
	uid_t_ suid = (ruid != none || (euid != none && euid != c->uid))
			  ? (euid != none ? euid : c->euid)
			  : none;
	return set_uids(ruid, euid, suid);
}

SYSCALL_DEFINE2(setregid, gid_t_, rgid, gid_t_, egid)
{
	struct cred *c = &current->cred;
	const gid_t_ none = (gid_t_)-1;
	if (!capable(CAP_SETGID)) {
		if (rgid != none && rgid != c->gid && rgid != c->egid)
			return -EPERM;
		if (egid != none && egid != c->gid && egid != c->egid && egid != c->sgid)
			return -EPERM;
	}
	gid_t_ sgid = (rgid != none || (egid != none && egid != c->gid))
			  ? (egid != none ? egid : c->egid)
			  : none;
	return set_gids(rgid, egid, sgid);
}

SYSCALL_DEFINE3(setresuid, uid_t_, r, uid_t_, e, uid_t_, s)
{
	return set_uids(r, e, s);
}

SYSCALL_DEFINE3(setresgid, gid_t_, r, gid_t_, e, gid_t_, s)
{
	return set_gids(r, e, s);
}

static long put_three(uaddr_t a, uaddr_t b, uaddr_t c, uint32_t x, uint32_t y, uint32_t z)
{
	if (put_user(x, a) || put_user(y, b) || put_user(z, c))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, uaddr_t, r, uaddr_t, e, uaddr_t, s)
{
	struct cred *c = &current->cred;
	return put_three(r, e, s, c->uid, c->euid, c->suid);
}

SYSCALL_DEFINE3(getresgid, uaddr_t, r, uaddr_t, e, uaddr_t, s)
{
	struct cred *c = &current->cred;
	return put_three(r, e, s, c->gid, c->egid, c->sgid);
}

SYSCALL_DEFINE1(setfsuid, uid_t_, uid)
{
	struct cred *c = &current->cred;
	uid_t_ old = c->fsuid;
	if (uid == (uid_t_)-1)
		return old; /* the usual way to read it: never an id to set */
	if (capable(CAP_SETUID) || uid == c->uid || uid == c->euid || uid == c->suid ||
	    uid == c->fsuid)
		c->fsuid = uid;
	/* The file-system capabilities follow fsuid to and from 0. */
	if (old == 0 && c->fsuid != 0)
		c->cap_effective &= ~CAP_FS_MASK;
	if (old != 0 && c->fsuid == 0)
		c->cap_effective |= c->cap_permitted & CAP_FS_MASK;
	note_id_change(c->euid, c->egid, old, c->fsgid);
	return old;
}

SYSCALL_DEFINE1(setfsgid, gid_t_, gid)
{
	struct cred *c = &current->cred;
	gid_t_ old = c->fsgid;
	if (gid == (gid_t_)-1)
		return old;
	if (capable(CAP_SETGID) || gid == c->gid || gid == c->egid || gid == c->sgid ||
	    gid == c->fsgid)
		c->fsgid = gid;
	note_id_change(c->euid, c->egid, c->fsuid, old);
	return old;
}

SYSCALL_DEFINE2(getgroups, int, size, uaddr_t, list)
{
	struct cred *c = &current->cred;
	if (size < 0)
		return -EINVAL;
	if (!size)
		return c->ngroups;
	if (size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, sizeof(gid_t_) * (size_t)c->ngroups))
		return -EFAULT;
	return c->ngroups;
}

SYSCALL_DEFINE2(setgroups, int, size, uaddr_t, list)
{
	struct cred *c = &current->cred;
	if (!capable(CAP_SETGID))
		return -EPERM;
	if (size < 0 || size > (int)ARRAY_SIZE(c->groups))
		return -EINVAL;
	gid_t_ g[64];
	if (copy_from_user(g, list, sizeof(gid_t_) * (size_t)size))
		return -EFAULT;
	memcpy(c->groups, g, sizeof(gid_t_) * (size_t)size);
	c->ngroups = size;
	return 0;
}

struct cap_header {
	uint32_t version;
	int32_t pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};
#define CAP_V3 0x20080522

SYSCALL_DEFINE2(capget, uaddr_t, uhdr, uaddr_t, udata)
{
	struct cap_header h;
	if (copy_from_user(&h, uhdr, sizeof h))
		return -EFAULT;
	if (h.version != CAP_V3 && h.version != 0x20071026 && h.version != 0x19980330) {
		h.version = CAP_V3;
		return put_user(h.version, uhdr) ? -EFAULT : -EINVAL;
	}
	struct task *t = h.pid ? find_task(h.pid) : current;
	if (!t)
		return -ESRCH;
	if (!udata)
		return 0;
	struct cred *c = &t->cred;
	struct cap_data d[2] = {
	    {(uint32_t)c->cap_effective, (uint32_t)c->cap_permitted, (uint32_t)c->cap_inheritable},
	    {(uint32_t)(c->cap_effective >> 32), (uint32_t)(c->cap_permitted >> 32),
	     (uint32_t)(c->cap_inheritable >> 32)}};
	size_t n = h.version == 0x19980330 ? 1 : 2;
	return copy_to_user(udata, d, sizeof d[0] * n) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(capset, uaddr_t, uhdr, uaddr_t, udata)
{
	struct cap_header h;
	struct cap_data d[2];
	if (copy_from_user(&h, uhdr, sizeof h))
		return -EFAULT;
	if (h.version != CAP_V3 && h.version != 0x20071026)
		return -EINVAL;
	if (h.pid && h.pid != current->tid)
		return -EPERM;
	if (copy_from_user(d, udata, sizeof d))
		return -EFAULT;
	struct cred *c = &current->cred;
	uint64_t eff = d[0].effective | (uint64_t)d[1].effective << 32;
	uint64_t perm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	uint64_t inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	/* Never more than permitted, never regain what was dropped. */
	if ((perm & ~c->cap_permitted) || (eff & ~perm))
		return -EPERM;
	c->cap_effective = eff;
	c->cap_permitted = perm;
	c->cap_inheritable = inh;
	return 0;
}

/* ---- Process groups and sessions ---- */

SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct process *self = current->proc, *p;
	if (!pid)
		pid = self->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL; /* also setpgid(-1, 0) */
	p = find_process(pid);
	if (!p || p->state != PROCESS_ALIVE)
		return -ESRCH;
	if (p != self) {
		if (p->parent != self)
			return -ESRCH;
		if (p->sid != self->sid)
			return -EPERM;
		if (p->did_exec)
			return -EACCES;
	}
	if (p->sid == p->pid)
		return -EPERM;
	if (pgid != p->pid && !pgrp_exists(pgid, self->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
	struct process *p = pid ? find_process(pid) : current->proc;
	if (!p || p->state == PROCESS_DEAD)
		return -ESRCH;
	return p->pgid;
}

SYSCALL_DEFINE0(getpgrp)
{
	return current->proc->pgid;
}

SYSCALL_DEFINE1(getsid, int, pid)
{
	struct process *p = pid ? find_process(pid) : current->proc;
	if (!p || p->state == PROCESS_DEAD)
		return -ESRCH;
	return p->sid;
}

SYSCALL_DEFINE0(setsid)
{
	struct process *self = current->proc, *p;
	for_each_process(p)
		if (p->pgid == self->pid)
			return -EPERM;
	self->sid = self->pgid = self->pid;
	self->tty = NULL;
	return self->sid;
}

/* ---- uname ---- */

SYSCALL_DEFINE1(uname, uaddr_t, ubuf)
{
	return copy_result_to_user(ubuf, &utsname, sizeof utsname) ? -EFAULT : 0;
}

static long set_uts_string(char *field, uaddr_t uname, int len)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > 64)
		return -EINVAL;
	char buf[65] = {0};
	if (copy_from_user(buf, uname, (size_t)len))
		return -EFAULT;
	memcpy(field, buf, 65);
	return 0;
}

SYSCALL_DEFINE2(sethostname, uaddr_t, name, int, len)
{
	return set_uts_string(utsname.nodename, name, len);
}

SYSCALL_DEFINE2(setdomainname, uaddr_t, name, int, len)
{
	return set_uts_string(utsname.domainname, name, len);
}

/* ---- Resource limits and usage ---- */

static long do_prlimit(struct process *p, int resource, const struct linux_rlimit *new,
		       struct linux_rlimit *old)
{
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return -EINVAL;
	struct linux_rlimit *r = &p->rlim[resource];
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (new->rlim_max > r->rlim_max && !capable(CAP_SYS_RESOURCE))
			return -EPERM;
		if (resource == RLIMIT_NOFILE && new->rlim_max > (1 << 20))
			return -EPERM;
	}
	if (old)
		*old = *r;
	if (new) {
		*r = *new;
		if (resource == RLIMIT_CPU && new->rlim_cur != RLIM_INFINITY)
			cpu_timers_changed();
	}
	return 0;
}

SYSCALL_DEFINE4(prlimit64, int, pid, int, resource, uaddr_t, unew, uaddr_t, uold)
{
	struct linux_rlimit n, o;
	struct process *p = pid ? find_process(pid) : current->proc;
	if (!p)
		return -ESRCH;
	if (unew && copy_from_user(&n, unew, sizeof n))
		return -EFAULT;
	long err = do_prlimit(p, resource, unew ? &n : NULL, &o);
	if (!err && uold && copy_to_user(uold, &o, sizeof o))
		return -EFAULT;
	return err;
}

SYSCALL_DEFINE2(getrlimit, int, resource, uaddr_t, uold)
{
	struct linux_rlimit o;
	long err = do_prlimit(current->proc, resource, NULL, &o);
	if (!err && copy_to_user(uold, &o, sizeof o))
		return -EFAULT;
	return err;
}

SYSCALL_DEFINE2(setrlimit, int, resource, uaddr_t, unew)
{
	struct linux_rlimit n;
	if (copy_from_user(&n, unew, sizeof n))
		return -EFAULT;
	return do_prlimit(current->proc, resource, &n, NULL);
}

static void to_timeval(struct linux_timeval *tv, int64_t ns)
{
	tv->tv_sec = ns / NSEC_PER_SEC;
	tv->tv_usec = ns % NSEC_PER_SEC / 1000;
}

SYSCALL_DEFINE2(getrusage, int, who, uaddr_t, uru)
{
	struct linux_rusage ru;
	memset(&ru, 0, sizeof ru);
	struct process *p = current->proc;
	int64_t u = 0, s = 0;
	switch (who) {
	case RUSAGE_SELF: {
		struct task *t;
		u = p->dead_utime_ns;
		s = p->dead_stime_ns;
		for_each_thread(p, t) {
			u += t->utime_ns;
			s += t->stime_ns;
		}
		update_maxrss(current);
		ru.ru_maxrss = p->maxrss_kb;
		break;
	}
	case RUSAGE_CHILDREN:
		u = p->child_utime_ns;
		s = p->child_stime_ns;
		ru.ru_maxrss = p->child_maxrss_kb;
		break;
	case RUSAGE_THREAD:
		u = current->utime_ns;
		s = current->stime_ns;
		update_maxrss(current);
		ru.ru_maxrss = p->maxrss_kb;
		break;
	default:
		return -EINVAL;
	}
	to_timeval(&ru.ru_utime, u);
	to_timeval(&ru.ru_stime, s);
	return copy_result_to_user(uru, &ru, sizeof ru) ? -EFAULT : 0;
}

SYSCALL_DEFINE1(times, uaddr_t, ubuf)
{
	struct process *p = current->proc;
	int64_t tick = NSEC_PER_SEC / USER_HZ, u = p->dead_utime_ns, s = p->dead_stime_ns;
	struct task *t;
	for_each_thread(p, t) {
		u += t->utime_ns;
		s += t->stime_ns;
	}
	if (ubuf) {
		struct linux_tms tms = {u / tick, s / tick, p->child_utime_ns / tick,
					p->child_stime_ns / tick};
		if (copy_result_to_user(ubuf, &tms, sizeof tms))
			return -EFAULT;
	}
	return (long)(guest_uptime_ns() / tick);
}

SYSCALL_DEFINE1(sysinfo, uaddr_t, uinfo)
{
	struct linux_sysinfo si;
	memset(&si, 0, sizeof si);
	si.uptime = guest_uptime_ns() / NSEC_PER_SEC;
	si.totalram = totalram_bytes();
	uint64_t used = committed_bytes();
	si.freeram = si.totalram > used ? si.totalram - used : 0;
	si.freeram -= min(filemap_cached_bytes(), si.freeram); /* as MemFree */
	struct process *p;
	int n = 0;
	for_each_process(p)
		n += p->nr_threads;
	si.procs = (uint16_t)n;
	si.mem_unit = 1;
	return copy_result_to_user(uinfo, &si, sizeof si) ? -EFAULT : 0;
}

/* ---- reboot ---- */

SYSCALL_DEFINE4(reboot, unsigned, magic1, unsigned, magic2, unsigned, cmd, uaddr_t, arg)
{
	(void)arg;
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		machine_restart();
	case LINUX_REBOOT_CMD_HALT:
		printk(KERN_EMERG "reboot: System halted\n");
		machine_power_off(0);
	case LINUX_REBOOT_CMD_POWER_OFF:
		printk(KERN_EMERG "reboot: Power down\n");
		machine_power_off(0);
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	}
	return -EINVAL;
}

/* ---- prctl, personality, arch_prctl ---- */

/* Ambient capabilities must stay within permitted and inheritable. */
static long prctl_cap_ambient(struct cred *c, unsigned long op, unsigned long cap, unsigned long a4,
			      unsigned long a5)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap || a4 || a5)
			return -EINVAL;
		c->cap_ambient = 0;
		return 0;
	}
	if (a4 || a5 || cap > CAP_LAST_CAP)
		return -EINVAL;
	uint64_t bit = 1ULL << cap;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
		return !!(c->cap_ambient & bit);
	case PR_CAP_AMBIENT_RAISE:
		if (!(c->cap_permitted & bit) || !(c->cap_inheritable & bit))
			return -EPERM;
		c->cap_ambient |= bit;
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		c->cap_ambient &= ~bit;
		return 0;
	}
	return -EINVAL;
}

SYSCALL_DEFINE5(prctl, int, option, unsigned long, a2, unsigned long, a3, unsigned long, a4,
		unsigned long, a5)
{
	struct task *t = current;
	(void)a3;
	(void)a4;
	(void)a5;
	switch (option) {
	case PR_SET_NAME: {
		char name[TASK_COMM_LEN];
		long n = strncpy_from_user(name, a2, sizeof name);
		if (n == -EFAULT)
			return -EFAULT;
		name[TASK_COMM_LEN - 1] = 0;
		memcpy(t->comm, name, sizeof name);
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user(a2, t->comm, TASK_COMM_LEN) ? -EFAULT : 0;
	case PR_SET_PDEATHSIG:
		if (a2 > NSIG)
			return -EINVAL;
		t->pdeath_signal = (int)a2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user(t->pdeath_signal, a2) ? -EFAULT : 0;
	case PR_GET_DUMPABLE:
		return t->proc->dumpable;
	case PR_SET_DUMPABLE:
		if (a2 > 1)
			return -EINVAL;
		t->proc->dumpable = (int)a2;
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		if (a2 != 1 || a3 || a4 || a5)
			return -EINVAL;
		t->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (a2 || a3 || a4 || a5)
			return -EINVAL;
		return t->no_new_privs;
	case PR_SET_CHILD_SUBREAPER:
		t->proc->is_subreaper = a2 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_user((int)t->proc->is_subreaper, a2) ? -EFAULT : 0;
	case PR_CAPBSET_READ:
		if (a2 > CAP_LAST_CAP)
			return -EINVAL;
		return (t->cred.cap_bset >> a2) & 1;
	case PR_CAPBSET_DROP:
		if (a2 > CAP_LAST_CAP)
			return -EINVAL;
		if (!capable(CAP_SETPCAP))
			return -EPERM;
		t->cred.cap_bset &= ~(1ULL << a2);
		return 0;
	case PR_GET_SECUREBITS:
		return t->cred.securebits;
	case PR_SET_SECUREBITS:
		if (!capable(CAP_SETPCAP))
			return -EPERM;
		if (a2 & ~0xffUL)
			return -EINVAL;
		t->cred.securebits = (unsigned)a2;
		return 0;
	case PR_GET_KEEPCAPS:
		return t->cred.keep_caps;
	case PR_SET_KEEPCAPS:
		if (a2 > 1)
			return -EINVAL;
		t->cred.keep_caps = a2;
		return 0;
	case PR_CAP_AMBIENT:
		return prctl_cap_ambient(&t->cred, a2, a3, a4, a5);
	case PR_GET_TIMERSLACK:
		return (long)(t->timer_slack_ns ? t->timer_slack_ns : 50000);
	case PR_SET_TIMERSLACK:
		t->timer_slack_ns = a2;
		return 0;
	case PR_SET_VMA:
		return 0; /* naming anonymous memory: a debugging aid only */
	}
	pr_warn("%s[%d]: prctl option %d not implemented\n", t->comm, t->tid, option);
	return -EINVAL;
}

SYSCALL_DEFINE1(personality, unsigned, persona)
{
	unsigned old = current->personality;
	if (persona != 0xffffffff)
		current->personality = persona;
	return old;
}

SYSCALL_DEFINE2(arch_prctl, int, code, unsigned long, addr)
{
	struct user_regs *r = &current->regs;
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		r->fs_base = addr;
		return 0;
	case ARCH_SET_GS:
		if (addr >= TASK_SIZE)
			return -EPERM;
		r->gs_base = addr;
		return 0;
	case ARCH_GET_FS:
		return put_user(r->fs_base, addr) ? -EFAULT : 0;
	case ARCH_GET_GS:
		return put_user(r->gs_base, addr) ? -EFAULT : 0;
	case ARCH_GET_CPUID:
		return 1;
	case ARCH_SET_CPUID:
		return -ENODEV;
	}
	return -EINVAL;
}

static uint64_t all_cpus(void)
{
	return cpu_count() >= 64 ? ~0ULL : (1ULL << cpu_count()) - 1;
}

SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned, len, uaddr_t, umask)
{
	struct task *t = pid ? find_task(pid) : current;
	if (!t)
		return -ESRCH;
	if (len < 8 || (len & 7))
		return -EINVAL;
	uint64_t mask = t->cpu_mask ? t->cpu_mask : all_cpus();
	if (copy_to_user(umask, &mask, 8) || clear_user(umask + 8, len - 8))
		return -EFAULT;
	return 8;
}

/* The guest's CPUs are the host's: the platform keeps the thread on those
 * of its mask. */
SYSCALL_DEFINE3(sched_setaffinity, int, pid, unsigned, len, uaddr_t, umask)
{
	struct task *t = pid ? find_task(pid) : current;
	if (!t)
		return -ESRCH;
	uint64_t mask = 0;
	if (copy_from_user(&mask, umask, min(len, 8u)))
		return -EFAULT;
	mask &= all_cpus();
	if (!mask)
		return -EINVAL;
	t->cpu_mask = mask;
	if (t->host)
		host_thread_set_cpus(t->host, mask);
	return 0;
}

/* The guest's CPUs are the host's: where its host thread last ran, as the
 * vDSO's getcpu and rseq's cpu_id show it. */
SYSCALL_DEFINE3(getcpu, uaddr_t, ucpu, uaddr_t, unode, uaddr_t, unused)
{
	(void)unused;
	unsigned cpu = (unsigned)host_thread_cpu(current->host), node = 0;
	if ((ucpu && put_user(cpu, ucpu)) || (unode && put_user(node, unode)))
		return -EFAULT;
	return 0;
}

#define PRIO_PROCESS 0
#define PRIO_PGRP    1
#define PRIO_USER    2

static bool prio_match(struct task *t, int which, int who)
{
	switch (which) {
	case PRIO_PROCESS:
		return t->tid == (who ? who : current->tid);
	case PRIO_PGRP:
		return t->proc->pgid == (who ? who : current->proc->pgid);
	default:
		return t->cred.uid == (uid_t_)(who ? who : (int)current->cred.uid);
	}
}

SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	int best = -1;
	struct process *p;
	for_each_process(p) {
		struct task *t;
		for_each_thread(p, t)
			if (prio_match(t, which, who) && 20 - t->nice > best)
				best = 20 - t->nice;
	}
	return best < 0 ? -ESRCH : best;
}

long set_task_nice(struct task *t, int niceval)
{
	if (current->cred.euid != t->cred.uid && !capable(CAP_SYS_NICE))
		return -EPERM;
	if (niceval < t->nice && !capable(CAP_SYS_NICE))
		return -EACCES;
	t->nice = niceval;
	return 0;
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	niceval = niceval < -20 ? -20 : niceval > 19 ? 19 : niceval;
	bool found = false;
	long err = 0;
	struct process *p;
	for_each_process(p) {
		struct task *t;
		for_each_thread(p, t) {
			if (!prio_match(t, which, who))
				continue;
			found = true;
			long r = set_task_nice(t, niceval);
			if (r)
				err = r;
		}
	}
	return found ? err : -ESRCH;
}

/* ---- I/O priorities: kept and reported, as the host schedules the I/O ---- */

#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_NONE  0
#define IOPRIO_CLASS_RT	   1
#define IOPRIO_CLASS_BE	   2
#define IOPRIO_CLASS_IDLE  3
#define IOPRIO_LEVEL_MASK  7 /* bits 3 to 12 are hints, kept as given */
#define IOPRIO_BE_DEFAULT  (IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT | 4)

/* Linux's ioprio_check_cap. */
static int ioprio_check(int ioprio)
{
	int class = (ioprio >> IOPRIO_CLASS_SHIFT) & 7, level = ioprio & IOPRIO_LEVEL_MASK;
	switch (class) {
	case IOPRIO_CLASS_RT:
		if (!capable(CAP_SYS_NICE) && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		/* fallthrough */
	case IOPRIO_CLASS_BE:
	case IOPRIO_CLASS_IDLE:
		return 0;
	case IOPRIO_CLASS_NONE:
		return level ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

/* ioprio's IOPRIO_WHO_PROCESS, _PGRP and _USER (1..3) are PRIO_* plus one. */
SYSCALL_DEFINE3(ioprio_set, int, which, int, who, int, ioprio)
{
	if (which < PRIO_PROCESS + 1 || which > PRIO_USER + 1)
		return -EINVAL;
	int err = ioprio_check(ioprio);
	if (err)
		return err;
	bool found = false;
	struct process *p;
	for_each_process(p) {
		struct task *t;
		for_each_thread(p, t) {
			if (!prio_match(t, which - 1, who))
				continue;
			found = true;
			if (t->cred.uid != current->cred.euid && t->cred.uid != current->cred.uid &&
			    !capable(CAP_SYS_NICE))
				err = -EPERM;
			else
				t->ioprio = ioprio;
		}
	}
	return found ? err : -ESRCH;
}

/* One task's priority; of several, the best, a class-less one counting as
 * best-effort's default (Linux's ioprio_best). */
SYSCALL_DEFINE2(ioprio_get, int, which, int, who)
{
	if (which < PRIO_PROCESS + 1 || which > PRIO_USER + 1)
		return -EINVAL;
	long best = -ESRCH;
	struct process *p;
	for_each_process(p) {
		struct task *t;
		for_each_thread(p, t) {
			if (!prio_match(t, which - 1, who))
				continue;
			if (best == -ESRCH)
				best = t->ioprio;
			else
				best = min(best ? best : IOPRIO_BE_DEFAULT,
					   (long)(t->ioprio ? t->ioprio : IOPRIO_BE_DEFAULT));
		}
	}
	return best;
}
