/* read, write and their vectored, positioned and copying variants; lseek. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "fsnotify.h"

static int rw_check(struct file *f, bool write)
{
	if (!(f->mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (!f->f_op || !(write ? f->f_op->write : f->f_op->read))
		return S_ISDIR(f->inode->mode) && !write ? -EISDIR : -EINVAL;
	return 0;
}

long vfs_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	int err = rw_check(f, false);
	if (err)
		return err;
	if (pos && *pos < 0)
		return -EINVAL;
	if (to->count > MAX_RW_COUNT)
		to->count = MAX_RW_COUNT;
	long r = f->f_op->read(f, to, pos ? pos : &f->pos);
	if (r > 0)
		fsnotify_dentry(f->path.dentry, IN_ACCESS);
	return r;
}

/* Writing past RLIMIT_FSIZE on a regular file: SIGXFSZ and EFBIG. */
static long fsize_check(struct file *f, struct iov_iter *from, loff_t pos)
{
	uint64_t lim = current->proc->rlim[RLIMIT_FSIZE].rlim_cur;
	if (!S_ISREG(f->inode->mode) || lim == RLIM_INFINITY)
		return 0;
	if ((uint64_t)pos >= lim) {
		send_signal(SIGXFSZ, NULL, current, false);
		return -EFBIG;
	}
	if ((uint64_t)pos + from->count > lim)
		from->count = lim - (uint64_t)pos;
	return 0;
}

long vfs_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	int err = rw_check(f, true);
	if (err)
		return err;
	loff_t *p = pos ? pos : &f->pos;
	if (*p < 0)
		return -EINVAL;
	if (from->count > MAX_RW_COUNT)
		from->count = MAX_RW_COUNT;
	long r = fsize_check(f, from, (f->flags & O_APPEND) && !pos ? f->inode->size : *p);
	if (r)
		return r;
	if (from->count && S_ISREG(f->inode->mode) && (r = file_remove_privs(&f->path)))
		return r;
	r = f->f_op->write(f, from, p);
	if (r > 0)
		fsnotify_dentry(f->path.dentry, IN_MODIFY);
	return r;
}

long kernel_read(struct file *f, void *buf, size_t len, loff_t *pos)
{
	struct iov_iter it;
	iov_iter_kernel(&it, buf, len);
	if (!f->f_op || !f->f_op->read)
		return -EINVAL;
	return f->f_op->read(f, &it, pos);
}

long kernel_write(struct file *f, const void *buf, size_t len, loff_t *pos)
{
	struct iov_iter it;
	iov_iter_kernel(&it, (void *)buf, len);
	if (!f->f_op || !f->f_op->write)
		return -EINVAL;
	return f->f_op->write(f, &it, pos);
}

long simple_read_from_buffer(struct iov_iter *to, loff_t *pos, const void *from, size_t avail)
{
	if (*pos < 0)
		return -EINVAL;
	if ((size_t)*pos >= avail)
		return 0;
	size_t n = min(avail - (size_t)*pos, to->count);
	size_t done = copy_to_iter((const char *)from + *pos, n, to);
	if (!done && n)
		return -EFAULT;
	*pos += (loff_t)done;
	return (long)done;
}

loff_t file_position(struct file *f, loff_t off, int whence)
{
	loff_t base;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = f->inode->size;
		break;
	default:
		return -EINVAL;
	}
	if (off > 0 && base > INT64_MAX - off)
		return -EOVERFLOW;
	return base + off < 0 ? -EINVAL : base + off;
}

loff_t generic_file_llseek(struct file *f, loff_t off, int whence)
{
	/* No holes are known: data runs to the end, the one hole is there. */
	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		if (off < 0 || off >= f->inode->size)
			return -ENXIO;
		if (whence == SEEK_HOLE)
			off = f->inode->size;
		whence = SEEK_SET;
	}
	loff_t pos = file_position(f, off, whence);
	if (pos >= 0)
		f->pos = pos;
	return pos;
}

/* Files with no position that still accept lseek (eventfd, timerfd, ...). */
loff_t noop_llseek(struct file *f, loff_t off, int whence)
{
	(void)off;
	(void)whence;
	return f->pos;
}

static long do_read(int fd, struct iov_iter *it, loff_t *pos, bool positioned)
{
	it->result = true;
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long r;
	if (positioned &&
	    (S_ISFIFO(f->inode->mode) || S_ISSOCK(f->inode->mode) || !f->f_op->llseek))
		r = -ESPIPE;
	else
		r = vfs_read(f, it, pos);
	fput(f);
	return r;
}

/* RWF_APPEND: this one write goes to the end of a regular file, as if it
 * were O_APPEND; the file position moves only when no position was given. */
