/*
 * tmpfs: files in memory. A regular file's bytes live in a host memfd, so
 * read, write and mmap (MAP_SHARED too) all see the same pages; the
 * directory tree is the dentry cache itself, pinned. Also the rootfs that
 * the initramfs unpacks into, and the base of devtmpfs.
 */
#include <stdio.h>
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "mm.h"
#include "ktime.h"
#include "filesystems.h"

#define TMPFS_MAGIC 0x01021994
/* Linux's tmpfs counts 20 bytes of directory size per entry (and 40 for an
 * empty directory): du and some programs look at it. */
#define BOGO_DIRENT_SIZE 20

struct xattr {
	struct xattr *next;
	char *name;
	size_t len;
	char value[];
};

struct tmpfs_inode {
	int memfd;	 /* -1 until the file has bytes or a mapping */
	int64_t charged; /* bytes of the memfd counted in used_bytes */
	char *target;	 /* symlinks */
	struct xattr *xattrs;
};

struct tmpfs_sb {
	int64_t max_bytes, used_bytes;
	uint64_t max_inodes, inodes;
	mode_t_ root_mode;
	uid_t_ uid;
	gid_t_ gid;
	uint64_t next_cookie;
};

static const struct inode_operations tmpfs_dir_iops, tmpfs_file_iops, tmpfs_symlink_iops,
    tmpfs_special_iops;
static const struct file_operations tmpfs_file_fops, tmpfs_dir_fops;

static struct tmpfs_inode *TI(struct inode *inode)
{
	return inode->private;
}

static struct tmpfs_sb *TSB(struct super_block *sb)
{
	return sb->fs_info;
}

static void tmpfs_evict(struct inode *inode)
{
	struct tmpfs_inode *ti = TI(inode);
	if (!ti)
		return;
	if (ti->memfd >= 0)
		host_close(ti->memfd);
	TSB(inode->sb)->used_bytes -= ti->charged;
	TSB(inode->sb)->inodes--;
	while (ti->xattrs) {
		struct xattr *x = ti->xattrs;
		ti->xattrs = x->next;
		kfree(x->name);
		kfree(x);
	}
	kfree(ti->target);
	kfree(ti);
}

static int tmpfs_statfs(struct dentry *d, struct linux_statfs *st)
{
	struct tmpfs_sb *s = TSB(d->sb);
	st->f_type = TMPFS_MAGIC;
	st->f_bsize = st->f_frsize = 4096;
	st->f_blocks = (uint64_t)s->max_bytes / 4096;
	st->f_bfree = st->f_bavail = (uint64_t)(s->max_bytes - s->used_bytes) / 4096;
	st->f_files = s->max_inodes;
	st->f_ffree = s->max_inodes - s->inodes;
	st->f_namelen = NAME_MAX;
	return 0;
}

static int tmpfs_show_options(struct super_block *sb, char *buf, size_t len)
{
	struct tmpfs_sb *s = TSB(sb);
	return snprintf(buf, len, "size=%lldk,nr_inodes=%llu,mode=%o",
			(long long)s->max_bytes / 1024, (unsigned long long)s->max_inodes,
			s->root_mode);
}

static const struct super_operations tmpfs_sops = {
    .statfs = tmpfs_statfs,
    .evict_inode = tmpfs_evict,
    .show_options = tmpfs_show_options,
};

