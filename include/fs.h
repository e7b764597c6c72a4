/*
 * The virtual filesystem: superblocks, inodes, dentries, mounts and open
 * files, with operation tables in the style of Linux. All of it lives under
 * the big kernel lock.
 */
#ifndef FS_H
#define FS_H
#include "kernel.h"
#include "wait.h"
#include "uapi/stat.h"
#include "uapi/fcntl.h"
#include "uapi/time.h"
#include "uapi/dirent.h"

struct super_block;
struct inode;
struct dentry;
struct vfsmount;
struct file;
struct vma;
struct poll_table;
struct iov_iter;
struct seq;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/* ---- Filesystem types and superblocks ---- */

#define SB_RDONLY 1
#define SB_NOSUID 2
#define SB_NODEV  4
#define SB_NOEXEC 8
#define SB_PSEUDO 16 /* pipes, sockets, anon inodes: never mounted */

struct file_system_type {
	const char *name;
	/* Builds a superblock with its root dentry; data is the mount options. */
	struct super_block *(*mount)(struct file_system_type *fs, int flags, const char *dev,
				     const char *data);
	bool nodev; /* needs no block device */
	struct list_head list;
};

struct super_operations {
	void (*put_super)(struct super_block *sb);
	int (*statfs)(struct dentry *d, struct linux_statfs *st);
	void (*evict_inode)(struct inode *inode);
	/* Writes everything back; wait: and makes it durable (sync, not writeback). */
	int (*sync_fs)(struct super_block *sb, bool wait);
	int (*remount)(struct super_block *sb, int flags, const char *data);
	int (*show_options)(struct super_block *sb, char *buf, size_t len);
	/* The machine stops with files maybe still open: leave the disk clean. */
	void (*shutdown)(struct super_block *sb);
};

struct super_block {
	struct file_system_type *type;
	const struct super_operations *s_op;
	struct dentry *root;
	uint64_t dev;
	int flags;
	int refcount;
	int active; /* mounts of it: at 0 its cached dentries and inodes go */
	void *fs_info;
	uint64_t next_ino;
	int64_t magic;
	struct list_head inodes; /* inode cache, when the fs keeps one */
};

/* ---- Inodes ---- */

/* What setattr may change. */
#define ATTR_MODE      1
#define ATTR_UID       2
#define ATTR_GID       4
#define ATTR_SIZE      8
#define ATTR_ATIME     16
#define ATTR_MTIME     32
#define ATTR_CTIME     64
#define ATTR_ATIME_NOW 128
#define ATTR_MTIME_NOW 256

struct iattr {
	unsigned valid;
	mode_t_ mode;
	uid_t_ uid;
	gid_t_ gid;
	int64_t size;
	struct linux_timespec atime, mtime;
};

struct inode_operations {
	/* Fills d->inode, or leaves d negative; errors other than ENOENT only. */
	int (*lookup)(struct inode *dir, struct dentry *d);
	int (*create)(struct inode *dir, struct dentry *d, mode_t_ mode);
	int (*mkdir)(struct inode *dir, struct dentry *d, mode_t_ mode);
	int (*mknod)(struct inode *dir, struct dentry *d, mode_t_ mode, uint64_t rdev);
	/* O_TMPFILE: fills d (no name in dir) with a new inode of no links. */
	int (*tmpfile)(struct inode *dir, struct dentry *d, mode_t_ mode);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *d);
	int (*unlink)(struct inode *dir, struct dentry *d);
	int (*rmdir)(struct inode *dir, struct dentry *d);
	int (*rename)(struct inode *olddir, struct dentry *old, struct inode *newdir,
		      struct dentry *new, unsigned flags);
	/* Copies the target (not NUL-terminated); returns its length. */
	long (*readlink)(struct dentry *d, char *buf, size_t len);
	/* Magic links (/proc/PID/fd/N): jumps to a path instead of a text. */
	int (*get_link_path)(struct dentry *d, struct path *out);
	/* Refreshes the inode's attributes from the backing store. */
	int (*getattr)(struct dentry *d);
	int (*setattr)(struct dentry *d, struct iattr *attr);
	long (*getxattr)(struct dentry *d, const char *name, void *buf, size_t len);
	int (*setxattr)(struct dentry *d, const char *name, const void *buf, size_t len, int flags);
	long (*listxattr)(struct dentry *d, char *buf, size_t len);
	int (*removexattr)(struct dentry *d, const char *name);
	/* Dynamic filesystems decide per lookup whether a cached dentry is valid. */
	bool (*revalidate)(struct dentry *d);
};

