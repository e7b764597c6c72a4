/* The mount table: mount, umount, pivot of the root at boot. */
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "fs.h"
#include "syscall.h"
#include "uaccess.h"
#include "fsnotify.h"
#include <stdarg.h>
#include <stdio.h>

LIST_HEAD(mounts);
static int next_mnt_id = 20;

#define MS_RDONLY      1
#define MS_NOSUID      2
#define MS_NODEV       4
#define MS_NOEXEC      8
#define MS_SYNCHRONOUS 16
#define MS_REMOUNT     32
#define MS_MANDLOCK    64
#define MS_DIRSYNC     128
#define MS_NOSYMFOLLOW 256
#define MS_NOATIME     1024
#define MS_NODIRATIME  2048
#define MS_BIND	       4096
#define MS_MOVE	       8192
#define MS_REC	       16384
#define MS_SILENT      32768
#define MS_PRIVATE     (1 << 18)
#define MS_SLAVE       (1 << 19)
#define MS_SHARED      (1 << 20)
#define MS_UNBINDABLE  (1 << 17)
#define MS_RELATIME    (1 << 21)
#define MS_STRICTATIME (1 << 24)
#define MS_LAZYTIME    (1 << 25)
#define MS_MGC_MSK     0xffff0000
#define MS_MGC_VAL     0xC0ED0000

#define MNT_FORCE	1
#define MNT_DETACH	2
#define MNT_EXPIRE	4
#define UMOUNT_NOFOLLOW 8

struct vfsmount *mntget(struct vfsmount *m)
{
	m->refcount++;
	return m;
}

static void mnt_free(struct vfsmount *m)
{
	dput(m->root);
	if (--m->sb->active == 0) {
		fsnotify_unmount(m->sb);
		shrink_dcache_sb(m->sb);
	}
	sb_put(m->sb);
	kfree(m->devname);
	kfree(m);
}

/* A mount holds one reference for being attached; a detached mount (umount
 * -l) lives on while files and working directories still use it. */
void mntput(struct vfsmount *m)
{
	if (m && --m->refcount == 0)
		mnt_free(m);
}

static char last_mount_error[256];

void mount_errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_mount_error, sizeof last_mount_error, fmt, ap);
	va_end(ap);
	pr_err("%s\n", last_mount_error);
}

const char *mount_error(void)
{
	return last_mount_error;
}

struct vfsmount *pseudo_mnt(void)
{
	static struct vfsmount pseudo = {.refcount = 1 << 30, .id = 1, .devname = "none"};
	return mntget(&pseudo);
}

bool mnt_is_readonly(const struct vfsmount *m)
{
	return (m->flags & MNT_RDONLY) || (m->sb && (m->sb->flags & SB_RDONLY));
}

static int mnt_flags_from(unsigned long ms)
{
	return ((ms & MS_RDONLY) ? MNT_RDONLY : 0) | ((ms & MS_NOSUID) ? MNT_NOSUID : 0) |
	       ((ms & MS_NODEV) ? MNT_NODEV : 0) | ((ms & MS_NOEXEC) ? MNT_NOEXEC : 0);
}

static struct vfsmount *mnt_alloc(struct super_block *sb, struct dentry *root, const char *dev)
{
	struct vfsmount *m = kzalloc(sizeof *m);
	if (!m)
		return NULL;
	m->sb = sb;
	m->root = dget(root);
	m->refcount = 1;
	m->id = next_mnt_id++;
	m->devname = kstrdup(dev ? dev : "none");
	list_init(&m->list);
	sb->refcount++;
	sb->active++;
	return m;
}

struct vfsmount *vfs_kern_mount(const char *fstype, int flags, const char *dev, const char *data)
{
	struct file_system_type *type = get_fs_type(fstype);
	if (!type)
		return ERR_PTR(-ENODEV);
	struct super_block *sb = type->mount(type, flags, dev, data);
	if (IS_ERR(sb))
		return (struct vfsmount *)sb;
	struct vfsmount *m = mnt_alloc(sb, sb->root, dev);
	sb_put(sb);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->flags = mnt_flags_from((unsigned long)flags);
	return m;
}

/* Takes m off its mountpoint (keeping the reference the mount table holds). */
static void detach(struct vfsmount *m)
{
	m->mountpoint->mounted--;
	dput(m->mountpoint);
	mntput(m->parent);
	m->mountpoint = NULL;
	m->parent = NULL;
}

static void attach(struct vfsmount *m, struct path *where)
{
	m->parent = mntget(where->mnt);
	m->mountpoint = dget(where->dentry);
	where->dentry->mounted++;
}

int do_mount_at(struct vfsmount *m, struct path *where)
{
	if (where)
		attach(m, where);
	list_add_tail(&m->list, &mounts);
	return 0;
}

struct vfsmount *lookup_mnt(struct vfsmount *parent, struct dentry *mountpoint)
{
	struct vfsmount *m, *found = NULL;
	list_for_each_entry(m, &mounts, list)
		if (m->parent == parent && m->mountpoint == mountpoint)
			found = m;
	return found;
}