struct inode *tmpfs_new_inode(struct super_block *sb, struct inode *dir, mode_t_ mode,
			      uint64_t rdev)
{
	struct tmpfs_sb *s = TSB(sb);
	if (s->inodes >= s->max_inodes)
		return ERR_PTR(-ENOSPC);
	struct inode *inode = new_inode(sb);
	struct tmpfs_inode *ti = kzalloc(sizeof *ti);
	if (!inode || !ti) {
		kfree(ti);
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	s->inodes++;
	ti->memfd = -1;
	inode->private = ti;
	inode->ino = get_next_ino(sb);
	inode->mode = mode;
	inode->rdev = rdev;
	inode->uid = current ? current->cred.fsuid : 0;
	inode->gid = current ? current->cred.fsgid : 0;
	if (dir && (dir->mode & S_ISGID)) {
		inode->gid = dir->gid;
		if (S_ISDIR(mode))
			inode->mode |= S_ISGID;
	}
	inode_init_times(inode);
	switch (mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &tmpfs_dir_iops;
		inode->i_fop = &tmpfs_dir_fops;
		inode->nlink = 2;
		inode->size = 2 * BOGO_DIRENT_SIZE;
		break;
	case S_IFREG:
		inode->i_op = &tmpfs_file_iops;
		inode->i_fop = &tmpfs_file_fops;
		break;
	case S_IFLNK:
		inode->i_op = &tmpfs_symlink_iops;
		break;
	default:
		inode->i_op = &tmpfs_special_iops;
		break;
	}
	return inode;
}

/* A new name for inode in dir: the dentry is pinned, tmpfs has no other store. */
static void tmpfs_link_dentry(struct inode *dir, struct dentry *d, struct inode *inode)
{
	d_instantiate(d, inode);
	d->private = (void *)(uintptr_t)++TSB(dir->sb)->next_cookie;
	d->pinned = true;
	dget(d);
	if (S_ISDIR(inode->mode))
		dir->nlink++;
	dir->size += BOGO_DIRENT_SIZE;
	inode_touch(dir, ATTR_MTIME | ATTR_CTIME);
}

static int tmpfs_mknod(struct inode *dir, struct dentry *d, mode_t_ mode, uint64_t rdev)
{
	struct inode *inode = tmpfs_new_inode(dir->sb, dir, mode, rdev);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	tmpfs_link_dentry(dir, d, inode);
	return 0;
}

/* O_TMPFILE: the open file alone holds the inode, until linkat names it. */
static int tmpfs_tmpfile(struct inode *dir, struct dentry *d, mode_t_ mode)
{
	struct inode *inode = tmpfs_new_inode(dir->sb, dir, mode, 0);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	inode->nlink = 0;
	d_instantiate(d, inode);
	return 0;
}

static int tmpfs_create(struct inode *dir, struct dentry *d, mode_t_ mode)
{
	return tmpfs_mknod(dir, d, mode, 0);
}

static int tmpfs_mkdir(struct inode *dir, struct dentry *d, mode_t_ mode)
{
	return tmpfs_mknod(dir, d, mode, 0);
}

int tmpfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	struct inode *inode = tmpfs_new_inode(dir->sb, dir, S_IFLNK | 0777, 0);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	TI(inode)->target = kstrdup(target);
	if (!TI(inode)->target) {
		iput(inode);
		return -ENOMEM;
	}
	inode->size = (int64_t)strlen(target);
	tmpfs_link_dentry(dir, d, inode);
	return 0;
}

static int tmpfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	struct inode *inode = old->inode;
	inode->nlink++;
	inode_touch(inode, ATTR_CTIME);
	tmpfs_link_dentry(dir, d, igrab(inode));
	return 0;
}

static bool dir_empty(struct dentry *d)
{
	struct dentry *c;
	list_for_each_entry(c, &d->children, sibling)
		if (c->inode && !c->deleted)
			return false;
	return true;
}

static void drop_name(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->inode;
	if (S_ISDIR(inode->mode)) {
		dir->nlink--;
		inode->nlink = 0;
	} else {
		inode->nlink--;
	}
	dir->size -= BOGO_DIRENT_SIZE;
	inode_touch(inode, ATTR_CTIME);
	inode_touch(dir, ATTR_MTIME | ATTR_CTIME);
}

static int tmpfs_unlink(struct inode *dir, struct dentry *d)
{
	drop_name(dir, d);
	return 0;
}

static int tmpfs_rmdir(struct inode *dir, struct dentry *d)
{
	if (!dir_empty(d))
		return -ENOTEMPTY;
	drop_name(dir, d);
	return 0;
}

static int tmpfs_rename(struct inode *olddir, struct dentry *old, struct inode *newdir,
			struct dentry *new, unsigned flags)
{
	bool odir = S_ISDIR(old->inode->mode);
	if (flags & RENAME_EXCHANGE) {
		bool ndir = S_ISDIR(new->inode->mode);
		if (odir != ndir) {
			olddir->nlink += ndir ? 1 : (uint64_t)-1;
			newdir->nlink += odir ? 1 : (uint64_t)-1;
		}
		uintptr_t c = (uintptr_t)old->private;
		old->private = new->private;
		new->private = (void *)c;
	} else {
		if (new->inode) {
			if (S_ISDIR(new->inode->mode) && !dir_empty(new))
				return -ENOTEMPTY;
			drop_name(newdir, new);
		}
		if (odir && olddir != newdir) {
			olddir->nlink--;
			newdir->nlink++;
		}
		olddir->size -= BOGO_DIRENT_SIZE;
		newdir->size += BOGO_DIRENT_SIZE;
		old->private = (void *)(uintptr_t)++TSB(olddir->sb)->next_cookie;
	}
	inode_touch(olddir, ATTR_MTIME | ATTR_CTIME);
	inode_touch(newdir, ATTR_MTIME | ATTR_CTIME);
	inode_touch(old->inode, ATTR_CTIME);
	return 0;
}