static long write_append(struct file *f, struct iov_iter *it, loff_t *pos)
{
	if (!S_ISREG(f->inode->mode) || !f->f_op->llseek)
		return vfs_write(f, it, pos);
	loff_t saved = f->pos;
	loff_t end = f->f_op->llseek(f, 0, SEEK_END); /* refreshes a host file's size */
	f->pos = saved;
	if (end < 0)
		return end;
	long r = vfs_write(f, it, &end);
	if (r >= 0 && !pos)
		f->pos = end;
	return r;
}

static long do_write(int fd, struct iov_iter *it, loff_t *pos, bool positioned, bool append)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long r;
	if (positioned &&
	    (S_ISFIFO(f->inode->mode) || S_ISSOCK(f->inode->mode) || !f->f_op->llseek))
		r = -ESPIPE;
	else if (append)
		r = write_append(f, it, pos);
	else
		r = vfs_write(f, it, pos);
	fput(f);
	return r;
}

SYSCALL_DEFINE3(read, int, fd, uaddr_t, buf, size_t, count)
{
	struct iov_iter it;
	iov_iter_user(&it, buf, count);
	return do_read(fd, &it, NULL, false);
}

SYSCALL_DEFINE3(write, int, fd, uaddr_t, buf, size_t, count)
{
	struct iov_iter it;
	iov_iter_user(&it, buf, count);
	return do_write(fd, &it, NULL, false, false);
}

SYSCALL_DEFINE4(pread64, int, fd, uaddr_t, buf, size_t, count, loff_t, pos)
{
	struct iov_iter it;
	if (pos < 0)
		return -EINVAL;
	iov_iter_user(&it, buf, count);
	return do_read(fd, &it, &pos, true);
}

SYSCALL_DEFINE4(pwrite64, int, fd, uaddr_t, buf, size_t, count, loff_t, pos)
{
	struct iov_iter it;
	if (pos < 0)
		return -EINVAL;
	iov_iter_user(&it, buf, count);
	return do_write(fd, &it, &pos, true, false);
}

#define RWF_APPEND    0x10
#define RWF_SUPPORTED 0x1f /* HIPRI, DSYNC, SYNC, NOWAIT: hints, met by doing the I/O */

static long vectored(int fd, uaddr_t uvec, unsigned long n, loff_t *pos, bool write,
		     bool positioned, int rwf)
{
	struct kvec *vec;
	struct iov_iter it;
	long r = import_iovec(uvec, n, &vec, &it);
	if (r < 0)
		return r;
	r = write ? do_write(fd, &it, pos, positioned, rwf & RWF_APPEND)
		  : do_read(fd, &it, pos, positioned);
	kfree(vec);
	return r;
}

SYSCALL_DEFINE3(readv, int, fd, uaddr_t, vec, unsigned long, n)
{
	return vectored(fd, vec, n, NULL, false, false, 0);
}

SYSCALL_DEFINE3(writev, int, fd, uaddr_t, vec, unsigned long, n)
{
	return vectored(fd, vec, n, NULL, true, false, 0);
}

SYSCALL_DEFINE4(preadv, int, fd, uaddr_t, vec, unsigned long, n, loff_t, pos)
{
	if (pos < 0)
		return -EINVAL;
	return vectored(fd, vec, n, &pos, false, true, 0);
}

SYSCALL_DEFINE4(pwritev, int, fd, uaddr_t, vec, unsigned long, n, loff_t, pos)
{
	if (pos < 0)
		return -EINVAL;
	return vectored(fd, vec, n, &pos, true, true, 0);
}

/* x86-64 passes the offset as two halves (pos_h is 0) and the flags sixth. */
SYSCALL_DEFINE6(preadv2, int, fd, uaddr_t, vec, unsigned long, n, loff_t, pos, long, pos_h, int,
		flags)
{
	if (flags & ~RWF_SUPPORTED)
		return -EOPNOTSUPP;
	if (pos == -1)
		return vectored(fd, vec, n, NULL, false, false, flags);
	if (pos < 0)
		return -EINVAL;
	return vectored(fd, vec, n, &pos, false, true, flags);
}

SYSCALL_DEFINE6(pwritev2, int, fd, uaddr_t, vec, unsigned long, n, loff_t, pos, long, pos_h, int,
		flags)
{
	if (flags & ~RWF_SUPPORTED)
		return -EOPNOTSUPP;
	if (pos == -1)
		return vectored(fd, vec, n, NULL, true, false, flags);
	if (pos < 0)
		return -EINVAL;
	return vectored(fd, vec, n, &pos, true, true, flags);
}

SYSCALL_DEFINE3(lseek, int, fd, loff_t, off, int, whence)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long r;
	if (!f->f_op || !f->f_op->llseek)
		r = -ESPIPE;
	else if (whence < SEEK_SET || whence > SEEK_HOLE)
		r = -EINVAL;
	else
		r = f->f_op->llseek(f, off, whence);
	fput(f);
	return r;
}

