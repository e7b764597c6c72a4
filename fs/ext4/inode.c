/* ext4 inodes: the inode cache, attributes, regular files through the page
 * cache, symlinks and extended attributes. */
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "mm.h"
#include "blkdev.h"
#include "ext4.h"

static const struct inode_operations ext4_file_iops, ext4_symlink_iops, ext4_special_iops;

static struct list_head *ino_bucket(struct super_block *sb, uint32_t ino)
{
	return &EXT4_SB(sb)->hash[ino % ARRAY_SIZE(EXT4_SB(sb)->hash)];
}

static struct linux_timespec ts_of(struct e2fs_time t)
{
	return (struct linux_timespec){t.sec, t.nsec};
}

static struct e2fs_time e2_of(struct linux_timespec t)
{
	return (struct e2fs_time){t.tv_sec, (uint32_t)t.tv_nsec};
}

static void fill_inode(struct inode *inode, const struct e2fs_inode *e)
{
	struct ext4_inode_info *ei = EXT4_I(inode);
	inode->mode = e->mode;
	inode->uid = e->uid;
	inode->gid = e->gid;
	inode->nlink = e->nlink;
	inode->size = (int64_t)e->size;
	inode->blocks = (int64_t)e->blocks;
	inode->rdev = MKDEV(e->rdev_major, e->rdev_minor);
	inode->atime = ts_of(e->atime);
	inode->mtime = ts_of(e->mtime);
	inode->ctime = ts_of(e->ctime);
	ei->crtime = ts_of(e->crtime);
	ei->flags = e->flags;
	ei->generation = e->generation;
}

void ext4_fill_disk(struct inode *inode, struct e2fs_inode *e)
{
	struct ext4_inode_info *ei = EXT4_I(inode);
	*e = (struct e2fs_inode){
	    .mode = inode->mode,
	    .uid = inode->uid,
	    .gid = inode->gid,
	    .nlink = (uint32_t)inode->nlink,
	    .flags = ei->flags,
	    .size = (uint64_t)inode->size,
	    .rdev_major = MAJOR(inode->rdev),
	    .rdev_minor = MINOR(inode->rdev),
	    .atime = e2_of(inode->atime),
	    .mtime = e2_of(inode->mtime),
	    .ctime = e2_of(inode->ctime),
	    .crtime = e2_of(ei->crtime),
	};
}

/* Puts the in-memory attributes on the disk now. */
int ext4_write_inode(struct inode *inode)
{
	if (!E2FS(inode))
		return -EIO;
	struct e2fs_inode e;
	ext4_fill_disk(inode, &e);
	int err = e2fs_write_inode(E2FS(inode), INO(inode), &e);
	if (!err) {
		inode->blocks = (int64_t)e.blocks;
		inode->size = (int64_t)e.size;
		EXT4_I(inode)->dirty = false;
	}
	return err;
}

static int ext4_readpage(struct inode *inode, void *buf, int64_t pos, size_t len)
{
	if (!E2FS(inode))
		return -EIO;
	return e2fs_read(E2FS(inode), INO(inode), (uint64_t)pos, buf, len);
}

/* Writes inside the block that holds the end of the file, not past it:
 * the blocks after it are not the file's. */
static int ext4_writepage(struct inode *inode, const void *buf, int64_t pos, size_t len)
{
	if (!E2FS(inode))
		return -EIO;
	int64_t bs = EXT4_SB(inode->sb)->block_size, end = ALIGN_UP(inode->size, bs);
	if (pos >= end)
		return 0;
	len = (size_t)min((int64_t)len, end - pos);
	int err = e2fs_write(E2FS(inode), INO(inode), (uint64_t)pos, buf, len);
	if (!err)
		EXT4_I(inode)->dirty = true; /* i_blocks and the size to write */
	return err;
}

static const struct address_space_operations ext4_aops = {
    .readpage = ext4_readpage,
    .writepage = ext4_writepage,
};