static long tmpfs_readlink(struct dentry *d, char *buf, size_t len)
{
	const char *t = TI(d->inode)->target;
	size_t n = min(strlen(t), len);
	memcpy(buf, t, n);
	return (long)n;
}

/* ---- Bytes in the memfd ---- */

static int ensure_memfd(struct inode *inode)
{
	struct tmpfs_inode *ti = TI(inode);
	if (ti->memfd >= 0)
		return 0;
	int fd = host_memfd("tmpfs");
	if (fd < 0)
		return fd;
	ti->memfd = fd;
	return 0;
}

/* The pages the memfd holds count against size=, as Linux's tmpfs charges
 * pages when they are allocated: a sparse file costs only its pages. */
static void charge(struct inode *inode)
{
	struct tmpfs_inode *ti = TI(inode);
	struct host_stat st;
	if (ti->memfd < 0 || host_fstatat(ti->memfd, "", &st))
		return;
	TSB(inode->sb)->used_bytes += st.blocks * 512 - ti->charged;
	ti->charged = st.blocks * 512;
	inode->blocks = st.blocks;
}

static int resize(struct inode *inode, int64_t size)
{
	int err = ensure_memfd(inode);
	if (!err)
		err = host_ftruncate(TI(inode)->memfd, size);
	if (err)
		return err;
	inode->size = size;
	charge(inode);
	return 0;
}

static int tmpfs_seals(struct inode *inode)
{
	int memfd = TI(inode)->memfd;
	return memfd >= 0 ? host_memfd_get_seals(memfd) : F_SEAL_SEAL;
}

static int tmpfs_setattr(struct dentry *d, struct iattr *a)
{
	struct inode *inode = d->inode;
	if ((a->valid & ATTR_MODE) && ((a->mode ^ inode->mode) & 0111) &&
	    (tmpfs_seals(inode) & F_SEAL_EXEC))
		return -EPERM;
	if (a->valid & ATTR_SIZE) {
		int err = resize(inode, a->size);
		if (err)
			return err;
	}
	setattr_copy(inode, a);
	return 0;
}

static long tmpfs_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct inode *inode = f->inode;
	struct tmpfs_inode *ti = TI(inode);
	if (!to->count)
		return 0;
	file_accessed(f);
	if (*pos >= inode->size)
		return 0;
	size_t want = (size_t)min((int64_t)to->count, inode->size - *pos), done = 0;
	char buf[65536];
	while (done < want) {
		size_t chunk = min(want - done, sizeof buf);
		long n = ti->memfd >= 0 ? host_pread(ti->memfd, buf, chunk, *pos) : 0;
		if (n < 0)
			return done ? (long)done : n;
		if (n == 0) {
			memset(buf, 0, chunk); /* a hole past the memfd's end */
			n = (long)chunk;
		}
		size_t c = copy_to_iter(buf, (size_t)n, to);
		*pos += (loff_t)c;
		done += c;
		if (c < (size_t)n)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

static long tmpfs_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	struct inode *inode = f->inode;
	if (f->flags & O_APPEND)
		*pos = inode->size;
	if (!from->count)
		return 0;
	int err = ensure_memfd(inode);
	if (err)
		return err;
	struct tmpfs_sb *s = TSB(inode->sb);
	if (s->used_bytes + (int64_t)ALIGN_UP(from->count, 4096) > s->max_bytes)
		return -ENOSPC;
	char buf[65536];
	size_t done = 0;
	while (from->count) {
		size_t chunk = copy_from_iter(buf, min(from->count, sizeof buf), from);
		if (!chunk)
			break;
		long n = host_pwrite(TI(inode)->memfd, buf, chunk, *pos);
		if (n < 0) {
			err = (int)n;
			break;
		}
		*pos += n;
		done += (size_t)n;
	}
	if (*pos > inode->size)
		inode->size = *pos;
	charge(inode);
	if (!done)
		return err ? err : -EFAULT;
	inode_touch(inode, ATTR_MTIME | ATTR_CTIME);
	return (long)done;
}

