/*
 * Pipes (pipe, pipe2) and FIFOs, as Linux builds them: a ring of page-sized
 * buffers (16 by default). A write fills the last buffer when its remainder
 * fits there, then whole new pages; a read empties buffers in order. So
 * room comes back a page at a time, a write of up to PIPE_BUF bytes is
 * atomic, a page whose copy faults is dropped, and O_DIRECT ("packet
 * mode") keeps each write's pages apart, one read per packet.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "pipe.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/misc.h"
#include "uapi/mman.h"
#include "uapi/termios.h"

#define PIPE_BUF       4096
#define PIPE_DEF_SLOTS 16
#define PIPE_MAX_SIZE  (1 << 20)

struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof *p);
	if (!p)
		return NULL;
	p->slots = PIPE_DEF_SLOTS;
	p->bufs = kzalloc(sizeof *p->bufs * p->slots);
	if (!p->bufs) {
		kfree(p);
		return NULL;
	}
	wait_queue_init(&p->wait);
	return p;
}

void pipe_free(struct pipe *p)
{
	for (unsigned i = 0; i < p->slots; i++)
		kfree(p->bufs[i].page);
	kfree(p->bufs);
	kfree(p);
}

static struct pipe *file_pipe(struct file *f)
{
	return f->inode->pipe;
}

static bool pipe_empty(struct pipe *p)
{
	return p->head == p->tail;
}

static bool pipe_full(struct pipe *p)
{
	return p->head - p->tail >= p->slots;
}

static struct pipe_buffer *slot(struct pipe *p, unsigned i)
{
	return &p->bufs[i % p->slots];
}

static size_t pipe_bytes(struct pipe *p)
{
	size_t n = 0;
	for (unsigned i = p->tail; i != p->head; i++)
		n += slot(p, i)->len;
	return n;
}

int pipe_wait_readable(struct pipe *p, bool nonblock)
{
	while (pipe_empty(p)) {
		if (!p->writers)
			return 1;
		if (nonblock)
			return -EAGAIN;
		int err = wait_event_interruptible(p->wait, !pipe_empty(p) || !p->writers);
		if (err)
			return err;
	}
	return 0;
}

int pipe_wait_writable(struct pipe *p, bool nonblock)
{
	for (;;) {
		if (!p->readers) {
			send_signal(SIGPIPE, NULL, current, false);
			return -EPIPE;
		}
		if (!pipe_full(p))
			return 0;
		if (nonblock)
			return -EAGAIN;
		wake_up_poll(&p->wait, POLLIN | POLLRDNORM);
		int err = wait_event_interruptible(p->wait, !pipe_full(p) || !p->readers);
		if (err)
			return err;
	}
}

size_t pipe_room(struct pipe *p)
{
	return (p->slots - (p->head - p->tail)) * PAGE_SIZE;
}

size_t pipe_peek(struct pipe *p, void *buf, size_t len)
{
	size_t done = 0;
	for (unsigned i = p->tail; i != p->head && done < len; i++) {
		struct pipe_buffer *b = slot(p, i);
		size_t n = min((size_t)b->len, len - done);
		memcpy((char *)buf + done, b->page + b->offset, n);
		done += n;
	}
	return done;
}

void pipe_consume(struct pipe *p, size_t n)
{
	while (n && !pipe_empty(p)) {
		struct pipe_buffer *b = slot(p, p->tail);
		unsigned k = (unsigned)min((size_t)b->len, n);
		b->offset += k;
		b->len -= k;
		n -= k;
		if (!b->len)
			p->tail++;
	}
	wake_up_poll(&p->wait, POLLOUT | POLLWRNORM);
}

static long pipe_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	struct pipe *p = file_pipe(f);
	if (!to->count)
		return 0;
	int ready = pipe_wait_readable(p, f->flags & O_NONBLOCK);
	if (ready)
		return ready > 0 ? 0 : ready;
	size_t done = 0;
	while (!pipe_empty(p) && to->count) {
		struct pipe_buffer *b = slot(p, p->tail);
		size_t chars = min((size_t)b->len, to->count);
		/* A buffer whose copy faults stays whole, for the next read. */
		if (chars && copy_to_iter(b->page + b->offset, chars, to) < chars) {
			wake_up_poll(&p->wait, POLLOUT | POLLWRNORM);
			return done ? (long)done : -EFAULT;
		}
		done += chars;
		b->offset += (unsigned)chars;
		b->len -= (unsigned)chars;
		if (b->packet)
			b->len = 0; /* the rest of a packet goes: one packet per read */
		if (!b->len)
			p->tail++;
		if (b->packet)
			break;
	}
	wake_up_poll(&p->wait, POLLOUT | POLLWRNORM);
	return (long)done;
}

