/*
 * System V semaphores. A semop applies all its operations or none; one that
 * cannot proceed waits in the set's pending queue, and whoever changes the
 * values retries the queue in order and completes the operations that can
 * now go (Linux's update_queue), so a waiter for zero sees the zero even if
 * the value moves on before it runs. SEM_UNDO adjustments are kept per set
 * and process and applied when the process exits.
 */
#include "kernel.h"
#include "task.h"
#include "ktime.h"
#include "syscall.h"
#include "uaccess.h"
#include "util.h"

#define SEMMSL 32000
#define SEMMNS (SEMMNI * SEMMSL)
#define SEMOPM 500
#define SEMMNI 32000
#define SEMVMX 32767
#define SEMAEM SEMVMX

struct sem {
	int semval;
	int sempid;
};

/* A process's SEM_UNDO adjustments in one set. */
struct sem_undo {
	struct list_head link; /* in sma->undos */
	struct process *proc;
	short semadj[];
};

/* A semop waiting for its turn. */
struct sem_queue {
	struct list_head link; /* in sma->pending */
	struct task *sleeper;
	const struct linux_sembuf *sops;
	int nsops;
	struct sem_undo *un;
	bool alter;
	int blocking; /* the operation it waits on */
	int status;   /* 1 while waiting, then the result */
};

struct sem_array {
	struct kern_ipc_perm perm;
	int nsems;
	int64_t otime, ctime;
	struct list_head pending;
	struct list_head undos;
	struct sem sems[];
};

static struct ipc_ids sem_ids = {.max = SEMMNI, .last_idx = -1};
static int sem_total; /* semaphores in all sets */

static struct sem_array *sem_of(struct kern_ipc_perm *p)
{
	return container_of(p, struct sem_array, perm);
}

/* ---- semget ---- */

static long newary(int32_t key, int flg, long nsems)
{
	if (nsems <= 0 || nsems > SEMMSL)
		return -EINVAL;
	if (sem_total + nsems > SEMMNS)
		return -ENOSPC;
	struct sem_array *sma = kzalloc(sizeof *sma + sizeof(struct sem) * (size_t)nsems);
	if (!sma)
		return -ENOMEM;
	list_init(&sma->pending);
	list_init(&sma->undos);
	sma->nsems = (int)nsems;
	int id = ipc_addid(&sem_ids, &sma->perm, key, flg);
	if (id < 0) {
		kfree(sma);
		return id;
	}
	sma->ctime = ipc_now();
	sem_total += (int)nsems;
	return id;
}

static int sem_more_checks(struct kern_ipc_perm *p, long nsems)
{
	return nsems > sem_of(p)->nsems ? -EINVAL : 0;
}

static const struct ipc_ops sem_ops = {.getnew = newary, .more_checks = sem_more_checks};

SYSCALL_DEFINE3(semget, int32_t, key, int, nsems, int, flg)
{
	if (nsems < 0 || nsems > SEMMSL)
		return -EINVAL;
	return ipcget(&sem_ids, key, flg, nsems, &sem_ops);
}

/* ---- Operations ---- */

/* Applies all of q's operations or none: 0, 1 if it must wait, -EAGAIN
 * (IPC_NOWAIT) or -ERANGE. Operations on one semaphore add up in order. */