static bool mnt_has_children(struct vfsmount *m)
{
	struct vfsmount *c;
	list_for_each_entry(c, &mounts, list)
		if (c->parent == m)
			return true;
	return false;
}

static void umount_one(struct vfsmount *m)
{
	list_del(&m->list);
	if (m->mountpoint)
		detach(m);
	mntput(m);
}

/* Detaches m and everything mounted below it. */
static void umount_tree(struct vfsmount *m)
{
	struct vfsmount *c, *n;
	list_for_each_entry_safe(c, n, &mounts, list)
		if (c->parent == m) {
			umount_tree(c);
			n = list_entry(mounts.next, struct vfsmount, list);
		}
	umount_one(m);
}

static int copy_mount_string(uaddr_t u, char **out)
{
	*out = NULL;
	if (!u)
		return 0;
	char *s = getname_empty_ok(u, NULL);
	if (IS_ERR(s))
		return (int)PTR_ERR(s);
	*out = s;
	return 0;
}

static int do_remount(struct path *p, unsigned long flags, const char *data)
{
	if (p->dentry != p->mnt->root)
		return -EINVAL;
	struct super_block *sb = p->mnt->sb;
	if (flags & MS_BIND) {
		p->mnt->flags = mnt_flags_from(flags);
		return 0;
	}
	int sbflags = (flags & MS_RDONLY) ? SB_RDONLY : 0;
	if (sb->s_op && sb->s_op->remount) {
		int err = sb->s_op->remount(sb, sbflags, data);
		if (err)
			return err;
	}
	sb->flags = (sb->flags & ~SB_RDONLY) | sbflags;
	p->mnt->flags = mnt_flags_from(flags);
	return 0;
}

static bool is_under(struct dentry *d, struct dentry *top)
{
	for (;; d = d->parent) {
		if (d == top)
			return true;
		if (d->parent == d)
			return false;
	}
}

/* Copies the mounts below src (under its dentry root) onto dst, all the
 * way down: MS_REC. */
static int copy_tree(struct vfsmount *src, struct dentry *root, struct vfsmount *dst)
{
	int n = 0, err = 0;
	struct vfsmount *c;
	list_for_each_entry(c, &mounts, list)
		if (c->parent == src && is_under(c->mountpoint, root))
			n++;
	struct vfsmount **kids = kmalloc(sizeof *kids * (size_t)(n ? n : 1));
	if (!kids)
		return -ENOMEM;
	n = 0;
	list_for_each_entry(c, &mounts, list)
		if (c->parent == src && is_under(c->mountpoint, root))
			kids[n++] = mntget(c);
	for (int i = 0; i < n; i++) {
		c = kids[i];
		struct vfsmount *cm = err ? NULL : mnt_alloc(c->sb, c->root, c->devname);
		if (cm) {
			cm->flags = c->flags;
			struct path at = {dst, c->mountpoint};
			do_mount_at(cm, &at);
			err = copy_tree(c, c->root, cm);
		} else if (!err) {
			err = -ENOMEM;
		}
		mntput(c);
	}
	kfree(kids);
	return err;
}

static int do_bind(struct path *where, const char *source, unsigned long flags)
{
	struct path src;
	int err = path_lookupat(AT_FDCWD, source, LOOKUP_FOLLOW, &src);
	if (err)
		return err;
	struct vfsmount *m = mnt_alloc(src.mnt->sb, src.dentry, src.mnt->devname);
	if (!m) {
		path_put(&src);
		return -ENOMEM;
	}
	m->flags = src.mnt->flags & ~MNT_RDONLY;
	if (flags & MS_RDONLY)
		m->flags |= MNT_RDONLY;
	do_mount_at(m, where);
	if (flags & MS_REC)
		err = copy_tree(src.mnt, src.dentry, m);
	path_put(&src);
	return err;
}

/* Is mount a, or one mounted below it, the mount m? */
static bool mnt_within(struct vfsmount *m, struct vfsmount *a)
{
	for (; m; m = m->parent)
		if (m == a)
			return true;
	return false;
}

/* MS_MOVE: a mount (with what is below it) moves to another place. */
static int do_move(struct path *where, const char *source)
{
	struct path src;
	int err = path_lookupat(AT_FDCWD, source, LOOKUP_FOLLOW, &src);
	if (err)
		return err;
	struct vfsmount *m = src.mnt;
	if (src.dentry != m->root || !m->parent)
		err = -EINVAL;
	else if (!S_ISDIR(where->dentry->inode->mode) != !S_ISDIR(m->root->inode->mode))
		err = -ENOTDIR;
	else if (mnt_within(where->mnt, m))
		err = -ELOOP;
	if (!err) {
		detach(m);
		attach(m, where);
	}
	path_put(&src);
	return err;
}

