/*
 * ext4 directories: names, in an index of umk's own per directory (built
 * from one pass over the directory, then kept up to date), and the calls
 * that add, remove and move them.
 */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "ext4.h"

struct dir_name {
	struct dir_name *next;
	uint32_t ino;
	uint8_t type;
	uint8_t len;
	char name[];
};

static size_t name_hash(const char *name, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211ULL;
	return (size_t)h;
}

static struct dir_name **slot(struct dir_index *di, const char *name, size_t len)
{
	struct dir_name **p = &di->buckets[name_hash(name, len) & (di->nbuckets - 1)];
	for (; *p; p = &(*p)->next)
		if ((*p)->len == len && !memcmp((*p)->name, name, len))
			break;
	return p;
}

static int resize(struct dir_index *di, size_t n)
{
	struct dir_name **b = kzalloc(n * sizeof *b);
	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < di->nbuckets; i++) {
		for (struct dir_name *e = di->buckets[i], *next; e; e = next) {
			next = e->next;
			size_t k = name_hash(e->name, e->len) & (n - 1);
			e->next = b[k];
			b[k] = e;
		}
	}
	kfree(di->buckets);
	di->buckets = b;
	di->nbuckets = n;
	return 0;
}

static int index_add(struct dir_index *di, const char *name, size_t len, uint32_t ino,
		     unsigned type)
{
	if (di->count >= di->nbuckets && resize(di, di->nbuckets * 2))
		return -ENOMEM;
	struct dir_name **p = slot(di, name, len);
	if (*p) {
		(*p)->ino = ino;
		(*p)->type = (uint8_t)type;
		return 0;
	}
	struct dir_name *e = kmalloc(sizeof *e + len);
	if (!e)
		return -ENOMEM;
	e->next = NULL;
	e->ino = ino;
	e->type = (uint8_t)type;
	e->len = (uint8_t)len;
	memcpy(e->name, name, len);
	*p = e;
	di->count++;
	return 0;
}

static void index_remove(struct dir_index *di, const char *name)
{
	struct dir_name **p = slot(di, name, strlen(name)), *e = *p;
	if (e) {
		*p = e->next;
		kfree(e);
		di->count--;
	}
}

void dir_index_free(struct dir_index *di)
{
	if (!di)
		return;
	for (size_t i = 0; i < di->nbuckets; i++) {
		for (struct dir_name *e = di->buckets[i], *next; e; e = next) {
			next = e->next;
			kfree(e);
		}
	}
	kfree(di->buckets);
	kfree(di);
}

static int index_one(void *ctx, const char *name, size_t len, uint32_t ino, unsigned type,
		     uint64_t next)
{
	(void)next;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return 0;
	return index_add(ctx, name, len, ino, type) ? -1 : 0;
}

/* The directory's index, read from the disk the first time. */
static struct dir_index *dir_index(struct inode *dir)
{
	struct ext4_inode_info *ei = EXT4_I(dir);
	if (ei->dir)
		return ei->dir;
	if (!E2FS(dir))
		return ERR_PTR(-EIO);
	struct dir_index *di = kzalloc(sizeof *di);
	if (!di || resize(di, 16)) {
		kfree(di);
		return ERR_PTR(-ENOMEM);
	}
	int err = e2fs_dir_iterate(E2FS(dir), INO(dir), 0, index_one, di);
	if (err) {
		dir_index_free(di);
		return ERR_PTR(err);
	}
	ei->dir = di;
	return di;
}

/* Keeps an index that exists in step with the disk. */
static void index_note_add(struct inode *dir, const char *name, struct inode *inode)
{
	struct dir_index *di = EXT4_I(dir)->dir;
	if (di && index_add(di, name, strlen(name), INO(inode), (inode->mode & S_IFMT) >> 12)) {
		dir_index_free(di); /* out of memory: rebuilt when next needed */
		EXT4_I(dir)->dir = NULL;
	}
}

static void index_note_remove(struct inode *dir, const char *name)
{
	if (EXT4_I(dir)->dir)
		index_remove(EXT4_I(dir)->dir, name);
}

static int ext4_lookup(struct inode *dir, struct dentry *d)
{
	struct dir_index *di = dir_index(dir);
	if (IS_ERR(di))
		return (int)PTR_ERR(di);
	struct dir_name *e = *slot(di, d->name, strlen(d->name));
	if (!e)
		return 0;
	struct inode *inode = ext4_iget(dir->sb, e->ino);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	d_instantiate(d, inode);
	return 0;
}

/* ---- Creating ---- */

/* A directory's link count counts its subdirectories, up to
 * EXT4_LINK_MAX; past it (dir_nlink) it stays 1, "many", as Linux's
 * ext4_inc_count and ext4_dec_count keep it. */
