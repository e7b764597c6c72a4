/*
 * splice, tee and vmsplice: moving bytes to and from pipes without the
 * caller's buffer. umk copies through a kernel buffer (Linux moves page
 * references); what a call does and returns is Linux's: one side a pipe,
 * waits as on the pipe (SPLICE_F_NONBLOCK or the pipe's O_NONBLOCK: EAGAIN),
 * a short count when the output takes less, bytes the output refused left
 * in the pipe.
 */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "pipe.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/fcntl.h"

#define SPLICE_CHUNK 65536 /* bytes moved at most per call */

static struct pipe *pipe_of(struct file *f)
{
	return S_ISFIFO(f->inode->mode) ? f->inode->pipe : NULL;
}

static bool nonblocking(unsigned flags, struct file *f)
{
	return (flags & SPLICE_F_NONBLOCK) || (f->flags & O_NONBLOCK);
}

/*
 * Copies up to len bytes from the pipe in to out (at *pos, or its file
 * position), after waiting for data and, when out is a pipe (opipe), for
 * room there. With consume (splice) the bytes out took leave in; without
 * (tee) they stay.
 */
static long pipe_to_file(struct pipe *in, struct file *out, struct pipe *opipe, loff_t *pos,
			 size_t len, bool nonblock, bool consume)
{
	int ready = pipe_wait_readable(in, nonblock);
	if (ready)
		return ready > 0 ? 0 : ready;
	if (opipe && (ready = pipe_wait_writable(opipe, nonblock)))
		return ready;
	len = min(len, (size_t)SPLICE_CHUNK);
	if (opipe)
		len = min(len, pipe_room(opipe));
	char *buf = kmalloc(len);
	if (!buf)
		return -ENOMEM;
	struct iov_iter it;
	iov_iter_kernel(&it, buf, pipe_peek(in, buf, len));
	long n = vfs_write(out, &it, pos);
	if (n > 0 && consume)
		pipe_consume(in, (size_t)n);
	kfree(buf);
	return n;
}

/* Reads up to len bytes of in (at *pos, or its file position) into the
 * pipe of out, after waiting for room there. */
static long file_to_pipe(struct file *in, loff_t *pos, struct pipe *opipe, struct file *out,
			 size_t len, bool nonblock)
{
	int ready = pipe_wait_writable(opipe, nonblock);
	if (ready)
		return ready;
	len = min(min(len, (size_t)SPLICE_CHUNK), pipe_room(opipe));
	char *buf = kmalloc(len);
	if (!buf)
		return -ENOMEM;
	struct iov_iter it;
	iov_iter_kernel(&it, buf, len);
	long n = vfs_read(in, &it, pos);
	if (n > 0) {
		iov_iter_kernel(&it, buf, (size_t)n);
		n = vfs_write(out, &it, NULL); /* fits: it was room */
	}
	kfree(buf);
	return n;
}

/* A file-side offset: the file must be seekable (Linux: FMODE_PREAD/PWRITE). */
static bool positionable(struct file *f)
{
	return f->f_op && f->f_op->llseek && !S_ISSOCK(f->inode->mode);
}

/* Linux's do_splice, once the offsets are read: modes, then which side is
 * a pipe. */
static long do_splice(struct file *in, loff_t *off_in, struct file *out, loff_t *off_out,
		      size_t len, unsigned flags)
{
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		return -EBADF;
	struct pipe *ipipe = pipe_of(in), *opipe = pipe_of(out);
	len = min(len, (size_t)MAX_RW_COUNT);
	if (ipipe && opipe) {
		if (ipipe == opipe)
			return -EINVAL;
		return pipe_to_file(ipipe, out, opipe, NULL, len,
				    nonblocking(flags, in) || nonblocking(flags, out), true);
	}
	if (ipipe) {
		if ((off_out && !positionable(out)) || (out->flags & O_APPEND))
			return -EINVAL;
		return pipe_to_file(ipipe, out, NULL, off_out, len, nonblocking(flags, in), true);
	}
	if (opipe) {
		if (off_in && !positionable(in))
			return -EINVAL;
		return file_to_pipe(in, off_in, opipe, out, len, nonblocking(flags, out));
	}
	return -EINVAL;
}

/* Reads a guest offset for splice; NULL when none was given. */
static int get_offset(uaddr_t uoff, loff_t *off, loff_t **poff)
{
	*poff = NULL;
	if (!uoff)
		return 0;
	if (get_user(*off, uoff))
		return -EFAULT;
	*poff = off;
	return 0;
}

SYSCALL_DEFINE6(splice, int, fd_in, uaddr_t, uoff_in, int, fd_out, uaddr_t, uoff_out, size_t, len,
		unsigned, flags)
{
	if (!len)
		return 0;
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct file *in = fget(fd_in), *out = in ? fget(fd_out) : NULL;
	loff_t oin, oout, *poin, *poout;
	long r = -EBADF;
	if (!in || !out)
		goto out;
	r = -ESPIPE;
	if ((pipe_of(in) && uoff_in) || (pipe_of(out) && uoff_out))
		goto out;
	r = get_offset(uoff_out, &oout, &poout);
	if (!r)
		r = get_offset(uoff_in, &oin, &poin);
	if (r)
		goto out;
	r = do_splice(in, poin, out, poout, len, flags);
	if (r > 0 && ((poin && put_user(oin, uoff_in)) || (poout && put_user(oout, uoff_out))))
		r = -EFAULT;
out:
	return put_files(in, out, r);
}

SYSCALL_DEFINE4(tee, int, fd_in, int, fd_out, size_t, len, unsigned, flags)
{
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!len)
		return 0;
	struct file *in = fget(fd_in), *out = in ? fget(fd_out) : NULL;
	long r = -EBADF;
	if (!in || !out)
		goto out;
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		goto out;
	struct pipe *ipipe = pipe_of(in), *opipe = pipe_of(out);
	r = -EINVAL;
	if (ipipe && opipe && ipipe != opipe)
		r = pipe_to_file(ipipe, out, opipe, NULL, min(len, (size_t)MAX_RW_COUNT),
				 nonblocking(flags, in) || nonblocking(flags, out), false);
out:
	return put_files(in, out, r);
}

/* vmsplice: the guest's memory into a pipe's write end, or out of its read
 * end, as writev and readv would, but waiting as splice does. */
static long vmsplice_pipe(struct file *f, struct iov_iter *it, unsigned flags)
{
	struct pipe *p = pipe_of(f);
	if (!p)
		return -EBADF;
	if (!it->count)
		return 0;
	bool nonblock = nonblocking(flags, f);
	int ready;
	if (f->mode & FMODE_WRITE) {
		if ((ready = pipe_wait_writable(p, nonblock)))
			return ready;
		if (nonblock)
			it->count = min(it->count, pipe_room(p));
		return vfs_write(f, it, NULL);
	}
	if ((ready = pipe_wait_readable(p, nonblock)))
		return ready > 0 ? 0 : ready;
	return vfs_read(f, it, NULL);
}

SYSCALL_DEFINE4(vmsplice, int, fd, uaddr_t, uiov, unsigned long, nr_segs, unsigned, flags)
{
	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long r = -EBADF;
	struct kvec *vec = NULL;
	struct iov_iter it;
	if (f->mode & (FMODE_READ | FMODE_WRITE)) {
		r = import_iovec(uiov, nr_segs, &vec, &it);
		if (r >= 0)
			r = vmsplice_pipe(f, &it, flags);
	}
	kfree(vec);
	fput(f);
	return r;
}