/* The next free buffer, with its page. */
static struct pipe_buffer *pipe_new_buffer(struct pipe *p, bool packet)
{
	struct pipe_buffer *b = slot(p, p->head);
	if (!b->page && !(b->page = kmalloc(PAGE_SIZE)))
		return NULL;
	b->offset = b->len = 0;
	b->packet = packet;
	p->head++;
	return b;
}

static long pipe_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)pos;
	struct pipe *p = file_pipe(f);
	size_t total = from->count, done = 0;
	bool packet = f->flags & O_DIRECT;
	if (!total)
		return 0;
	if (!p->readers) {
		send_signal(SIGPIPE, NULL, current, false);
		return -EPIPE;
	}
	/* What does not fill whole pages may join the last buffer. */
	size_t chars = total & (PAGE_SIZE - 1);
	if (chars && !pipe_empty(p)) {
		struct pipe_buffer *b = slot(p, p->head - 1);
		if (!b->packet && b->offset + b->len + chars <= PAGE_SIZE) {
			if (copy_from_iter(b->page + b->offset + b->len, chars, from) < chars)
				return -EFAULT;
			b->len += (unsigned)chars;
			done = chars;
		}
	}
	long err = 0;
	while (from->count) {
		if ((err = pipe_wait_writable(p, f->flags & O_NONBLOCK)))
			break;
		struct pipe_buffer *b = pipe_new_buffer(p, packet);
		if (!b) {
			err = -ENOMEM;
			break;
		}
		size_t want = min(from->count, (size_t)PAGE_SIZE);
		size_t n = copy_from_iter(b->page, want, from);
		if (n < want) { /* the page is dropped: an empty buffer stays */
			err = -EFAULT;
			break;
		}
		b->len = (unsigned)n;
		done += n;
		wake_up_poll(&p->wait, POLLIN | POLLRDNORM);
	}
	wake_up_poll(&p->wait, POLLIN | POLLRDNORM);
	if (done)
		inode_touch(f->inode, ATTR_MTIME | ATTR_CTIME);
	return done ? (long)done : err;
}

static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = file_pipe(f);
	poll_wait(f, &p->wait, pt);
	unsigned mask = 0;
	if (f->mode & FMODE_READ) {
		if (!pipe_empty(p))
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers && p->w_counter)
			mask |= POLLHUP;
	}
	if (f->mode & FMODE_WRITE) {
		if (!pipe_full(p))
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	return mask;
}

/* The buffer goes with the last end: a FIFO reopened later starts empty. */
static void pipe_release(struct file *f)
{
	struct pipe *p = file_pipe(f);
	if (f->mode & FMODE_READ)
		p->readers--;
	if (f->mode & FMODE_WRITE)
		p->writers--;
	wake_up(&p->wait);
	if (!p->readers && !p->writers) {
		pipe_free(p);
		f->inode->pipe = NULL;
	}
}

static long pipe_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	if (cmd == FIONREAD)
		return put_user((int)pipe_bytes(file_pipe(f)), arg) ? -EFAULT : 0;
	return -ENOTTY;
}

/* O_DIRECT switches packet mode on and off, as in Linux. */
static int pipe_setfl(struct file *f, unsigned flags)
{
	(void)f;
	(void)flags;
	return 0;
}

long pipe_fcntl(struct file *f, int cmd, unsigned long arg)
{
	if (!f->inode->pipe)
		return -EBADF;
	struct pipe *p = file_pipe(f);
	if (cmd == F_GETPIPE_SZ)
		return (long)p->slots * PAGE_SIZE;
	if (arg > PIPE_MAX_SIZE)
		return current->cred.euid ? -EPERM : -EINVAL;
	unsigned slots = 1;
	while ((size_t)slots * PAGE_SIZE < arg)
		slots *= 2;
	if (slots < p->head - p->tail)
		return -EBUSY;
	struct pipe_buffer *nb = kzalloc(sizeof *nb * slots);
	if (!nb)
		return -ENOMEM;
	unsigned n = 0;
	for (unsigned i = p->tail; i != p->head; i++)
		nb[n++] = *slot(p, i);
	for (unsigned i = 0; i < p->slots; i++) { /* pages of free buffers */
		bool kept = false;
		for (unsigned k = 0; k < n; k++)
			kept |= nb[k].page == p->bufs[i].page;
		if (!kept)
			kfree(p->bufs[i].page);
	}
	kfree(p->bufs);
	p->bufs = nb;
	p->slots = slots;
	p->tail = 0;
	p->head = n;
	wake_up(&p->wait);
	return (long)slots * PAGE_SIZE;
}

