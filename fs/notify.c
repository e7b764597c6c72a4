/*
 * inotify: watches on inodes and queues of events, fed by the VFS's
 * fsnotify_* calls, so every filesystem reports alike. A watch holds its
 * inode, as in Linux, until it is removed or the inode's last link goes.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "fsnotify.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/misc.h"
#include "uapi/termios.h"

#define IN_ALL_EVENTS  0x00000fff
#define IN_ONLYDIR     0x01000000
#define IN_DONT_FOLLOW 0x02000000
#define IN_EXCL_UNLINK 0x04000000
#define IN_MASK_CREATE 0x10000000
#define IN_MASK_ADD    0x20000000
#define IN_ONESHOT     0x80000000
#define MAX_QUEUED     16384 /* fs.inotify.max_queued_events */
#define EVENT_HDR      16    /* struct inotify_event without its name */

struct inotify_group {
	struct list_head watches;
	struct list_head events;
	unsigned nevents;
	int next_wd;
	struct wait_queue wait;
};

struct watch {
	struct list_head inode_link, group_link;
	struct inotify_group *group;
	struct inode *inode;
	int wd;
	uint32_t mask;
};

struct event {
	struct list_head link;
	int32_t wd;
	uint32_t mask, cookie, len; /* len: the name padded with NULs */
	char name[];
};

static uint32_t next_cookie;

static size_t event_size(const struct event *e)
{
	return EVENT_HDR + e->len;
}

static void queue_event(struct inotify_group *g, int wd, uint32_t mask, uint32_t cookie,
			const char *name)
{
	size_t n = name ? strlen(name) : 0;
	uint32_t len = n ? (uint32_t)ALIGN_UP(n + 1, EVENT_HDR) : 0;
	if (g->nevents >= MAX_QUEUED) {
		if (g->nevents > MAX_QUEUED)
			return; /* the overflow event is there already */
		wd = -1, mask = IN_Q_OVERFLOW, cookie = 0, n = len = 0;
	} else if (!list_empty(&g->events)) {
		/* Linux merges an event with the same one just before it. */
		struct event *last = list_entry(g->events.prev, struct event, link);
		if (last->wd == wd && last->mask == mask && last->cookie == cookie &&
		    (n ? last->len && !strcmp(last->name, name) : !last->len))
			return;
	}
	struct event *e = kzalloc(sizeof *e + len);
	if (!e)
		return;
	e->wd = wd;
	e->mask = mask;
	e->cookie = cookie;
	e->len = len;
	if (n)
		memcpy(e->name, name, n);
	list_add_tail(&e->link, &g->events);
	g->nevents++;
	wake_up(&g->wait);
}

static void watch_free(struct watch *w, bool ignored)
{
	if (ignored)
		queue_event(w->group, w->wd, IN_IGNORED, 0, NULL);
	list_del(&w->inode_link);
	list_del(&w->group_link);
	iput(w->inode);
	kfree(w);
}

/* Delivers mask (about name, when given: a child of a watched directory). */
static void notify(struct inode *inode, uint32_t mask, uint32_t cookie, const char *name)
{
	struct watch *w, *n;
	list_for_each_entry_safe(w, n, &inode->i_watches, inode_link) {
		if (!(w->mask & mask & IN_ALL_EVENTS))
			continue;
		queue_event(w->group, w->wd, mask, cookie, name);
		if (w->mask & IN_ONESHOT)
			watch_free(w, true);
	}
}

static uint32_t isdir(struct inode *inode)
{
	return S_ISDIR(inode->mode) ? IN_ISDIR : 0;
}

void fsnotify_dentry(struct dentry *d, uint32_t mask)
{
	struct inode *inode = d->inode;
	mask |= isdir(inode);
	if (d->parent != d && d->parent->inode)
		notify(d->parent->inode, mask, 0, d->name);
	notify(inode, mask, 0, NULL);
}

void fsnotify_create(struct inode *dir, struct dentry *d)
{
	notify(dir, IN_CREATE | isdir(d->inode), 0, d->name);
}

/* IN_DELETE_SELF and the end of the watches, once no name is left (the
 * caller still holds the inode). */
static void inode_removed(struct inode *inode)
{
	notify(inode, IN_DELETE_SELF, 0, NULL);
	while (!list_empty(&inode->i_watches))
		watch_free(list_first_entry(&inode->i_watches, struct watch, inode_link), true);
}

/* As Linux's vfs_unlink and d_delete_notify: the file's link count
 * changed, then (without links) the file itself went, then its name. */
