/* Inodes: allocation, reference counting, attributes. */
#include "kernel.h"
#include "fs.h"
#include "ktime.h"

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = kzalloc(sizeof *inode);
	if (!inode)
		return NULL;
	inode->refcount = 1;
	inode->sb = sb;
	inode->nlink = 1;
	list_init(&inode->sb_list);
	list_init(&inode->i_watches);
	wait_queue_init(&inode->wait);
	if (sb)
		sb->refcount++;
	return inode;
}

struct inode *igrab(struct inode *inode)
{
	inode->refcount++;
	return inode;
}

void iput(struct inode *inode)
{
	if (!inode || --inode->refcount > 0)
		return;
	struct super_block *sb = inode->sb;
	list_del(&inode->sb_list);
	if (sb && sb->s_op && sb->s_op->evict_inode)
		sb->s_op->evict_inode(inode);
	kfree(inode);
	if (sb)
		sb_put(sb);
}

uint64_t get_next_ino(struct super_block *sb)
{
	return ++sb->next_ino;
}

struct linux_timespec current_time(void)
{
	return ns_to_timespec(clock_read_ns(CLOCK_REALTIME));
}

void inode_init_times(struct inode *inode)
{
	inode->atime = inode->mtime = inode->ctime = current_time();
}

/* what: ATTR_ATIME / ATTR_MTIME / ATTR_CTIME */
void inode_touch(struct inode *inode, unsigned what)
{
	struct linux_timespec now = current_time();
	if (what & ATTR_ATIME)
		inode->atime = now;
	if (what & ATTR_MTIME)
		inode->mtime = now;
	if (what & ATTR_CTIME)
		inode->ctime = now;
}

static bool ts_after(struct linux_timespec a, struct linux_timespec b)
{
	return a.tv_sec != b.tv_sec ? a.tv_sec > b.tv_sec : a.tv_nsec > b.tv_nsec;
}

/* Linux's touch_atime under relatime, the default: atime moves only when it
 * is not newer than mtime or ctime, or is a day old; never for O_NOATIME or
 * on a read-only mount. (Host-backed files get this from the host.) */
void file_accessed(struct file *f)
{
	struct inode *inode = f->inode;
	if ((f->flags & O_NOATIME) || IS_RDONLY_PATH(&f->path))
		return;
	struct linux_timespec now = current_time();
	if (ts_after(inode->atime, inode->mtime) && ts_after(inode->atime, inode->ctime) &&
	    now.tv_sec - inode->atime.tv_sec < 24 * 60 * 60)
		return;
	inode->atime = now;
}

void inode_fill_stat(struct inode *inode, struct linux_stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_dev = inode->sb ? inode->sb->dev : 0;
	st->st_ino = inode->ino;
	st->st_nlink = inode->nlink;
	st->st_mode = inode->mode;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_size = inode->size;
	st->st_blksize = 4096;
	st->st_blocks = inode->blocks;
	st->st_atime_sec = (uint64_t)inode->atime.tv_sec;
	st->st_atime_nsec = (uint64_t)inode->atime.tv_nsec;
	st->st_mtime_sec = (uint64_t)inode->mtime.tv_sec;
	st->st_mtime_nsec = (uint64_t)inode->mtime.tv_nsec;
	st->st_ctime_sec = (uint64_t)inode->ctime.tv_sec;
	st->st_ctime_nsec = (uint64_t)inode->ctime.tv_nsec;
}
