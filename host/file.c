/*
 * Host files for hostfs and the kernel's own memory files. Every name is one
 * path component resolved relative to an open directory, never following a
 * symlink: the host never walks a guest path.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <linux/magic.h>
#include "host.h"

#define RET(expr) ((expr) < 0 ? -errno : 0)
#define RETVAL(expr)                                                                               \
	({                                                                                         \
		long r_ = (long)(expr);                                                            \
		r_ < 0 ? -errno : r_;                                                              \
	})

bool host_fs_is_forbidden(int64_t t)
{
	static const int64_t forbidden[] = {
	    PROC_SUPER_MAGIC,
	    SYSFS_MAGIC,
	    DEVPTS_SUPER_MAGIC,
	    CGROUP_SUPER_MAGIC,
	    CGROUP2_SUPER_MAGIC,
	    DEBUGFS_MAGIC,
	    TRACEFS_MAGIC,
	    SECURITYFS_MAGIC,
	    BPF_FS_MAGIC,
	    PSTOREFS_MAGIC,
	    EFIVARFS_MAGIC,
	    BINFMTFS_MAGIC,
	    SELINUX_MAGIC,
	    SMACK_MAGIC,
	    HUGETLBFS_MAGIC,
	    FUSE_SUPER_MAGIC,
	    0x19800202 /* mqueue */,
	    0x6e736673 /* nsfs */,
	    0x62656570 /* configfs */,
	};
	for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++)
		if (forbidden[i] == t)
			return true;
	return false;
}

int host_open_dir(const char *path)
{
	return RETVAL(open(path, O_PATH | O_DIRECTORY | O_CLOEXEC));
}

int host_openat(int dirfd, const char *name, int flags, int mode)
{
	if (strchr(name, '/') || !strcmp(name, "..") || !*name)
		return -EINVAL;
	return RETVAL(openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode));
}

/* fd may be O_PATH: the magic link in /proc/self/fd reaches exactly its
 * inode, never a path. Symlinks are never reopened. */
int host_reopen(int fd, int flags)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return RETVAL(open(path, flags | O_CLOEXEC | O_NOCTTY));
}

static uid_t own_uid;
static gid_t own_gid;
static pthread_once_t own_ids_once = PTHREAD_ONCE_INIT;

static void read_own_ids(void)
{
	own_uid = geteuid();
	own_gid = getegid();
}

/* Conservative: supplementary groups and root's capabilities are not
 * looked at, and an ACL or a security module may still refuse. */
bool host_may_read(const struct host_stat *st)
{
	pthread_once(&own_ids_once, read_own_ids);
	if (st->uid == own_uid)
		return st->mode & S_IRUSR;
	if (st->gid == own_gid)
		return st->mode & S_IRGRP;
	return st->mode & S_IROTH;
}

/* O_NONBLOCK until the file is known: whatever a host rename put under the
 * name meanwhile (a FIFO) is never waited on. F_SETFL takes it off again. */
int host_open_file_at(int dirfd, const char *name, int flags, uint64_t dev, uint64_t ino)
{
	int fd = host_openat(dirfd, name, flags | O_NONBLOCK, 0);
	if (fd < 0)
		return fd;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_dev != dev || st.st_ino != ino ||
	    fcntl(fd, F_SETFL, flags) < 0) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}

int host_truncate_fd(int fd, int64_t len)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return RET(truncate(path, len));
}

int host_chmod_fd(int fd, int mode)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return RET(chmod(path, (mode_t)mode));
}

int host_close(int fd)
{
	return RET(close(fd));
}

static void fill_stat(struct host_stat *h, const struct stat *s)
{
	h->dev = s->st_dev;
	h->ino = s->st_ino;
	h->nlink = s->st_nlink;
	h->rdev = s->st_rdev;
	h->mode = s->st_mode;
	h->uid = s->st_uid;
	h->gid = s->st_gid;
	h->size = s->st_size;
	h->blocks = s->st_blocks;
	h->blksize = s->st_blksize;
	h->atime_sec = s->st_atim.tv_sec;
	h->atime_nsec = s->st_atim.tv_nsec;
	h->mtime_sec = s->st_mtim.tv_sec;
	h->mtime_nsec = s->st_mtim.tv_nsec;
	h->ctime_sec = s->st_ctim.tv_sec;
	h->ctime_nsec = s->st_ctim.tv_nsec;
}

int host_fstatat(int dirfd, const char *name, struct host_stat *st)
{
	struct stat s;
	if (strchr(name, '/') || !strcmp(name, ".."))
		return -EINVAL;
	if (fstatat(dirfd, name, &s, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) < 0)
		return -errno;
	fill_stat(st, &s);
	return 0;
}

