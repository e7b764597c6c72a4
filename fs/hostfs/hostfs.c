/*
 * hostfs: a directory of the host as a filesystem (docs/hostfs.md).
 *
 * Confinement: every host access is relative to an open directory fd with a
 * single component and O_NOFOLLOW; the VFS resolves "..", symlinks and mounts
 * itself, so nothing the guest names ever reaches outside hostfs=DIR. Host
 * pseudo filesystems (proc, sysfs, devpts, ...) are never entered, and host
 * device nodes are never opened: a device inode opens the guest's driver.
 *
 * Ownership: the guest's uid, gid, mode bits and device numbers are kept in
 * extended attributes (QEMU 9p's "mapped-xattr" names user.virtfs.*), so
 * the guest's root can chown, chmod u+s and mknod without the host file ever
 * becoming setuid, foreign-owned or a device. Files without them show their
 * host attributes.
 */
#include <stdio.h>
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "mm.h"
#include "filesystems.h"

#define HOSTFS_SUPER_MAGIC 0x00c0ffee
#define XA_UID		   "user.virtfs.uid"
#define XA_GID		   "user.virtfs.gid"
#define XA_MODE		   "user.virtfs.mode"
#define XA_RDEV		   "user.virtfs.rdev"

struct hostfs_inode {
	struct inode *inode;
	int fd; /* O_PATH; -1 for a host pseudo-filesystem directory */
	uint64_t host_dev, host_ino;
	bool forbidden;
	bool host_readable; /* by ./linux, by the host mode bits alone */
	bool mapped_uid, mapped_gid, mapped_mode, mapped_rdev;
	struct list_head hash;
};

struct hostfs_sb {
	int rootfd;
	uint64_t root_dev;
	struct list_head ino_hash[1024];
};

static const struct inode_operations hostfs_dir_iops, hostfs_file_iops, hostfs_link_iops,
    hostfs_special_iops;
static const struct file_operations hostfs_file_fops, hostfs_dir_fops;

static struct hostfs_inode *HI(struct inode *i)
{
	return i->private;
}

static struct hostfs_sb *HSB(struct super_block *sb)
{
	return sb->fs_info;
}

static struct list_head *ino_bucket(struct super_block *sb, uint64_t dev, uint64_t ino)
{
	return &HSB(sb)->ino_hash[(ino ^ dev * 31) & 1023];
}

/* Guest inode numbers: the host's, made unique across host filesystems. */
static uint64_t guest_ino(struct super_block *sb, uint64_t dev, uint64_t ino)
{
	return dev == HSB(sb)->root_dev ? ino : ino ^ (dev << 40);
}

static void read_u32_xattr(int fd, const char *name, uint32_t *out, bool *present)
{
	uint32_t v;
	*present = host_getxattr(fd, name, &v, sizeof v) == sizeof v;
	if (*present)
		*out = v;
}

static void load_mapping(struct inode *inode)
{
	struct hostfs_inode *hi = HI(inode);
	if (hi->fd < 0 || S_ISLNK(inode->mode))
		return;
	char names[256];
	long n = host_listxattr(hi->fd, names, sizeof names);
	if (n == 0 || (n < 0 && n != -ERANGE))
		return;
	read_u32_xattr(hi->fd, XA_UID, &inode->uid, &hi->mapped_uid);
	read_u32_xattr(hi->fd, XA_GID, &inode->gid, &hi->mapped_gid);
	uint32_t mode;
	read_u32_xattr(hi->fd, XA_MODE, &mode, &hi->mapped_mode);
	if (hi->mapped_mode) {
		/* The host type stays the truth for directories and symlinks. */
		if (S_ISREG(inode->mode) && (mode & S_IFMT))
			inode->mode = mode;
		else
			inode->mode = (inode->mode & S_IFMT) | (mode & S_IALLUGO);
	}
	uint64_t rdev;
	hi->mapped_rdev = host_getxattr(hi->fd, XA_RDEV, &rdev, sizeof rdev) == sizeof rdev;
	if (hi->mapped_rdev)
		inode->rdev = rdev;
}

