/* The filesystems umk has, registered at boot, and what they share. */
#ifndef FILESYSTEMS_H
#define FILESYSTEMS_H
#include "fs.h"

void tmpfs_init(void);
void hostfs_init(void);
void procfs_init(void);
void devtmpfs_init(void);
void devpts_init(void);
void ext4_init(void);
/* After the block devices are known. */
void sysfs_init(void);
struct block_device;
/* "ext2", "ext3" or "ext4" for the filesystem on b, or NULL and why not. */
const char *ext4_probe(struct block_device *b, char *why, size_t len);

/* tmpfs, also the base of rootfs and devtmpfs */
struct super_block *tmpfs_fill(struct file_system_type *type, int flags, const char *data,
			       mode_t_ root_mode);
int tmpfs_symlink(struct inode *dir, struct dentry *d, const char *target);
/* A tmpfs file on no mount, for memfd_create and SysV shm: its dentry is
 * named name (what /proc shows), its bytes in host_fd (a memfd it takes
 * over, even on failure; or -1 for one made when needed), opened O_RDWR. */
struct file *shmem_file_setup(const char *name, mode_t_ mode, int host_fd);
/* F_ADD_SEALS and F_GET_SEALS, for any file. */
long shmem_fcntl_seals(struct file *f, int cmd, unsigned seals);
/* Directories whose children are their dentries (tmpfs, devtmpfs). */
int simple_dir_iterate(struct file *f, struct dir_context *ctx);

/* Kernel-side file creation, for the initramfs and devtmpfs. */
int vfs_mknod_at(struct path *dir, const char *name, mode_t_ mode, uint64_t rdev);

#endif