static int tmpfs_mmap(struct file *f, struct vma *v)
{
	int err = ensure_memfd(f->inode);
	if (err)
		return err;
	v->host_fd = TI(f->inode)->memfd;
	return 0;
}

/* As Linux's tmpfs: KEEP_SIZE and PUNCH_HOLE only; the memfd allocates
 * and frees the pages. */
static int tmpfs_fallocate(struct file *f, int mode, loff_t off, loff_t len)
{
	const int keep = 1, punch = 2; /* FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE */
	struct inode *inode = f->inode;
	if (mode & ~(keep | punch))
		return -EOPNOTSUPP;
	int err = ensure_memfd(inode);
	if (!err && !(mode & keep) && off + len > inode->size)
		err = resize(inode, off + len);
	if (!err)
		err = host_fallocate(TI(inode)->memfd, mode, off, len);
	if (!err && (mode & punch))
		inode_touch(inode, ATTR_MTIME | ATTR_CTIME);
	return err;
}

/* Holes are the memfd's: ask the host where its data is. */
static loff_t tmpfs_llseek(struct file *f, loff_t off, int whence)
{
	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return generic_file_llseek(f, off, whence);
	if (off < 0 || off >= f->inode->size)
		return -ENXIO;
	int memfd = TI(f->inode)->memfd;
	loff_t r =
	    memfd < 0 ? (whence == SEEK_DATA ? -ENXIO : off) : host_lseek_data(memfd, off, whence);
	if (r >= 0)
		f->pos = r = min(r, f->inode->size);
	return r;
}

/* st_blocks: the pages the memfd really holds, as a sparse tmpfs file. */
static int tmpfs_getattr(struct dentry *d)
{
	struct host_stat st;
	int memfd = TI(d->inode)->memfd;
	if (S_ISREG(d->inode->mode))
		d->inode->blocks = memfd >= 0 && !host_fstatat(memfd, "", &st) ? st.blocks : 0;
	return 0;
}

static const struct file_operations tmpfs_file_fops = {
    .read = tmpfs_read,
    .write = tmpfs_write,
    .llseek = tmpfs_llseek,
    .mmap = tmpfs_mmap,
    .fallocate = tmpfs_fallocate,
};

/* ---- Seals (memfd_create's), kept and enforced by the host memfd ---- */

long shmem_fcntl_seals(struct file *f, int cmd, unsigned seals)
{
	bool shmem = f->f_op == &tmpfs_file_fops;
	if (cmd == F_GET_SEALS)
		return shmem ? tmpfs_seals(f->inode) : -EINVAL;
	/* Linux's order: write access, then the seal bits, then the file kind. */
	if (!(f->mode & FMODE_WRITE))
		return -EPERM;
	if (seals & ~(unsigned)F_ALL_SEALS || !shmem)
		return -EINVAL;
	/* A file without a memfd yet is a plain tmpfs file: F_SEAL_SEAL. */
	int memfd = TI(f->inode)->memfd;
	return memfd >= 0 ? host_memfd_add_seals(memfd, seals) : -EPERM;
}

/* ---- Files on no mount: memfd_create, SysV shared memory ---- */

static struct super_block *shm_sb;

struct file *shmem_file_setup(const char *name, mode_t_ mode, int host_fd)
{
	struct inode *inode = ERR_PTR(-ENOMEM);
	if (!shm_sb) {
		struct super_block *sb = tmpfs_fill(NULL, SB_PSEUDO, NULL, 01777);
		if (!IS_ERR(sb)) {
			/* Like Linux's internal shm mount: no limit but memory. */
			TSB(sb)->max_bytes = INT64_MAX;
			TSB(sb)->max_inodes = UINT64_MAX;
			shm_sb = sb;
		}
	}
	if (shm_sb)
		inode = tmpfs_new_inode(shm_sb, NULL, S_IFREG | mode, 0);
	if (IS_ERR(inode)) {
		if (host_fd >= 0)
			host_close(host_fd);
		return (struct file *)inode;
	}
	TI(inode)->memfd = host_fd;
	struct dentry *d = d_alloc_pseudo(shm_sb, inode, name);
	if (!d) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	struct path path = {pseudo_mnt(), d};
	struct file *f = file_alloc(&path, O_RDWR | O_LARGEFILE);
	dput(d);
	mntput(path.mnt);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->f_op = &tmpfs_file_fops;
	return f;
}