static void fill_from_host(struct inode *inode, const struct host_stat *st, bool first)
{
	struct hostfs_inode *hi = HI(inode);
	hi->host_readable = host_may_read(st);
	inode->nlink = st->nlink;
	inode->size = st->size;
	inode->blocks = st->blocks;
	inode->atime = (struct linux_timespec){st->atime_sec, st->atime_nsec};
	inode->mtime = (struct linux_timespec){st->mtime_sec, st->mtime_nsec};
	inode->ctime = (struct linux_timespec){st->ctime_sec, st->ctime_nsec};
	if (first || !hi->mapped_uid)
		inode->uid = st->uid;
	if (first || !hi->mapped_gid)
		inode->gid = st->gid;
	if (first || !hi->mapped_mode)
		inode->mode = st->mode;
	if (first || !hi->mapped_rdev)
		inode->rdev = S_ISCHR(st->mode) || S_ISBLK(st->mode) ? st->rdev : 0;
}

static void set_ops(struct inode *inode)
{
	switch (inode->mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &hostfs_dir_iops;
		inode->i_fop = &hostfs_dir_fops;
		break;
	case S_IFREG:
		inode->i_op = &hostfs_file_iops;
		inode->i_fop = &hostfs_file_fops;
		break;
	case S_IFLNK:
		inode->i_op = &hostfs_link_iops;
		break;
	default:
		inode->i_op = &hostfs_special_iops;
		inode->i_fop = NULL;
	}
}

static struct inode *find_cached(struct super_block *sb, uint64_t dev, uint64_t ino)
{
	struct hostfs_inode *hi;
	list_for_each_entry(hi, ino_bucket(sb, dev, ino), hash) {
		if (hi->host_dev == dev && hi->host_ino == ino)
			return igrab(hi->inode);
	}
	return NULL;
}

/* The inode for a host object, from the cache or made from its O_PATH fd
 * (which it then owns). */
static struct inode *hostfs_iget(struct super_block *sb, int fd, const struct host_stat *st,
				 bool forbidden)
{
	struct inode *inode = find_cached(sb, st->dev, st->ino);
	if (inode) {
		if (fd >= 0)
			host_close(fd);
		fill_from_host(inode, st, false);
		return inode;
	}
	inode = new_inode(sb);
	struct hostfs_inode *hi = kzalloc(sizeof *hi);
	if (!inode || !hi) {
		kfree(hi);
		iput(inode);
		if (fd >= 0)
			host_close(fd);
		return ERR_PTR(-ENOMEM);
	}
	hi->inode = inode;
	hi->fd = fd;
	hi->host_dev = st->dev;
	hi->host_ino = st->ino;
	hi->forbidden = forbidden;
	inode->private = hi;
	inode->ino = guest_ino(sb, st->dev, st->ino);
	fill_from_host(inode, st, true);
	load_mapping(inode);
	set_ops(inode);
	list_add(&hi->hash, ino_bucket(sb, st->dev, st->ino));
	return inode;
}

static void hostfs_evict(struct inode *inode)
{
	struct hostfs_inode *hi = HI(inode);
	if (!hi)
		return;
	list_del(&hi->hash);
	if (hi->fd >= 0)
		host_close(hi->fd);
	kfree(hi);
}

static int dir_fd(struct inode *dir)
{
	struct hostfs_inode *hi = HI(dir);
	return hi->forbidden ? -ENOENT : hi->fd;
}

/* Opens name in dir as O_PATH and makes its inode; a host pseudo filesystem
 * is seen as an empty directory (a mount point for the guest's own). */
static struct inode *instantiate(struct inode *dir, const char *name)
{
	int dfd = dir_fd(dir);
	if (dfd < 0)
		return ERR_PTR(dfd);
	struct host_stat st;
	int err = host_fstatat(dfd, name, &st);
	if (err)
		return ERR_PTR(err);
	struct inode *cached = find_cached(dir->sb, st.dev, st.ino);
	if (cached) {
		fill_from_host(cached, &st, false);
		return cached;
	}
	int fd = host_openat(dfd, name, O_PATH, 0);
	if (fd < 0)
		return ERR_PTR(fd);
	bool forbidden = false;
	if (S_ISDIR(st.mode) && st.dev != HI(dir)->host_dev) {
		struct host_statfs sfs;
		if (host_fstatfs(fd, &sfs) == 0 && host_fs_is_forbidden(sfs.type)) {
			host_close(fd);
			fd = -1;
			forbidden = true;
		}
	}
	return hostfs_iget(dir->sb, fd, &st, forbidden);
}