/* Copies through a kernel buffer: sendfile and copy_file_range. */
static long copy_between(struct file *in, loff_t *inpos, struct file *out, loff_t *outpos,
			 size_t count)
{
	char *buf = kmalloc(65536);
	if (!buf)
		return -ENOMEM;
	long total = 0;
	while (count) {
		size_t chunk = min(count, (size_t)65536);
		struct iov_iter it;
		iov_iter_kernel(&it, buf, chunk);
		long n = vfs_read(in, &it, inpos);
		if (n <= 0) {
			if (!total)
				total = n;
			break;
		}
		iov_iter_kernel(&it, buf, (size_t)n);
		long w = vfs_write(out, &it, outpos);
		if (w <= 0) {
			if (!total)
				total = w;
			break;
		}
		total += w;
		count -= (size_t)w;
		if (w < n) {
			*(inpos ? inpos : &in->pos) -= n - w; /* unread what was not written */
			break;
		}
		if ((size_t)n < chunk)
			break;
	}
	kfree(buf);
	return total;
}

/* Linux's do_sendfile: the input must be readable at pos (and seekable if
 * an offset is given); splicing to a file needs a regular input and no
 * O_APPEND, splicing to a pipe anything but a pipe. */
SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, uaddr_t, uoffset, size_t, count)
{
	struct file *in = fget(in_fd), *out = NULL;
	long r = -EBADF;
	if (!in || !(in->mode & FMODE_READ))
		goto out;
	loff_t pos = in->pos, *ppos = NULL;
	if (uoffset) {
		r = -EFAULT;
		if (get_user(pos, uoffset))
			goto out;
		r = -ESPIPE;
		if (S_ISFIFO(in->inode->mode) || S_ISSOCK(in->inode->mode) || !in->f_op->llseek)
			goto out;
		ppos = &pos;
	}
	r = -EINVAL;
	if (pos < 0)
		goto out;
	out = fget(out_fd);
	r = -EBADF;
	if (!out || !(out->mode & FMODE_WRITE))
		goto out;
	r = -EINVAL;
	bool to_pipe = S_ISFIFO(out->inode->mode);
	if (to_pipe ? S_ISFIFO(in->inode->mode) || S_ISSOCK(in->inode->mode)
		    : !S_ISREG(in->inode->mode) || (out->flags & O_APPEND))
		goto out;
	r = copy_between(in, ppos, out, NULL, min(count, (size_t)MAX_RW_COUNT));
	if (ppos && r >= 0 && put_user(pos, uoffset))
		r = -EFAULT;
out:
	return put_files(in, out, r);
}

/* Linux's checks in order: descriptors, offsets, file types and modes
 * (generic_file_rw_checks), wrap-around, the copy cut at EOF, and no
 * overlap within one file (generic_copy_file_checks). */
static long copy_range_checks(struct file *in, loff_t pin, struct file *out, loff_t pout,
			      size_t *len)
{
	if (S_ISDIR(in->inode->mode) || S_ISDIR(out->inode->mode))
		return -EISDIR;
	if (!S_ISREG(in->inode->mode) || !S_ISREG(out->inode->mode))
		return -EINVAL;
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE) || (out->flags & O_APPEND))
		return -EBADF;
	if ((uint64_t)pin + *len < (uint64_t)pin || (uint64_t)pout + *len < (uint64_t)pout)
		return -EOVERFLOW;
	vfs_getattr(&in->path); /* a host file's size may have moved */
	int64_t size = in->inode->size;
	*len = pin >= size ? 0 : min(*len, (size_t)(size - pin));
	if (in->inode == out->inode && pout + (loff_t)*len > pin && pout < pin + (loff_t)*len)
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE6(copy_file_range, int, fd_in, uaddr_t, uoff_in, int, fd_out, uaddr_t, uoff_out,
		size_t, len, unsigned, flags)
{
	if (flags)
		return -EINVAL;
	struct file *in = fget(fd_in), *out = fget(fd_out);
	long r = -EBADF;
	if (!in || !out)
		goto out;
	loff_t pin = in->pos, pout = out->pos;
	r = -EFAULT;
	if ((uoff_in && get_user(pin, uoff_in)) || (uoff_out && get_user(pout, uoff_out)))
		goto out;
	len = min(len, (size_t)MAX_RW_COUNT);
	r = copy_range_checks(in, pin, out, pout, &len);
	if (r || !len)
		goto out;
	r = copy_between(in, &pin, out, &pout, len);
	if (r < 0)
		goto out;
	if (uoff_in ? put_user(pin, uoff_in) : (in->pos = pin, 0))
		r = -EFAULT;
	if (uoff_out ? put_user(pout, uoff_out) : (out->pos = pout, 0))
		r = -EFAULT;
out:
	return put_files(in, out, r);
}