void fsnotify_delete(struct inode *dir, struct dentry *d, struct inode *inode)
{
	if (!S_ISDIR(inode->mode))
		notify(inode, IN_ATTRIB, 0, NULL);
	if (!inode->nlink)
		inode_removed(inode);
	notify(dir, IN_DELETE | isdir(inode), 0, d->name);
}

/* The filesystem's last mount went: its watches end (IN_UNMOUNT), and with
 * them the references that would keep its inodes, and so it, alive.
 * Filesystems that keep an inode list (sb->inodes) have them found here. */
void fsnotify_unmount(struct super_block *sb)
{
	struct inode *inode, *n;
	list_for_each_entry_safe(inode, n, &sb->inodes, sb_list) {
		if (list_empty(&inode->i_watches))
			continue;
		igrab(inode);
		while (!list_empty(&inode->i_watches)) {
			struct watch *w =
			    list_first_entry(&inode->i_watches, struct watch, inode_link);
			queue_event(w->group, w->wd, IN_UNMOUNT, 0, NULL); /* whatever the mask */
			watch_free(w, true);
		}
		iput(inode);
	}
}

void fsnotify_link(struct inode *inode)
{
	notify(inode, IN_ATTRIB, 0, NULL);
}

/* Linux's fsnotify_change: one event for all that setattr changed. */
void fsnotify_change(struct dentry *d, unsigned valid)
{
	uint32_t mask = 0;
	if (valid & (ATTR_UID | ATTR_GID | ATTR_MODE))
		mask |= IN_ATTRIB;
	if (valid & ATTR_SIZE)
		mask |= IN_MODIFY;
	if ((valid & (ATTR_ATIME | ATTR_MTIME)) == (ATTR_ATIME | ATTR_MTIME))
		mask |= IN_ATTRIB;
	else if (valid & ATTR_ATIME)
		mask |= IN_ACCESS;
	else if (valid & ATTR_MTIME)
		mask |= IN_MODIFY;
	if (mask)
		fsnotify_dentry(d, mask);
}

void fsnotify_replaced(struct inode *inode)
{
	notify(inode, IN_ATTRIB, 0, NULL);
	if (!inode->nlink)
		inode_removed(inode);
}

void fsnotify_move(struct inode *olddir, const char *oldname, struct inode *newdir,
		   const char *newname, struct inode *inode)
{
	uint32_t cookie = ++next_cookie, d = isdir(inode);
	notify(olddir, IN_MOVED_FROM | d, cookie, oldname);
	notify(newdir, IN_MOVED_TO | d, cookie, newname);
	notify(inode, IN_MOVE_SELF, 0, NULL);
}

void fsnotify_open(struct file *f)
{
	if (!(f->mode & FMODE_PATH))
		fsnotify_dentry(f->path.dentry, IN_OPEN);
}

void fsnotify_close(struct file *f)
{
	if (!(f->mode & FMODE_PATH) && f->path.dentry && f->path.dentry->inode)
		fsnotify_dentry(f->path.dentry,
				(f->mode & FMODE_WRITE) ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
}

/* ---- The inotify file ---- */

static struct inotify_group *GROUP(struct file *f)
{
	return f->private;
}

static long inotify_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct inotify_group *g = GROUP(f);
	(void)pos;
	if (list_empty(&g->events)) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(g->wait, !list_empty(&g->events));
		if (err)
			return err;
	}
	size_t done = 0;
	while (!list_empty(&g->events)) {
		struct event *e = list_first_entry(&g->events, struct event, link);
		size_t n = event_size(e);
		if (n > to->count)
			return done ? (long)done : -EINVAL;
		if (copy_to_iter(&e->wd, EVENT_HDR, to) != EVENT_HDR ||
		    copy_to_iter(e->name, e->len, to) != e->len)
			return done ? (long)done : -EFAULT;
		done += n;
		list_del(&e->link);
		g->nevents--;
		kfree(e);
	}
	return (long)done;
}

static unsigned inotify_poll(struct file *f, struct poll_table *pt)
{
	struct inotify_group *g = GROUP(f);
	poll_wait(f, &g->wait, pt);
	return list_empty(&g->events) ? 0 : POLLIN | POLLRDNORM;
}

static long inotify_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	if (cmd != FIONREAD)
		return -ENOTTY;
	int n = 0;
	struct event *e;
	list_for_each_entry(e, &GROUP(f)->events, link)
		n += (int)event_size(e);
	return put_user(n, arg) ? -EFAULT : 0;
}