static int hostfs_lookup(struct inode *dir, struct dentry *d)
{
	struct inode *inode = instantiate(dir, d->name);
	if (IS_ERR(inode)) {
		long err = PTR_ERR(inode);
		return err == -ENOENT || err == -ENOTDIR ? 0 : (int)err;
	}
	d_instantiate(d, inode);
	return 0;
}

static int parent_fd(struct dentry *d)
{
	return dir_fd(d->parent->inode);
}

static int hostfs_getattr(struct dentry *d)
{
	struct inode *inode = d->inode;
	struct hostfs_inode *hi = HI(inode);
	if (hi->fd < 0)
		return 0;
	struct host_stat st;
	int err = host_fstatat(hi->fd, "", &st);
	if (!err)
		fill_from_host(inode, &st, false);
	return err;
}

static bool readonly(struct super_block *sb)
{
	return sb->flags & SB_RDONLY;
}

/* ---- The mapping: what the guest sets that the host must not be ---- */

static int store_u32(struct inode *inode, const char *name, uint32_t v)
{
	return host_setxattr(HI(inode)->fd, name, &v, sizeof v, 0);
}

/* Host permission bits keep ./linux's own access; the guest's are mapped. */
static int host_perms(mode_t_ mode)
{
	return (int)((mode & 0777) | (S_ISDIR(mode) ? 0700 : 0600));
}

static int map_owner_and_mode(struct inode *inode, uid_t_ uid, gid_t_ gid, mode_t_ mode)
{
	struct hostfs_inode *hi = HI(inode);
	int err = 0;
	if (S_ISLNK(inode->mode))
		return 0;
	if (uid != inode->uid || hi->mapped_uid) {
		if (!(err = store_u32(inode, XA_UID, uid)))
			hi->mapped_uid = true;
	}
	if (!err && (gid != inode->gid || hi->mapped_gid)) {
		if (!(err = store_u32(inode, XA_GID, gid)))
			hi->mapped_gid = true;
	}
	if (!err && (mode != inode->mode || hi->mapped_mode)) {
		if (!(err = store_u32(inode, XA_MODE, mode)))
			hi->mapped_mode = true;
	}
	if (err)
		return err;
	inode->uid = uid;
	inode->gid = gid;
	inode->mode = mode;
	return 0;
}

static int finish_create(struct inode *dir, struct dentry *d, mode_t_ mode, uint64_t rdev)
{
	struct inode *inode = instantiate(dir, d->name);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	d_instantiate(d, inode);
	uid_t_ uid = current->cred.fsuid;
	gid_t_ gid = (dir->mode & S_ISGID) ? dir->gid : current->cred.fsgid;
	if ((dir->mode & S_ISGID) && S_ISDIR(mode))
		mode |= S_ISGID;
	int err = map_owner_and_mode(inode, uid, gid, S_ISLNK(mode) ? inode->mode : mode);
	if (!err && rdev) {
		err = host_setxattr(HI(inode)->fd, XA_RDEV, &rdev, sizeof rdev, 0);
		if (!err) {
			HI(inode)->mapped_rdev = true;
			inode->rdev = rdev;
		}
	}
	set_ops(inode);
	return err;
}

static int hostfs_create(struct inode *dir, struct dentry *d, mode_t_ mode)
{
	if (readonly(dir->sb))
		return -EROFS;
	int dfd = dir_fd(dir);
	if (dfd < 0)
		return -EACCES;
	int fd = host_openat(dfd, d->name, O_CREAT | O_EXCL | O_RDONLY, host_perms(mode));
	if (fd < 0)
		return fd;
	host_close(fd);
	return finish_create(dir, d, mode, 0);
}