static void dir_link_inc(struct inode *dir)
{
	if (dir->nlink != 1 && ++dir->nlink >= EXT4_LINK_MAX)
		dir->nlink = 1;
}

static void dir_link_dec(struct inode *dir)
{
	if (dir->nlink > 2)
		dir->nlink--;
}

static unsigned dtype(struct inode *inode)
{
	return (inode->mode & S_IFMT) >> 12;
}

static void touch_dir(struct inode *dir)
{
	inode_touch(dir, ATTR_MTIME | ATTR_CTIME);
}

/* A new inode near dir with the caller's owner and the times of now. */
static int new_inode_in(struct inode *dir, mode_t_ mode, uint64_t rdev, const char *target,
			uint32_t nlink, uint32_t *ino)
{
	struct e2fs_inode a = {
	    .mode = mode,
	    .uid = current->cred.fsuid,
	    .gid = current->cred.fsgid,
	    .nlink = nlink,
	    .rdev_major = MAJOR(rdev),
	    .rdev_minor = MINOR(rdev),
	};
	if (dir->mode & S_ISGID) {
		a.gid = dir->gid;
		if (S_ISDIR(mode))
			a.mode |= S_ISGID;
	}
	struct linux_timespec now = current_time();
	a.atime = a.mtime = a.ctime = a.crtime =
	    (struct e2fs_time){now.tv_sec, (uint32_t)now.tv_nsec};
	return e2fs_create(E2FS(dir), INO(dir), &a, target, ino);
}

static int create_common(struct inode *dir, struct dentry *d, mode_t_ mode, uint64_t rdev,
			 const char *target)
{
	struct e2fs *fs = E2FS(dir);
	if (!fs)
		return -EIO;
	if (dir->sb->flags & SB_RDONLY)
		return -EROFS;
	if (strlen(d->name) > 255)
		return -ENAMETOOLONG;
	uint32_t ino;
	int err = new_inode_in(dir, mode, rdev, target, S_ISDIR(mode) ? 2 : 1, &ino);
	if (err)
		return err;
	err = e2fs_dir_add(fs, INO(dir), d->name, ino, (mode & S_IFMT) >> 12);
	if (err) {
		e2fs_delete(fs, ino);
		return err;
	}
	struct inode *inode = ext4_iget(dir->sb, ino);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	if (S_ISDIR(mode))
		dir_link_inc(dir);
	touch_dir(dir);
	index_note_add(dir, d->name, inode);
	d_instantiate(d, inode);
	return ext4_write_inode(dir);
}

static int ext4_create(struct inode *dir, struct dentry *d, mode_t_ mode)
{
	return create_common(dir, d, mode, 0, NULL);
}

static int ext4_mkdir(struct inode *dir, struct dentry *d, mode_t_ mode)
{
	return create_common(dir, d, mode, 0, NULL);
}

static int ext4_mknod(struct inode *dir, struct dentry *d, mode_t_ mode, uint64_t rdev)
{
	return create_common(dir, d, mode, rdev, NULL);
}

static int ext4_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	return create_common(dir, d, S_IFLNK | 0777, 0, target);
}

/* No link on the disk until linkat gives it one: a crash before leaves an
 * inode that e2fsck takes back; evict gives it back otherwise. */
static int ext4_tmpfile(struct inode *dir, struct dentry *d, mode_t_ mode)
{
	if (!E2FS(dir))
		return -EIO;
	if (dir->sb->flags & SB_RDONLY)
		return -EROFS;
	uint32_t ino;
	int err = new_inode_in(dir, mode, 0, NULL, 0, &ino);
	if (err)
		return err;
	struct inode *inode = ext4_iget(dir->sb, ino);
	if (IS_ERR(inode)) {
		e2fs_delete(E2FS(dir), ino);
		return (int)PTR_ERR(inode);
	}
	d_instantiate(d, inode);
	return 0;
}

static int ext4_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->inode;
	if (!E2FS(dir))
		return -EIO;
	if (inode->nlink >= EXT4_LINK_MAX)
		return -EMLINK;
	int err = e2fs_dir_add(E2FS(dir), INO(dir), d->name, INO(inode), dtype(inode));
	if (err)
		return err;
	inode->nlink++;
	inode_touch(inode, ATTR_CTIME);
	touch_dir(dir);
	index_note_add(dir, d->name, inode);
	d_instantiate(d, igrab(inode));
	err = ext4_write_inode(inode);
	return err ? err : ext4_write_inode(dir);
}

/* ---- Removing ---- */

static int dir_is_empty(struct inode *dir)
{
	struct dir_index *di = dir_index(dir);
	if (IS_ERR(di))
		return (int)PTR_ERR(di);
	return di->count ? -ENOTEMPTY : 0;
}

