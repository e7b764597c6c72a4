/*
 * Pseudo-terminals (Unix 98): opening /dev/ptmx makes a pair. The master is
 * this file; the slave is a tty (/dev/pts/N) whose line discipline's output
 * lands in the master's buffer, and whatever is written to the master is
 * the slave's input.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "signal.h"
#include "syscall.h"
#include "uaccess.h"
#include "tty.h"
#include "devpts.h"
#include "uapi/misc.h"

#define PTY_BUF 65536
#define TIOCPKT_DATA 0

struct pty {
	struct tty slave;
	struct devpts *dp;
	int index;
	bool locked;        /* TIOCSPTLCK: the slave cannot be opened yet */
	bool master_open;
	bool slave_closed;  /* opened once, now closed by all */
	bool packet;        /* TIOCPKT */
	char obuf[PTY_BUF]; /* slave output not yet read from the master */
	size_t ohead, olen;
	struct wait_queue master_wait;
};

static struct pty *PTY(struct tty *tty)
{
	return container_of(tty, struct pty, slave);
}

struct tty *pty_slave_tty(struct pty *pty)
{
	return &pty->slave;
}

bool pty_master_open(struct pty *pty)
{
	return pty->master_open;
}

int pty_slave_open(struct pty *pty)
{
	if (!pty->master_open)
		return -ENOENT;
	if (pty->locked)
		return -EIO;
	pty->slave_closed = false;
	return 0;
}

static void pty_free_if_unused(struct pty *pty)
{
	if (pty->master_open || pty->slave.opens)
		return;
	tty_log_close(&pty->slave, false); /* input typed before the slave opened */
	devpts_kill_index(pty->dp, pty->index);
	kfree(pty);
}

/* ---- The slave's driver: output goes to the master ---- */

static long slave_write(struct tty *tty, const char *buf, size_t len)
{
	struct pty *pty = PTY(tty);
	size_t n = min(len, PTY_BUF - pty->olen);
	for (size_t i = 0; i < n; i++)
		pty->obuf[(pty->ohead + pty->olen + i) % PTY_BUF] = buf[i];
	pty->olen += n;
	if (n)
		wake_up(&pty->master_wait);
	return (long)n;
}

static size_t slave_write_room(struct tty *tty)
{
	struct pty *pty = PTY(tty);
	return pty->master_open ? PTY_BUF - pty->olen : PTY_BUF;
}

static void slave_close(struct tty *tty)
{
	struct pty *pty = PTY(tty);
	pty->slave_closed = true;
	wake_up(&pty->master_wait);
	pty_free_if_unused(pty);
}

static const struct tty_driver_ops slave_ops = {
	.write = slave_write,
	.write_room = slave_write_room,
	.close = slave_close,
};

/* ---- The master: /dev/ptmx ---- */

static struct pty *file_pty(struct file *f)
{
	return f->private;
}

static int ptmx_open(struct inode *inode, struct file *f)
{
	(void)inode;
	struct devpts *dp = devpts_for_ptmx(f);
	if (!dp)
		return -ENODEV;
	struct pty *pty = kzalloc(sizeof *pty);
	if (!pty)
		return -ENOMEM;
	int index = devpts_new_index(dp, pty);
	if (index < 0) {
		kfree(pty);
		return index;
	}
	struct tty *s = &pty->slave;
	pty->dp = dp;
	pty->index = index;
	pty->locked = true;
	pty->master_open = true;
	wait_queue_init(&pty->master_wait);
	wait_queue_init(&s->read_wait);
	wait_queue_init(&s->write_wait);
	s->ops = &slave_ops;
	s->rdev = MKDEV(PTY_SLAVE_MAJOR + index / 256, index % 256);
	snprintf(s->name, sizeof s->name, "pts/%d", index);
	tty_init_termios(s, true);
	s->owner_uid = current->cred.fsuid;
	devpts_slave_owner(dp, &s->owner_gid, &s->owner_mode);
	f->private = pty;
	return 0;
}