static int hostfs_mkdir(struct inode *dir, struct dentry *d, mode_t_ mode)
{
	if (readonly(dir->sb))
		return -EROFS;
	int dfd = dir_fd(dir);
	if (dfd < 0)
		return -EACCES;
	int err = host_mkdirat(dfd, d->name, host_perms(mode));
	if (err)
		return err;
	dir->nlink++;
	return finish_create(dir, d, mode, 0);
}

/* Devices, FIFOs and sockets are empty regular host files; their type and
 * device number live in the mapping. */
static int hostfs_mknod(struct inode *dir, struct dentry *d, mode_t_ mode, uint64_t rdev)
{
	if (readonly(dir->sb))
		return -EROFS;
	int dfd = dir_fd(dir);
	if (dfd < 0)
		return -EACCES;
	int fd = host_openat(dfd, d->name, O_CREAT | O_EXCL | O_RDONLY, 0600);
	if (fd < 0)
		return fd;
	host_close(fd);
	return finish_create(dir, d, mode, S_ISCHR(mode) || S_ISBLK(mode) ? rdev : 0);
}

static int hostfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	if (readonly(dir->sb))
		return -EROFS;
	int dfd = dir_fd(dir);
	if (dfd < 0)
		return -EACCES;
	int err = host_symlinkat(target, dfd, d->name);
	if (err)
		return err;
	return finish_create(dir, d, S_IFLNK | 0777, 0);
}

static int hostfs_link(struct dentry *old, struct inode *dir, struct dentry *d)
{
	if (readonly(dir->sb))
		return -EROFS;
	int dfd = dir_fd(dir), ofd = parent_fd(old);
	if (dfd < 0 || ofd < 0)
		return -EACCES;
	int err = host_linkat(ofd, old->name, dfd, d->name);
	if (err)
		return err;
	struct inode *inode = instantiate(dir, d->name);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	d_instantiate(d, inode);
	return 0;
}

static int remove_entry(struct inode *dir, struct dentry *d, bool isdir)
{
	if (readonly(dir->sb))
		return -EROFS;
	int dfd = dir_fd(dir);
	if (dfd < 0)
		return -EACCES;
	int err = host_unlinkat(dfd, d->name, isdir);
	if (err)
		return err;
	if (isdir)
		dir->nlink--;
	if (d->inode->nlink)
		d->inode->nlink--;
	return 0;
}

static int hostfs_unlink(struct inode *dir, struct dentry *d)
{
	return remove_entry(dir, d, false);
}

static int hostfs_rmdir(struct inode *dir, struct dentry *d)
{
	return remove_entry(dir, d, true);
}

static int hostfs_rename(struct inode *olddir, struct dentry *old, struct inode *newdir,
			 struct dentry *new, unsigned flags)
{
	if (readonly(olddir->sb))
		return -EROFS;
	int ofd = dir_fd(olddir), nfd = dir_fd(newdir);
	if (ofd < 0 || nfd < 0)
		return -EACCES;
	return host_renameat(ofd, old->name, nfd, new->name, (int)flags);
}

static long hostfs_readlink(struct dentry *d, char *buf, size_t len)
{
	return host_readlinkat(HI(d->inode)->fd, "", buf, len);
}

static int set_times(struct dentry *d, const struct iattr *a)
{
	int64_t t[4] = {0, UTIME_OMIT, 0, UTIME_OMIT};
	if (a->valid & ATTR_ATIME) {
		t[0] = a->atime.tv_sec;
		t[1] = a->atime.tv_nsec;
	}
	if (a->valid & ATTR_MTIME) {
		t[2] = a->mtime.tv_sec;
		t[3] = a->mtime.tv_nsec;
	}
	/* By name from the parent, without following: symlinks too. */
	if (d->parent != d)
		return host_utimensat(parent_fd(d), d->name, t);
	return host_utimensat(HI(d->inode)->fd, "", t);
}