struct inode {
	uint64_t ino;
	mode_t_ mode;
	uid_t_ uid;
	gid_t_ gid;
	uint64_t nlink;
	int64_t size;
	int64_t blocks;
	uint64_t rdev;
	struct linux_timespec atime, mtime, ctime;
	int refcount;
	struct super_block *sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	void *private;
	struct list_head sb_list;
	struct address_space *i_mapping; /* the page cache (disk filesystems), or NULL */
	struct list_head i_watches;	 /* inotify's */
	bool linkable;			 /* an O_TMPFILE inode that linkat may give a name */
	struct pipe *pipe;		 /* FIFOs */
	struct wait_queue wait;		 /* poll on files that share it */
	/* Linux's i_writecount: > 0 open for writing, < 0 being executed. */
	int writecount;
	bool no_fcaps; /* known to have no security.capability (Linux's S_NOSEC) */
};

/* ---- Dentries ---- */

struct dentry {
	char *name;
	struct dentry *parent;
	struct inode *inode; /* NULL: negative */
	int refcount;
	struct super_block *sb;
	struct list_head children, sibling;
	struct list_head hash;
	struct list_head lru; /* unused and cached */
	int mounted;	      /* mounts on this dentry */
	bool pinned;	      /* held by its filesystem (tmpfs) */
	bool deleted;
	void *private;
};

/* ---- Mounts ---- */

#define MNT_RDONLY 1
#define MNT_NOSUID 2
#define MNT_NODEV  4
#define MNT_NOEXEC 8

struct vfsmount {
	struct dentry *root;
	struct super_block *sb;
	struct vfsmount *parent;
	struct dentry *mountpoint;
	int flags;
	int refcount;
	int id;
	struct list_head list;
	const char *devname;
};

/* ---- Open files ---- */

#define FMODE_READ  1
#define FMODE_WRITE 2
#define FMODE_PATH  4
#define FMODE_EXEC  8

struct dir_context;
typedef bool (*filldir_t)(struct dir_context *ctx, const char *name, size_t len, int64_t off,
			  uint64_t ino, unsigned type);
struct dir_context {
	filldir_t actor;
	int64_t pos;
};

struct file_operations {
	int (*open)(struct inode *inode, struct file *f);
	void (*release)(struct file *f);
	long (*read)(struct file *f, struct iov_iter *to, loff_t *pos);
	long (*write)(struct file *f, struct iov_iter *from, loff_t *pos);
	loff_t (*llseek)(struct file *f, loff_t off, int whence);
	int (*iterate)(struct file *f, struct dir_context *ctx);
	long (*ioctl)(struct file *f, unsigned cmd, uaddr_t arg);
	unsigned (*poll)(struct file *f, struct poll_table *pt);
	/* Fills in how the VMA maps the file: a host fd and an offset. */
	int (*mmap)(struct file *f, struct vma *vma);
	int (*fsync)(struct file *f, bool datasync);
	int (*fallocate)(struct file *f, int mode, loff_t off, loff_t len);
	int (*setfl)(struct file *f, unsigned flags);
	/* Lines of its own in /proc/PID/fdinfo/N. */
	void (*show_fdinfo)(struct file *f, struct seq *s);
};

struct file {
	int refcount;
	struct path path;
	struct inode *inode;
	const struct file_operations *f_op;
	unsigned flags; /* O_* as opened */
	unsigned mode;	/* FMODE_* */
	loff_t pos;
	void *private;
	int host_fd;	    /* -1, or the host file behind it (hostfs, memfd) */
	uint64_t f_version; /* for drivers: e.g. the tty hangup this open predates */
	int owner_type, owner_pid, owner_sig; /* F_SETOWN(_EX), F_SETSIG */
	bool write_access;		      /* counted in inode->writecount as a writer */
	bool deny_write;	     /* counted there as a running program (exec, exe_file) */
	struct list_head f_ep_links; /* epoll items watching this file */
};

/* ETXTBSY: a file is either written or executed, never both. */
int deny_write_access(struct file *f);
void allow_write_access(struct file *f);

/* ---- Poll ---- */

struct poll_table {
	struct poll_entry **entries;
	int count, cap;
	bool no_wait; /* only asking for the current mask */
	/* epoll hooks its own waiters to the file's queues (NULL: poll's) */
	void (*qproc)(struct file *f, struct wait_queue *wq, struct poll_table *pt);
};
void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt);
unsigned vfs_poll(struct file *f, struct poll_table *pt);
/* The temporary signal mask of ppoll, pselect6 and epoll_pwait: restored at
 * once, unless the call was interrupted (then after the handler runs). */
