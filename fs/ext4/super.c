/*
 * ext2, ext3 and ext4 filesystems on block devices: mounting, statfs,
 * writeback and sync, remount, and the device that libext2fs reads and
 * writes (e2fs_dev_*).
 *
 * No journal is written: umk writes metadata in place through libext2fs,
 * as ext2 does, marks the filesystem not clean while it is mounted
 * read-write, and clean again at unmount and shutdown. A crash leaves
 * what e2fsck repairs; fsync makes a file's data and the metadata it needs
 * durable first.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "blkdev.h"
#include "filesystems.h"
#include "ext4.h"

/* ---- The device below libext2fs ---- */

int e2fs_dev_read(void *dev, uint64_t off, void *buf, size_t len)
{
	return blkdev_read(dev, buf, len, off);
}

int e2fs_dev_write(void *dev, uint64_t off, const void *buf, size_t len)
{
	return blkdev_write(dev, buf, len, off);
}

int e2fs_dev_flush(void *dev)
{
	return blkdev_flush(dev);
}

void e2fs_log(const char *msg)
{
	pr_err("%s\n", msg);
}

/* ---- Mount options ---- */

/* Linux's ext4 options that change nothing here: umk writes no journal,
 * allocates at writeback, and keeps xattrs and ACLs always. */
static bool known_option(const char *o)
{
	/* clang-format off */
	static const char *const names[] = {
		"defaults", "rw", "ro", "noatime", "relatime", "strictatime", "atime", "nodiratime",
		"diratime", "lazytime", "nolazytime", "user_xattr", "acl", "noacl", "barrier",
		"nobarrier", "discard", "nodiscard", "noload", "norecovery", "auto_da_alloc",
		"noauto_da_alloc", "delalloc", "nodelalloc", "dioread_nolock", "dioread_lock",
		"journal_checksum", "nojournal_checksum", "init_itable", "noinit_itable",
		"block_validity", "noblock_validity", "nouid32", "grpid", "bsdgroups", "nogrpid",
		"sysvgroups", "async", "sync", "dirsync", "nosuid", "suid", "nodev", "dev", "noexec",
		"exec", "auto", "noauto", "nofail", "user", "nouser", "users", "owner", "_netdev",
	};
	static const char *const keyed[] = {
		"errors=", "data=", "commit=", "barrier=", "stripe=", "resuid=", "resgid=",
		"inode_readahead_blks=", "max_batch_time=", "min_batch_time=", "journal_ioprio=",
		"x-", "comment=",
	};
	/* clang-format on */
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(o, names[i]))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(keyed); i++)
		if (!strncmp(o, keyed[i], strlen(keyed[i])))
			return true;
	return false;
}

static int check_options(const char *devname, const char *data)
{
	if (!data)
		return 0;
	char *opts = kstrdup(data), *save = NULL;
	if (!opts)
		return -ENOMEM;
	int err = 0;
	for (char *o = strtok_r(opts, ",", &save); o && !err; o = strtok_r(NULL, ",", &save)) {
		if (!known_option(o)) {
			mount_errorf(
			    "EXT4-fs (%s): Unrecognized mount option \"%s\" or missing value",
			    devname, o);
			err = -EINVAL;
		}
	}
	kfree(opts);
	return err;
}

/* ---- The superblock ---- */

static int ext4_statfs(struct dentry *d, struct linux_statfs *st)
{
	struct ext4_sb_info *s = EXT4_SB(d->sb);
	if (!s->fs)
		return -EIO;
	struct e2fs_statfs e;
	e2fs_statfs(s->fs, &e);
	st->f_type = EXT4_SUPER_MAGIC;
	st->f_bsize = st->f_frsize = e.block_size;
	st->f_blocks = e.blocks;
	st->f_bfree = e.free_blocks;
	st->f_bavail = e.avail_blocks;
	st->f_files = e.inodes;
	st->f_ffree = e.free_inodes;
	st->f_namelen = e.max_name;
	return 0;
}

/* Writeback (wait false, every few seconds) and sync (wait true: the
 * host makes it durable too). */
