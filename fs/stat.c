/* stat, lstat, fstat, newfstatat, statx, readlink. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "syscall.h"
#include "uaccess.h"

int vfs_getattr(const struct path *p)
{
	struct inode *inode = p->dentry->inode;
	if (inode->i_op && inode->i_op->getattr)
		return inode->i_op->getattr(p->dentry);
	return 0;
}

static int stat_path(const struct path *p, struct linux_stat *st)
{
	int err = vfs_getattr(p);
	if (err)
		return err;
	inode_fill_stat(p->dentry->inode, st);
	return 0;
}

static long do_fstatat(int dfd, uaddr_t filename, uaddr_t ustat, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	struct path p;
	unsigned lf = ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
		      ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	int err = user_path_at(dfd, filename, lf, &p);
	if (err)
		return err;
	struct linux_stat st;
	err = stat_path(&p, &st);
	path_put(&p);
	if (!err && copy_result_to_user(ustat, &st, sizeof st))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE2(stat, uaddr_t, filename, uaddr_t, ustat)
{
	return do_fstatat(AT_FDCWD, filename, ustat, 0);
}

SYSCALL_DEFINE2(lstat, uaddr_t, filename, uaddr_t, ustat)
{
	return do_fstatat(AT_FDCWD, filename, ustat, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE4(newfstatat, int, dfd, uaddr_t, filename, uaddr_t, ustat, int, flags)
{
	return do_fstatat(dfd, filename, ustat, flags);
}

SYSCALL_DEFINE2(fstat, int, fd, uaddr_t, ustat)
{
	struct file *f = fget_raw(fd);
	if (!f)
		return -EBADF;
	struct linux_stat st;
	int err = stat_path(&f->path, &st);
	fput(f);
	if (!err && copy_result_to_user(ustat, &st, sizeof st))
		err = -EFAULT;
	return err;
}

static struct statx_timestamp stx_time(struct linux_timespec ts)
{
	struct statx_timestamp t = {ts.tv_sec, (uint32_t)ts.tv_nsec, 0};
	return t;
}

SYSCALL_DEFINE5(statx, int, dfd, uaddr_t, filename, int, flags, unsigned, mask, uaddr_t, ubuf)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	struct path p;
	unsigned lf = ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
		      ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	int err = user_path_at(dfd, filename, lf, &p);
	if (err)
		return err;
	err = vfs_getattr(&p);
	if (err) {
		path_put(&p);
		return err;
	}
	struct inode *i = p.dentry->inode;
	struct linux_statx sx;
	memset(&sx, 0, sizeof sx);
	sx.stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	sx.stx_blksize = 4096;
	sx.stx_nlink = (uint32_t)i->nlink;
	sx.stx_uid = i->uid;
	sx.stx_gid = i->gid;
	sx.stx_mode = (uint16_t)i->mode;
	sx.stx_ino = i->ino;
	sx.stx_size = (uint64_t)i->size;
	sx.stx_blocks = (uint64_t)i->blocks;
	sx.stx_atime = stx_time(i->atime);
	sx.stx_mtime = stx_time(i->mtime);
	sx.stx_ctime = stx_time(i->ctime);
	sx.stx_rdev_major = MAJOR(i->rdev);
	sx.stx_rdev_minor = MINOR(i->rdev);
	sx.stx_dev_major = MAJOR(i->sb->dev);
	sx.stx_dev_minor = MINOR(i->sb->dev);
	sx.stx_mnt_id = (uint64_t)p.mnt->id;
	path_put(&p);
	return copy_result_to_user(ubuf, &sx, sizeof sx) ? -EFAULT : 0;
}

static long do_readlinkat(int dfd, uaddr_t filename, uaddr_t ubuf, int size)
{
	if (size <= 0)
		return -EINVAL;
	struct path p;
	bool empty;
	char *name = getname_empty_ok(filename, &empty);
	if (IS_ERR(name))
		return PTR_ERR(name);
	int err = path_lookupat(dfd, name, LOOKUP_EMPTY, &p);
	kfree(name);
	if (err)
		return err;
	struct inode *inode = p.dentry->inode;
	long r;
	if (!S_ISLNK(inode->mode) || !inode->i_op || !inode->i_op->readlink) {
		/* An empty path names the fd itself: not a link is "no link there". */
		r = empty ? -ENOENT : -EINVAL;
	} else {
		char *buf = kmalloc(PATH_MAX);
		r = buf ? inode->i_op->readlink(p.dentry, buf, PATH_MAX) : -ENOMEM;
		if (r > 0) {
			r = min(r, (long)size);
			if (copy_result_to_user(ubuf, buf, (size_t)r))
				r = -EFAULT;
		}
		kfree(buf);
	}
	path_put(&p);
	return r;
}

SYSCALL_DEFINE3(readlink, uaddr_t, filename, uaddr_t, buf, int, size)
{
	return do_readlinkat(AT_FDCWD, filename, buf, size);
}

SYSCALL_DEFINE4(readlinkat, int, dfd, uaddr_t, filename, uaddr_t, buf, int, size)
{
	return do_readlinkat(dfd, filename, buf, size);
}