SYSCALL_DEFINE5(mount, uaddr_t, usource, uaddr_t, utarget, uaddr_t, utype, unsigned long, flags,
		uaddr_t, udata)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	char *source = NULL, *type = NULL, *data = NULL, *target = getname(utarget);
	if (IS_ERR(target))
		return PTR_ERR(target);
	int err = copy_mount_string(usource, &source);
	if (!err)
		err = copy_mount_string(utype, &type);
	if (!err)
		err = copy_mount_string(udata, &data);
	struct path where = {0};
	if (!err)
		err = path_lookupat(AT_FDCWD, target, LOOKUP_FOLLOW, &where);
	if (err)
		goto out;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & MS_REMOUNT) {
		err = do_remount(&where, flags, data);
	} else if (flags & MS_BIND) {
		err = source ? do_bind(&where, source, flags) : -EINVAL;
	} else if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) {
		err = 0; /* one mount namespace: propagation changes nothing */
	} else if (flags & MS_MOVE) {
		err = source ? do_move(&where, source) : -EINVAL;
	} else {
		if (!type) {
			err = -EINVAL;
			goto out;
		}
		if (!S_ISDIR(where.dentry->inode->mode)) {
			err = -ENOTDIR;
			goto out;
		}
		int sbflags = (flags & MS_RDONLY) ? SB_RDONLY : 0;
		struct vfsmount *m = vfs_kern_mount(type, sbflags, source, data);
		if (IS_ERR(m)) {
			err = (int)PTR_ERR(m);
			goto out;
		}
		m->flags = mnt_flags_from(flags);
		do_mount_at(m, &where);
	}
out:
	path_put(&where);
	kfree(source);
	kfree(type);
	kfree(data);
	kfree(target);
	return err;
}

SYSCALL_DEFINE2(umount2, uaddr_t, utarget, int, flags)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	struct path p;
	int err =
	    user_path_at(AT_FDCWD, utarget, (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	struct vfsmount *m = p.mnt;
	if (p.dentry != m->root || !m->parent) {
		path_put(&p);
		return -EINVAL;
	}
	path_put(&p);
	/* Busy: files, cwds and roots hold a reference beyond the mount's own. */
	if (!(flags & MNT_DETACH) && (m->refcount > 1 || mnt_has_children(m)))
		return -EBUSY;
	if (m->sb->s_op && m->sb->s_op->sync_fs)
		m->sb->s_op->sync_fs(m->sb, true);
	umount_tree(m);
	return 0;
}

/* Processes whose root or working directory was old get new (Linux's
 * chroot_fs_refs). */
static void chroot_fs_refs(const struct path *old, const struct path *new)
{
	struct process *p;
	for_each_process(p) {
		struct task *t;
		for_each_thread(p, t) {
			struct fs_struct *fs = t->fs;
			if (!fs)
				continue;
			if (fs->root.mnt == old->mnt && fs->root.dentry == old->dentry)
				set_fs_root(fs, new);
			if (fs->pwd.mnt == old->mnt && fs->pwd.dentry == old->dentry)
				set_fs_pwd(fs, new);
		}
	}
}

/* Is path p at or below the path top (across mounts)? */
static bool path_reachable(struct vfsmount *m, struct dentry *d, const struct path *top)
{
	while (m != top->mnt) {
		if (!m->parent)
			return false;
		d = m->mountpoint;
		m = m->parent;
	}
	return is_under(d, top->dentry);
}

/* The checks of Linux's pivot_root, but for one: umk's top mount has no
 * parent (Linux's sits on rootfs), so it may be pivoted away too. */
static int pivot_check(const struct path *new, const struct path *old, const struct path *root)
{
	if (new->dentry->deleted)
		return -ENOENT;
	if (new->mnt == root->mnt || old->mnt == root->mnt)
		return -EBUSY;
	if (root->dentry != root->mnt->root || new->dentry != new->mnt->root || !new->mnt->parent)
		return -EINVAL;
	if (!path_reachable(old->mnt, old->dentry, new) ||
	    !path_reachable(new->mnt, new->dentry, root))
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE2(pivot_root, uaddr_t, unew, uaddr_t, uold)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	struct path new, old, root;
	int err = user_path_at(AT_FDCWD, unew, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &new);
	if (err)
		return err;
	if ((err = user_path_at(AT_FDCWD, uold, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &old))) {
		path_put(&new);
		return err;
	}
	path_copy(&root, &current->fs->root);
	if (!(err = pivot_check(&new, &old, &root))) {
		struct vfsmount *nm = new.mnt, *rm = root.mnt, *rparent = rm->parent;
		struct path rmp = {rparent, rm->mountpoint};
		if (rparent) {
			mntget(rparent);
			dget(rmp.dentry);
			detach(rm);
		}
		detach(nm);
		attach(rm, &old);
		if (rparent) {
			attach(nm, &rmp);
			path_put(&rmp);
		} else {
			set_root_mount(nm);
		}
		struct path top = {nm, nm->root};
		chroot_fs_refs(&root, &top);
	}
	path_put(&root);
	path_put(&old);
	path_put(&new);
	return err;
}