/* ---- Directories ---- */

int simple_dir_iterate(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->path.dentry;
	file_accessed(f);
	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 1, dir->inode->ino, DT_DIR))
			return 0;
	}
	if (ctx->pos == 1) {
		struct inode *pi = dir->parent->inode;
		if (!ctx->actor(ctx, "..", 2, 2, pi->ino, DT_DIR))
			return 0;
	}
	struct dentry *c;
	list_for_each_entry(c, &dir->children, sibling) {
		uint64_t cookie = (uintptr_t)c->private;
		if (!c->inode || c->deleted || (int64_t)cookie + 2 <= ctx->pos)
			continue;
		if (!ctx->actor(ctx, c->name, strlen(c->name), (int64_t)cookie + 2, c->inode->ino,
				(c->inode->mode >> 12) & 15))
			return 0;
	}
	return 0;
}

static loff_t dir_llseek(struct file *f, loff_t off, int whence)
{
	if (whence == SEEK_SET && off >= 0) {
		f->pos = off;
		return off;
	}
	if (whence == SEEK_CUR && f->pos + off >= 0) {
		f->pos += off;
		return f->pos;
	}
	return -EINVAL;
}

static const struct file_operations tmpfs_dir_fops = {
    .iterate = simple_dir_iterate,
    .llseek = dir_llseek,
};

/* ---- Extended attributes, in memory ---- */

static struct xattr **xattr_find(struct inode *inode, const char *name)
{
	struct xattr **p = &TI(inode)->xattrs;
	for (; *p; p = &(*p)->next)
		if (!strcmp((*p)->name, name))
			return p;
	return p;
}

static long tmpfs_getxattr(struct dentry *d, const char *name, void *buf, size_t len)
{
	struct xattr *x = *xattr_find(d->inode, name);
	if (!x)
		return -ENODATA;
	if (!buf)
		return (long)x->len;
	if (len < x->len)
		return -ERANGE;
	memcpy(buf, x->value, x->len);
	return (long)x->len;
}

static int tmpfs_setxattr(struct dentry *d, const char *name, const void *buf, size_t len,
			  int flags)
{
	struct xattr **p = xattr_find(d->inode, name), *old = *p;
	if ((flags & 1) && old)
		return -EEXIST;
	if ((flags & 2) && !old)
		return -ENODATA;
	struct xattr *x = kmalloc(sizeof *x + len);
	if (!x)
		return -ENOMEM;
	x->name = kstrdup(name);
	x->len = len;
	memcpy(x->value, buf, len);
	x->next = old ? old->next : NULL;
	*p = x;
	if (old) {
		kfree(old->name);
		kfree(old);
	}
	inode_touch(d->inode, ATTR_CTIME);
	return 0;
}

static long tmpfs_listxattr(struct dentry *d, char *buf, size_t len)
{
	size_t n = 0;
	for (struct xattr *x = TI(d->inode)->xattrs; x; x = x->next) {
		size_t k = strlen(x->name) + 1;
		if (buf) {
			if (n + k > len)
				return -ERANGE;
			memcpy(buf + n, x->name, k);
		}
		n += k;
	}
	return (long)n;
}

static int tmpfs_removexattr(struct dentry *d, const char *name)
{
	struct xattr **p = xattr_find(d->inode, name), *x = *p;
	if (!x)
		return -ENODATA;
	*p = x->next;
	kfree(x->name);
	kfree(x);
	return 0;
}

#define TMPFS_COMMON_IOPS                                                                          \
	.setattr = tmpfs_setattr, .getxattr = tmpfs_getxattr, .setxattr = tmpfs_setxattr,          \
	.listxattr = tmpfs_listxattr, .removexattr = tmpfs_removexattr