int set_user_sigmask(uaddr_t umask, size_t size);
void restore_saved_sigmask_unless(bool interrupted);

/* eventpoll.c: a file going away leaves every epoll set watching it. */
void eventpoll_release(struct file *f);

/* anon_inodes.c: files with no inode of their own ("anon_inode:[eventfd]"). */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
				unsigned flags);

/* ---- VFS entry points (fs/) ---- */

/* dcache.c */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
struct dentry *d_alloc_root(struct super_block *sb, struct inode *inode);
struct dentry *d_lookup_cached(struct dentry *parent, const char *name, size_t len);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
void d_instantiate(struct dentry *d, struct inode *inode);
void d_delete(struct dentry *d);
void d_move(struct dentry *d, struct dentry *newparent, const char *name, size_t len);
void d_drop(struct dentry *d);
void d_prune_unused(size_t keep);
/* Frees every unused dentry of sb, its root too: its last mount went. */
void shrink_dcache_sb(struct super_block *sb);
/* A lone dentry for a pseudo file ("pipe:[123]"), freed with its last user. */
struct dentry *d_alloc_pseudo(struct super_block *sb, struct inode *inode, const char *name);

/* inode.c */
struct inode *new_inode(struct super_block *sb);
struct inode *igrab(struct inode *inode);
void iput(struct inode *inode);
void inode_init_times(struct inode *inode);
void inode_fill_stat(struct inode *inode, struct linux_stat *st);
void inode_touch(struct inode *inode, unsigned what);
/* A read or readdir of an in-memory filesystem: atime as with relatime. */
void file_accessed(struct file *f);
struct linux_timespec current_time(void);
uint64_t get_next_ino(struct super_block *sb);

/* super.c */
void register_filesystem(struct file_system_type *fs);
struct file_system_type *get_fs_type(const char *name);
struct super_block *sb_alloc(struct file_system_type *type, int flags);
uint64_t new_anon_dev(void);
void sb_put(struct super_block *sb);

/* namespace.c */
struct vfsmount *vfs_kern_mount(const char *fstype, int flags, const char *dev, const char *data);
int do_mount_at(struct vfsmount *mnt, struct path *where);
struct vfsmount *lookup_mnt(struct vfsmount *parent, struct dentry *mountpoint);
struct vfsmount *mntget(struct vfsmount *m);
void mntput(struct vfsmount *m);
extern struct list_head mounts;
/* The root of everything (init's "/"), until pivot_root moves it. */
struct vfsmount *root_mount(void);
void set_root_mount(struct vfsmount *m);
/* For /proc/filesystems. */
size_t list_filesystems(char *buf, size_t len);
int vfs_getattr(const struct path *p);
/* attr.c: writing or truncating as an ordinary user drops set-id bits. */
int file_remove_privs(const struct path *p);
int remove_file_caps(const struct path *p);
/* What a filesystem's setattr does once the size is set: the new mode,
 * owner and times into the inode (Linux's setattr_copy). */
void setattr_copy(struct inode *inode, const struct iattr *a);
/* The mount pseudo files hang from (never in the mount table). */
struct vfsmount *pseudo_mnt(void);
bool mnt_is_readonly(const struct vfsmount *m);
/* Why the last mount failed, logged and kept for the boot to print. */
void mount_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *mount_error(void);
/* sync (wait: durable on the host) and the machine's stop. */
void sync_filesystems(bool wait);
void shutdown_filesystems(void);
void writeback_start(void);

/* path.c */
void path_get(struct path *p);
void path_put(struct path *p);
void path_copy(struct path *dst, const struct path *src);
char *d_path(const struct path *p, char *buf, size_t len);

/* namei.c */
#define LOOKUP_FOLLOW	     0x0001
#define LOOKUP_DIRECTORY     0x0002
#define LOOKUP_AUTOMOUNT     0x0004
#define LOOKUP_EMPTY	     0x4000
#define LOOKUP_NO_SYMLINKS   0x010000
#define LOOKUP_BENEATH	     0x080000
#define LOOKUP_IN_ROOT	     0x100000
#define LOOKUP_NO_XDEV	     0x020000
#define LOOKUP_NO_MAGICLINKS 0x040000

int path_lookupat(int dfd, const char *name, unsigned flags, struct path *out);
int user_path_at(int dfd, uaddr_t upath, unsigned flags, struct path *out);
/* Finds the parent of the last component; *last points into name. */
int path_parentat(int dfd, const char *name, unsigned flags, struct path *parent, const char **last,
		  size_t *lastlen);
