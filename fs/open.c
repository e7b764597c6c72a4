/*
 * Opening and closing: open, openat, openat2, creat, close, close_range,
 * the descriptor table, and the working directory and root calls.
 */
#include <stdio.h>
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "fs.h"
#include "pipe.h"
#include "blkdev.h"
#include "fsnotify.h"
#include "syscall.h"
#include "uaccess.h"

static const struct file_operations path_fops;

/* ---- Open file descriptions ---- */

struct file *file_alloc(const struct path *path, unsigned flags)
{
	struct file *f = kzalloc(sizeof *f);
	if (!f)
		return NULL;
	f->refcount = 1;
	f->host_fd = -1;
	list_init(&f->f_ep_links);
	/* O_NOCTTY stays until the open method has seen it (a tty's). */
	f->flags = flags & ~(unsigned)(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	if (flags & O_PATH) {
		f->mode = FMODE_PATH;
	} else {
		switch (flags & O_ACCMODE) {
		case O_RDONLY:
			f->mode = FMODE_READ;
			break;
		case O_WRONLY:
			f->mode = FMODE_WRITE;
			break;
		case O_RDWR:
			f->mode = FMODE_READ | FMODE_WRITE;
			break;
		default:
			f->mode = 0;
			break;
		}
	}
	if (path) {
		path_copy(&f->path, path);
		f->inode = igrab(path->dentry->inode);
	}
	return f;
}

struct file *get_file(struct file *f)
{
	f->refcount++;
	return f;
}

/* A writer may not open a running program; a program being written may
 * not be executed (Linux's get_write_access / deny_write_access). */
static int get_write_access(struct file *f)
{
	if (f->inode->writecount < 0)
		return -ETXTBSY;
	f->inode->writecount++;
	f->write_access = true;
	return 0;
}

int deny_write_access(struct file *f)
{
	if (f->deny_write)
		return 0;
	if (f->inode->writecount > 0)
		return -ETXTBSY;
	f->inode->writecount--;
	f->deny_write = true;
	return 0;
}

void allow_write_access(struct file *f)
{
	if (f->deny_write)
		f->inode->writecount++;
	f->deny_write = false;
}

void fput(struct file *f)
{
	if (!f || --f->refcount > 0)
		return;
	if (f->write_access)
		f->inode->writecount--;
	allow_write_access(f);
	if (!list_empty(&f->f_ep_links))
		eventpoll_release(f);
	locks_remove_file(f);
	if (f->f_op && f->f_op != &path_fops && f->inode)
		fsnotify_close(f);
	if (f->f_op && f->f_op->release)
		f->f_op->release(f);
	if (f->inode)
		iput(f->inode);
	path_put(&f->path);
	kfree(f);
}

/* ---- The descriptor table ---- */

struct files_struct *files_alloc(int max)
{
	struct files_struct *fs = kzalloc(sizeof *fs);
	if (!fs)
		return NULL;
	fs->refcount = 1;
	fs->max_fds = max;
	fs->fd = kzalloc(sizeof(struct file *) * (size_t)max);
	fs->cloexec = kzalloc(sizeof(uint64_t) * (size_t)(max / 64 + 1));
	if (!fs->fd || !fs->cloexec) {
		kfree(fs->fd);
		kfree(fs->cloexec);
		kfree(fs);
		return NULL;
	}
	return fs;
}

static int files_grow(struct files_struct *fs, int need)
{
	int max = fs->max_fds;
	while (max <= need)
		max *= 2;
	struct file **fd = realloc(fs->fd, sizeof *fd * (size_t)max);
	if (!fd)
		return -ENOMEM;
	memset(fd + fs->max_fds, 0, sizeof *fd * (size_t)(max - fs->max_fds));
	fs->fd = fd;
	uint64_t *ce = realloc(fs->cloexec, sizeof *ce * (size_t)(max / 64 + 1));
	if (!ce)
		return -ENOMEM;
	memset(ce + fs->max_fds / 64 + 1, 0,
	       sizeof *ce * (size_t)(max / 64 + 1 - (fs->max_fds / 64 + 1)));
	fs->cloexec = ce;
	fs->max_fds = max;
	return 0;
}

struct files_struct *files_dup(struct files_struct *old)
{
	struct files_struct *fs = files_alloc(old->max_fds);
	if (!fs)
		return NULL;
	for (int i = 0; i < old->max_fds; i++)
		if (old->fd[i])
			fs->fd[i] = get_file(old->fd[i]);
	memcpy(fs->cloexec, old->cloexec, sizeof(uint64_t) * (size_t)(old->max_fds / 64 + 1));
	return fs;
}

/* t's fd table becomes its own, if others share it. */
int unshare_files(struct task *t)
{
	if (t->files->refcount == 1)
		return 0;
	struct files_struct *f = files_dup(t->files);
	if (!f)
		return -ENOMEM;
	files_put(t->files);
	t->files = f;
	return 0;
}

void files_put(struct files_struct *fs)
{
	if (--fs->refcount > 0)
		return;
	for (int i = 0; i < fs->max_fds; i++) {
		if (!fs->fd[i])
			continue;
		if (current)
			locks_remove_posix(fs->fd[i], current->proc);
		fput(fs->fd[i]);
	}
	kfree(fs->fd);
	kfree(fs->cloexec);
	kfree(fs);
}

bool fd_is_cloexec(int fd)
{
	return current->files->cloexec[fd / 64] & (1ULL << (fd % 64));
}

void fd_set_cloexec(int fd, bool on)
{
	uint64_t bit = 1ULL << (fd % 64);
	if (on)
		current->files->cloexec[fd / 64] |= bit;
	else
		current->files->cloexec[fd / 64] &= ~bit;
}

void files_close_on_exec(struct files_struct *fs)
{
	for (int i = 0; i < fs->max_fds; i++) {
		if (fs->fd[i] && (fs->cloexec[i / 64] & (1ULL << (i % 64)))) {
			fput(fs->fd[i]);
			fs->fd[i] = NULL;
		}
	}
	memset(fs->cloexec, 0, sizeof(uint64_t) * (size_t)(fs->max_fds / 64 + 1));
}

/* Any open file, O_PATH ones included (Linux's fget_raw). */
struct file *fget_raw(int fd)
{
	struct files_struct *fs = current->files;
	if (fd < 0 || fd >= fs->max_fds || !fs->fd[fd])
		return NULL;
	return get_file(fs->fd[fd]);
}

/* An O_PATH descriptor only names a location: calls that need an open file
 * (read, getdents, fsync, mmap, ...) take it as EBADF, as in Linux. */
struct file *fget(int fd)
{
	struct file *f = fget_raw(fd);
	if (f && (f->mode & FMODE_PATH)) {
		fput(f);
		return NULL;
	}
	return f;
}

static int nofile_limit(void)
{
	uint64_t lim = current->proc->rlim[RLIMIT_NOFILE].rlim_cur;
	return lim > (1 << 20) ? (1 << 20) : (int)lim;
}

/* Installs f (taking the caller's reference) at the lowest free fd >= minfd. */
int fd_install_flags(struct file *f, unsigned flags, int minfd)
{
	struct files_struct *fs = current->files;
	int limit = nofile_limit();
	for (int fd = minfd; fd < limit; fd++) {
		if (fd >= fs->max_fds && files_grow(fs, fd) < 0)
			return -ENOMEM;
		if (!fs->fd[fd]) {
			fs->fd[fd] = f;
			fd_set_cloexec(fd, flags & O_CLOEXEC);
			return fd;
		}
	}
	return -EMFILE;
}

/* 0 if fd_install would find a descriptor, else -EMFILE: for calls that
 * must not consume something (a connection) they then cannot hand over. */
int fd_check_free(void)
{
	struct files_struct *fs = current->files;
	int limit = nofile_limit();
	for (int fd = 0; fd < limit; fd++)
		if (fd >= fs->max_fds || !fs->fd[fd])
			return 0;
	return -EMFILE;
}

/* Puts f at exactly fd (dup2), closing what was there. */
int fd_install_at(struct file *f, int fd, unsigned flags)
{
	struct files_struct *fs = current->files;
	if (fd < 0 || fd >= nofile_limit())
		return -EBADF;
	if (fd >= fs->max_fds && files_grow(fs, fd) < 0)
		return -ENOMEM;
	struct file *old = fs->fd[fd];
	fs->fd[fd] = f;
	fd_set_cloexec(fd, flags & O_CLOEXEC);
	if (old)
		fput(old);
	return fd;
}

int fd_close(int fd)
{
	struct files_struct *fs = current->files;
	if (fd < 0 || fd >= fs->max_fds || !fs->fd[fd])
		return -EBADF;
	struct file *f = fs->fd[fd];
	fs->fd[fd] = NULL;
	fd_set_cloexec(fd, false);
	locks_remove_posix(f, current->proc);
	fput(f);
	return 0;
}

/* ---- open ---- */

/* The operations an open of this inode uses: devices by number, FIFOs as pipes. */
static const struct file_operations *fops_for(struct inode *inode, struct vfsmount *mnt)
{
	if (S_ISCHR(inode->mode)) {
		if (mnt->flags & MNT_NODEV)
			return ERR_PTR(-EACCES);
		const struct file_operations *f = chrdev_fops(inode->rdev);
		return f ? f : ERR_PTR(-ENXIO);
	}
	if (S_ISBLK(inode->mode)) {
		if (mnt->flags & MNT_NODEV)
			return ERR_PTR(-EACCES);
		return blkdev_get(inode->rdev) ? &blkdev_fops : ERR_PTR(-ENXIO);
	}
	if (S_ISFIFO(inode->mode))
		return &fifo_fops;
	if (S_ISSOCK(inode->mode))
		return ERR_PTR(-ENXIO);
	return inode->i_fop;
}

struct file *vfs_open_path(const struct path *p, unsigned flags)
{
	struct inode *inode = p->dentry->inode;
	struct file *f = file_alloc(p, flags);
	if (!f)
		return ERR_PTR(-ENOMEM);
	if (flags & O_PATH) {
		f->flags &= ~(unsigned)O_NOCTTY;
		f->f_op = &path_fops;
		return f;
	}
	const struct file_operations *fops = fops_for(inode, p->mnt);
	if (IS_ERR(fops)) {
		fput(f);
		return (struct file *)fops;
	}
	int werr = (f->mode & FMODE_WRITE) && S_ISREG(inode->mode) ? get_write_access(f) : 0;
	if (werr) {
		fput(f);
		return ERR_PTR(werr);
	}
	f->f_op = fops;
	if (fops && fops->open) {
		int err = fops->open(inode, f);
		if (err) {
			f->f_op = NULL;
			fput(f);
			return ERR_PTR(err);
		}
	}
	f->flags &= ~(unsigned)O_NOCTTY; /* as Linux: F_GETFL never shows it */
	fsnotify_open(f);
	return f;
}

static int may_open(const struct path *p, unsigned flags, bool created)
{
	struct inode *inode = p->dentry->inode;
	int acc = flags & O_ACCMODE;
	bool write = acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC);
	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if (S_ISDIR(inode->mode) && (acc != O_RDONLY || (flags & O_TRUNC) || (flags & O_CREAT)))
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
		return -ENOTDIR;
	/* O_NOATIME is for the owner (or CAP_FOWNER) only. */
	uid_t_ fsuid = current->cred.fsuid;
	if ((flags & O_NOATIME) && fsuid != inode->uid && !capable(CAP_FOWNER))
		return -EPERM;
	if (created)
		return 0;
	int mask = (acc == O_RDONLY || acc == O_RDWR ? MAY_READ : 0) |
		   (acc == O_WRONLY || acc == O_RDWR ? MAY_WRITE : 0) |
		   ((flags & O_TRUNC) ? MAY_WRITE : 0);
	int err = inode_permission(inode, mask);
	if (err)
		return err;
	if (write && (S_ISREG(inode->mode) || S_ISDIR(inode->mode)) && IS_RDONLY_PATH(p))
		return -EROFS;
	return 0;
}