static int perform_atomic_semop(struct sem_array *sma, struct sem_queue *q)
{
	int vals[SEMOPM], adj[SEMOPM];
	for (int i = 0; i < q->nsops; i++) {
		const struct linux_sembuf *sop = &q->sops[i];
		int val = sma->sems[sop->sem_num].semval,
		    a = q->un ? q->un->semadj[sop->sem_num] : 0;
		/* An earlier operation of this semop on the same semaphore counts. */
		for (int j = i - 1; j >= 0; j--)
			if (q->sops[j].sem_num == sop->sem_num) {
				val = vals[j];
				a = adj[j];
				break;
			}
		if ((!sop->sem_op && val) || val + sop->sem_op < 0) {
			q->blocking = i;
			return (sop->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
		}
		vals[i] = val + sop->sem_op;
		if (vals[i] > SEMVMX)
			return -ERANGE;
		adj[i] = a;
		if (sop->sem_flg & SEM_UNDO) {
			adj[i] = a - sop->sem_op;
			if (adj[i] < -SEMAEM - 1 || adj[i] > SEMAEM)
				return -ERANGE;
		}
	}
	int pid = q->sleeper->proc->pid;
	for (int i = 0; i < q->nsops; i++) {
		const struct linux_sembuf *sop = &q->sops[i];
		sma->sems[sop->sem_num].semval = vals[i];
		sma->sems[sop->sem_num].sempid = pid;
		if (q->un)
			q->un->semadj[sop->sem_num] = (short)adj[i];
	}
	if (q->alter)
		sma->otime = ipc_now();
	return 0;
}

/* The values changed: completes waiting operations that can now go, in
 * order, starting over whenever one changed the values again. */
static void update_queue(struct sem_array *sma)
{
	struct sem_queue *q, *n;
again:
	list_for_each_entry_safe(q, n, &sma->pending, link) {
		int err = perform_atomic_semop(sma, q);
		if (err > 0)
			continue;
		list_del(&q->link);
		list_init(&q->link);
		q->status = err;
		task_wake(q->sleeper);
		if (!err && q->alter)
			goto again;
	}
}

static struct sem_undo *find_undo(struct sem_array *sma, struct process *p)
{
	struct sem_undo *un;
	list_for_each_entry(un, &sma->undos, link)
		if (un->proc == p)
			return un;
	return NULL;
}

static struct sem_undo *find_alloc_undo(struct sem_array *sma)
{
	struct sem_undo *un = find_undo(sma, current->proc);
	if (un)
		return un;
	un = kzalloc(sizeof *un + sizeof(short) * (size_t)sma->nsems);
	if (!un)
		return NULL;
	un->proc = current->proc;
	list_add_tail(&un->link, &sma->undos);
	return un;
}

static long do_semtimedop(int semid, uaddr_t usops, unsigned nsops, int64_t timeout_ns)
{
	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > SEMOPM)
		return -E2BIG;
	struct linux_sembuf sops[SEMOPM];
	if (copy_from_user(sops, usops, sizeof sops[0] * nsops))
		return -EFAULT;
	int maxnum = 0;
	bool undos = false, alter = false;
	for (unsigned i = 0; i < nsops; i++) {
		maxnum = max(maxnum, (int)sops[i].sem_num);
		undos |= (sops[i].sem_flg & SEM_UNDO) != 0;
		alter |= sops[i].sem_op != 0;
	}
	struct kern_ipc_perm *p = ipc_obtain(&sem_ids, semid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	struct sem_array *sma = sem_of(p);
	if (maxnum >= sma->nsems)
		return -EFBIG;
	if (ipcperms(p, alter ? 0222 : 0444))
		return -EACCES;
	struct sem_queue q = {
	    .sleeper = current, .sops = sops, .nsops = (int)nsops, .alter = alter, .status = 1};
	if (undos && !(q.un = find_alloc_undo(sma)))
		return -ENOMEM;
	int err = perform_atomic_semop(sma, &q);
	if (err <= 0) {
		if (!err && alter)
			update_queue(sma);
		return err;
	}
	list_add_tail(&q.link, &sma->pending);
	int64_t deadline = timeout_ns >= 0 ? ktime_get_ns() + timeout_ns + (timeout_ns == 0) : 0;
	while (q.status == 1) {
		if (signal_pending(current)) {
			list_del(&q.link);
			return -EINTR;
		}
		if (schedule_deadline(deadline) && q.status == 1) {
			list_del(&q.link);
			return -EAGAIN;
		}
	}
	return q.status;
}

SYSCALL_DEFINE3(semop, int, semid, uaddr_t, usops, unsigned, nsops)
{
	return do_semtimedop(semid, usops, nsops, -1);
}

SYSCALL_DEFINE4(semtimedop, int, semid, uaddr_t, usops, unsigned, nsops, uaddr_t, utimeout)
{
	int64_t timeout_ns = -1;
	if (utimeout) {
		struct linux_timespec ts;
		if (copy_from_user(&ts, utimeout, sizeof ts))
			return -EFAULT;
		if (!timespec_valid(&ts))
			return -EINVAL;
		timeout_ns = timespec_to_ns(&ts);
	}
	return do_semtimedop(semid, usops, nsops, timeout_ns);
}

/* The process exits, or leaves its undo list (unshare): its adjustments
 * are applied, within the limits. */
void exit_sem(struct process *proc)
{
	int maxidx = ipc_get_maxidx(&sem_ids);
	for (int i = 0; i <= maxidx; i++) {
		struct kern_ipc_perm *p = ipc_at_index(&sem_ids, i);
		if (IS_ERR(p))
			continue;
		struct sem_array *sma = sem_of(p);
		struct sem_undo *un = find_undo(sma, proc);
		if (!un)
			continue;
		for (int k = 0; k < sma->nsems; k++) {
			if (!un->semadj[k])
				continue;
			struct sem *s = &sma->sems[k];
			s->semval = min(max(s->semval + un->semadj[k], 0), SEMVMX);
			s->sempid = proc->pid;
		}
		list_del(&un->link);
		kfree(un);
		update_queue(sma);
	}
}

/* ---- semctl ---- */

/* Waiters blocked on semnum: for an increase (ncnt) or for zero (zcnt). */
static int count_semcnt(struct sem_array *sma, int semnum, bool zero)
{
	int n = 0;
	struct sem_queue *q;
	list_for_each_entry(q, &sma->pending, link) {
		const struct linux_sembuf *sop = &q->sops[q->blocking];
		if (sop->sem_num == semnum && (zero ? sop->sem_op == 0 : sop->sem_op < 0))
			n++;
	}
	return n;
}

static void freeary(struct sem_array *sma)
{
	struct sem_queue *q, *n;
	list_for_each_entry_safe(q, n, &sma->pending, link) {
		list_del(&q->link);
		list_init(&q->link);
		q->status = -EIDRM;
		task_wake(q->sleeper);
	}
	while (!list_empty(&sma->undos)) {
		struct sem_undo *un = list_first_entry(&sma->undos, struct sem_undo, link);
		list_del(&un->link);
		kfree(un);
	}
	ipc_rmid(&sem_ids, &sma->perm);
	sem_total -= sma->nsems;
	kfree(sma);
}

/* Values were set: adjustments for them no longer apply. */
static void clear_undos(struct sem_array *sma, int semnum)
{
	struct sem_undo *un;
	list_for_each_entry(un, &sma->undos, link) {
		for (int k = 0; k < sma->nsems; k++)
			if (semnum < 0 || k == semnum)
				un->semadj[k] = 0;
	}
}

static long sem_info(int cmd, uaddr_t buf)
{
	struct linux_seminfo si = {SEMMNS, SEMMNI, SEMMNS, SEMMNS, SEMMSL,
				   SEMOPM, SEMOPM, 20,	   SEMVMX, SEMAEM};
	if (cmd == SEM_INFO) {
		si.semusz = sem_ids.in_use;
		si.semaem = sem_total;
	}
	if (copy_to_user(buf, &si, sizeof si))
		return -EFAULT;
	int maxidx = ipc_get_maxidx(&sem_ids);
	return maxidx < 0 ? 0 : maxidx;
}

static long sem_stat(int id, int cmd, uaddr_t buf)
{
	struct kern_ipc_perm *p =
	    cmd == IPC_STAT ? ipc_obtain(&sem_ids, id) : ipc_at_index(&sem_ids, id);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (cmd != SEM_STAT_ANY && ipcperms(p, 0444))
		return -EACCES;
	struct sem_array *sma = sem_of(p);
	struct linux_semid64_ds ds;
	memset(&ds, 0, sizeof ds);
	ipc_fill_perm(p, &ds.sem_perm);
	ds.sem_otime = sma->otime;
	ds.sem_ctime = sma->ctime;
	ds.sem_nsems = (uint64_t)sma->nsems;
	if (copy_to_user(buf, &ds, sizeof ds))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

static long semctl_setall(struct sem_array *sma, uaddr_t arg)
{
	uint16_t *vals = kmalloc(sizeof *vals * (size_t)sma->nsems);
	if (!vals)
		return -ENOMEM;
	long err = copy_from_user(vals, arg, sizeof *vals * (size_t)sma->nsems) ? -EFAULT : 0;
	for (int k = 0; !err && k < sma->nsems; k++)
		if (vals[k] > SEMVMX)
			err = -ERANGE;
	for (int k = 0; !err && k < sma->nsems; k++) {
		sma->sems[k].semval = vals[k];
		sma->sems[k].sempid = current->proc->pid;
	}
	kfree(vals);
	if (err)
		return err;
	clear_undos(sma, -1);
	sma->ctime = ipc_now();
	update_queue(sma);
	return 0;
}

static long semctl_getall(struct sem_array *sma, uaddr_t arg)
{
	uint16_t *vals = kmalloc(sizeof *vals * (size_t)sma->nsems);
	if (!vals)
		return -ENOMEM;
	for (int k = 0; k < sma->nsems; k++)
		vals[k] = (uint16_t)sma->sems[k].semval;
	long err = copy_to_user(arg, vals, sizeof *vals * (size_t)sma->nsems) ? -EFAULT : 0;
	kfree(vals);
	return err;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT, SETVAL, GETALL, SETALL. */
static long semctl_main(struct sem_array *sma, int semnum, int cmd, unsigned long arg)
{
	bool write = cmd == SETVAL || cmd == SETALL;
	if (ipcperms(&sma->perm, write ? 0222 : 0444))
		return -EACCES;
	if (cmd == GETALL)
		return semctl_getall(sma, arg);
	if (cmd == SETALL)
		return semctl_setall(sma, arg);
	if (semnum < 0 || semnum >= sma->nsems)
		return -EINVAL;
	struct sem *s = &sma->sems[semnum];
	switch (cmd) {
	case GETVAL:
		return s->semval;
	case GETPID:
		return s->sempid;
	case GETNCNT:
		return count_semcnt(sma, semnum, false);
	case GETZCNT:
		return count_semcnt(sma, semnum, true);
	}
	int val = (int)arg; /* union semun's val */
	if (val > SEMVMX || val < 0)
		return -ERANGE;
	s->semval = val;
	s->sempid = current->proc->pid;
	clear_undos(sma, semnum);
	sma->ctime = ipc_now();
	update_queue(sma);
	return 0;
}

SYSCALL_DEFINE4(semctl, int, semid, int, semnum, int, cmd, unsigned long, arg)
{
	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return sem_info(cmd, arg);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return sem_stat(semid, cmd, arg);
	case GETALL:
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETVAL:
	case SETALL:
	case IPC_SET:
	case IPC_RMID:
		break;
	default:
		return -EINVAL;
	}
	struct linux_semid64_ds ds;
	if (cmd == IPC_SET && copy_from_user(&ds, arg, sizeof ds))
		return -EFAULT;
	struct kern_ipc_perm *p = ipc_obtain(&sem_ids, semid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (cmd != IPC_SET && cmd != IPC_RMID)
		return semctl_main(sem_of(p), semnum, cmd, arg);
	int err = ipc_check_owner(p);
	if (err)
		return err;
	if (cmd == IPC_RMID) {
		freeary(sem_of(p));
		return 0;
	}
	ipc_update_perm(&ds.sem_perm, p);
	sem_of(p)->ctime = ipc_now();
	return 0;
}
