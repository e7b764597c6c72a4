/*
 * devtmpfs: one tmpfs instance holding the device nodes the kernel knows,
 * mounted on /dev at boot. Nodes made there later by the guest stay.
 */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "filesystems.h"
#include "blkdev.h"

static struct super_block *devtmpfs_sb;

int vfs_mknod_at(struct path *dir, const char *name, mode_t_ mode, uint64_t rdev)
{
	struct dentry *d = lookup_one(dir, name, strlen(name));
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	int err = -EEXIST;
	struct inode *di = dir->dentry->inode;
	if (!d->inode) {
		if (S_ISDIR(mode))
			err = di->i_op->mkdir(di, d, mode);
		else if (S_ISREG(mode))
			err = di->i_op->create(di, d, mode);
		else
			err = di->i_op->mknod(di, d, mode, rdev);
	}
	dput(d);
	return err;
}

static void symlink_at(struct path *dir, const char *name, const char *target)
{
	struct dentry *d = lookup_one(dir, name, strlen(name));
	if (IS_ERR(d))
		return;
	if (!d->inode)
		tmpfs_symlink(dir->dentry->inode, d, target);
	dput(d);
}

static const struct {
	const char *name;
	mode_t_ mode;
	unsigned major, minor;
} nodes[] = {
    {"null", 0666, 1, 3},   {"zero", 0666, 1, 5},    {"full", 0666, 1, 7},
    {"random", 0666, 1, 8}, {"urandom", 0666, 1, 9}, {"kmsg", 0644, 1, 11},
    {"tty", 0666, 5, 0},    {"console", 0600, 5, 1}, {"ptmx", 0666, 5, 2},
    {"tty0", 0620, 4, 0},   {"tty1", 0620, 4, 1},    {"tty2", 0620, 4, 2},
    {"tty3", 0620, 4, 3},   {"tty4", 0620, 4, 4},    {"tty5", 0620, 4, 5},
    {"tty6", 0620, 4, 6},   {"tty7", 0620, 4, 7},    {"ttyS0", 0660, 4, 64},
    {"ttyS1", 0660, 4, 65}, {"ttyS2", 0660, 4, 66},  {"ttyS3", 0660, 4, 67},
};

static void populate(struct super_block *sb)
{
	struct path root = {NULL, sb->root};
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++)
		vfs_mknod_at(&root, nodes[i].name, S_IFCHR | nodes[i].mode,
			     MKDEV(nodes[i].major, nodes[i].minor));
	struct block_device *b;
	list_for_each_entry(b, &block_devices, list)
		vfs_mknod_at(&root, b->name, S_IFBLK | 0660, b->dev);
	vfs_mknod_at(&root, "pts", S_IFDIR | 0755, 0);
	vfs_mknod_at(&root, "shm", S_IFDIR | 01777, 0);
	symlink_at(&root, "fd", "/proc/self/fd");
	symlink_at(&root, "stdin", "/proc/self/fd/0");
	symlink_at(&root, "stdout", "/proc/self/fd/1");
	symlink_at(&root, "stderr", "/proc/self/fd/2");
}

static struct super_block *devtmpfs_mount(struct file_system_type *type, int flags, const char *dev,
					  const char *data)
{
	(void)dev;
	if (!devtmpfs_sb) {
		struct super_block *sb = tmpfs_fill(type, flags, data, 0755);
		if (IS_ERR(sb))
			return sb;
		populate(sb);
		devtmpfs_sb = sb;
	}
	devtmpfs_sb->refcount++;
	return devtmpfs_sb;
}

static struct file_system_type devtmpfs_type = {
    .name = "devtmpfs", .mount = devtmpfs_mount, .nodev = true};

void devtmpfs_init(void)
{
	register_filesystem(&devtmpfs_type);
}
