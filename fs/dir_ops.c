/* Directory entries: mknod, mkdir, rmdir, unlink, symlink, link, rename. */
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "fs.h"
#include "syscall.h"
#include "uaccess.h"
#include "fsnotify.h"

/* The parent of a new name and the (negative) dentry for it. */
struct create_ctx {
	struct path parent;
	struct dentry *d;
};

static int lookup_create_name(int dfd, const char *name, bool is_dir, struct create_ctx *c)
{
	const char *last;
	size_t len;
	c->d = NULL;
	int err = path_parentat(dfd, name, 0, &c->parent, &last, &len);
	if (err < 0)
		return err;
	bool trailing = err == 1;
	err = 0;
	if (!last) {
		err = -EEXIST;
	} else {
		struct dentry *d = lookup_one(&c->parent, last, len);
		if (IS_ERR(d))
			err = (int)PTR_ERR(d);
		else if (d->inode)
			err = -EEXIST;
		else if (trailing && !is_dir)
			err = -ENOENT;
		if (!IS_ERR(d)) {
			if (err)
				dput(d);
			else
				c->d = d;
		}
	}
	if (!err)
		err = may_create_in(&c->parent);
	if (err) {
		if (c->d)
			dput(c->d);
		path_put(&c->parent);
	}
	return err;
}

static int lookup_create(int dfd, uaddr_t upath, bool is_dir, struct create_ctx *c)
{
	char *name = getname(upath);
	if (IS_ERR(name))
		return (int)PTR_ERR(name);
	int err = lookup_create_name(dfd, name, is_dir, c);
	kfree(name);
	return err;
}

static void done_create(struct create_ctx *c, int err)
{
	if (!err)
		fsnotify_create(c->parent.dentry->inode, c->d);
	dput(c->d);
	path_put(&c->parent);
}

/* Binding an AF_UNIX socket: mknod(name, S_IFSOCK | perm) relative to the
 * working directory, returning the new node in *out. */
int kern_mknod(const char *name, mode_t_ mode, struct path *out)
{
	struct create_ctx c = {0};
	int err = lookup_create_name(AT_FDCWD, name, false, &c);
	if (err)
		return err;
	struct inode *dir = c.parent.dentry->inode;
	mode_t_ m = (mode & 07777 & ~current->fs->umask) | (mode & S_IFMT);
	err = dir->i_op->mknod ? dir->i_op->mknod(dir, c.d, m, 0) : -EPERM;
	if (!err) {
		out->mnt = mntget(c.parent.mnt);
		out->dentry = dget(c.d);
	}
	done_create(&c, err);
	return err;
}

/* Undoes kern_mknod when the bind fails after all. */
void kern_unlink(const struct path *p)
{
	struct dentry *d = p->dentry;
	struct inode *dir = d->parent->inode;
	if (dir->i_op->unlink && !dir->i_op->unlink(dir, d))
		d_delete(d);
}

static long do_mknodat(int dfd, uaddr_t filename, mode_t_ mode, unsigned dev)
{
	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && !capable(CAP_MKNOD))
		return -EPERM;
	struct create_ctx c = {0};
	int err = lookup_create(dfd, filename, false, &c);
	if (err)
		return err;
	struct inode *dir = c.parent.dentry->inode;
	mode_t_ m =
	    (mode & 07777 & ~current->fs->umask) | ((mode & S_IFMT) ? (mode & S_IFMT) : S_IFREG);
	if (S_ISREG(m))
		err = dir->i_op->create ? dir->i_op->create(dir, c.d, m) : -EPERM;
	else
		err = dir->i_op->mknod
			  ? dir->i_op->mknod(
				dir, c.d, m,
				MKDEV(dev >> 8 & 0xfff, (dev & 0xff) | (dev >> 12 & 0xfff00)))
			  : -EPERM;
	done_create(&c, err);
	return err;
}

SYSCALL_DEFINE3(mknod, uaddr_t, filename, mode_t_, mode, unsigned, dev)
{
	return do_mknodat(AT_FDCWD, filename, mode, dev);
}

SYSCALL_DEFINE4(mknodat, int, dfd, uaddr_t, filename, mode_t_, mode, unsigned, dev)
{
	return do_mknodat(dfd, filename, mode, dev);
}