static int hostfs_setattr(struct dentry *d, struct iattr *a)
{
	struct inode *inode = d->inode;
	struct hostfs_inode *hi = HI(inode);
	int err = 0;
	if (readonly(inode->sb))
		return -EROFS;
	if (hi->fd < 0)
		return -EPERM;
	if ((a->valid & ATTR_SIZE) && (err = host_truncate_fd(hi->fd, a->size)))
		return err;
	if (a->valid & (ATTR_UID | ATTR_GID | ATTR_MODE)) {
		uid_t_ uid = (a->valid & ATTR_UID) ? a->uid : inode->uid;
		gid_t_ gid = (a->valid & ATTR_GID) ? a->gid : inode->gid;
		mode_t_ mode = (a->valid & ATTR_MODE) ? a->mode : inode->mode;
		if (S_ISLNK(inode->mode)) {
			if (a->valid & ATTR_MODE)
				return -EOPNOTSUPP;
			/* Symlinks hold no user xattrs: a guest owner cannot be kept. */
			if (uid != inode->uid || gid != inode->gid) {
				pr_warn("hostfs: owner of symlink %s cannot be kept\n", d->name);
				return -EPERM;
			}
		} else {
			if ((err = map_owner_and_mode(inode, uid, gid, mode)))
				return err;
			if ((a->valid & ATTR_MODE) &&
			    (err = host_chmod_fd(hi->fd, host_perms(mode))))
				return err;
		}
	}
	if (a->valid & (ATTR_ATIME | ATTR_MTIME))
		err = set_times(d, a);
	hostfs_getattr(d);
	return err;
}

/* ---- Guest extended attributes: user.* as is, trusted.* and security.*
 * under user.umk.*, the mapping's own names out of the guest's reach. ---- */

static int host_xattr_name(const char *name, char *out, size_t len)
{
	if (!strncmp(name, "user.virtfs.", 12) || !strncmp(name, "user.umk.", 9))
		return -EPERM;
	if (!strncmp(name, "user.", 5))
		return snprintf(out, len, "%s", name) < (int)len ? 0 : -ERANGE;
	if (!strncmp(name, "trusted.", 8) || !strncmp(name, "security.", 9))
		return snprintf(out, len, "user.umk.%s", name) < (int)len ? 0 : -ERANGE;
	return -EOPNOTSUPP;
}

static long hostfs_getxattr(struct dentry *d, const char *name, void *buf, size_t len)
{
	char hn[300];
	int err = host_xattr_name(name, hn, sizeof hn);
	if (err)
		return err == -EPERM ? -ENODATA : err;
	if (HI(d->inode)->fd < 0)
		return -ENODATA;
	return host_getxattr(HI(d->inode)->fd, hn, buf, buf ? len : 0);
}

static int hostfs_setxattr(struct dentry *d, const char *name, const void *buf, size_t len,
			   int flags)
{
	char hn[300];
	int err = host_xattr_name(name, hn, sizeof hn);
	if (err)
		return err;
	if (readonly(d->sb))
		return -EROFS;
	return host_setxattr(HI(d->inode)->fd, hn, buf, len, flags);
}

static int hostfs_removexattr(struct dentry *d, const char *name)
{
	char hn[300];
	int err = host_xattr_name(name, hn, sizeof hn);
	if (err)
		return err == -EPERM ? -ENODATA : err;
	if (readonly(d->sb))
		return -EROFS;
	return host_removexattr(HI(d->inode)->fd, hn);
}

static long hostfs_listxattr(struct dentry *d, char *buf, size_t len)
{
	if (HI(d->inode)->fd < 0 || S_ISLNK(d->inode->mode))
		return 0;
	char host[4096];
	long n = host_listxattr(HI(d->inode)->fd, host, sizeof host);
	if (n < 0)
		return n == -EOPNOTSUPP ? 0 : n;
	size_t out = 0;
	for (long i = 0; i < n; i += (long)strlen(host + i) + 1) {
		const char *h = host + i, *g = NULL;
		if (!strncmp(h, "user.umk.", 9))
			g = h + 9;
		else if (!strncmp(h, "user.", 5) && strncmp(h, "user.virtfs.", 12))
			g = h;
		if (!g)
			continue;
		size_t k = strlen(g) + 1;
		if (buf) {
			if (out + k > len)
				return -ERANGE;
			memcpy(buf + out, g, k);
		}
		out += k;
	}
	return (long)out;
}