int host_fstatfs(int fd, struct host_statfs *st)
{
	struct statfs s;
	if (fstatfs(fd, &s) < 0)
		return -errno;
	st->type = s.f_type;
	st->bsize = s.f_bsize;
	st->frsize = s.f_frsize;
	st->blocks = (int64_t)s.f_blocks;
	st->bfree = (int64_t)s.f_bfree;
	st->bavail = (int64_t)s.f_bavail;
	st->files = (int64_t)s.f_files;
	st->ffree = (int64_t)s.f_ffree;
	st->namelen = s.f_namelen;
	st->flags = s.f_flags;
	return 0;
}

long host_pread(int fd, void *buf, size_t len, int64_t off)
{
	return RETVAL(pread(fd, buf, len, off));
}

long host_pwrite(int fd, const void *buf, size_t len, int64_t off)
{
	return RETVAL(pwrite(fd, buf, len, off));
}

int host_ftruncate(int fd, int64_t len)
{
	return RET(ftruncate(fd, len));
}

int host_fsync(int fd, bool datasync)
{
	return RET(datasync ? fdatasync(fd) : fsync(fd));
}

int host_fallocate(int fd, int mode, int64_t off, int64_t len)
{
	return RET(fallocate(fd, mode, off, len));
}

long host_lseek_data(int fd, int64_t off, int whence)
{
	return RETVAL(lseek(fd, off, whence));
}

int host_mkdirat(int dirfd, const char *name, int mode)
{
	return RET(mkdirat(dirfd, name, (mode_t)mode));
}

int host_mknodat_fifo(int dirfd, const char *name, int mode)
{
	return RET(mknodat(dirfd, name, S_IFIFO | (mode & 0777), 0));
}

int host_unlinkat(int dirfd, const char *name, bool dir)
{
	return RET(unlinkat(dirfd, name, dir ? AT_REMOVEDIR : 0));
}

int host_renameat(int olddir, const char *oldname, int newdir, const char *newname, int flags)
{
	return RET(renameat2(olddir, oldname, newdir, newname, (unsigned)flags));
}

int host_linkat(int olddir, const char *oldname, int newdir, const char *newname)
{
	return RET(linkat(olddir, oldname, newdir, newname, 0));
}

int host_symlinkat(const char *target, int dirfd, const char *name)
{
	return RET(symlinkat(target, dirfd, name));
}

long host_readlinkat(int dirfd, const char *name, char *buf, size_t len)
{
	return RETVAL(readlinkat(dirfd, name, buf, len));
}

int host_utimensat(int dirfd, const char *name, const int64_t times[4])
{
	struct timespec ts[2] = {{times[0], times[1]}, {times[2], times[3]}};
	return RET(utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));
}

long host_getdents(int fd, int64_t pos, host_dirent_fn fill, void *ctx)
{
	char buf[8192];
	if (lseek(fd, pos, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
		if (n < 0)
			return -errno;
		if (n == 0)
			return pos;
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			if (fill(ctx, d->d_name, d->d_ino, d->d_type, d->d_off))
				return pos;
			pos = d->d_off;
			off += d->d_reclen;
		}
	}
}

/* fd may be an O_PATH descriptor: the f*xattr calls refuse those, the path
 * calls through /proc/self/fd take them (without ever resolving a guest path). */
#define FD_PATH(fd)                                                                                \
	char path_[32];                                                                            \
	snprintf(path_, sizeof path_, "/proc/self/fd/%d", fd)

long host_getxattr(int fd, const char *name, void *buf, size_t len)
{
	FD_PATH(fd);
	return RETVAL(getxattr(path_, name, buf, len));
}

long host_getxattrat(int dirfd, const char *entry, const char *name, void *buf, size_t len)
{
	if (strchr(entry, '/'))
		return -EINVAL;
	char path[64 + 256];
	snprintf(path, sizeof path, "/proc/self/fd/%d/%s", dirfd, entry);
	return RETVAL(lgetxattr(path, name, buf, len));
}

int host_setxattr(int fd, const char *name, const void *buf, size_t len, int flags)
{
	FD_PATH(fd);
	return RET(setxattr(path_, name, buf, len, flags));
}

int host_removexattr(int fd, const char *name)
{
	FD_PATH(fd);
	return RET(removexattr(path_, name));
}

long host_listxattr(int fd, char *buf, size_t len)
{
	FD_PATH(fd);
	return RETVAL(listxattr(path_, buf, len));
}

int host_memfd(const char *name)
{
	return RETVAL(memfd_create(name, MFD_CLOEXEC));
}

/* A guest memfd: the host memfd keeps its seals and enforces them, also on
 * the stubs' mappings. flags: MFD_ALLOW_SEALING, MFD_NOEXEC_SEAL, MFD_EXEC. */
int host_memfd_sealable(const char *name, unsigned flags)
{
	return RETVAL(memfd_create(name, MFD_CLOEXEC | flags));
}

int host_memfd_add_seals(int fd, unsigned seals)
{
	return RET(fcntl(fd, F_ADD_SEALS, seals));
}

int host_memfd_get_seals(int fd)
{
	return RETVAL(fcntl(fd, F_GET_SEALS));
}
