/*
 * System V message queues: typed messages in arrival order, chosen by type
 * on receipt (first, first of a type, first not of a type, lowest type up
 * to a bound), with Linux's queue limits (msg_qbytes counts bytes and
 * messages), MSG_NOERROR truncation and MSG_COPY.
 */
#include "kernel.h"
#include "task.h"
#include "capability.h"
#include "syscall.h"
#include "uaccess.h"
#include "util.h"

#define MSGMAX 8192
#define MSGMNB 16384
#define MSGMNI 32000

struct msg_msg {
	struct list_head link;
	int64_t mtype;
	size_t len;
	char text[];
};

struct msg_queue {
	struct kern_ipc_perm perm;
	int64_t stime, rtime, ctime;
	size_t cbytes, qnum, qbytes;
	int lspid, lrpid;
	struct list_head messages;
	struct wait_queue wait; /* senders waiting for room, receivers for messages */
};

static struct ipc_ids msg_ids = {.max = MSGMNI, .last_idx = -1};
static size_t msg_bytes, msg_hdrs; /* in all queues, for MSG_INFO */

static struct msg_queue *msq_of(struct kern_ipc_perm *p)
{
	return container_of(p, struct msg_queue, perm);
}

static long newque(int32_t key, int flg, long arg)
{
	(void)arg;
	struct msg_queue *msq = kzalloc(sizeof *msq);
	if (!msq)
		return -ENOMEM;
	list_init(&msq->messages);
	wait_queue_init(&msq->wait);
	msq->qbytes = MSGMNB;
	int id = ipc_addid(&msg_ids, &msq->perm, key, flg);
	if (id < 0) {
		kfree(msq);
		return id;
	}
	msq->ctime = ipc_now();
	return id;
}

static const struct ipc_ops msg_ops = {.getnew = newque};

SYSCALL_DEFINE2(msgget, int32_t, key, int, flg)
{
	return ipcget(&msg_ids, key, flg, 0, &msg_ops);
}

static void free_msg(struct msg_msg *m)
{
	msg_bytes -= m->len;
	msg_hdrs--;
	kfree(m);
}

static void freeque(struct msg_queue *msq)
{
	ipc_rmid(&msg_ids, &msq->perm);
	wake_up(&msq->wait);
	while (!list_empty(&msq->messages)) {
		struct msg_msg *m = list_first_entry(&msq->messages, struct msg_msg, link);
		list_del(&m->link);
		free_msg(m);
	}
	/* Waiters see the queue deleted and leave; the last one frees it. */
	if (!waitqueue_active(&msq->wait))
		kfree(msq);
}

/* A woken waiter of a deleted queue: frees it if it is the last. */
static void msq_leave(struct msg_queue *msq)
{
	if (msq->perm.deleted && !waitqueue_active(&msq->wait))
		kfree(msq);
}

static bool msg_fits(struct msg_queue *msq, size_t len)
{
	return len + msq->cbytes <= msq->qbytes && 1 + msq->qnum <= msq->qbytes;
}

/* Sleeps on the queue until cond; -ERESTARTNOHAND on a signal, -EIDRM if
 * the queue was removed meanwhile. */
#define msq_wait(msq, cond)                                                                        \
	({                                                                                         \
		int err_ = wait_event_interruptible((msq)->wait, (cond) || (msq)->perm.deleted);   \
		if ((msq)->perm.deleted) {                                                         \
			err_ = -EIDRM;                                                             \
			msq_leave(msq);                                                            \
		} else if (err_) {                                                                 \
			err_ = -ERESTARTNOHAND;                                                    \
		}                                                                                  \
		err_;                                                                              \
	})