/* ---- Files ---- */

/* The host file behind a regular file opened through d: by its name in its
 * parent directory while that still names this very file, else through the
 * inode's own O_PATH descriptor (a reopen through /proc/self/fd walks
 * procfs: about 2 us more a call here). */
static int open_host_file(struct inode *inode, struct dentry *d, int flags)
{
	struct hostfs_inode *hi = HI(inode);
	if (S_ISREG(inode->mode) && d && !d->deleted && d->parent != d && d->parent->inode &&
	    d->parent->inode->sb == inode->sb) {
		int dfd = dir_fd(d->parent->inode);
		int fd = dfd < 0
			     ? dfd
			     : host_open_file_at(dfd, d->name, flags, hi->host_dev, hi->host_ino);
		if (fd >= 0)
			return fd;
	}
	return host_reopen(hi->fd, flags);
}

static int host_file_flags(unsigned flags)
{
	int acc = flags & O_ACCMODE;
	return (acc == O_ACCMODE ? O_RDONLY : acc) |
	       (int)(flags & (O_APPEND | O_DIRECT | O_DSYNC | __O_SYNC));
}

/*
 * A read-only open of a file the host lets ./linux read opens the host file
 * only at its first use: an open that does no I/O (to test, to fstat, to
 * lock) then costs no host call, and the first read pays what the open
 * would have. Should the host refuse then (its permissions changed, an ACL
 * or a security module the mode bits do not show), that use fails with the
 * host's error.
 */
static int hostfs_open(struct inode *inode, struct file *f)
{
	int acc = f->flags & O_ACCMODE;
	if (acc != O_RDONLY && readonly(inode->sb))
		return -EROFS;
	if (acc == O_RDONLY && HI(inode)->host_readable)
		return 0;
	int fd = open_host_file(inode, f->path.dentry, host_file_flags(f->flags));
	if (fd < 0)
		return fd;
	f->host_fd = fd;
	return 0;
}

/* The host file behind f, opened now if its open waited (hostfs_open). */
static int file_fd(struct file *f)
{
	if (f->host_fd < 0) {
		int fd = open_host_file(f->inode, f->path.dentry, host_file_flags(f->flags));
		if (fd < 0)
			return fd;
		f->host_fd = fd;
	}
	return f->host_fd;
}

static void hostfs_release(struct file *f)
{
	if (f->host_fd >= 0)
		host_close(f->host_fd);
}

static long hostfs_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	char buf[65536];
	size_t done = 0;
	int fd = file_fd(f);
	if (fd < 0)
		return fd;
	while (to->count) {
		size_t chunk = min(to->count, sizeof buf);
		long n = host_pread(fd, buf, chunk, *pos);
		if (n < 0)
			return done ? (long)done : n;
		if (n == 0)
			break;
		size_t c = copy_to_iter(buf, (size_t)n, to);
		*pos += (loff_t)c;
		done += c;
		if (c < (size_t)n)
			return done ? (long)done : -EFAULT;
		if ((size_t)n < chunk)
			break;
	}
	return (long)done;
}

static long hostfs_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	char buf[65536];
	size_t done = 0;
	int fd = file_fd(f);
	if (fd < 0)
		return fd;
	if (f->flags & O_APPEND) {
		struct host_stat st;
		if (!host_fstatat(fd, "", &st))
			*pos = st.size;
	}
	while (from->count) {
		size_t chunk = copy_from_iter(buf, min(from->count, sizeof buf), from);
		if (!chunk)
			return done ? (long)done : -EFAULT;
		long n = host_pwrite(fd, buf, chunk, *pos);
		if (n < 0)
			return done ? (long)done : n;
		*pos += n;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	if (*pos > f->inode->size)
		f->inode->size = *pos;
	return (long)done;
}