void ext4_set_ops(struct inode *inode)
{
	struct ext4_inode_info *ei = EXT4_I(inode);
	switch (inode->mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &ext4_dir_iops;
		inode->i_fop = &ext4_dir_fops;
		break;
	case S_IFREG:
		inode->i_op = &ext4_file_iops;
		inode->i_fop = &ext4_file_fops;
		mapping_init(&ei->mapping, inode, &ext4_aops);
		inode->i_mapping = &ei->mapping;
		break;
	case S_IFLNK:
		inode->i_op = &ext4_symlink_iops;
		break;
	default:
		inode->i_op = &ext4_special_iops;
		break;
	}
}

struct inode *ext4_iget(struct super_block *sb, uint32_t ino)
{
	struct ext4_inode_info *ei;
	list_for_each_entry(ei, ino_bucket(sb, ino), hash)
		if (INO(ei->inode) == ino)
			return igrab(ei->inode);
	if (!EXT4_SB(sb)->fs)
		return ERR_PTR(-EIO);
	struct e2fs_inode e;
	int err = e2fs_read_inode(EXT4_SB(sb)->fs, ino, &e);
	if (err)
		return ERR_PTR(err);
	/* A name pointing at a free inode, or a mode of no file type, is
	 * corruption (EFSCORRUPTED). */
	if (!e.nlink && !e.mode)
		return ERR_PTR(-EUCLEAN);
	switch (e.mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFLNK:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		pr_warn("EXT4-fs: inode %u has a bad mode %#o\n", ino, e.mode);
		return ERR_PTR(-EUCLEAN);
	}
	if (e.size > EXT4_MAX_BYTES) {
		pr_warn("EXT4-fs: inode %u is larger than ext4 allows\n", ino);
		return ERR_PTR(-EUCLEAN);
	}
	struct inode *inode = new_inode(sb);
	ei = kzalloc(sizeof *ei);
	if (!inode || !ei) {
		kfree(ei);
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	ei->inode = inode;
	inode->private = ei;
	inode->ino = ino;
	fill_inode(inode, &e);
	ext4_set_ops(inode);
	list_add(&ei->hash, ino_bucket(sb, ino));
	list_add(&inode->sb_list, &sb->inodes);
	return inode;
}

/* Writes back the inode's pages and attributes (fsync, writeback). */
int ext4_sync_inode(struct inode *inode)
{
	struct ext4_inode_info *ei = EXT4_I(inode);
	int err = 0;
	if (inode->i_mapping && filemap_dirty(inode->i_mapping))
		err = filemap_writeback(inode->i_mapping, inode->size);
	if (!err && ei->dirty)
		err = ext4_write_inode(inode);
	return err;
}

/* The last reference: an inode with no name left is given back to the
 * disk, else written back. */
void ext4_evict_inode(struct inode *inode)
{
	struct ext4_inode_info *ei = EXT4_I(inode);
	if (!ei)
		return;
	struct e2fs *fs = E2FS(inode);
	if (fs && !inode->nlink) {
		int err = e2fs_delete(fs, INO(inode));
		if (err)
			pr_warn("ext4: cannot free inode %llu (error %d)\n",
				(unsigned long long)inode->ino, -err);
	} else if (fs) {
		int err = ext4_sync_inode(inode);
		if (err)
			pr_warn("ext4: writeback of inode %llu failed (error %d)\n",
				(unsigned long long)inode->ino, -err);
	}
	if (inode->i_mapping)
		mapping_release(inode->i_mapping);
	dir_index_free(ei->dir);
	list_del(&ei->hash);
	kfree(ei);
	inode->private = NULL;
}

/* ---- Attributes ---- */

static int truncate(struct inode *inode, int64_t size)
{
	struct e2fs *fs = E2FS(inode);
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	if (size > EXT4_MAX_BYTES)
		return -EFBIG;
	int64_t old = inode->size;
	int err = filemap_truncate(inode->i_mapping, old, size);
	if (!err && size < old)
		err = e2fs_punch(fs, INO(inode), (uint64_t)size, 0);
	if (!err)
		inode->size = size;
	return err;
}

int ext4_setattr(struct dentry *d, struct iattr *a)
{
	struct inode *inode = d->inode;
	if (!E2FS(inode))
		return -EIO;
	if (a->valid & ATTR_SIZE) {
		int err = truncate(inode, a->size);
		if (err)
			return err;
	}
	setattr_copy(inode, a);
	return ext4_write_inode(inode);
}

/* stat: st_blocks counts blocks only once allocated, so allocate the
 * dirty pages first (Linux counts delayed allocations at once). */
int ext4_getattr(struct dentry *d)
{
	struct inode *inode = d->inode;
	if (!E2FS(inode) || !inode->i_mapping || !filemap_dirty(inode->i_mapping))
		return 0;
	return ext4_sync_inode(inode);
}

/* ---- Regular files ---- */

/* relatime: the VFS decides; a changed atime goes to the disk at writeback. */
void ext4_accessed(struct file *f)
{
	struct linux_timespec before = f->inode->atime;
	file_accessed(f);
	if (before.tv_sec != f->inode->atime.tv_sec || before.tv_nsec != f->inode->atime.tv_nsec)
		EXT4_I(f->inode)->dirty = true;
}

static long ext4_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct inode *inode = f->inode;
	if (!E2FS(inode))
		return -EIO;
	if (to->count)
		ext4_accessed(f);
	return filemap_read(inode->i_mapping, to, pos, inode->size);
}