static long do_msgsnd(int msqid, uaddr_t umsg, size_t len, int flg)
{
	int64_t mtype;
	if (get_user(mtype, umsg))
		return -EFAULT;
	if (len > MSGMAX || (long)len < 0 || msqid < 0)
		return -EINVAL;
	if (mtype < 1)
		return -EINVAL;
	struct msg_msg *m = kmalloc(sizeof *m + len);
	if (!m)
		return -ENOMEM;
	m->mtype = mtype;
	m->len = len;
	if (copy_from_user(m->text, umsg + sizeof mtype, len)) {
		kfree(m);
		return -EFAULT;
	}
	struct kern_ipc_perm *p = ipc_obtain(&msg_ids, msqid);
	long err = IS_ERR(p) ? PTR_ERR(p) : 0;
	struct msg_queue *msq = err ? NULL : msq_of(p);
	while (!err) {
		if (ipcperms(p, 0222)) {
			err = -EACCES;
			break;
		}
		if (msg_fits(msq, len))
			break;
		if (flg & IPC_NOWAIT) {
			err = -EAGAIN;
			break;
		}
		err = msq_wait(msq, msg_fits(msq, len));
	}
	if (err) {
		kfree(m);
		return err;
	}
	list_add_tail(&m->link, &msq->messages);
	msq->qnum++;
	msq->cbytes += len;
	msg_bytes += len;
	msg_hdrs++;
	msq->lspid = current->proc->pid;
	msq->stime = ipc_now();
	wake_up(&msq->wait);
	return 0;
}

SYSCALL_DEFINE4(msgsnd, int, msqid, uaddr_t, umsg, size_t, len, int, flg)
{
	return do_msgsnd(msqid, umsg, len, flg);
}

enum search_mode { SEARCH_ANY, SEARCH_EQUAL, SEARCH_NOTEQUAL, SEARCH_LESSEQUAL, SEARCH_NUMBER };

static enum search_mode convert_mode(int64_t *msgtyp, int flg)
{
	if (flg & MSG_COPY)
		return SEARCH_NUMBER;
	if (*msgtyp == 0)
		return SEARCH_ANY;
	if (*msgtyp < 0) {
		*msgtyp = *msgtyp == INT64_MIN ? INT64_MAX : -*msgtyp;
		return SEARCH_LESSEQUAL;
	}
	return (flg & MSG_EXCEPT) ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
}

static bool testmsg(const struct msg_msg *m, int64_t type, enum search_mode mode)
{
	switch (mode) {
	case SEARCH_ANY:
	case SEARCH_NUMBER:
		return true;
	case SEARCH_LESSEQUAL:
		return m->mtype <= type;
	case SEARCH_EQUAL:
		return m->mtype == type;
	case SEARCH_NOTEQUAL:
		return m->mtype != type;
	}
	return false;
}

static struct msg_msg *find_msg(struct msg_queue *msq, int64_t type, enum search_mode mode)
{
	struct msg_msg *m, *found = NULL;
	int64_t count = 0;
	list_for_each_entry(m, &msq->messages, link) {
		if (!testmsg(m, type, mode))
			continue;
		if (mode == SEARCH_LESSEQUAL && m->mtype != 1) {
			type = m->mtype - 1; /* the lowest type wins */
			found = m;
		} else if (mode == SEARCH_NUMBER) {
			if (type == count)
				return m;
		} else {
			return m;
		}
		count++;
	}
	return found;
}