static loff_t hostfs_llseek(struct file *f, loff_t off, int whence)
{
	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		int fd = file_fd(f);
		long r = fd < 0 ? fd : host_lseek_data(fd, off, whence);
		if (r >= 0)
			f->pos = r;
		return r;
	}
	if (whence == SEEK_END)
		hostfs_getattr(f->path.dentry);
	return generic_file_llseek(f, off, whence);
}

static int hostfs_mmap(struct file *f, struct vma *v)
{
	int fd = file_fd(f);
	v->host_fd = fd;
	return fd < 0 ? fd : 0;
}

static int hostfs_fsync(struct file *f, bool datasync)
{
	int fd = file_fd(f);
	return fd < 0 ? fd : host_fsync(fd, datasync);
}

static int hostfs_fallocate(struct file *f, int mode, loff_t off, loff_t len)
{
	int fd = file_fd(f);
	int err = fd < 0 ? fd : host_fallocate(fd, mode, off, len);
	hostfs_getattr(f->path.dentry);
	return err;
}

static const struct file_operations hostfs_file_fops = {
    .open = hostfs_open,
    .release = hostfs_release,
    .read = hostfs_read,
    .write = hostfs_write,
    .llseek = hostfs_llseek,
    .mmap = hostfs_mmap,
    .fsync = hostfs_fsync,
    .fallocate = hostfs_fallocate,
};

/* ---- Directories ---- */

