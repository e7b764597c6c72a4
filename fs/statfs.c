/* statfs, fstatfs, and the sync family. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "syscall.h"
#include "uaccess.h"
#include "timer.h"
#include "ktime.h"

static int statfs_path(const struct path *p, uaddr_t ubuf)
{
	struct linux_statfs st;
	memset(&st, 0, sizeof st);
	struct super_block *sb = p->dentry->sb;
	int err = 0;
	if (sb && sb->s_op && sb->s_op->statfs) {
		err = sb->s_op->statfs(p->dentry, &st);
	} else {
		st.f_type = sb ? sb->magic : 0;
		st.f_bsize = st.f_frsize = 4096;
		st.f_namelen = NAME_MAX;
	}
	if (err)
		return err;
	st.f_fsid[0] = (int32_t)(sb ? sb->dev : 0);
	int mf = p->mnt->flags;
	st.f_flags =
	    0x20 /* ST_VALID */ | ((mf & MNT_RDONLY) || (sb && (sb->flags & SB_RDONLY)) ? 1 : 0) |
	    ((mf & MNT_NOSUID) ? 2 : 0) | ((mf & MNT_NODEV) ? 4 : 0) | ((mf & MNT_NOEXEC) ? 8 : 0);
	return copy_to_user(ubuf, &st, sizeof st) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, uaddr_t, filename, uaddr_t, ubuf)
{
	struct path p;
	int err = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	err = statfs_path(&p, ubuf);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(fstatfs, int, fd, uaddr_t, ubuf)
{
	struct file *f = fget_raw(fd);
	if (!f)
		return -EBADF;
	int err = statfs_path(&f->path, ubuf);
	fput(f);
	return err;
}

void sync_filesystems(bool wait)
{
	struct vfsmount *m;
	list_for_each_entry(m, &mounts, list)
		if (m->sb->s_op && m->sb->s_op->sync_fs)
			m->sb->s_op->sync_fs(m->sb, wait);
}

/* Each superblock once, however many mounts show it. */
void shutdown_filesystems(void)
{
	struct vfsmount *m, *n;
	list_for_each_entry(m, &mounts, list) {
		bool first = true;
		list_for_each_entry(n, &mounts, list) {
			if (n == m)
				break;
			if (n->sb == m->sb)
				first = false;
		}
		if (first && m->sb->s_op && m->sb->s_op->shutdown)
			m->sb->s_op->shutdown(m->sb);
	}
}

/* Dirty pages and inodes reach the disk within a few seconds, as Linux's
 * flusher threads see to (dirty_writeback_centisecs). */
#define WRITEBACK_NS (5 * 1000000000LL)
static struct ktimer writeback_timer;

static void writeback(struct ktimer *t)
{
	sync_filesystems(false);
	timer_add(t, ktime_get_ns() + WRITEBACK_NS);
}

void writeback_start(void)
{
	writeback_timer.fn = writeback;
	timer_add(&writeback_timer, ktime_get_ns() + WRITEBACK_NS);
}

SYSCALL_DEFINE0(sync)
{
	sync_filesystems(true);
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	struct super_block *sb = f->path.dentry->sb;
	int err = sb && sb->s_op && sb->s_op->sync_fs ? sb->s_op->sync_fs(sb, true) : 0;
	fput(f);
	return err;
}

static long do_fsync(int fd, bool datasync)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long err = f->f_op && f->f_op->fsync ? f->f_op->fsync(f, datasync)
		   : (S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode)) ? 0
									  : -EINVAL;
	fput(f);
	return err;
}

SYSCALL_DEFINE1(fsync, int, fd)
{
	return do_fsync(fd, false);
}

SYSCALL_DEFINE1(fdatasync, int, fd)
{
	return do_fsync(fd, true);
}

SYSCALL_DEFINE4(sync_file_range, int, fd, int64_t, off, int64_t, nbytes, unsigned, flags)
{
	if (flags & ~7u || off < 0 || nbytes < 0)
		return -EINVAL;
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long err = S_ISREG(f->inode->mode) || S_ISDIR(f->inode->mode) || S_ISLNK(f->inode->mode)
		       ? 0
		       : -ESPIPE;
	fput(f);
	return err;
}