static const struct inode_operations tmpfs_dir_iops = {
    .create = tmpfs_create,
    .mkdir = tmpfs_mkdir,
    .mknod = tmpfs_mknod,
    .tmpfile = tmpfs_tmpfile,
    .symlink = tmpfs_symlink,
    .link = tmpfs_link,
    .unlink = tmpfs_unlink,
    .rmdir = tmpfs_rmdir,
    .rename = tmpfs_rename,
    TMPFS_COMMON_IOPS,
};
static const struct inode_operations tmpfs_file_iops = {.getattr = tmpfs_getattr,
							TMPFS_COMMON_IOPS};
static const struct inode_operations tmpfs_special_iops = {TMPFS_COMMON_IOPS};
static const struct inode_operations tmpfs_symlink_iops = {
    .readlink = tmpfs_readlink,
    TMPFS_COMMON_IOPS,
};

/* ---- Mounting: size=, nr_inodes=, mode=, uid=, gid= ---- */

static int64_t parse_size(const char *v)
{
	char *end;
	int64_t n = strtoll(v, &end, 10);
	switch (*end) {
	case 'k':
	case 'K':
		return n << 10;
	case 'm':
	case 'M':
		return n << 20;
	case 'g':
	case 'G':
		return n << 30;
	case '%':
		return (int64_t)((double)n / 100.0 * (double)totalram_bytes());
	}
	return n;
}

static int parse_options(struct tmpfs_sb *s, const char *data)
{
	if (!data)
		return 0;
	char *opts = kstrdup(data), *save = NULL;
	if (!opts)
		return -ENOMEM;
	int err = 0;
	for (char *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *v = strchr(o, '=');
		if (v)
			*v++ = 0;
		if (!strcmp(o, "size") && v)
			s->max_bytes = parse_size(v);
		else if (!strcmp(o, "nr_blocks") && v)
			s->max_bytes = parse_size(v) * 4096;
		else if (!strcmp(o, "nr_inodes") && v)
			s->max_inodes = (uint64_t)parse_size(v);
		else if (!strcmp(o, "mode") && v)
			s->root_mode = (mode_t_)strtoul(v, NULL, 8) & 07777;
		else if (!strcmp(o, "uid") && v)
			s->uid = (uid_t_)strtoul(v, NULL, 10);
		else if (!strcmp(o, "gid") && v)
			s->gid = (gid_t_)strtoul(v, NULL, 10);
		else if (strcmp(o, "rw") && strcmp(o, "ro") && strcmp(o, "relatime") &&
			 strcmp(o, "noatime") && strcmp(o, "nosuid") && strcmp(o, "nodev") &&
			 strcmp(o, "noexec") && strcmp(o, "inode64") && strcmp(o, "strictatime"))
			err = -EINVAL;
	}
	kfree(opts);
	return err;
}

struct super_block *tmpfs_fill(struct file_system_type *type, int flags, const char *data,
			       mode_t_ root_mode)
{
	struct super_block *sb = sb_alloc(type, flags);
	struct tmpfs_sb *s = kzalloc(sizeof *s);
	if (!sb || !s) {
		kfree(s);
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	sb->fs_info = s;
	sb->s_op = &tmpfs_sops;
	sb->magic = TMPFS_MAGIC;
	s->max_bytes = (int64_t)totalram_bytes() / 2;
	s->max_inodes = totalram_bytes() / 8192;
	s->root_mode = root_mode;
	int err = parse_options(s, data);
	if (err) {
		kfree(s);
		kfree(sb);
		return ERR_PTR(err);
	}
	struct inode *root = tmpfs_new_inode(sb, NULL, S_IFDIR | s->root_mode, 0);
	if (IS_ERR(root)) {
		sb_put(sb);
		return (struct super_block *)root;
	}
	root->uid = s->uid;
	root->gid = s->gid;
	sb->root = d_alloc_root(sb, root);
	return sb;
}

static struct super_block *tmpfs_mount(struct file_system_type *type, int flags, const char *dev,
				       const char *data)
{
	(void)dev;
	return tmpfs_fill(type, flags, data, 01777);
}

static struct file_system_type tmpfs_type = {.name = "tmpfs", .mount = tmpfs_mount, .nodev = true};
static struct file_system_type ramfs_type = {.name = "ramfs", .mount = tmpfs_mount, .nodev = true};

void tmpfs_init(void)
{
	register_filesystem(&tmpfs_type);
	register_filesystem(&ramfs_type);
}