static int do_truncate(struct dentry *d, int64_t size)
{
	struct inode *inode = d->inode;
	if (!inode->i_op || !inode->i_op->setattr)
		return -EPERM;
	struct iattr a = {.valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME, .size = size};
	a.mtime = current_time();
	int err = inode->i_op->setattr(d, &a);
	if (!err)
		fsnotify_change(d, a.valid);
	return err;
}

static struct file *open_created_or_existing(struct path *parent, const char *last, size_t len,
					     unsigned flags, mode_t_ mode, int depth);

/* O_CREAT: find the parent, then create or open the last component. start,
 * when set, is the directory of a symlink whose text is name. */
static struct file *open_create(int dfd, const struct path *start, const char *name, unsigned flags,
				mode_t_ mode, unsigned lf, int depth)
{
	struct path parent;
	const char *last;
	size_t len;
	int err = path_parentat_from(dfd, start, name, lf, &parent, &last, &len);
	if (err < 0)
		return ERR_PTR(err);
	if (err == 1 || !last) {
		path_put(&parent);
		return ERR_PTR(-EISDIR);
	}
	struct file *f = open_created_or_existing(&parent, last, len, flags, mode, depth);
	path_put(&parent);
	return f;
}

static struct file *open_created_or_existing(struct path *parent, const char *last, size_t len,
					     unsigned flags, mode_t_ mode, int depth)
{
	struct dentry *d = lookup_one(parent, last, len);
	if (IS_ERR(d))
		return (struct file *)d;
	bool created = false;
	int err = 0;
	struct path p = {parent->mnt, d};
	if (d->inode) {
		if (flags & O_EXCL) {
			err = -EEXIST;
			goto out;
		}
		if (d->mounted) {
			mntget(p.mnt);
			struct vfsmount *m;
			while (p.dentry->mounted && (m = lookup_mnt(p.mnt, p.dentry))) {
				mntput(p.mnt);
				dput(p.dentry);
				p.mnt = mntget(m);
				p.dentry = dget(m->root);
			}
			mntput(p.mnt);
			d = p.dentry;
		}
		if (S_ISLNK(d->inode->mode)) {
			if (flags & O_NOFOLLOW) {
				err = -ELOOP;
				goto out;
			}
			if (depth >= 40 || !d->inode->i_op->readlink) {
				err = -ELOOP;
				goto out;
			}
			char *buf = kmalloc(PATH_MAX);
			if (!buf) {
				err = -ENOMEM;
				goto out;
			}
			long n = d->inode->i_op->readlink(d, buf, PATH_MAX - 1);
			if (n <= 0) {
				kfree(buf);
				err = n ? (int)n : -ENOENT;
				goto out;
			}
			buf[n] = 0;
			dput(d);
			struct file *f =
			    open_create(AT_FDCWD, parent, buf, flags, mode, 0, depth + 1);
			kfree(buf);
			return f;
		}
	} else {
		err = may_create_in(parent);
		if (err)
			goto out;
		struct inode *dir = parent->dentry->inode;
		if (!dir->i_op || !dir->i_op->create) {
			err = -EACCES;
			goto out;
		}
		err = dir->i_op->create(dir, d, (mode & 07777 & ~current->fs->umask) | S_IFREG);
		if (err)
			goto out;
		fsnotify_create(dir, d);
		created = true;
	}
	err = may_open(&p, flags, created);
	if (err)
		goto out;
	mntget(p.mnt);
	struct file *f = vfs_open_path(&p, flags);
	mntput(p.mnt);
	if (!IS_ERR(f) && (flags & O_TRUNC) && !created && S_ISREG(d->inode->mode)) {
		err = do_truncate(d, 0);
		if (err) {
			fput(f);
			f = ERR_PTR(err);
		}
	}
	dput(d);
	return f;
out:
	dput(d);
	return ERR_PTR(err);
}

