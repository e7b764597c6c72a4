/* ext4 directories as files: getdents at byte positions in the directory,
 * the same positions telldir and seekdir see. */
#include "kernel.h"
#include "fs.h"
#include "ext4.h"

static int fill_one(void *arg, const char *name, size_t len, uint32_t ino, unsigned type,
		    uint64_t next)
{
	struct dir_context *ctx = arg;
	return ctx->actor(ctx, name, len, (int64_t)next, ino, type) ? 0 : 1;
}

static int ext4_iterate(struct file *f, struct dir_context *ctx)
{
	struct inode *dir = f->inode;
	if (!E2FS(dir))
		return -EIO;
	if (ctx->pos < 0)
		return 0;
	ext4_accessed(f);
	return e2fs_dir_iterate(E2FS(dir), INO(dir), (uint64_t)ctx->pos, fill_one, ctx);
}

static loff_t ext4_dir_llseek(struct file *f, loff_t off, int whence)
{
	loff_t pos = whence == SEEK_SET ? off : whence == SEEK_CUR ? f->pos + off : -1;
	if ((whence != SEEK_SET && whence != SEEK_CUR) || pos < 0)
		return -EINVAL;
	f->pos = pos;
	return pos;
}

static int ext4_dir_fsync(struct file *f, bool datasync)
{
	struct ext4_sb_info *s = EXT4_SB(f->inode->sb);
	(void)datasync;
	if (!s->fs)
		return -EIO;
	int err = ext4_sync_inode(f->inode);
	return err ? err : e2fs_flush(s->fs);
}

const struct file_operations ext4_dir_fops = {
    .iterate = ext4_iterate,
    .llseek = ext4_dir_llseek,
    .fsync = ext4_dir_fsync,
};
