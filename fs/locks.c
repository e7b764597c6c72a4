/*
 * File locks: POSIX record locks (fcntl F_SETLK & co, owned by a process),
 * open file description locks (F_OFD_*, owned by the open file) and flock
 * (whole-file, owned by the open file). POSIX and OFD locks conflict with
 * each other; flock locks only with flock locks, as in Linux.
 */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "syscall.h"
#include "uaccess.h"

#define LOCK_SH	   1
#define LOCK_EX	   2
#define LOCK_NB	   4
#define LOCK_UN	   8
#define LOCK_MAND  32
#define OFFSET_MAX INT64_MAX

enum lock_kind { LK_POSIX, LK_OFD, LK_FLOCK };

struct file_lock {
	struct list_head list;
	struct inode *inode;
	enum lock_kind kind;
	void *owner; /* struct process * (POSIX) or struct file * */
	int pid;
	int type;
	int64_t start, end; /* inclusive */
};

struct linux_flock {
	int16_t l_type;
	int16_t l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
	int32_t pad;
};

static LIST_HEAD(all_locks);
static struct wait_queue lock_wait = WAIT_QUEUE_INIT(lock_wait);

/* Who a blocked POSIX owner waits for, for deadlock detection. */
struct blocked {
	struct list_head list;
	void *owner, *blocker;
};
static LIST_HEAD(blocked_owners);

static bool overlap(const struct file_lock *a, int64_t start, int64_t end)
{
	return a->start <= end && start <= a->end;
}

static bool same_family(enum lock_kind a, enum lock_kind b)
{
	return (a == LK_FLOCK) == (b == LK_FLOCK);
}

static struct file_lock *find_conflict(struct inode *inode, enum lock_kind kind, void *owner,
				       int type, int64_t start, int64_t end)
{
	struct file_lock *l;
	list_for_each_entry(l, &all_locks, list) {
		if (l->inode != inode || !same_family(l->kind, kind) || l->owner == owner)
			continue;
		if (!overlap(l, start, end))
			continue;
		if (type == F_WRLCK || l->type == F_WRLCK)
			return l;
	}
	return NULL;
}

static void *blocker_of(void *owner)
{
	struct blocked *b;
	list_for_each_entry(b, &blocked_owners, list)
		if (b->owner == owner)
			return b->blocker;
	return NULL;
}

/* Waiting for `blocker` would close a cycle of POSIX owners. */
static bool would_deadlock(void *owner, void *blocker)
{
	for (int depth = 0; blocker && depth < 64; depth++) {
		if (blocker == owner)
			return true;
		blocker = blocker_of(blocker);
	}
	return false;
}

static struct file_lock *lock_alloc(struct inode *inode, enum lock_kind kind, void *owner, int pid,
				    int type, int64_t start, int64_t end)
{
	struct file_lock *l = kzalloc(sizeof *l);
	if (!l)
		return NULL;
	l->inode = inode;
	l->kind = kind;
	l->owner = owner;
	l->pid = pid;
	l->type = type;
	l->start = start;
	l->end = end;
	return l;
}

/* Replaces the owner's locks over [start, end] by one of type (or none),
 * splitting what sticks out and merging neighbours of the same type. */
static int apply_lock(struct inode *inode, enum lock_kind kind, void *owner, int pid, int type,
		      int64_t start, int64_t end)
{
	struct file_lock *l, *n, *nl = NULL;
	if (type != F_UNLCK && !(nl = lock_alloc(inode, kind, owner, pid, type, start, end)))
		return -ENOMEM;
	list_for_each_entry_safe(l, n, &all_locks, list) {
		if (l->inode != inode || l->owner != owner || l->kind != kind)
			continue;
		bool adjacent = nl && l->type == type &&
				((l->end != OFFSET_MAX && l->end + 1 == start) ||
				 (end != OFFSET_MAX && end + 1 == l->start));
		if (!overlap(l, start, end) && !adjacent)
			continue;
		if (nl && l->type == type) {
			/* Same type: absorb it. */
			nl->start = min(nl->start, l->start);
			nl->end = max(nl->end, l->end);
			list_del(&l->list);
			kfree(l);
			continue;
		}
		if (adjacent)
			continue;
		if (l->start < start && l->end > end) {
			struct file_lock *tail =
			    lock_alloc(inode, kind, owner, l->pid, l->type, end + 1, l->end);
			if (!tail) {
				kfree(nl);
				return -ENOMEM;
			}
			list_add(&tail->list, &l->list);
			l->end = start - 1;
		} else if (l->start < start) {
			l->end = start - 1;
		} else if (l->end > end) {
			l->start = end + 1;
		} else {
			list_del(&l->list);
			kfree(l);
		}
	}
	if (nl)
		list_add_tail(&nl->list, &all_locks);
	wake_up(&lock_wait);
	return 0;
}

