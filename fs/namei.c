/*
 * Path walking: one component at a time from the task's root or working
 * directory, crossing mounts, following symlinks itself (absolute targets
 * from the task's root, never the host's) up to 40 links, checking search
 * permission on every directory.
 */
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "fs.h"
#include "uaccess.h"
#include "syscall.h"

#define MAXSYMLINKS 40

struct nameidata {
	struct path path; /* where the walk is */
	struct path root; /* "/" and the limit of ".." */
	unsigned flags;
	int links; /* symlinks followed so far */
};

static bool in_group(const struct cred *c, gid_t_ gid)
{
	if (c->fsgid == gid)
		return true;
	for (int i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

/* What capabilities grant when the mode bits refuse, as generic_permission:
 * DAC_OVERRIDE anything (but exec needs some x bit), DAC_READ_SEARCH reading
 * files and reading or searching directories. */
static bool capable_permission(mode_t_ mode, int mask)
{
	if (S_ISDIR(mode))
		return capable(CAP_DAC_OVERRIDE) ||
		       (!(mask & MAY_WRITE) && capable(CAP_DAC_READ_SEARCH));
	if ((!(mask & MAY_EXEC) || (mode & 0111)) && capable(CAP_DAC_OVERRIDE))
		return true;
	return mask == MAY_READ && capable(CAP_DAC_READ_SEARCH);
}

int inode_permission(struct inode *inode, int mask)
{
	const struct cred *c = &current->cred;
	mode_t_ mode = inode->mode;
	int bits;
	if (c->fsuid == inode->uid)
		bits = (mode >> 6) & 7;
	else if (in_group(c, inode->gid))
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	if (!(mask & ~bits) || capable_permission(mode, mask))
		return 0;
	return -EACCES;
}

/* Starts at start, or else at dfd (AT_FDCWD: the working directory). */
static int nd_start(struct nameidata *nd, int dfd, const struct path *start, const char *name,
		    unsigned flags)
{
	nd->flags = flags;
	nd->links = 0;
	struct fs_struct *fs = current->fs;
	/* Both start empty: on an early error the caller's nd_done puts them. */
	nd->path = (struct path){NULL, NULL};
	nd->root = (struct path){NULL, NULL};
	if (*name == '/' && !(flags & (LOOKUP_BENEATH | LOOKUP_IN_ROOT))) {
		path_copy(&nd->root, &fs->root);
		path_copy(&nd->path, &fs->root);
		return 0;
	}
	if (*name == '/' && (flags & LOOKUP_BENEATH))
		return -EXDEV;
	if (start) {
		path_copy(&nd->path, start);
	} else if (dfd == AT_FDCWD) {
		path_copy(&nd->path, &fs->pwd);
	} else {
		struct file *f = fget_raw(dfd);
		if (!f)
			return -EBADF;
		if (*name && !S_ISDIR(f->inode->mode)) {
			fput(f);
			return -ENOTDIR;
		}
		path_copy(&nd->path, &f->path);
		fput(f);
	}
	if (flags & (LOOKUP_BENEATH | LOOKUP_IN_ROOT))
		path_copy(&nd->root, &nd->path);
	else
		path_copy(&nd->root, &fs->root);
	return 0;
}

static void nd_done(struct nameidata *nd)
{
	path_put(&nd->path);
	path_put(&nd->root);
}

static void nd_set(struct nameidata *nd, struct vfsmount *mnt, struct dentry *d)
{
	mntget(mnt);
	path_put(&nd->path);
	nd->path.mnt = mnt;
	nd->path.dentry = d;
}

/* Steps down through any mounts stacked on p. */
static int follow_mounts(struct nameidata *nd, struct path *p)
{
	while (p->dentry->mounted) {
		struct vfsmount *m = lookup_mnt(p->mnt, p->dentry);
		if (!m)
			break;
		if (nd && (nd->flags & LOOKUP_NO_XDEV))
			return -EXDEV;
		dput(p->dentry);
		mntput(p->mnt);
		p->mnt = mntget(m);
		p->dentry = dget(m->root);
	}
	return 0;
}

static int follow_dotdot(struct nameidata *nd)
{
	for (;;) {
		if (nd->path.dentry == nd->root.dentry && nd->path.mnt == nd->root.mnt) {
			if (nd->flags & LOOKUP_BENEATH)
				return -EXDEV;
			return 0;
		}
		if (nd->path.dentry != nd->path.mnt->root) {
			struct dentry *parent = dget(nd->path.dentry->parent);
			dput(nd->path.dentry);
			nd->path.dentry = parent;
			break;
		}
		struct vfsmount *m = nd->path.mnt;
		if (!m->parent)
			return 0;
		if (nd->flags & LOOKUP_NO_XDEV)
			return -EXDEV;
		struct path up = {mntget(m->parent), dget(m->mountpoint)};
		path_put(&nd->path);
		nd->path = up;
	}
	return follow_mounts(nd, &nd->path);
}

/* The child dentry of dir called name, positive or negative (never NULL). */
static struct dentry *lookup_dentry(struct dentry *dir, const char *name, size_t len)
{
	struct dentry *d = d_lookup_cached(dir, name, len);
	if (d) {
		if (!d->inode || !d->inode->i_op || !d->inode->i_op->revalidate ||
		    d->inode->i_op->revalidate(d))
			return d;
		d_drop(d);
		dput(d);
	}
	if (len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d = d_alloc(dir, name, len);
	if (!d)
		return ERR_PTR(-ENOMEM);
	struct inode *di = dir->inode;
	int err = di->i_op && di->i_op->lookup ? di->i_op->lookup(di, d) : 0;
	if (err) {
		d_drop(d);
		dput(d);
		return ERR_PTR(err);
	}
	/* A negative dentry stays hashed only while someone holds it (a create
	 * in progress); dput frees it. */
	return d;
}

struct dentry *lookup_one(struct path *dir, const char *name, size_t len)
{
	return lookup_dentry(dir->dentry, name, len);
}

static int walk(struct nameidata *nd, const char *name, bool follow_last, bool want_parent,
		const char **last, size_t *lastlen);

static int follow_link(struct nameidata *nd, struct path *link, bool last_trailing)
{
	if (nd->flags & LOOKUP_NO_SYMLINKS)
		return -ELOOP;
	if (++nd->links > MAXSYMLINKS)
		return -ELOOP;
	struct inode *inode = link->dentry->inode;
	if (inode->i_op->get_link_path) {
		if (nd->flags & LOOKUP_NO_MAGICLINKS)
			return -ELOOP;
		struct path target;
		int err = inode->i_op->get_link_path(link->dentry, &target);
		if (err)
			return err;
		path_put(&nd->path);
		nd->path = target;
		return 0;
	}
	if (!inode->i_op->readlink)
		return -EINVAL;
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	long n = inode->i_op->readlink(link->dentry, buf, PATH_MAX - 1);
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	buf[n] = 0;
	if (!n) {
		kfree(buf);
		return -ENOENT;
	}
	if (buf[0] == '/') {
		if (nd->flags & LOOKUP_BENEATH) {
			kfree(buf);
			return -EXDEV;
		}
		nd_set(nd, nd->root.mnt, dget(nd->root.dentry));
	}
	/* The link's text is walked from the directory holding the link. */
	int err = walk(nd, buf, true, false, NULL, NULL);
	kfree(buf);
	if (!err && last_trailing && !S_ISDIR(nd->path.dentry->inode->mode))
		err = -ENOTDIR;
	return err;
}

/*
 * Walks name from nd->path. With want_parent, stops before the last
 * component and returns it in *last (NULL for "/" or "." or ".." endings,
 * which the callers refuse). Otherwise ends on the last component, following
 * a final symlink if follow_last or the name ends in '/'.
 */
static int walk(struct nameidata *nd, const char *name, bool follow_last, bool want_parent,
		const char **last, size_t *lastlen)
{
	if (*name == '/') {
		if (nd->flags & LOOKUP_BENEATH)
			return -EXDEV;
		nd_set(nd, nd->root.mnt, dget(nd->root.dentry));
		while (*name == '/')
			name++;
	}
	if (last) {
		*last = NULL;
		*lastlen = 0; /* stays 0 for "/" */
	}
	while (*name) {
		size_t len = strcspn(name, "/");
		const char *rest = name + len;
		bool trailing = *rest == '/';
		while (*rest == '/')
			rest++;
		bool is_last = !*rest;
		struct inode *dir = nd->path.dentry->inode;
		if (!S_ISDIR(dir->mode))
			return -ENOTDIR;
		int err = inode_permission(dir, MAY_EXEC);
		if (err)
			return err;
		if (is_last && want_parent) {
			if (last) {
				*last = name;
				*lastlen = len;
			}
			if ((len == 1 && name[0] == '.') ||
			    (len == 2 && name[0] == '.' && name[1] == '.'))
				*last = NULL;
			return trailing ? 1 : 0; /* 1: the last component had a slash */
		}
		if (len == 1 && name[0] == '.') {
			name = rest;
			continue;
		}
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			if ((err = follow_dotdot(nd)))
				return err;
			name = rest;
			continue;
		}
		struct dentry *d = lookup_dentry(nd->path.dentry, name, len);
		if (IS_ERR(d))
			return (int)PTR_ERR(d);
		if (!d->inode) {
			dput(d);
			return -ENOENT;
		}
		struct path next = {mntget(nd->path.mnt), d};
		if ((err = follow_mounts(nd, &next))) {
			path_put(&next);
			return err;
		}
		if (S_ISLNK(next.dentry->inode->mode) && (!is_last || follow_last || trailing)) {
			err = follow_link(nd, &next, is_last && trailing);
			path_put(&next);
			if (err)
				return err;
		} else {
			path_put(&nd->path);
			nd->path = next;
			if (is_last && trailing && !S_ISDIR(next.dentry->inode->mode))
				return -ENOTDIR;
		}
		name = rest;
	}
	return 0;
}

int path_lookupat(int dfd, const char *name, unsigned flags, struct path *out)
{
	struct nameidata nd;
	if (!*name && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	int err = nd_start(&nd, dfd, NULL, name, flags);
	if (!err)
		err = walk(&nd, name, flags & LOOKUP_FOLLOW, false, NULL, NULL);
	if (!err && (flags & LOOKUP_DIRECTORY) && !S_ISDIR(nd.path.dentry->inode->mode))
		err = -ENOTDIR;
	if (err) {
		nd_done(&nd);
		return err;
	}
	*out = nd.path;
	path_put(&nd.root);
	return 0;
}

int user_path_at(int dfd, uaddr_t upath, unsigned flags, struct path *out)
{
	bool empty;
	char *name = getname_empty_ok(upath, &empty);
	if (IS_ERR(name))
		return (int)PTR_ERR(name);
	int err = path_lookupat(dfd, name, flags, out);
	kfree(name);
	return err;
}

/*
 * Finds the directory that holds the last component of name. *last is
 * NULL when the name ends in "/", "." or ".." (callers give EEXIST, EINVAL
 * or EBUSY as Linux does for their operation). Returns 1 instead of 0 if
 * the last component was followed by a slash.
 */
int path_parentat_from(int dfd, const struct path *start, const char *name, unsigned flags,
		       struct path *parent, const char **last, size_t *lastlen)
{
	struct nameidata nd;
	if (!*name)
		return -ENOENT;
	int err = nd_start(&nd, dfd, start, name, flags);
	if (!err)
		err = walk(&nd, name, false, true, last, lastlen);
	if (err < 0) {
		nd_done(&nd);
		return err;
	}
	*parent = nd.path;
	path_put(&nd.root);
	return err;
}

int path_parentat(int dfd, const char *name, unsigned flags, struct path *parent, const char **last,
		  size_t *lastlen)
{
	return path_parentat_from(dfd, NULL, name, flags, parent, last, lastlen);
}

int may_create_in(struct path *dir)
{
	if (IS_RDONLY_PATH(dir))
		return -EROFS;
	if (dir->dentry->deleted)
		return -ENOENT;
	return inode_permission(dir->dentry->inode, MAY_WRITE | MAY_EXEC);
}

/* Write and search permission on the directory, and the sticky bit rule. */
int may_delete_in(struct path *dir, struct dentry *victim, bool isdir)
{
	struct inode *di = dir->dentry->inode, *vi = victim->inode;
	if (IS_RDONLY_PATH(dir))
		return -EROFS;
	int err = inode_permission(di, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	uid_t_ fsuid = current->cred.fsuid;
	if ((di->mode & S_ISVTX) && fsuid != vi->uid && fsuid != di->uid && !capable(CAP_FOWNER))
		return -EPERM;
	if (isdir && !S_ISDIR(vi->mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(vi->mode))
		return -EISDIR;
	return 0;
}