/* O_TMPFILE: a new file with no name in the directory name, which linkat
 * can name later unless O_EXCL. Its dentry is unhashed and deleted. */
static struct file *open_tmpfile(int dfd, const char *name, unsigned flags, mode_t_ mode,
				 unsigned lf)
{
	struct path dir;
	int err = path_lookupat(dfd, name, lf | LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &dir);
	if (err)
		return ERR_PTR(err);
	struct inode *di = dir.dentry->inode;
	struct dentry *d = NULL;
	struct file *f;
	if ((err = may_create_in(&dir))) {
		f = ERR_PTR(err);
	} else if (!di->i_op || !di->i_op->tmpfile) {
		pr_warn("%s[%d]: O_TMPFILE not supported on %s\n", current->comm, current->tid,
			dir.dentry->sb->type ? dir.dentry->sb->type->name : "this filesystem");
		f = ERR_PTR(-EOPNOTSUPP);
	} else if (!(d = d_alloc(dir.dentry, "#tmpfile", 8))) {
		f = ERR_PTR(-ENOMEM);
	} else {
		d_drop(d);
		d->deleted = true;
		err = di->i_op->tmpfile(di, d, (mode & 07777 & ~current->fs->umask) | S_IFREG);
		struct path p = {dir.mnt, d};
		f = err ? ERR_PTR(err) : vfs_open_path(&p, flags & ~(unsigned)__O_TMPFILE);
		if (!IS_ERR(f))
			d->inode->linkable = !(flags & O_EXCL);
	}
	if (d)
		dput(d);
	path_put(&dir);
	return f;
}