static long do_mkdirat(int dfd, uaddr_t filename, mode_t_ mode)
{
	struct create_ctx c = {0};
	int err = lookup_create(dfd, filename, true, &c);
	if (err)
		return err;
	struct inode *dir = c.parent.dentry->inode;
	err = dir->i_op->mkdir
		  ? dir->i_op->mkdir(dir, c.d, (mode & 07777 & ~current->fs->umask) | S_IFDIR)
		  : -EPERM;
	done_create(&c, err);
	return err;
}

SYSCALL_DEFINE2(mkdir, uaddr_t, filename, mode_t_, mode)
{
	return do_mkdirat(AT_FDCWD, filename, mode);
}

SYSCALL_DEFINE3(mkdirat, int, dfd, uaddr_t, filename, mode_t_, mode)
{
	return do_mkdirat(dfd, filename, mode);
}

static long do_symlinkat(uaddr_t utarget, int dfd, uaddr_t filename)
{
	char *target = getname(utarget);
	if (IS_ERR(target))
		return PTR_ERR(target);
	struct create_ctx c = {0};
	int err = lookup_create(dfd, filename, false, &c);
	if (!err) {
		struct inode *dir = c.parent.dentry->inode;
		err = dir->i_op->symlink ? dir->i_op->symlink(dir, c.d, target) : -EPERM;
		done_create(&c, err);
	}
	kfree(target);
	return err;
}

SYSCALL_DEFINE2(symlink, uaddr_t, target, uaddr_t, filename)
{
	return do_symlinkat(target, AT_FDCWD, filename);
}

SYSCALL_DEFINE3(symlinkat, uaddr_t, target, int, dfd, uaddr_t, filename)
{
	return do_symlinkat(target, dfd, filename);
}