static void inotify_release(struct file *f)
{
	struct inotify_group *g = GROUP(f);
	while (!list_empty(&g->watches))
		watch_free(list_first_entry(&g->watches, struct watch, group_link), false);
	while (!list_empty(&g->events)) {
		struct event *e = list_first_entry(&g->events, struct event, link);
		list_del(&e->link);
		kfree(e);
	}
	kfree(g);
}

static const struct file_operations inotify_fops = {
    .read = inotify_read,
    .poll = inotify_poll,
    .ioctl = inotify_ioctl,
    .release = inotify_release,
};

/* The file has no inode of its own: a pseudo one, named as Linux's. */
static struct super_block *inotify_sb;

static struct file *inotify_file(struct inotify_group *g, unsigned flags)
{
	if (!inotify_sb && !(inotify_sb = sb_alloc(NULL, SB_PSEUDO)))
		return NULL;
	struct inode *inode = new_inode(inotify_sb);
	if (!inode)
		return NULL;
	inode->ino = get_next_ino(inotify_sb);
	inode->mode = 0600;
	inode_init_times(inode);
	struct dentry *d = d_alloc_pseudo(inotify_sb, inode, "anon_inode:inotify");
	if (!d) {
		iput(inode);
		return NULL;
	}
	struct path path = {pseudo_mnt(), d};
	struct file *f = file_alloc(&path, O_RDONLY | (flags & O_NONBLOCK));
	dput(d);
	mntput(path.mnt);
	if (f) {
		f->f_op = &inotify_fops;
		f->private = g;
	}
	return f;
}

SYSCALL_DEFINE1(inotify_init1, int, flags)
{
	if (flags & ~(O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	struct inotify_group *g = kzalloc(sizeof *g);
	if (!g)
		return -ENOMEM;
	list_init(&g->watches);
	list_init(&g->events);
	wait_queue_init(&g->wait);
	g->next_wd = 1;
	struct file *f = inotify_file(g, (unsigned)flags);
	if (!f) {
		kfree(g);
		return -ENOMEM;
	}
	int fd = fd_install(f, (unsigned)flags);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE0(inotify_init)
{
	return sys_inotify_init1(0);
}

/* The inotify group behind fd: EBADF for no file, EINVAL for another kind. */
static struct file *inotify_fget(int fd, long *err)
{
	struct file *f = fget(fd);
	*err = f ? 0 : -EBADF;
	if (f && f->f_op != &inotify_fops) {
		fput(f);
		f = NULL;
		*err = -EINVAL;
	}
	return f;
}

static long add_watch(struct inotify_group *g, struct inode *inode, uint32_t mask)
{
	struct watch *w;
	list_for_each_entry(w, &inode->i_watches, inode_link)
		if (w->group == g) {
			if (mask & IN_MASK_CREATE)
				return -EEXIST;
			w->mask = (mask & IN_MASK_ADD) ? w->mask | mask : mask;
			return w->wd;
		}
	if (!(w = kzalloc(sizeof *w)))
		return -ENOMEM;
	w->group = g;
	w->inode = igrab(inode);
	w->wd = g->next_wd++;
	w->mask = mask;
	list_add_tail(&w->inode_link, &inode->i_watches);
	list_add_tail(&w->group_link, &g->watches);
	return w->wd;
}

SYSCALL_DEFINE3(inotify_add_watch, int, fd, uaddr_t, upath, uint32_t, mask)
{
	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		return -EINVAL;
	if (!(mask & IN_ALL_EVENTS))
		return -EINVAL;
	long err;
	struct file *f = inotify_fget(fd, &err);
	if (!f)
		return err;
	struct path p;
	unsigned lf = ((mask & IN_DONT_FOLLOW) ? 0 : LOOKUP_FOLLOW) |
		      ((mask & IN_ONLYDIR) ? LOOKUP_DIRECTORY : 0);
	err = user_path_at(AT_FDCWD, upath, lf, &p);
	if (!err) {
		err = inode_permission(p.dentry->inode, MAY_READ);
		if (!err)
			err = add_watch(GROUP(f), p.dentry->inode,
					mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK |
						IN_MASK_ADD | IN_MASK_CREATE));
		path_put(&p);
	}
	fput(f);
	return err;
}

SYSCALL_DEFINE2(inotify_rm_watch, int, fd, int, wd)
{
	long err;
	struct file *f = inotify_fget(fd, &err);
	if (!f)
		return err;
	err = -EINVAL;
	struct watch *w;
	list_for_each_entry(w, &GROUP(f)->watches, group_link)
		if (w->wd == wd) {
			watch_free(w, true);
			err = 0;
			break;
		}
	fput(f);
	return err;
}