struct file *do_filp_open(int dfd, const char *name, unsigned flags, mode_t_ mode,
			  unsigned lookup_flags)
{
	if (flags & __O_TMPFILE)
		return open_tmpfile(dfd, name, flags, mode, lookup_flags);
	if (flags & O_CREAT)
		return open_create(dfd, NULL, name, flags, mode, lookup_flags, 0);
	struct path p;
	unsigned lf = lookup_flags | ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
		      ((flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0);
	int err = path_lookupat(dfd, name, lf, &p);
	if (err)
		return ERR_PTR(err);
	struct file *f;
	if (flags & O_PATH) {
		f = (flags & O_DIRECTORY) && !S_ISDIR(p.dentry->inode->mode)
			? ERR_PTR(-ENOTDIR)
			: vfs_open_path(&p, flags);
	} else if ((err = may_open(&p, flags, false))) {
		f = ERR_PTR(err);
	} else {
		f = vfs_open_path(&p, flags);
		if (!IS_ERR(f) && (flags & O_TRUNC) && S_ISREG(p.dentry->inode->mode)) {
			err = do_truncate(p.dentry, 0);
			if (err) {
				fput(f);
				f = ERR_PTR(err);
			}
		}
	}
	path_put(&p);
	return f;
}

struct file *filp_open(const char *name, unsigned flags, mode_t_ mode)
{
	return do_filp_open(AT_FDCWD, name, flags, mode, 0);
}

#define VALID_OPEN_FLAGS                                                                           \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |     \
	 FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC |      \
	 __O_SYNC | O_PATH | __O_TMPFILE)