static int ext4_sync_fs(struct super_block *sb, bool wait)
{
	struct ext4_sb_info *s = EXT4_SB(sb);
	if (!s->fs || (sb->flags & SB_RDONLY))
		return 0;
	filemap_collect_shared(NULL);
	int err = 0;
	struct inode *inode;
	list_for_each_entry(inode, &sb->inodes, sb_list) {
		int e = ext4_sync_inode(inode);
		if (e && !err)
			err = e;
	}
	int e = e2fs_dirty(s->fs) ? e2fs_flush(s->fs) : 0;
	if (!err)
		err = e;
	if (wait && (e = blkdev_flush(s->bdev)) && !err)
		err = e;
	return err;
}

static void close_fs(struct super_block *sb)
{
	struct ext4_sb_info *s = EXT4_SB(sb);
	int err = e2fs_close(s->fs);
	if (!err)
		err = blkdev_flush(s->bdev);
	if (err)
		pr_err("EXT4-fs (%s): cannot write the filesystem back (error %d)\n", s->bdev->name,
		       -err);
	s->fs = NULL;
	s->bdev->holder = NULL;
}

/* The last mount went and with it every inode: leave the disk clean. */
static void ext4_put_super(struct super_block *sb)
{
	struct ext4_sb_info *s = EXT4_SB(sb);
	if (s->fs)
		close_fs(sb);
	kfree(s);
}

/* The machine stops while files may still be open: write everything,
 * give back the inodes that only open files kept, and close. */
static void ext4_shutdown(struct super_block *sb)
{
	struct ext4_sb_info *s = EXT4_SB(sb);
	if (!s->fs)
		return;
	if (!(sb->flags & SB_RDONLY)) {
		ext4_sync_fs(sb, false);
		struct inode *inode;
		list_for_each_entry(inode, &sb->inodes, sb_list)
			if (!inode->nlink)
				e2fs_delete(s->fs, INO(inode));
	}
	close_fs(sb);
}

static int ext4_remount(struct super_block *sb, int flags, const char *data)
{
	struct ext4_sb_info *s = EXT4_SB(sb);
	int err = check_options(s->bdev->name, data);
	if (err || !s->fs)
		return err ? err : -EIO;
	bool rw = !(flags & SB_RDONLY);
	if (rw && s->bdev->readonly)
		return -EACCES;
	if (!rw && !(sb->flags & SB_RDONLY) && (err = ext4_sync_fs(sb, true)))
		return err;
	char why[200];
	err = e2fs_remount(s->fs, rw, why, sizeof why);
	if (err)
		pr_err("EXT4-fs (%s): cannot remount %s: %s\n", s->bdev->name, rw ? "rw" : "ro",
		       why);
	return err;
}

static const struct super_operations ext4_sops = {
    .put_super = ext4_put_super,
    .statfs = ext4_statfs,
    .evict_inode = ext4_evict_inode,
    .sync_fs = ext4_sync_fs,
    .remount = ext4_remount,
    .shutdown = ext4_shutdown,
};

/* ---- Mounting ---- */

/* The device named by a mount: a block device node for the guest, a
 * device name (root=) for the boot. */
static struct block_device *lookup_bdev(const char *name, int *err)
{
	if (!name) {
		*err = -EINVAL;
		return NULL;
	}
	if (!current) {
		struct block_device *b = blkdev_by_name(name);
		*err = b ? 0 : -ENXIO;
		return b;
	}
	struct path p;
	*err = path_lookupat(AT_FDCWD, name, LOOKUP_FOLLOW, &p);
	if (*err)
		return NULL;
	struct inode *inode = p.dentry->inode;
	struct block_device *b = NULL;
	if (!S_ISBLK(inode->mode))
		*err = -ENOTBLK;
	else if (p.mnt->flags & MNT_NODEV)
		*err = -EACCES;
	else if (!(b = blkdev_get(inode->rdev)))
		*err = -ENXIO;
	path_put(&p);
	return b;
}