static int set_lock(struct inode *inode, enum lock_kind kind, void *owner, int pid, int type,
		    int64_t start, int64_t end, bool wait)
{
	if (type == F_UNLCK)
		return apply_lock(inode, kind, owner, pid, type, start, end);
	for (;;) {
		struct file_lock *c = find_conflict(inode, kind, owner, type, start, end);
		if (!c)
			return apply_lock(inode, kind, owner, pid, type, start, end);
		if (!wait)
			return kind == LK_FLOCK ? -EWOULDBLOCK : -EAGAIN;
		if (kind == LK_POSIX && would_deadlock(owner, c->owner))
			return -EDEADLK;
		struct blocked b = {.owner = owner, .blocker = c->owner};
		list_add(&b.list, &blocked_owners);
		int err = wait_event_interruptible(
		    lock_wait, !find_conflict(inode, kind, owner, type, start, end));
		list_del(&b.list);
		if (err)
			return err;
	}
}

/* struct flock to an inclusive range, as Linux's flock_to_posix_lock. */
static int flock_range(struct file *f, const struct linux_flock *fl, int64_t *start, int64_t *end)
{
	int64_t s = file_position(f, fl->l_start, fl->l_whence);
	if (s < 0)
		return (int)s;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFFSET_MAX - s)
			return -EOVERFLOW;
		*start = s;
		*end = s + fl->l_len - 1;
	} else if (fl->l_len < 0) {
		if (s + fl->l_len < 0)
			return -EINVAL;
		*start = s + fl->l_len;
		*end = s - 1;
	} else {
		*start = s;
		*end = OFFSET_MAX;
	}
	return 0;
}

long fcntl_lock(struct file *f, int cmd, unsigned long arg)
{
	struct linux_flock fl;
	if (copy_from_user(&fl, arg, sizeof fl))
		return -EFAULT;
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	if (ofd && fl.l_pid)
		return -EINVAL;
	int64_t start = 0, end = 0; /* set by flock_range unless it fails */
	int err = flock_range(f, &fl, &start, &end);
	if (err)
		return err;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK)
		return -EINVAL;
	enum lock_kind kind = ofd ? LK_OFD : LK_POSIX;
	void *owner = ofd ? (void *)f : (void *)current->proc;
	if (cmd == F_GETLK || cmd == F_OFD_GETLK) {
		struct file_lock *c = fl.l_type == F_UNLCK ? NULL
							   : find_conflict(f->inode, kind, owner,
									   fl.l_type, start, end);
		if (!c) {
			fl.l_type = F_UNLCK;
		} else {
			fl.l_type = (int16_t)c->type;
			fl.l_whence = SEEK_SET;
			fl.l_start = c->start;
			fl.l_len = c->end == OFFSET_MAX ? 0 : c->end - c->start + 1;
			fl.l_pid = c->kind == LK_OFD ? -1 : c->pid;
		}
		return copy_to_user(arg, &fl, sizeof fl) ? -EFAULT : 0;
	}
	if ((fl.l_type == F_RDLCK && !(f->mode & FMODE_READ)) ||
	    (fl.l_type == F_WRLCK && !(f->mode & FMODE_WRITE)))
		return -EBADF;
	bool wait = cmd == F_SETLKW || cmd == F_OFD_SETLKW;
	return set_lock(f->inode, kind, owner, current->proc->pid, fl.l_type, start, end, wait);
}

SYSCALL_DEFINE2(flock, int, fd, unsigned, op)
{
	/* Linux dropped LOCK_MAND locks and ignores such requests. */
	if (op & LOCK_MAND) {
		static bool warned;
		if (!warned)
			pr_warn("%s[%d]: LOCK_MAND flock ignored\n", current->comm, current->tid);
		warned = true;
		return 0;
	}
	int type;
	switch (op & ~(unsigned)LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return -EINVAL;
	}
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long err;
	/* Converting a lock drops the old one first, as Linux does. */
	if (type != F_UNLCK)
		apply_lock(f->inode, LK_FLOCK, f, 0, F_UNLCK, 0, OFFSET_MAX);
	err = set_lock(f->inode, LK_FLOCK, f, current->proc->pid, type, 0, OFFSET_MAX,
		       !(op & LOCK_NB));
	fput(f);
	return err;
}

/* close(): the process's POSIX locks on that inode go, whatever fd took them. */
void locks_remove_posix(struct file *f, struct process *owner)
{
	struct file_lock *l, *n;
	bool any = false;
	list_for_each_entry_safe(l, n, &all_locks, list) {
		if (l->kind == LK_POSIX && l->owner == owner && l->inode == f->inode) {
			list_del(&l->list);
			kfree(l);
			any = true;
		}
	}
	if (any)
		wake_up(&lock_wait);
}

/* The last close of an open file: its OFD and flock locks go. */
void locks_remove_file(struct file *f)
{
	struct file_lock *l, *n;
	bool any = false;
	list_for_each_entry_safe(l, n, &all_locks, list) {
		if (l->owner == f) {
			list_del(&l->list);
			kfree(l);
			any = true;
		}
	}
	if (any)
		wake_up(&lock_wait);
}
