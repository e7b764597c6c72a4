/* Changing attributes: chmod, chown, truncate, fallocate, utimes. */
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "fs.h"
#include "ktime.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "fsnotify.h"

static bool is_owner_or_cap(struct inode *inode)
{
	return current->cred.fsuid == inode->uid || capable(CAP_FOWNER);
}

static bool in_group_p(gid_t_ gid)
{
	const struct cred *c = &current->cred;
	if (c->fsgid == gid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

void setattr_copy(struct inode *inode, const struct iattr *a)
{
	if (a->valid & ATTR_MODE)
		inode->mode = (inode->mode & S_IFMT) | (a->mode & S_IALLUGO);
	if (a->valid & ATTR_UID)
		inode->uid = a->uid;
	if (a->valid & ATTR_GID)
		inode->gid = a->gid;
	if (a->valid & ATTR_ATIME)
		inode->atime = a->atime;
	if (a->valid & ATTR_MTIME)
		inode->mtime = a->mtime;
	if (a->valid & ATTR_CTIME)
		inode->ctime = current_time();
}

int notify_change(const struct path *p, struct iattr *a)
{
	struct inode *inode = p->dentry->inode;
	if (IS_RDONLY_PATH(p))
		return -EROFS;
	if (!inode->i_op || !inode->i_op->setattr)
		return -EPERM;
	a->valid |= ATTR_CTIME;
	int err = inode->i_op->setattr(p->dentry, a);
	if (!err)
		fsnotify_change(p->dentry, a->valid);
	return err;
}

/* Linux's file_remove_privs: writing or truncating a regular file drops its
 * file capabilities and, without CAP_FSETID, its set-user-ID bit and a real
 * set-group-ID bit (group-executable, or of a group not its own). */
int file_remove_privs(const struct path *p)
{
	struct inode *inode = p->dentry->inode;
	mode_t_ m = inode->mode;
	int err = remove_file_caps(p);
	if (err || !S_ISREG(m) || capable(CAP_FSETID))
		return err;
	m &= ~(mode_t_)S_ISUID;
	if ((m & S_ISGID) && ((m & 0010) || !in_group_p(inode->gid)))
		m &= ~(mode_t_)S_ISGID;
	if (m == inode->mode)
		return 0;
	struct iattr a = {.valid = ATTR_MODE, .mode = m};
	return notify_change(p, &a);
}

static int chmod_path(const struct path *p, mode_t_ mode)
{
	struct inode *inode = p->dentry->inode;
	if (!is_owner_or_cap(inode))
		return IS_RDONLY_PATH(p) ? -EROFS : -EPERM;
	mode &= S_IALLUGO;
	/* A non-member without CAP_FSETID cannot set the group id bit. */
	if (!in_group_p(inode->gid) && !capable(CAP_FSETID))
		mode &= ~(mode_t_)S_ISGID;
	struct iattr a = {.valid = ATTR_MODE, .mode = mode | (inode->mode & S_IFMT)};
	return notify_change(p, &a);
}

static int chown_path(const struct path *p, uid_t_ uid, gid_t_ gid)
{
	struct inode *inode = p->dentry->inode;
	struct iattr a = {0};
	const struct cred *c = &current->cred;
	if (uid != (uid_t_)-1 && uid != inode->uid) {
		if (!capable(CAP_CHOWN))
			return IS_RDONLY_PATH(p) ? -EROFS : -EPERM;
		a.valid |= ATTR_UID;
		a.uid = uid;
	}
	if (gid != (gid_t_)-1 && gid != inode->gid) {
		if ((c->fsuid != inode->uid || !in_group_p(gid)) && !capable(CAP_CHOWN))
			return IS_RDONLY_PATH(p) ? -EROFS : -EPERM;
		a.valid |= ATTR_GID;
		a.gid = gid;
	}
	if ((uid != (uid_t_)-1 || gid != (gid_t_)-1) && c->fsuid != inode->uid &&
	    !capable(CAP_CHOWN))
		return -EPERM;
	/* Any chown of a non-directory, even chown(-1, -1), clears the
	 * set-user-ID bit, a group-executable set-group-ID bit and the file
	 * capabilities. */
	if (!S_ISDIR(inode->mode)) {
		mode_t_ m = inode->mode;
		if (m & S_ISUID)
			m &= ~(mode_t_)S_ISUID;
		if ((m & (S_ISGID | 0010)) == (S_ISGID | 0010))
			m &= ~(mode_t_)S_ISGID;
		if (m != inode->mode) {
			if (c->fsuid != inode->uid && !capable(CAP_CHOWN))
				return -EPERM;
			a.valid |= ATTR_MODE;
			a.mode = m;
		}
	}
	int err = S_ISDIR(inode->mode) ? 0 : remove_file_caps(p);
	return err ? err : notify_change(p, &a);
}

static long with_path(int dfd, uaddr_t filename, int flags, int allowed,
		      int (*fn)(const struct path *, long, long), long a, long b)
{
	if (flags & ~allowed)
		return -EINVAL;
	struct path p;
	unsigned lf = ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
		      ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	int err = user_path_at(dfd, filename, lf, &p);
	if (err)
		return err;
	err = fn(&p, a, b);
	path_put(&p);
	return err;
}

static long with_fd(int fd, int (*fn)(const struct path *, long, long), long a, long b)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long err = (f->mode & FMODE_PATH) ? -EBADF : fn(&f->path, a, b);
	fput(f);
	return err;
}

static int do_chmod(const struct path *p, long mode, long unused)
{
	(void)unused;
	return chmod_path(p, (mode_t_)mode);
}

static int do_chown(const struct path *p, long uid, long gid)
{
	return chown_path(p, (uid_t_)uid, (gid_t_)gid);
}

SYSCALL_DEFINE2(chmod, uaddr_t, filename, mode_t_, mode)
{
	return with_path(AT_FDCWD, filename, 0, 0, do_chmod, mode, 0);
}

SYSCALL_DEFINE2(fchmod, int, fd, mode_t_, mode)
{
	return with_fd(fd, do_chmod, mode, 0);
}

SYSCALL_DEFINE3(fchmodat, int, dfd, uaddr_t, filename, mode_t_, mode)
{
	return with_path(dfd, filename, 0, 0, do_chmod, mode, 0);
}

SYSCALL_DEFINE3(chown, uaddr_t, filename, uid_t_, uid, gid_t_, gid)
{
	return with_path(AT_FDCWD, filename, 0, 0, do_chown, uid, gid);
}

SYSCALL_DEFINE3(lchown, uaddr_t, filename, uid_t_, uid, gid_t_, gid)
{
	return with_path(AT_FDCWD, filename, AT_SYMLINK_NOFOLLOW, AT_SYMLINK_NOFOLLOW, do_chown,
			 uid, gid);
}

SYSCALL_DEFINE3(fchown, int, fd, uid_t_, uid, gid_t_, gid)
{
	return with_fd(fd, do_chown, uid, gid);
}

SYSCALL_DEFINE5(fchownat, int, dfd, uaddr_t, filename, uid_t_, uid, gid_t_, gid, int, flags)
{
	return with_path(dfd, filename, flags, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, do_chown, uid,
			 gid);
}

static int truncate_path(const struct path *p, long length, long check_perm)
{
	struct inode *inode = p->dentry->inode;
	if (length < 0)
		return -EINVAL;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	if (check_perm) {
		int err = inode_permission(inode, MAY_WRITE);
		if (err)
			return err;
		if (inode->writecount < 0)
			return -ETXTBSY; /* a running program */
	}
	uint64_t lim = current->proc->rlim[RLIMIT_FSIZE].rlim_cur;
	if (lim != RLIM_INFINITY && (uint64_t)length > lim) {
		send_signal(SIGXFSZ, NULL, current, false);
		return -EFBIG;
	}
	int err = file_remove_privs(p);
	if (err)
		return err;
	struct iattr a = {.valid = ATTR_SIZE | ATTR_MTIME, .size = length};
	a.mtime = current_time();
	return notify_change(p, &a);
}

SYSCALL_DEFINE2(truncate, uaddr_t, filename, int64_t, length)
{
	return with_path(AT_FDCWD, filename, 0, 0, truncate_path, length, 1);
}

SYSCALL_DEFINE2(ftruncate, int, fd, int64_t, length)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long err;
	if (!(f->mode & FMODE_WRITE))
		err = -EINVAL; /* Linux: EINVAL for a directory too */
	else
		err = truncate_path(&f->path, length, 0);
	fput(f);
	return err;
}