/* A second mount of a device shares the first one's filesystem. */
static struct super_block *mount_again(struct block_device *b, int flags)
{
	struct super_block *sb = b->holder;
	if ((sb->flags & SB_RDONLY) != (flags & SB_RDONLY))
		return ERR_PTR(-EBUSY);
	sb->refcount++;
	return sb;
}

static struct super_block *fill_super(struct file_system_type *type, int flags,
				      struct block_device *b, struct e2fs *fs)
{
	struct super_block *sb = sb_alloc(type, flags);
	struct ext4_sb_info *s = kzalloc(sizeof *s);
	if (!sb || !s) {
		kfree(sb);
		kfree(s);
		e2fs_close(fs);
		return ERR_PTR(-ENOMEM);
	}
	for (size_t i = 0; i < ARRAY_SIZE(s->hash); i++)
		list_init(&s->hash[i]);
	s->fs = fs;
	s->bdev = b;
	s->block_size = e2fs_block_size(fs);
	snprintf(s->kind, sizeof s->kind, "%s", e2fs_kind(fs));
	sb->fs_info = s;
	sb->s_op = &ext4_sops;
	sb->magic = EXT4_SUPER_MAGIC;
	sb->dev = b->dev;
	b->holder = sb;
	struct inode *root = ext4_iget(sb, E2FS_ROOT_INO);
	if (!IS_ERR(root) && !S_ISDIR(root->mode)) {
		iput(root);
		root = ERR_PTR(-EUCLEAN);
	}
	if (IS_ERR(root)) {
		mount_errorf("EXT4-fs (%s): no root directory (error %ld)", b->name,
			     -PTR_ERR(root));
		sb_put(sb);
		return (struct super_block *)root;
	}
	sb->root = d_alloc_root(sb, root);
	return sb;
}

static struct super_block *ext4_mount(struct file_system_type *type, int flags, const char *dev,
				      const char *data)
{
	int err;
	struct block_device *b = lookup_bdev(dev, &err);
	if (!b)
		return ERR_PTR(err);
	if ((err = check_options(b->name, data)))
		return ERR_PTR(err);
	if (b->holder)
		return mount_again(b, flags);
	bool rw = !(flags & SB_RDONLY);
	if (rw && b->readonly) {
		mount_errorf("EXT4-fs (%s): write access unavailable: the device is read-only",
			     b->name);
		return ERR_PTR(-EACCES);
	}
	struct e2fs *fs;
	char why[200];
	if ((err = e2fs_open(b, b->name, rw, &fs, why, sizeof why))) {
		mount_errorf("EXT4-fs (%s): cannot mount: %s", b->name, why);
		return ERR_PTR(err == -EOPNOTSUPP ? -EINVAL : err);
	}
	const char *feat = e2fs_incompatible_with(fs, type->name);
	if (feat) {
		mount_errorf("EXT4-fs (%s): couldn't mount as %s due to feature incompatibilities "
			     "(%s)",
			     b->name, type->name, feat);
		e2fs_close(fs);
		return ERR_PTR(-EINVAL);
	}
	struct super_block *sb = fill_super(type, flags, b, fs);
	if (!IS_ERR(sb))
		printk(KERN_INFO "EXT4-fs (%s): mounted %s filesystem %s (no journal: umk writes "
				 "in place)\n",
		       b->name, EXT4_SB(sb)->kind, rw ? "read-write" : "read-only");
	return sb;
}

const char *ext4_probe(struct block_device *b, char *why, size_t len)
{
	struct e2fs *fs;
	if (e2fs_open(b, b->name, false, &fs, why, len))
		return NULL;
	const char *kind = e2fs_kind(fs);
	e2fs_close(fs);
	return kind;
}

static struct file_system_type ext2_type = {.name = "ext2", .mount = ext4_mount};
static struct file_system_type ext3_type = {.name = "ext3", .mount = ext4_mount};
static struct file_system_type ext4_type = {.name = "ext4", .mount = ext4_mount};

void ext4_init(void)
{
	register_filesystem(&ext4_type);
	register_filesystem(&ext3_type);
	register_filesystem(&ext2_type);
}
