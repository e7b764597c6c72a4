/* Paths (mount + dentry pairs), d_path, and the per-task fs_struct. */
#include "kernel.h"
#include "task.h"
#include "fs.h"

void path_get(struct path *p)
{
	if (p->mnt)
		mntget(p->mnt);
	if (p->dentry)
		dget(p->dentry);
}

void path_put(struct path *p)
{
	if (p->dentry)
		dput(p->dentry);
	if (p->mnt)
		mntput(p->mnt);
	p->dentry = NULL;
	p->mnt = NULL;
}

void path_copy(struct path *dst, const struct path *src)
{
	*dst = *src;
	path_get(dst);
}

static bool prepend(char **p, char *start, const char *s, size_t len)
{
	if ((size_t)(*p - start) < len)
		return false;
	*p -= len;
	memcpy(*p, s, len);
	return true;
}

/*
 * The path of p as seen from current's root, built right to left at the end
 * of buf. A path outside that root is prefixed "(unreachable)", a deleted
 * one suffixed " (deleted)", as in Linux.
 */
char *d_path(const struct path *p, char *buf, size_t len)
{
	char *end = buf + len, *s = end;
	const struct path *root = current && current->fs ? &current->fs->root : NULL;
	struct vfsmount *mnt = p->mnt;
	struct dentry *d = p->dentry;
	if (!prepend(&s, buf, "", 1))
		return ERR_PTR(-ENAMETOOLONG);
	if (d->sb && (d->sb->flags & SB_PSEUDO)) {
		if (!prepend(&s, buf, d->name, strlen(d->name)))
			return ERR_PTR(-ENAMETOOLONG);
		return s;
	}
	if (d->deleted && !prepend(&s, buf, " (deleted)", 10))
		return ERR_PTR(-ENAMETOOLONG);
	bool reached_root = false;
	size_t body = 0;
	for (;;) {
		if (root && d == root->dentry && mnt == root->mnt) {
			reached_root = true;
			break;
		}
		if (d == mnt->root) {
			if (!mnt->parent) {
				break;
			}
			d = mnt->mountpoint;
			mnt = mnt->parent;
			continue;
		}
		size_t n = strlen(d->name);
		if (!prepend(&s, buf, d->name, n) || !prepend(&s, buf, "/", 1))
			return ERR_PTR(-ENAMETOOLONG);
		body++;
		d = d->parent;
	}
	if (!body && !prepend(&s, buf, "/", 1))
		return ERR_PTR(-ENAMETOOLONG);
	if (!reached_root && root && !prepend(&s, buf, "(unreachable)", 13))
		return ERR_PTR(-ENAMETOOLONG);
	return s;
}

struct fs_struct *fs_alloc(const struct path *root, const struct path *pwd)
{
	struct fs_struct *fs = kzalloc(sizeof *fs);
	if (!fs)
		return NULL;
	fs->refcount = 1;
	path_copy(&fs->root, root);
	path_copy(&fs->pwd, pwd);
	fs->umask = 022;
	return fs;
}

struct fs_struct *fs_dup(struct fs_struct *old)
{
	struct fs_struct *fs = fs_alloc(&old->root, &old->pwd);
	if (fs)
		fs->umask = old->umask;
	return fs;
}

void fs_put(struct fs_struct *fs)
{
	if (--fs->refcount > 0)
		return;
	path_put(&fs->root);
	path_put(&fs->pwd);
	kfree(fs);
}

void set_fs_root(struct fs_struct *fs, const struct path *p)
{
	struct path old = fs->root;
	path_copy(&fs->root, p);
	path_put(&old);
}

void set_fs_pwd(struct fs_struct *fs, const struct path *p)
{
	struct path old = fs->pwd;
	path_copy(&fs->pwd, p);
	path_put(&old);
}