SYSCALL_DEFINE4(fallocate, int, fd, int, mode, int64_t, offset, int64_t, len)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long err;
	const int keep = 1, punch = 2, zero = 0x10, supported = 0x7f; /* FALLOC_FL_* */
	if (offset < 0 || len <= 0)
		err = -EINVAL;
	else if ((mode & ~supported) || (mode & (punch | zero)) == (punch | zero) ||
		 ((mode & punch) && !(mode & keep)))
		err = -EOPNOTSUPP; /* Linux's vfs_fallocate checks, before the fd's */
	else if (!(f->mode & FMODE_WRITE))
		err = -EBADF;
	else if (S_ISDIR(f->inode->mode))
		err = -EISDIR;
	else if (!S_ISREG(f->inode->mode))
		err = S_ISFIFO(f->inode->mode) ? -ESPIPE : -ENODEV;
	else if (!f->f_op->fallocate)
		err = -EOPNOTSUPP;
	else
		err = f->f_op->fallocate(f, mode, offset, len);
	if (!err)
		fsnotify_dentry(f->path.dentry, IN_MODIFY);
	fput(f);
	return err;
}

/* ---- Timestamps ---- */

static int utimes_path(const struct path *p, const struct linux_timespec *times)
{
	struct inode *inode = p->dentry->inode;
	struct iattr a = {0};
	bool set_now = !times || (times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW);
	if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0;
	/* To "now": owner or write permission; to given times: owner. */
	if (!is_owner_or_cap(inode)) {
		if (!set_now)
			return IS_RDONLY_PATH(p) ? -EROFS : -EPERM;
		int err = inode_permission(inode, MAY_WRITE);
		if (err)
			return IS_RDONLY_PATH(p) ? -EROFS : err;
	}
	struct linux_timespec now = current_time();
	for (int i = 0; i < 2; i++) {
		struct linux_timespec t = times ? times[i] : now;
		if (t.tv_nsec == UTIME_OMIT)
			continue;
		if (t.tv_nsec == UTIME_NOW)
			t = now;
		if (i == 0) {
			a.valid |= ATTR_ATIME;
			a.atime = t;
		} else {
			a.valid |= ATTR_MTIME;
			a.mtime = t;
		}
	}
	return notify_change(p, &a);
}

