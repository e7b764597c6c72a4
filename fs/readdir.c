/* getdents64 and getdents. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "syscall.h"
#include "uaccess.h"

struct getdents_ctx {
	struct dir_context ctx;
	char *buf;
	size_t size, used;
	bool legacy; /* struct linux_dirent, type in the last byte */
	int error;
};

static bool fill_entry(struct dir_context *dc, const char *name, size_t len, int64_t off,
		       uint64_t ino, unsigned type)
{
	struct getdents_ctx *g = (struct getdents_ctx *)dc;
	size_t reclen = g->legacy ? ALIGN_UP(8 + 8 + 2 + len + 2, 8)
				  : ALIGN_UP(offsetof(struct linux_dirent64, d_name) + len + 1, 8);
	if (g->used + reclen > g->size) {
		if (!g->used)
			g->error = -EINVAL;
		return false;
	}
	char *p = g->buf + g->used;
	memset(p, 0, reclen);
	uint16_t rl = (uint16_t)reclen;
	memcpy(p, &ino, 8);
	memcpy(p + 8, &off, 8);
	memcpy(p + 16, &rl, 2);
	if (g->legacy) {
		memcpy(p + 18, name, len);
		p[reclen - 1] = (char)type;
	} else {
		p[18] = (char)type;
		memcpy(p + 19, name, len);
	}
	g->used += reclen;
	dc->pos = off;
	return true;
}

static long do_getdents(int fd, uaddr_t dirent, unsigned count, bool legacy)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long r;
	if (!S_ISDIR(f->inode->mode) || !f->f_op || !f->f_op->iterate) {
		r = -ENOTDIR;
		goto out;
	}
	if (f->path.dentry->deleted) {
		r = -ENOENT;
		goto out;
	}
	size_t size = min(count, 65536u);
	struct getdents_ctx g = {
	    {fill_entry, f->pos}, kmalloc(size ? size : 1), size, 0, legacy, 0};
	if (!g.buf) {
		r = -ENOMEM;
		goto out;
	}
	r = f->f_op->iterate(f, &g.ctx);
	if (r >= 0) {
		f->pos = g.ctx.pos;
		if (g.error && !g.used)
			r = g.error;
		else if (copy_result_to_user(dirent, g.buf, g.used))
			r = -EFAULT;
		else
			r = (long)g.used;
	}
	kfree(g.buf);
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE3(getdents64, int, fd, uaddr_t, dirent, unsigned, count)
{
	return do_getdents(fd, dirent, count, false);
}

SYSCALL_DEFINE3(getdents, int, fd, uaddr_t, dirent, unsigned, count)
{
	return do_getdents(fd, dirent, count, true);
}