static void ptmx_release(struct file *f)
{
	struct pty *pty = file_pty(f);
	pty->master_open = false;
	tty_hangup(&pty->slave); /* its readers see end of file, writers EIO */
	pty_free_if_unused(pty);
}

static long ptmx_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	struct pty *pty = file_pty(f);
	while (!pty->olen) {
		if (pty->slave_closed)
			return -EIO;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(pty->master_wait,
						   pty->olen || pty->slave_closed);
		if (err)
			return err;
	}
	size_t done = 0;
	if (pty->packet) {
		char status = TIOCPKT_DATA;
		if (copy_to_iter(&status, 1, to) != 1)
			return -EFAULT;
		done = 1;
	}
	while (pty->olen && to->count) {
		size_t chunk = min(min(pty->olen, PTY_BUF - pty->ohead), to->count);
		size_t n = copy_to_iter(pty->obuf + pty->ohead, chunk, to);
		pty->ohead = (pty->ohead + n) % PTY_BUF;
		pty->olen -= n;
		done += n;
		if (n < chunk)
			break;
	}
	wake_up(&pty->slave.write_wait);
	return (long)done;
}

/* Room in the slave's input: the master's writer waits for the reader. */
static size_t input_room(struct tty *s)
{
	return TTY_BUF_SIZE - 1 - s->rlen;
}

static long ptmx_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)pos;
	struct tty *s = &file_pty(f)->slave;
	char buf[512];
	size_t done = 0;
	while (from->count) {
		if (!input_room(s)) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			int err = wait_event_interruptible(s->read_wait, input_room(s) > 0);
			if (err)
				return done ? (long)done : err;
		}
		size_t n = copy_from_iter(buf, min(min(from->count, sizeof buf), input_room(s)), from);
		if (!n)
			return done ? (long)done : -EFAULT;
		tty_receive(s, buf, n);
		done += n;
	}
	return (long)done;
}

static unsigned ptmx_poll(struct file *f, struct poll_table *pt)
{
	struct pty *pty = file_pty(f);
	poll_wait(f, &pty->master_wait, pt);
	poll_wait(f, &pty->slave.read_wait, pt);
	unsigned mask = 0;
	if (pty->olen)
		mask |= POLLIN | POLLRDNORM;
	if (pty->slave_closed)
		mask |= POLLHUP;
	if (input_room(&pty->slave))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static long ptmx_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct pty *pty = file_pty(f);
	int v;
	switch (cmd) {
	case TIOCGPTN:
		return put_user((unsigned)pty->index, arg) ? -EFAULT : 0;
	case TIOCSPTLCK:
		if (get_user(v, arg))
			return -EFAULT;
		pty->locked = v != 0;
		return 0;
	case TIOCGPTLCK:
		return put_user((int)pty->locked, arg) ? -EFAULT : 0;
	case TIOCPKT:
		if (get_user(v, arg))
			return -EFAULT;
		pty->packet = v != 0;
		return 0;
	case TIOCGPKT:
		return put_user((int)pty->packet, arg) ? -EFAULT : 0;
	case TIOCGPTPEER:
		return pty_open_peer(f, pty->index, (unsigned)arg);
	}
	/* termios, window size and the slave's process group, on the slave. */
	return tty_ioctl_on(&pty->slave, f, cmd, arg, true);
}

long pty_open_peer(struct file *master, int index, unsigned flags)
{
	if (flags & ~(unsigned)(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	struct file *f = devpts_open_slave(file_pty(master)->dp, index, flags);
	if (IS_ERR(f))
		return PTR_ERR(f);
	int fd = fd_install(f, flags);
	if (fd < 0)
		fput(f);
	return fd;
}

const struct file_operations ptmx_fops = {
	.open = ptmx_open,
	.release = ptmx_release,
	.read = ptmx_read,
	.write = ptmx_write,
	.poll = ptmx_poll,
	.ioctl = ptmx_ioctl,
};