static long do_utimes(int dfd, uaddr_t filename, const struct linux_timespec *times, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (times) {
		for (int i = 0; i < 2; i++)
			if (times[i].tv_nsec != UTIME_NOW && times[i].tv_nsec != UTIME_OMIT &&
			    (times[i].tv_nsec < 0 || times[i].tv_nsec >= NSEC_PER_SEC))
				return -EINVAL;
	}
	struct path p;
	int err;
	if (!filename) {
		/* utimensat(fd, NULL, ...): the file itself, as futimens. */
		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		struct file *f = fget(dfd);
		if (!f)
			return -EBADF;
		path_copy(&p, &f->path);
		fput(f);
	} else {
		unsigned lf = ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			      ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
		if ((err = user_path_at(dfd, filename, lf, &p)))
			return err;
	}
	err = utimes_path(&p, times);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE4(utimensat, int, dfd, uaddr_t, filename, uaddr_t, utimes, int, flags)
{
	struct linux_timespec t[2];
	if (utimes && copy_from_user(t, utimes, sizeof t))
		return -EFAULT;
	/* Nothing to do: Linux returns before even looking up the path. */
	if (utimes && t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
		return 0;
	return do_utimes(dfd, filename, utimes ? t : NULL, flags);
}

static long utimes_tv(int dfd, uaddr_t filename, uaddr_t utv)
{
	struct linux_timeval tv[2];
	struct linux_timespec t[2];
	if (utv) {
		if (copy_from_user(tv, utv, sizeof tv))
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			t[i].tv_sec = tv[i].tv_sec;
			t[i].tv_nsec = tv[i].tv_usec * 1000;
		}
	}
	return do_utimes(dfd, filename, utv ? t : NULL, 0);
}

SYSCALL_DEFINE2(utimes, uaddr_t, filename, uaddr_t, utv)
{
	return utimes_tv(AT_FDCWD, filename, utv);
}

SYSCALL_DEFINE3(futimesat, int, dfd, uaddr_t, filename, uaddr_t, utv)
{
	return utimes_tv(dfd, filename, utv);
}

SYSCALL_DEFINE2(utime, uaddr_t, filename, uaddr_t, ubuf)
{
	struct {
		int64_t actime, modtime;
	} b;
	struct linux_timespec t[2];
	if (ubuf) {
		if (copy_from_user(&b, ubuf, sizeof b))
			return -EFAULT;
		t[0].tv_sec = b.actime;
		t[1].tv_sec = b.modtime;
		t[0].tv_nsec = t[1].tv_nsec = 0;
	}
	return do_utimes(AT_FDCWD, filename, ubuf ? t : NULL, 0);
}