/* The same from a given directory instead of dfd (following a symlink's text). */
int path_parentat_from(int dfd, const struct path *start, const char *name, unsigned flags,
		       struct path *parent, const char **last, size_t *lastlen);
struct dentry *lookup_one(struct path *dir, const char *name, size_t len);
/* The access a permission check asks for (Linux's MAY_* bits). */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4

int inode_permission(struct inode *inode, int mask);
int may_create_in(struct path *dir);
int may_delete_in(struct path *dir, struct dentry *victim, bool isdir);

/* open.c */
struct file *file_alloc(const struct path *path, unsigned flags);
struct file *do_filp_open(int dfd, const char *name, unsigned flags, mode_t_ mode,
			  unsigned lookup_flags);
struct file *filp_open(const char *name, unsigned flags, mode_t_ mode);
struct file *vfs_open_path(const struct path *p, unsigned flags);
struct file *fget(int fd);
struct file *fget_raw(int fd);
struct file *get_file(struct file *f);
void fput(struct file *f);
/* Drops the references a two-file call took (either may be NULL) and
 * returns r: the exit of sendfile, copy_file_range, splice, tee. */
static inline long put_files(struct file *a, struct file *b, long r)
{
	if (a)
		fput(a);
	if (b)
		fput(b);
	return r;
}
int fd_install_flags(struct file *f, unsigned flags, int minfd);
static inline int fd_install(struct file *f, unsigned flags)
{
	return fd_install_flags(f, flags, 0);
}
int fd_install_at(struct file *f, int fd, unsigned flags);
int fd_check_free(void);
int fd_close(int fd);
struct files_struct *files_alloc(int max);
struct files_struct *files_dup(struct files_struct *old);
int unshare_files(struct task *t);
void files_put(struct files_struct *f);
void files_close_on_exec(struct files_struct *f);
bool fd_is_cloexec(int fd);
void fd_set_cloexec(int fd, bool on);

/* dir_ops.c: a socket node for an AF_UNIX bind (umask applied), and its
 * removal if the bind fails after all */
int kern_mknod(const char *name, mode_t_ mode, struct path *out);
void kern_unlink(const struct path *p);

/* read_write.c */
long kernel_read(struct file *f, void *buf, size_t len, loff_t *pos);
long kernel_write(struct file *f, const void *buf, size_t len, loff_t *pos);
/* off from SEEK_SET, SEEK_CUR or SEEK_END: the position, or -EINVAL for
 * another whence or a negative one, -EOVERFLOW past the largest. */
loff_t file_position(struct file *f, loff_t off, int whence);
loff_t generic_file_llseek(struct file *f, loff_t off, int whence);
loff_t noop_llseek(struct file *f, loff_t off, int whence);
/* The most one read or write moves (Linux's MAX_RW_COUNT). */
#define MAX_RW_COUNT 0x7ffff000L

long vfs_read(struct file *f, struct iov_iter *to, loff_t *pos);
long vfs_write(struct file *f, struct iov_iter *from, loff_t *pos);

/* Generic helpers for files whose content is a kernel buffer. */
long simple_read_from_buffer(struct iov_iter *to, loff_t *pos, const void *from, size_t avail);

/* locks.c */
struct process;
long fcntl_lock(struct file *f, int cmd, unsigned long arg);
void locks_remove_posix(struct file *f, struct process *owner);
void locks_remove_file(struct file *f);

/* chrdev.c: character devices by number */
struct chrdev {
	unsigned major, minor_lo, minor_hi;
	const struct file_operations *fops;
};
void register_chrdev(unsigned major, unsigned minor_lo, unsigned minor_hi,
		     const struct file_operations *fops);
const struct file_operations *chrdev_fops(uint64_t rdev);

/* The root, working directory and umask of a task (shared by CLONE_FS). */
struct fs_struct {
	int refcount;
	struct path root, pwd;
	mode_t_ umask;
};

/* The descriptor table (shared by CLONE_FILES). */
struct files_struct {
	int refcount;
	int max_fds;
	struct file **fd;
	uint64_t *cloexec; /* bitmap */
};

struct fs_struct *fs_alloc(const struct path *root, const struct path *pwd);
struct fs_struct *fs_dup(struct fs_struct *old);
void fs_put(struct fs_struct *fs);
void set_fs_root(struct fs_struct *fs, const struct path *p);
void set_fs_pwd(struct fs_struct *fs, const struct path *p);

/* Filesystem registration hooks, called at boot. */
void vfs_init(void);
void mount_root(void);

static inline bool IS_RDONLY_PATH(const struct path *p)
{
	return mnt_is_readonly(p->mnt);
}

#endif
