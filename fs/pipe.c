/* Pipes (pipe, pipe2) and FIFOs: a ring buffer with Linux's semantics. */
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
#include "uapi/termios.h"

#define PIPE_BUF      4096
#define PIPE_DEF_SIZE 65536
#define PIPE_MAX_SIZE (1 << 20)

struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof *p);
	if (!p)
		return NULL;
	p->size = PIPE_DEF_SIZE;
	p->buf = kmalloc(p->size);
	if (!p->buf) {
		kfree(p);
		return NULL;
	}
	wait_queue_init(&p->wait);
	return p;
}

void pipe_free(struct pipe *p)
{
	kfree(p->buf);
	kfree(p);
}

static struct pipe *file_pipe(struct file *f)
{
	return f->inode->pipe;
}

static long pipe_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	struct pipe *p = file_pipe(f);
	if (!to->count)
		return 0;
	while (!p->len) {
		if (!p->writers)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(p->wait, p->len || !p->writers);
		if (err)
			return err;
	}
	size_t done = 0;
	while (p->len && to->count) {
		size_t chunk = min(min(p->len, p->size - p->head), to->count);
		size_t n = copy_to_iter(p->buf + p->head, chunk, to);
		p->head = (p->head + n) % p->size;
		p->len -= n;
		done += n;
		if (n < chunk) {
			if (!done)
				return -EFAULT;
			break;
		}
	}
	if (!p->len)
		p->head = 0;
	wake_up_poll(&p->wait, POLLOUT | POLLWRNORM);
	return (long)done;
}

static size_t pipe_space(struct pipe *p)
{
	return p->size - p->len;
}

static long pipe_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)pos;
	struct pipe *p = file_pipe(f);
	size_t total = from->count, done = 0;
	if (!total)
		return 0;
	/* Writes of up to PIPE_BUF bytes are atomic. */
	size_t atomic = total <= PIPE_BUF ? total : 1;
	while (from->count) {
		if (!p->readers) {
			send_signal(SIGPIPE, NULL, current, false);
			return done ? (long)done : -EPIPE;
		}
		if (pipe_space(p) < atomic) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			int err = wait_event_interruptible(p->wait,
							   pipe_space(p) >= atomic || !p->readers);
			if (err)
				return done ? (long)done : err;
			continue;
		}
		while (pipe_space(p) && from->count) {
			size_t tail = (p->head + p->len) % p->size;
			size_t chunk = min(min(pipe_space(p), p->size - tail), from->count);
			size_t n = copy_from_iter(p->buf + tail, chunk, from);
			p->len += n;
			done += n;
			if (n < chunk) {
				wake_up_poll(&p->wait, POLLIN | POLLRDNORM);
				return done ? (long)done : -EFAULT;
			}
		}
		wake_up_poll(&p->wait, POLLIN | POLLRDNORM);
	}
	inode_touch(f->inode, ATTR_MTIME | ATTR_CTIME);
	return (long)done;
}

static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = file_pipe(f);
	poll_wait(f, &p->wait, pt);
	unsigned mask = 0;
	if (f->mode & FMODE_READ) {
		if (p->len)
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers && p->w_counter)
			mask |= POLLHUP;
	}
	if (f->mode & FMODE_WRITE) {
		if (pipe_space(p) >= PIPE_BUF)
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
		return put_user((int)file_pipe(f)->len, arg) ? -EFAULT : 0;
	return -ENOTTY;
}

long pipe_fcntl(struct file *f, int cmd, unsigned long arg)
{
	if (!f->inode->pipe)
		return -EBADF;
	struct pipe *p = file_pipe(f);
	if (cmd == F_GETPIPE_SZ)
		return (long)p->size;
	if (arg > PIPE_MAX_SIZE)
		return current->cred.euid ? -EPERM : -EINVAL;
	size_t size = PIPE_BUF;
	while (size < arg)
		size *= 2;
	if (size < p->len)
		return -EBUSY;
	char *nb = kmalloc(size);
	if (!nb)
		return -ENOMEM;
	for (size_t i = 0; i < p->len; i++)
		nb[i] = p->buf[(p->head + i) % p->size];
	kfree(p->buf);
	p->buf = nb;
	p->head = 0;
	p->size = size;
	wake_up(&p->wait);
	return (long)size;
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.release = pipe_release,
	.ioctl = pipe_ioctl,
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
	res[1] = file_alloc(&path, O_WRONLY | nb);
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
	if (flags & O_DIRECT) {
		pr_warn("%s[%d]: packet-mode pipes (O_DIRECT) not implemented\n", current->comm,
			current->tid);
		return -EINVAL;
	}
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
	if (copy_to_user(ufds, fd, sizeof fd)) {
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