/* The name is gone from dir: inode loses a link (a directory all). */
static int drop_link(struct inode *dir, struct inode *inode)
{
	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		dir_link_dec(dir);
	} else if (inode->nlink) {
		inode->nlink--;
	}
	inode_touch(inode, ATTR_CTIME);
	return ext4_write_inode(inode);
}

static int remove_name(struct inode *dir, struct dentry *d)
{
	if (!E2FS(dir))
		return -EIO;
	int err = e2fs_dir_remove(E2FS(dir), INO(dir), d->name);
	if (err)
		return err;
	index_note_remove(dir, d->name);
	touch_dir(dir);
	err = drop_link(dir, d->inode);
	return err ? err : ext4_write_inode(dir);
}

static int ext4_unlink(struct inode *dir, struct dentry *d)
{
	return remove_name(dir, d);
}

static int ext4_rmdir(struct inode *dir, struct dentry *d)
{
	int err = dir_is_empty(d->inode);
	return err ? err : remove_name(dir, d);
}

/* ---- Renaming: the new name is written before the old one goes, so a
 * crash between leaves a link too many (e2fsck's to fix), never none. ---- */

/* A directory moved from one parent to another: its ".." and both link
 * counts follow. */
static int reparent(struct inode *inode, struct inode *from, struct inode *to)
{
	if (!S_ISDIR(inode->mode) || from == to)
		return 0;
	dir_link_dec(from);
	dir_link_inc(to);
	return e2fs_dir_set(E2FS(inode), INO(inode), "..", INO(to), 4);
}

static int rename_exchange(struct inode *odir, struct dentry *old, struct inode *ndir,
			   struct dentry *new)
{
	struct e2fs *fs = E2FS(odir);
	struct inode *oi = old->inode, *ni = new->inode;
	int err = e2fs_dir_set(fs, INO(ndir), new->name, INO(oi), dtype(oi));
	if (!err)
		err = e2fs_dir_set(fs, INO(odir), old->name, INO(ni), dtype(ni));
	if (!err)
		err = reparent(oi, odir, ndir);
	if (!err)
		err = reparent(ni, ndir, odir);
	if (err)
		return err;
	index_note_add(ndir, new->name, oi);
	index_note_add(odir, old->name, ni);
	inode_touch(ni, ATTR_CTIME);
	return ext4_write_inode(ni);
}

static int rename_move(struct inode *odir, struct dentry *old, struct inode *ndir,
		       struct dentry *new)
{
	struct e2fs *fs = E2FS(odir);
	struct inode *oi = old->inode, *ni = new->inode;
	int err;
	if (ni) {
		if (S_ISDIR(ni->mode) && (err = dir_is_empty(ni)))
			return err;
		err = e2fs_dir_set(fs, INO(ndir), new->name, INO(oi), dtype(oi));
	} else {
		err = e2fs_dir_add(fs, INO(ndir), new->name, INO(oi), dtype(oi));
	}
	if (!err)
		err = e2fs_dir_remove(fs, INO(odir), old->name);
	if (!err)
		err = reparent(oi, odir, ndir);
	if (err)
		return err;
	index_note_remove(odir, old->name);
	index_note_add(ndir, new->name, oi);
	return ni ? drop_link(ndir, ni) : 0;
}

static int ext4_rename(struct inode *odir, struct dentry *old, struct inode *ndir,
		       struct dentry *new, unsigned flags)
{
	if (!E2FS(odir))
		return -EIO;
	if (strlen(new->name) > 255)
		return -ENAMETOOLONG;
	int err = (flags & RENAME_EXCHANGE) ? rename_exchange(odir, old, ndir, new)
					    : rename_move(odir, old, ndir, new);
	if (err)
		return err;
	inode_touch(old->inode, ATTR_CTIME);
	touch_dir(odir);
	touch_dir(ndir);
	err = ext4_write_inode(old->inode);
	if (!err && ndir != odir)
		err = ext4_write_inode(ndir);
	return err ? err : ext4_write_inode(odir);
}

const struct inode_operations ext4_dir_iops = {
    .lookup = ext4_lookup,
    .create = ext4_create,
    .mkdir = ext4_mkdir,
    .mknod = ext4_mknod,
    .tmpfile = ext4_tmpfile,
    .symlink = ext4_symlink,
    .link = ext4_link,
    .unlink = ext4_unlink,
    .rmdir = ext4_rmdir,
    .rename = ext4_rename,
    .getattr = ext4_getattr,
    .setattr = ext4_setattr,
    .getxattr = ext4_getxattr,
    .setxattr = ext4_setxattr,
    .listxattr = ext4_listxattr,
    .removexattr = ext4_removexattr,
};