static const struct file_operations pipe_fops = {
    .read = pipe_read,
    .write = pipe_write,
    .poll = pipe_poll,
    .release = pipe_release,
    .ioctl = pipe_ioctl,
    .setfl = pipe_setfl,
};

/* ---- FIFOs: the pipe lives in the inode while any end is open ---- */

static int fifo_open(struct inode *inode, struct file *f)
{
	if (!inode->pipe && !(inode->pipe = pipe_alloc()))
		return -ENOMEM;
	struct pipe *p = inode->pipe;
	bool nonblock = f->flags & O_NONBLOCK;
	f->f_op = &pipe_fops;
	switch (f->mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		p->readers++;
		p->r_counter++;
		wake_up(&p->wait);
		if (!nonblock && !p->writers) {
			int c = p->w_counter;
			int err = wait_event_interruptible(p->wait, p->w_counter != c);
			if (err) {
				p->readers--;
				return err;
			}
		}
		break;
	case FMODE_WRITE:
		if (nonblock && !p->readers)
			return -ENXIO;
		p->writers++;
		p->w_counter++;
		wake_up(&p->wait);
		if (!p->readers) {
			int c = p->r_counter;
			int err = wait_event_interruptible(p->wait, p->r_counter != c);
			if (err) {
				p->writers--;
				wake_up(&p->wait);
				return err;
			}
		}
		break;
	case FMODE_READ | FMODE_WRITE:
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		wake_up(&p->wait);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

const struct file_operations fifo_fops = {
    .open = fifo_open,
};

/* ---- Anonymous pipes: inodes of an internal pipefs ---- */

static struct super_block *pipefs_sb;

static struct inode *pipe_inode(void)
{
	if (!pipefs_sb) {
		pipefs_sb = sb_alloc(NULL, SB_PSEUDO);
		if (!pipefs_sb)
			return NULL;
		pipefs_sb->magic = 0x50495045; /* PIPEFS_MAGIC */
	}
	struct inode *inode = new_inode(pipefs_sb);
	if (!inode)
		return NULL;
	inode->pipe = pipe_alloc();
	if (!inode->pipe) {
		iput(inode);
		return NULL;
	}
	inode->ino = get_next_ino(pipefs_sb);
	inode->mode = S_IFIFO | 0600;
	inode->uid = current->cred.fsuid;
	inode->gid = current->cred.fsgid;
	inode_init_times(inode);
	return inode;
}

int create_pipe_files(struct file **res, int flags)
{
	struct inode *inode = pipe_inode();
	if (!inode)
		return -ENOMEM;
	char name[32];
	snprintf(name, sizeof name, "pipe:[%llu]", (unsigned long long)inode->ino);
	struct dentry *d = d_alloc_pseudo(pipefs_sb, inode, name);
	if (!d) {
		iput(inode);
		return -ENOMEM;
	}
	struct path path = {pseudo_mnt(), d};
	unsigned nb = flags & O_NONBLOCK;
	res[0] = file_alloc(&path, O_RDONLY | nb);
	res[1] = file_alloc(&path, O_WRONLY | nb | (flags & O_DIRECT)); /* packets: the writer's */
	dput(d);
	mntput(path.mnt);
	if (!res[0] || !res[1]) {
		fput(res[0]);
		fput(res[1]);
		return -ENOMEM;
	}
	res[0]->f_op = res[1]->f_op = &pipe_fops;
	inode->pipe->readers = inode->pipe->writers = 1;
	inode->pipe->r_counter = inode->pipe->w_counter = 1;
	return 0;
}

static long do_pipe2(uaddr_t ufds, int flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	struct file *files[2];
	int err = create_pipe_files(files, flags);
	if (err)
		return err;
	int fd[2];
	fd[0] = fd_install(files[0], (unsigned)flags);
	if (fd[0] < 0) {
		fput(files[0]);
		fput(files[1]);
		return fd[0];
	}
	fd[1] = fd_install(files[1], (unsigned)flags);
	if (fd[1] < 0) {
		fd_close(fd[0]);
		fput(files[1]);
		return fd[1];
	}
	if (copy_result_to_user(ufds, fd, sizeof fd)) {
		fd_close(fd[0]);
		fd_close(fd[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE1(pipe, uaddr_t, ufds)
{
	return do_pipe2(ufds, 0);
}

SYSCALL_DEFINE2(pipe2, uaddr_t, ufds, int, flags)
{
	return do_pipe2(ufds, flags);
}