static long ext4_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	struct inode *inode = f->inode;
	if (!E2FS(inode))
		return -EIO;
	if (f->flags & O_APPEND)
		*pos = inode->size;
	if (!from->count)
		return 0;
	if (*pos + (int64_t)from->count > EXT4_MAX_BYTES || *pos + (int64_t)from->count < 0)
		return -EFBIG;
	int64_t size = inode->size;
	long n = filemap_write(inode->i_mapping, from, pos, &size);
	if (n <= 0)
		return n;
	inode->size = size;
	inode_touch(inode, ATTR_MTIME | ATTR_CTIME);
	EXT4_I(inode)->dirty = true;
	if (f->flags & (O_SYNC | O_DSYNC)) {
		int err = f->f_op->fsync(f, true);
		if (err)
			return err;
	}
	return n;
}

static loff_t ext4_llseek(struct file *f, loff_t off, int whence)
{
	struct inode *inode = f->inode;
	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return generic_file_llseek(f, off, whence);
	if (off < 0 || off >= inode->size)
		return -ENXIO;
	/* Pages not yet on the disk are data too: put them there first. */
	int err = ext4_sync_inode(inode);
	if (err)
		return err;
	int64_t r = e2fs_seek(E2FS(inode), INO(inode), (uint64_t)off, (uint64_t)inode->size,
			      whence == SEEK_HOLE);
	if (r >= 0)
		f->pos = r;
	return r;
}

static int ext4_mmap(struct file *f, struct vma *v)
{
	struct inode *inode = f->inode;
	if (!E2FS(inode))
		return -EIO;
	int fd =
	    filemap_mmap(inode->i_mapping, v->pgoff, (int64_t)(v->end - v->start), inode->size);
	if (fd < 0)
		return fd;
	v->host_fd = fd;
	return 0;
}

/* Everything the file needs on the disk: its pages, its inode, and the
 * allocation state they depend on; then the host makes it durable. */
static int ext4_fsync(struct file *f, bool datasync)
{
	struct inode *inode = f->inode;
	struct ext4_sb_info *s = EXT4_SB(inode->sb);
	(void)datasync;
	if (!s->fs)
		return -EIO;
	if (inode->i_mapping)
		filemap_collect_shared(inode->i_mapping);
	int err = ext4_sync_inode(inode);
	if (!err)
		err = e2fs_flush(s->fs);
	if (!err)
		err = blkdev_flush(s->bdev);
	return err;
}