static int hostfs_dir_open(struct inode *inode, struct file *f)
{
	if (HI(inode)->forbidden)
		return 0;
	int fd = host_openat(HI(inode)->fd, ".", O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return fd;
	f->host_fd = fd;
	return 0;
}

/* A regular host file may hold a guest device or FIFO (its type is in the
 * mode xattr): programs such as find trust d_type, so look it up. */
static unsigned reg_dtype(struct file *dir, const char *name, uint64_t host_ino)
{
	struct super_block *sb = dir->inode->sb;
	struct inode *cached = find_cached(sb, HI(dir->inode)->host_dev, host_ino);
	uint32_t mode = S_IFREG;
	if (cached) {
		mode = cached->mode;
		iput(cached);
	} else if (host_getxattrat(dir->host_fd, name, XA_MODE, &mode, sizeof mode) !=
		       sizeof mode ||
		   !(mode & S_IFMT)) {
		mode = S_IFREG;
	}
	return (mode & S_IFMT) >> 12;
}

struct fill_ctx {
	struct dir_context *ctx;
	struct file *f;
};

static int fill_one(void *arg, const char *name, uint64_t ino, int type, int64_t next)
{
	struct fill_ctx *fc = arg;
	struct super_block *sb = fc->f->inode->sb;
	uint64_t gino = guest_ino(sb, HI(fc->f->inode)->host_dev, ino);
	if (!strcmp(name, ".."))
		gino = fc->f->path.dentry->parent->inode->ino;
	unsigned t = type == DT_REG ? reg_dtype(fc->f, name, ino) : (unsigned)type;
	return !fc->ctx->actor(fc->ctx, name, strlen(name), next, gino, t);
}

static int hostfs_iterate(struct file *f, struct dir_context *ctx)
{
	if (f->host_fd < 0) {
		/* A host pseudo filesystem: only "." and "..". */
		if (ctx->pos == 0 && !ctx->actor(ctx, ".", 1, 1, f->inode->ino, DT_DIR))
			return 0;
		if (ctx->pos <= 1)
			ctx->actor(ctx, "..", 2, 2, f->path.dentry->parent->inode->ino, DT_DIR);
		return 0;
	}
	struct fill_ctx fc = {ctx, f};
	long r = host_getdents(f->host_fd, ctx->pos, fill_one, &fc);
	return r < 0 ? (int)r : 0;
}

static loff_t hostfs_dir_llseek(struct file *f, loff_t off, int whence)
{
	if (whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	loff_t pos = whence == SEEK_SET ? off : f->pos + off;
	if (pos < 0)
		return -EINVAL;
	f->pos = pos;
	return pos;
}

static const struct file_operations hostfs_dir_fops = {
    .open = hostfs_dir_open,
    .release = hostfs_release,
    .iterate = hostfs_iterate,
    .llseek = hostfs_dir_llseek,
    .fsync = hostfs_fsync,
};

#define HOSTFS_COMMON_IOPS                                                                         \
	.getattr = hostfs_getattr, .setattr = hostfs_setattr, .getxattr = hostfs_getxattr,         \
	.setxattr = hostfs_setxattr, .listxattr = hostfs_listxattr,                                \
	.removexattr = hostfs_removexattr

static const struct inode_operations hostfs_dir_iops = {
    .lookup = hostfs_lookup,
    .create = hostfs_create,
    .mkdir = hostfs_mkdir,
    .mknod = hostfs_mknod,
    .symlink = hostfs_symlink,
    .link = hostfs_link,
    .unlink = hostfs_unlink,
    .rmdir = hostfs_rmdir,
    .rename = hostfs_rename,
    HOSTFS_COMMON_IOPS,
};
static const struct inode_operations hostfs_file_iops = {HOSTFS_COMMON_IOPS};
static const struct inode_operations hostfs_special_iops = {HOSTFS_COMMON_IOPS};
static const struct inode_operations hostfs_link_iops = {
    .readlink = hostfs_readlink,
    HOSTFS_COMMON_IOPS,
};

/* ---- The superblock ---- */

static int hostfs_statfs(struct dentry *d, struct linux_statfs *st)
{
	struct host_statfs h;
	int err = host_fstatfs(HSB(d->sb)->rootfd, &h);
	if (err)
		return err;
	st->f_type = HOSTFS_SUPER_MAGIC;
	st->f_bsize = h.bsize;
	st->f_frsize = h.frsize;
	st->f_blocks = (uint64_t)h.blocks;
	st->f_bfree = (uint64_t)h.bfree;
	st->f_bavail = (uint64_t)h.bavail;
	st->f_files = (uint64_t)h.files;
	st->f_ffree = (uint64_t)h.ffree;
	st->f_namelen = h.namelen;
	return 0;
}

static const struct super_operations hostfs_sops = {
    .statfs = hostfs_statfs,
    .evict_inode = hostfs_evict,
};

/* dev is the host directory (hostfs=DIR, or the mount source). */
static struct super_block *hostfs_mount(struct file_system_type *type, int flags, const char *dev,
					const char *data)
{
	(void)data;
	/* Only the kernel mounts hostfs (hostfs= at boot): a guest mount naming
	 * any host path would reach outside what it was given. */
	if (current) {
		pr_warn("hostfs: mounts from the guest are refused; use hostfs= at boot\n");
		return ERR_PTR(-EPERM);
	}
	const char *dir = dev && *dev && strcmp(dev, "none") ? dev : "/";
	int rootfd = host_open_dir(dir);
	if (rootfd < 0)
		return ERR_PTR(rootfd);
	struct host_stat st;
	int err = host_fstatat(rootfd, "", &st);
	struct super_block *sb = err ? NULL : sb_alloc(type, flags);
	struct hostfs_sb *hsb = kzalloc(sizeof *hsb);
	if (err || !sb || !hsb) {
		kfree(sb);
		kfree(hsb);
		host_close(rootfd);
		return ERR_PTR(err ? err : -ENOMEM);
	}
	for (size_t i = 0; i < ARRAY_SIZE(hsb->ino_hash); i++)
		list_init(&hsb->ino_hash[i]);
	hsb->rootfd = rootfd;
	hsb->root_dev = st.dev;
	sb->fs_info = hsb;
	sb->s_op = &hostfs_sops;
	sb->magic = HOSTFS_SUPER_MAGIC;
	int fd = host_reopen(rootfd, O_PATH | O_DIRECTORY);
	struct inode *root = fd < 0 ? ERR_PTR(fd) : hostfs_iget(sb, fd, &st, false);
	if (IS_ERR(root)) {
		sb_put(sb);
		return (struct super_block *)root;
	}
	sb->root = d_alloc_root(sb, root);
	return sb;
}

static struct file_system_type hostfs_type = {
    .name = "hostfs", .mount = hostfs_mount, .nodev = true};

void hostfs_init(void)
{
	register_filesystem(&hostfs_type);
}