static long do_linkat(int olddfd, uaddr_t oldname, int newdfd, uaddr_t newname, int flags)
{
	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct path old;
	unsigned lf = ((flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0) |
		      ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	int err = user_path_at(olddfd, oldname, lf, &old);
	if (err)
		return err;
	struct create_ctx c = {0};
	err = lookup_create(newdfd, newname, false, &c);
	if (!err) {
		struct inode *dir = c.parent.dentry->inode;
		if (old.mnt != c.parent.mnt)
			err = -EXDEV;
		else if (S_ISDIR(old.dentry->inode->mode))
			err = -EPERM;
		else if (!old.dentry->inode->nlink && !old.dentry->inode->linkable)
			err = -ENOENT; /* unlinked, and not an O_TMPFILE file */
		else
			err = dir->i_op->link ? dir->i_op->link(old.dentry, dir, c.d) : -EPERM;
		if (!err) {
			old.dentry->inode->linkable = false;
			fsnotify_link(old.dentry->inode);
		}
		done_create(&c, err);
	}
	path_put(&old);
	return err;
}

SYSCALL_DEFINE2(link, uaddr_t, oldname, uaddr_t, newname)
{
	return do_linkat(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

SYSCALL_DEFINE5(linkat, int, olddfd, uaddr_t, oldname, int, newdfd, uaddr_t, newname, int, flags)
{
	return do_linkat(olddfd, oldname, newdfd, newname, flags);
}

/* The parent and the existing dentry of a name to remove or rename. */
static int lookup_existing(int dfd, uaddr_t upath, struct path *parent, struct dentry **d,
			   bool *trailing, int dot_err)
{
	char *name = getname(upath);
	if (IS_ERR(name))
		return (int)PTR_ERR(name);
	const char *last;
	size_t len;
	int err = path_parentat(dfd, name, 0, parent, &last, &len);
	if (err < 0) {
		kfree(name);
		return err;
	}
	*trailing = err == 1;
	if (!last) {
		/* rmdir of ".", ".." or "/" (len 1, 2, 0): EINVAL, ENOTEMPTY or
		 * EBUSY as in Linux; unlink and rename pass their own errno. */
		err = dot_err ? dot_err : len == 1 ? -EINVAL : len == 2 ? -ENOTEMPTY : -EBUSY;
		path_put(parent);
		kfree(name);
		return err;
	}
	*d = lookup_one(parent, last, len);
	kfree(name);
	if (IS_ERR(*d)) {
		path_put(parent);
		return (int)PTR_ERR(*d);
	}
	if (!(*d)->inode) {
		dput(*d);
		path_put(parent);
		return -ENOENT;
	}
	return 0;
}

static bool is_mountpoint_or_root(struct path *parent, struct dentry *d)
{
	return d->mounted || d == parent->mnt->root;
}

static long do_rmdir(int dfd, uaddr_t filename)
{
	struct path parent;
	struct dentry *d;
	bool trailing;
	int err = lookup_existing(dfd, filename, &parent, &d, &trailing, 0);
	if (err)
		return err;
	struct inode *dir = parent.dentry->inode;
	err = may_delete_in(&parent, d, true);
	if (!err && is_mountpoint_or_root(&parent, d))
		err = -EBUSY;
	if (!err && d == current->fs->root.dentry)
		err = -EBUSY;
	if (!err)
		err = dir->i_op->rmdir ? dir->i_op->rmdir(dir, d) : -EPERM;
	if (!err) {
		fsnotify_delete(dir, d, d->inode);
		d_delete(d);
	}
	dput(d);
	path_put(&parent);
	return err;
}

SYSCALL_DEFINE1(rmdir, uaddr_t, filename)
{
	return do_rmdir(AT_FDCWD, filename);
}

static long do_unlinkat(int dfd, uaddr_t filename)
{
	struct path parent;
	struct dentry *d;
	bool trailing;
	int err = lookup_existing(dfd, filename, &parent, &d, &trailing, -EISDIR);
	if (err)
		return err == -ENOTEMPTY ? -EISDIR : err;
	struct inode *dir = parent.dentry->inode;
	if (trailing)
		err = S_ISDIR(d->inode->mode) ? -EISDIR : -ENOTDIR;
	if (!err)
		err = may_delete_in(&parent, d, false);
	if (!err && d->mounted)
		err = -EBUSY;
	if (!err)
		err = dir->i_op->unlink ? dir->i_op->unlink(dir, d) : -EPERM;
	if (!err) {
		fsnotify_delete(dir, d, d->inode);
		d_delete(d);
	}
	dput(d);
	path_put(&parent);
	return err;
}

SYSCALL_DEFINE1(unlink, uaddr_t, filename)
{
	return do_unlinkat(AT_FDCWD, filename);
}

SYSCALL_DEFINE3(unlinkat, int, dfd, uaddr_t, filename, int, flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return (flags & AT_REMOVEDIR) ? do_rmdir(dfd, filename) : do_unlinkat(dfd, filename);
}

/* Is a an ancestor of (or equal to) b? */
static bool is_ancestor(struct dentry *a, struct dentry *b)
{
	for (;;) {
		if (a == b)
			return true;
		if (b->parent == b)
			return false;
		b = b->parent;
	}
}

/* One side of a rename: the parent and the last component's name. */
struct rename_side {
	char *name;
	struct path parent;
	const char *last;
	size_t len;
	bool trailing; /* a "/" after the last component */
	struct dentry *d;
};

static int rename_parent(int dfd, uaddr_t upath, struct rename_side *r)
{
	r->name = getname(upath);
	if (IS_ERR(r->name)) {
		int err = (int)PTR_ERR(r->name);
		r->name = NULL;
		return err;
	}
	int err = path_parentat(dfd, r->name, 0, &r->parent, &r->last, &r->len);
	if (err < 0)
		return err;
	r->trailing = err == 1;
	return 0;
}

static void rename_side_put(struct rename_side *r)
{
	if (r->d)
		dput(r->d);
	if (r->parent.dentry)
		path_put(&r->parent);
	kfree(r->name);
}

/* The checks of Linux's do_renameat2, in its order: both parents, the
 * mounts, the last components, then the dentries. */
static int rename_lookup(struct rename_side *o, struct rename_side *n, unsigned flags)
{
	if (o->parent.mnt != n->parent.mnt)
		return -EXDEV;
	if (!o->last)
		return -EBUSY;
	if (!n->last)
		return (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	if (IS_RDONLY_PATH(&o->parent))
		return -EROFS;
	o->d = lookup_one(&o->parent, o->last, o->len);
	if (IS_ERR(o->d)) {
		int err = (int)PTR_ERR(o->d);
		o->d = NULL;
		return err;
	}
	if (!o->d->inode)
		return -ENOENT;
	n->d = lookup_one(&n->parent, n->last, n->len);
	if (IS_ERR(n->d)) {
		int err = (int)PTR_ERR(n->d);
		n->d = NULL;
		return err;
	}
	if (!S_ISDIR(o->d->inode->mode) &&
	    (o->trailing || (!(flags & RENAME_EXCHANGE) && n->trailing)))
		return -ENOTDIR;
	return 0;
}

static int rename_check(struct rename_side *o, struct rename_side *n, unsigned flags)
{
	struct dentry *od = o->d, *nd = n->d;
	bool isdir = S_ISDIR(od->inode->mode);
	int err;
	if (flags & RENAME_EXCHANGE) {
		if (!nd->inode)
			return -ENOENT;
		if (!S_ISDIR(nd->inode->mode) && n->trailing)
			return -ENOTDIR;
	} else if (nd->inode) {
		if (flags & RENAME_NOREPLACE)
			return -EEXIST;
		if (isdir && !S_ISDIR(nd->inode->mode))
			return -ENOTDIR;
		if (!isdir && S_ISDIR(nd->inode->mode))
			return -EISDIR;
	}
	if ((err = may_delete_in(&o->parent, od, isdir)))
		return err;
	if (nd->inode && (err = may_delete_in(&n->parent, nd, S_ISDIR(nd->inode->mode))))
		return err;
	if (!nd->inode && (err = may_create_in(&n->parent)))
		return err;
	/* A directory cannot move below itself. */
	if (isdir && is_ancestor(od, n->parent.dentry))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && S_ISDIR(nd->inode->mode) &&
	    is_ancestor(nd, o->parent.dentry))
		return -EINVAL;
	if (is_mountpoint_or_root(&o->parent, od) ||
	    (nd->inode && is_mountpoint_or_root(&n->parent, nd)))
		return -EBUSY;
	return 0;
}

static void rename_dentries(struct dentry *od, struct dentry *nd, struct path *np, unsigned flags)
{
	struct inode *odir = od->parent->inode, *ndir = np->dentry->inode;
	fsnotify_move(odir, od->name, ndir, nd->name, od->inode);
	if (flags & RENAME_EXCHANGE)
		fsnotify_move(ndir, nd->name, odir, od->name, nd->inode);
	else if (nd->inode)
		fsnotify_replaced(nd->inode);
	if (flags & RENAME_EXCHANGE) {
		char *oname = kstrdup(od->name);
		struct dentry *oparent = dget(od->parent);
		d_move(od, np->dentry, nd->name, strlen(nd->name));
		if (oname)
			d_move(nd, oparent, oname, strlen(oname));
		dput(oparent);
		kfree(oname);
	} else {
		if (nd->inode)
			d_delete(nd);
		d_move(od, np->dentry, nd->name, strlen(nd->name));
	}
}

static long do_renameat2(int olddfd, uaddr_t oldname, int newdfd, uaddr_t newname, unsigned flags)
{
	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;
	struct rename_side o = {0}, n = {0};
	int err = rename_parent(olddfd, oldname, &o);
	if (!err)
		err = rename_parent(newdfd, newname, &n);
	if (!err)
		err = rename_lookup(&o, &n, flags);
	/* The same file (or hard links to one inode): POSIX says do nothing. */
	if (!err && o.d != n.d && !(n.d->inode == o.d->inode && !(flags & RENAME_EXCHANGE)) &&
	    !(err = rename_check(&o, &n, flags))) {
		struct inode *odir = o.parent.dentry->inode;
		err = odir->i_op->rename
			  ? odir->i_op->rename(odir, o.d, n.parent.dentry->inode, n.d, flags)
			  : -EPERM;
		if (!err)
			rename_dentries(o.d, n.d, &n.parent, flags);
	}
	rename_side_put(&o);
	rename_side_put(&n);
	return err;
}

SYSCALL_DEFINE2(rename, uaddr_t, oldname, uaddr_t, newname)
{
	return do_renameat2(AT_FDCWD, oldname, AT_FDCWD, newname, 0);
}

SYSCALL_DEFINE4(renameat, int, olddfd, uaddr_t, oldname, int, newdfd, uaddr_t, newname)
{
	return do_renameat2(olddfd, oldname, newdfd, newname, 0);
}

SYSCALL_DEFINE5(renameat2, int, olddfd, uaddr_t, oldname, int, newdfd, uaddr_t, newname, unsigned,
		flags)
{
	return do_renameat2(olddfd, oldname, newdfd, newname, flags);
}
