/*
 * Anonymous inodes: eventfd, epoll, timerfd and signalfd files have no inode
 * of their own. As in Linux, they all share one inode (mode 0600, no file
 * type) and differ by their dentry's name, "anon_inode:[eventfd]", which is
 * what /proc/PID/fd shows.
 */
#include <stdio.h>
#include "kernel.h"
#include "fs.h"

#define ANON_INODE_FS_MAGIC 0x09041934

static struct super_block *anon_sb;
static struct inode *anon_inode;

static struct inode *anon_inode_get(void)
{
	if (anon_inode)
		return anon_inode;
	anon_sb = sb_alloc(NULL, SB_PSEUDO);
	if (!anon_sb)
		return NULL;
	anon_sb->magic = ANON_INODE_FS_MAGIC;
	anon_inode = new_inode(anon_sb);
	if (!anon_inode)
		return NULL;
	anon_inode->ino = get_next_ino(anon_sb);
	anon_inode->mode = 0600;
	inode_init_times(anon_inode);
	return anon_inode;
}

/* A new open file of fops with private data priv; flags are O_ACCMODE and
 * O_NONBLOCK. NULL when out of memory. */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
				unsigned flags)
{
	struct inode *inode = anon_inode_get();
	if (!inode)
		return NULL;
	char dname[64];
	snprintf(dname, sizeof dname, "anon_inode:%s", name);
	struct dentry *d = d_alloc_pseudo(anon_sb, igrab(inode), dname);
	if (!d) {
		iput(inode);
		return NULL;
	}
	struct path path = {pseudo_mnt(), d};
	struct file *f = file_alloc(&path, flags & (O_ACCMODE | O_NONBLOCK));
	dput(d);
	mntput(path.mnt);
	if (!f)
		return NULL;
	f->f_op = fops;
	f->private = priv;
	return f;
}