static long do_sys_openat2(int dfd, uaddr_t ufilename, struct open_how *how)
{
	uint64_t flags = how->flags;
	if (flags & ~(uint64_t)VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how->resolve &
	    ~(uint64_t)(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS |
			RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_CACHED))
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (!(flags & (O_CREAT | __O_TMPFILE)) && how->mode)
		return -EINVAL;
	if (how->mode & ~(uint64_t)07777)
		return -EINVAL;
	/* Linux (since 6.4) refuses this pair instead of creating a regular
	 * file and then failing with ENOTDIR. */
	if ((flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT))
		return -EINVAL;
	if (flags & __O_TMPFILE) {
		if ((flags & O_TMPFILE) != O_TMPFILE || !(flags & (O_WRONLY | O_RDWR)))
			return -EINVAL;
	}
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	unsigned lf = ((how->resolve & RESOLVE_NO_XDEV) ? LOOKUP_NO_XDEV : 0) |
		      ((how->resolve & RESOLVE_NO_MAGICLINKS) ? LOOKUP_NO_MAGICLINKS : 0) |
		      ((how->resolve & RESOLVE_NO_SYMLINKS) ? LOOKUP_NO_SYMLINKS : 0) |
		      ((how->resolve & RESOLVE_BENEATH) ? LOOKUP_BENEATH : 0) |
		      ((how->resolve & RESOLVE_IN_ROOT) ? LOOKUP_IN_ROOT : 0);
	char *name = getname(ufilename);
	if (IS_ERR(name))
		return PTR_ERR(name);
	struct file *f = do_filp_open(dfd, name, (unsigned)flags, (mode_t_)how->mode, lf);
	kfree(name);
	if (IS_ERR(f))
		return PTR_ERR(f);
	int fd = fd_install(f, (unsigned)flags);
	if (fd < 0)
		fput(f);
	return fd;
}