static long do_msgrcv(int msqid, uaddr_t umsg, size_t bufsz, int64_t msgtyp, int flg)
{
	if (msqid < 0 || (long)bufsz < 0)
		return -EINVAL;
	if ((flg & MSG_COPY) && ((flg & MSG_EXCEPT) || !(flg & IPC_NOWAIT)))
		return -EINVAL;
	enum search_mode mode = convert_mode(&msgtyp, flg);
	struct kern_ipc_perm *p = ipc_obtain(&msg_ids, msqid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	struct msg_queue *msq = msq_of(p);
	struct msg_msg *m;
	for (;;) {
		if (ipcperms(p, 0444))
			return -EACCES;
		m = find_msg(msq, msgtyp, mode);
		if (m)
			break;
		if (flg & IPC_NOWAIT)
			return -ENOMSG;
		int err = msq_wait(msq, find_msg(msq, msgtyp, mode) != NULL);
		if (err)
			return err;
	}
	if (bufsz < m->len && !(flg & MSG_NOERROR))
		return -E2BIG;
	size_t n = min(bufsz, m->len);
	if (put_user(m->mtype, umsg) || copy_to_user(umsg + sizeof m->mtype, m->text, n))
		return -EFAULT;
	if (!(flg & MSG_COPY)) {
		list_del(&m->link);
		msq->qnum--;
		msq->cbytes -= m->len;
		msq->rtime = ipc_now();
		msq->lrpid = current->proc->pid;
		free_msg(m);
		wake_up(&msq->wait);
	}
	return (long)n;
}

SYSCALL_DEFINE5(msgrcv, int, msqid, uaddr_t, umsg, size_t, bufsz, int64_t, msgtyp, int, flg)
{
	return do_msgrcv(msqid, umsg, bufsz, msgtyp, flg);
}

/* ---- msgctl ---- */

static long msg_info(int cmd, uaddr_t buf)
{
	struct linux_msginfo mi = {
	    MSGMNI * MSGMNB / 1024, MSGMNB, MSGMAX, MSGMNB, MSGMNI, 16, MSGMNB, 0xffff};
	if (cmd == MSG_INFO) {
		mi.msgpool = msg_ids.in_use;
		mi.msgmap = (int)msg_hdrs;
		mi.msgtql = (int)msg_bytes;
	}
	if (copy_to_user(buf, &mi, sizeof mi))
		return -EFAULT;
	int maxidx = ipc_get_maxidx(&msg_ids);
	return maxidx < 0 ? 0 : maxidx;
}

static long msg_stat(int id, int cmd, uaddr_t buf)
{
	struct kern_ipc_perm *p =
	    cmd == IPC_STAT ? ipc_obtain(&msg_ids, id) : ipc_at_index(&msg_ids, id);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (cmd != MSG_STAT_ANY && ipcperms(p, 0444))
		return -EACCES;
	struct msg_queue *msq = msq_of(p);
	struct linux_msqid64_ds ds;
	memset(&ds, 0, sizeof ds);
	ipc_fill_perm(p, &ds.msg_perm);
	ds.msg_stime = msq->stime;
	ds.msg_rtime = msq->rtime;
	ds.msg_ctime = msq->ctime;
	ds.msg_cbytes = msq->cbytes;
	ds.msg_qnum = msq->qnum;
	ds.msg_qbytes = msq->qbytes;
	ds.msg_lspid = msq->lspid;
	ds.msg_lrpid = msq->lrpid;
	if (copy_to_user(buf, &ds, sizeof ds))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

SYSCALL_DEFINE3(msgctl, int, msqid, int, cmd, uaddr_t, buf)
{
	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msg_info(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return msg_stat(msqid, cmd, buf);
	case IPC_SET:
	case IPC_RMID:
		break;
	default:
		return -EINVAL;
	}
	struct linux_msqid64_ds ds;
	if (cmd == IPC_SET && copy_from_user(&ds, buf, sizeof ds))
		return -EFAULT;
	struct kern_ipc_perm *p = ipc_obtain(&msg_ids, msqid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	int err = ipc_check_owner(p);
	if (err)
		return err;
	struct msg_queue *msq = msq_of(p);
	if (cmd == IPC_RMID) {
		freeque(msq);
		return 0;
	}
	if (ds.msg_qbytes > MSGMNB && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	ipc_update_perm(&ds.msg_perm, p);
	msq->qbytes = ds.msg_qbytes;
	msq->ctime = ipc_now();
	/* More room may let senders in. */
	wake_up(&msq->wait);
	return 0;
}
