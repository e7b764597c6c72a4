/*
 * ext2, ext3 and ext4 on a block device: the VFS side. The on-disk format
 * is e2fs.h's (libext2fs); this side keeps the inode cache, the page cache,
 * and an index of each directory looked into, because libext2fs finds a
 * name by reading every block of its directory.
 */
#ifndef EXT4_H
#define EXT4_H
#include "kernel.h"
#include "fs.h"
#include "pagemap.h"
#include "e2fs.h"

#define EXT4_SUPER_MAGIC 0xEF53
#define EXT4_LINK_MAX	 65000
#define EXT4_MAX_BYTES	 ((int64_t)1 << 44) /* 2^32 blocks of 4 KiB */

struct block_device;

struct ext4_sb_info {
	struct e2fs *fs; /* NULL once the machine has shut it down */
	struct block_device *bdev;
	struct list_head hash[1024]; /* cached inodes by number */
	uint32_t block_size;
	char kind[8]; /* ext2, ext3 or ext4 */
};

/* A directory's names, complete once built: lookups and emptiness checks
 * never read the disk. */
struct dir_index {
	struct dir_name **buckets;
	size_t nbuckets, count; /* count: names other than "." and ".." */
};

struct ext4_inode_info {
	struct inode *inode;
	struct list_head hash;
	bool dirty; /* size or times newer than the disk */
	uint32_t flags, generation;
	struct linux_timespec crtime;
	struct address_space mapping; /* regular files */
	struct dir_index *dir;	      /* directories, once looked into */
};

static inline struct ext4_sb_info *EXT4_SB(struct super_block *sb)
{
	return sb->fs_info;
}

static inline struct ext4_inode_info *EXT4_I(struct inode *inode)
{
	return inode->private;
}

static inline struct e2fs *E2FS(struct inode *inode)
{
	return EXT4_SB(inode->sb)->fs;
}

static inline uint32_t INO(struct inode *inode)
{
	return (uint32_t)inode->ino;
}

/* inode.c */
struct inode *ext4_iget(struct super_block *sb, uint32_t ino);
int ext4_write_inode(struct inode *inode);
void ext4_fill_disk(struct inode *inode, struct e2fs_inode *e);
void ext4_evict_inode(struct inode *inode);
int ext4_sync_inode(struct inode *inode);
void ext4_set_ops(struct inode *inode);
void ext4_accessed(struct file *f);
int ext4_setattr(struct dentry *d, struct iattr *a);
int ext4_getattr(struct dentry *d);
long ext4_getxattr(struct dentry *d, const char *name, void *buf, size_t len);
int ext4_setxattr(struct dentry *d, const char *name, const void *buf, size_t len, int flags);
long ext4_listxattr(struct dentry *d, char *buf, size_t len);
int ext4_removexattr(struct dentry *d, const char *name);
extern const struct file_operations ext4_file_fops;

/* namei.c */
extern const struct inode_operations ext4_dir_iops;
void dir_index_free(struct dir_index *di);

/* dir.c */
extern const struct file_operations ext4_dir_fops;

#endif