static long do_sys_open(int dfd, uaddr_t ufilename, int flags, mode_t_ mode)
{
	flags |= O_LARGEFILE; /* always on 64-bit (F_GETFL shows it); O_PATH drops it */
	struct open_how how = {(uint64_t)(unsigned)flags & VALID_OPEN_FLAGS,
			       (flags & (O_CREAT | __O_TMPFILE)) ? mode & 07777 : 0, 0};
	if (flags & O_PATH)
		how.flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	return do_sys_openat2(dfd, ufilename, &how);
}

SYSCALL_DEFINE3(open, uaddr_t, filename, int, flags, mode_t_, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dfd, uaddr_t, filename, int, flags, mode_t_, mode)
{
	return do_sys_open(dfd, filename, flags, mode);
}

SYSCALL_DEFINE2(creat, uaddr_t, filename, mode_t_, mode)
{
	return do_sys_open(AT_FDCWD, filename, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

SYSCALL_DEFINE4(openat2, int, dfd, uaddr_t, filename, uaddr_t, uhow, size_t, size)
{
	struct open_how how;
	if (size < sizeof how)
		return -EINVAL;
	if (size > 4096)
		return -E2BIG;
	if (copy_from_user(&how, uhow, sizeof how))
		return -EFAULT;
	for (size_t off = sizeof how; off < size; off++) {
		char c;
		if (copy_from_user(&c, uhow + off, 1))
			return -EFAULT;
		if (c)
			return -E2BIG;
	}
	if (!(how.flags & O_PATH))
		how.flags |= O_LARGEFILE;
	return do_sys_openat2(dfd, filename, &how);
}

SYSCALL_DEFINE1(close, int, fd)
{
	int err = fd_close(fd);
	/* An interrupted close still closed the fd: never ask for a restart. */
	return err;
}

#define CLOSE_RANGE_UNSHARE (1U << 1)
#define CLOSE_RANGE_CLOEXEC (1U << 2)

SYSCALL_DEFINE3(close_range, unsigned, first, unsigned, last, unsigned, flags)
{
	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && unshare_files(current))
		return -ENOMEM;
	struct files_struct *fs = current->files;
	for (unsigned fd = first; fd <= last && fd < (unsigned)fs->max_fds; fd++) {
		if (!fs->fd[fd])
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec((int)fd, true);
		else
			fd_close((int)fd);
	}
	return 0;
}

/* ---- Working directory and root ---- */

static int set_dir(struct path *p, bool root)
{
	if (!S_ISDIR(p->dentry->inode->mode))
		return -ENOTDIR;
	int err = inode_permission(p->dentry->inode, MAY_EXEC);
	if (err)
		return err;
	if (root)
		set_fs_root(current->fs, p);
	else
		set_fs_pwd(current->fs, p);
	return 0;
}

SYSCALL_DEFINE1(chdir, uaddr_t, filename)
{
	struct path p;
	int err = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	if (err)
		return err;
	err = set_dir(&p, false);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE1(fchdir, int, fd)
{
	struct file *f = fget_raw(fd);
	if (!f)
		return -EBADF;
	int err = set_dir(&f->path, false);
	fput(f);
	return err;
}

SYSCALL_DEFINE1(chroot, uaddr_t, filename)
{
	struct path p;
	int err = user_path_at(AT_FDCWD, filename, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	if (err)
		return err;
	if (!capable(CAP_SYS_CHROOT))
		err = -EPERM;
	else
		err = set_dir(&p, true);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(getcwd, uaddr_t, ubuf, size_t, size)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	char *s = d_path(&current->fs->pwd, buf, PATH_MAX);
	long ret;
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
	} else if (current->fs->pwd.dentry->deleted) {
		ret = -ENOENT;
	} else {
		size_t len = strlen(s) + 1;
		if (len > size)
			ret = -ERANGE;
		else
			ret = copy_to_user(ubuf, s, len) ? -EFAULT : (long)len;
	}
	kfree(buf);
	return ret;
}

SYSCALL_DEFINE1(umask, int, mask)
{
	mode_t_ old = current->fs->umask;
	current->fs->umask = (mode_t_)mask & 0777;
	return old;
}

/* ---- access ---- */

static long do_faccessat(int dfd, uaddr_t filename, int mode, int flags)
{
	if (mode & ~(F_OK | R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct cred saved = current->cred;
	if (!(flags & AT_EACCESS)) {
		/* access() checks with the real ids, and root's capabilities
		 * only for a real root (Linux's access_override_creds). */
		current->cred.fsuid = saved.uid;
		current->cred.fsgid = saved.gid;
		current->cred.cap_effective = saved.uid == 0 ? saved.cap_permitted : 0;
	}
	struct path p;
	unsigned lf = ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
		      ((flags & AT_EMPTY_PATH) ? LOOKUP_EMPTY : 0);
	int err = user_path_at(dfd, filename, lf, &p);
	if (!err) {
		struct inode *inode = p.dentry->inode;
		int mask = ((mode & R_OK) ? MAY_READ : 0) | ((mode & W_OK) ? MAY_WRITE : 0) |
			   ((mode & X_OK) ? MAY_EXEC : 0);
		err = inode_permission(inode, mask);
		if (!err && (mode & W_OK) && IS_RDONLY_PATH(&p) &&
		    (S_ISREG(inode->mode) || S_ISDIR(inode->mode) || S_ISLNK(inode->mode)))
			err = -EROFS;
		path_put(&p);
	}
	current->cred.fsuid = saved.fsuid;
	current->cred.fsgid = saved.fsgid;
	current->cred.cap_effective = saved.cap_effective;
	return err;
}

SYSCALL_DEFINE2(access, uaddr_t, filename, int, mode)
{
	return do_faccessat(AT_FDCWD, filename, mode, 0);
}

SYSCALL_DEFINE3(faccessat, int, dfd, uaddr_t, filename, int, mode)
{
	return do_faccessat(dfd, filename, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, uaddr_t, filename, int, mode, int, flags)
{
	return do_faccessat(dfd, filename, mode, flags);
}

/* O_PATH files: no I/O at all. */
static const struct file_operations path_fops = {0};