#define FALLOC_FL_KEEP_SIZE  0x01
#define FALLOC_FL_PUNCH_HOLE 0x02
#define FALLOC_FL_ZERO_RANGE 0x10

static int ext4_fallocate(struct file *f, int mode, loff_t off, loff_t len)
{
	struct inode *inode = f->inode;
	struct e2fs *fs = E2FS(inode);
	if (!fs)
		return -EIO;
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) {
		pr_warn("ext4: fallocate mode %#x not supported\n", mode);
		return -EOPNOTSUPP;
	}
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if (off + len < off || off + len > EXT4_MAX_BYTES)
		return -EFBIG;
	int err = 0;
	if (mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) {
		/* The cache zeroes the range first: its dirty pages must not
		 * come back over the freed blocks. */
		err = filemap_zero_range(inode->i_mapping, off, len, inode->size);
		if (!err)
			err = e2fs_punch(fs, INO(inode), (uint64_t)off, (uint64_t)len);
	}
	if (!err && !(mode & FALLOC_FL_PUNCH_HOLE))
		err = e2fs_allocate(fs, INO(inode), (uint64_t)off, (uint64_t)len);
	if (err)
		return err;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && off + len > inode->size)
		inode->size = off + len;
	inode_touch(inode, ATTR_MTIME | ATTR_CTIME);
	return ext4_write_inode(inode);
}

const struct file_operations ext4_file_fops = {
    .read = ext4_read,
    .write = ext4_write,
    .llseek = ext4_llseek,
    .mmap = ext4_mmap,
    .fsync = ext4_fsync,
    .fallocate = ext4_fallocate,
};

/* ---- Symlinks ---- */

static long ext4_readlink(struct dentry *d, char *buf, size_t len)
{
	struct inode *inode = d->inode;
	if (!E2FS(inode))
		return -EIO;
	return e2fs_readlink(E2FS(inode), INO(inode), buf, len);
}

/* ---- Extended attributes ---- */

long ext4_getxattr(struct dentry *d, const char *name, void *buf, size_t len)
{
	struct inode *inode = d->inode;
	return E2FS(inode) ? e2fs_getxattr(E2FS(inode), INO(inode), name, buf, len) : -EIO;
}

int ext4_setxattr(struct dentry *d, const char *name, const void *buf, size_t len, int flags)
{
	struct inode *inode = d->inode;
	if (!E2FS(inode))
		return -EIO;
	int err = e2fs_setxattr(E2FS(inode), INO(inode), name, buf, len, flags);
	if (!err) {
		inode_touch(inode, ATTR_CTIME);
		err = ext4_write_inode(inode);
	}
	return err;
}

long ext4_listxattr(struct dentry *d, char *buf, size_t len)
{
	struct inode *inode = d->inode;
	return E2FS(inode) ? e2fs_listxattr(E2FS(inode), INO(inode), buf, len) : -EIO;
}

int ext4_removexattr(struct dentry *d, const char *name)
{
	struct inode *inode = d->inode;
	if (!E2FS(inode))
		return -EIO;
	int err = e2fs_removexattr(E2FS(inode), INO(inode), name);
	if (!err) {
		inode_touch(inode, ATTR_CTIME);
		err = ext4_write_inode(inode);
	}
	return err;
}

#define EXT4_COMMON_IOPS                                                                           \
	.getattr = ext4_getattr, .setattr = ext4_setattr, .getxattr = ext4_getxattr,               \
	.setxattr = ext4_setxattr, .listxattr = ext4_listxattr, .removexattr = ext4_removexattr

static const struct inode_operations ext4_file_iops = {EXT4_COMMON_IOPS};
static const struct inode_operations ext4_special_iops = {EXT4_COMMON_IOPS};
static const struct inode_operations ext4_symlink_iops = {
    .readlink = ext4_readlink,
    EXT4_COMMON_IOPS,
};
