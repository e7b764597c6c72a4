/*
 * Pseudo-terminals (Unix 98): opening /dev/ptmx makes a pair. The master is
 * this file; the slave is a tty (/dev/pts/N) whose line discipline's output
 * lands in the master's buffer, and whatever is written to the master is
 * the slave's input.
 */
#include <stdio.h>
#include "kernel.h"
#include "capability.h"
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

struct pty {
	struct tty slave;
	struct devpts *dp;
	int index;
	bool locked; /* TIOCSPTLCK: the slave cannot be opened yet */
	bool master_open;
	bool slave_closed;  /* opened once, now closed by all */
	bool packet;	    /* TIOCPKT */
	uint8_t pktstatus;  /* TIOCPKT_FLUSHREAD...: what packet mode reports next */
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

/* Packet mode: the master's next read is the status alone. */
static void packet_status(struct pty *pty, uint8_t clear, uint8_t set)
{
	if (!pty->packet)
		return;
	pty->pktstatus = (uint8_t)((pty->pktstatus & ~clear) | set);
	wake_up(&pty->master_wait);
}

/* Output already written has reached the master's input queue, which a
 * flush of the slave's output leaves alone in Linux too (it drops only
 * bytes still in flight); packet mode hears of the flush. */
static void slave_flush_output(struct tty *tty)
{
	packet_status(PTY(tty), 0, TIOCPKT_FLUSHWRITE);
}

static void slave_input_flushed(struct tty *tty)
{
	packet_status(PTY(tty), 0, TIOCPKT_FLUSHREAD);
}

static void slave_flow(struct tty *tty, bool stopped)
{
	if (stopped)
		packet_status(PTY(tty), TIOCPKT_START, TIOCPKT_STOP);
	else
		packet_status(PTY(tty), TIOCPKT_STOP, TIOCPKT_START);
}

/* Is output flow control ^S/^Q as telnet or rlogin could do it locally? */
static bool standard_flow(const struct linux_termios *t)
{
	return (t->c_iflag & IXON) && t->c_cc[VSTOP] == '\023' && t->c_cc[VSTART] == '\021';
}

/* A pty has no line to configure: 8 bits, no parity. */
static void slave_set_termios(struct tty *tty, const struct linux_termios *old)
{
	bool flow = standard_flow(&tty->termios);
	if (flow != standard_flow(old))
		packet_status(PTY(tty), TIOCPKT_DOSTOP | TIOCPKT_NOSTOP,
			      flow ? TIOCPKT_DOSTOP : TIOCPKT_NOSTOP);
	tty->termios.c_cflag = (tty->termios.c_cflag & ~(CSIZE | PARENB)) | CS8 | CREAD;
}

static const struct tty_driver_ops slave_ops = {
    .write = slave_write,
    .set_termios = slave_set_termios,
    .write_room = slave_write_room,
    .close = slave_close,
    .flush_output = slave_flush_output,
    .input_flushed = slave_input_flushed,
    .flow = slave_flow,
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
	s->termios.c_iflag &= ~IUTF8;
	s->termios.c_cflag &= ~HUPCL;
	memset(&s->winsize, 0, sizeof s->winsize); /* until the master says */
	s->owner_uid = current->cred.fsuid;
	devpts_slave_owner(dp, &s->owner_gid, &s->owner_mode);
	f->private = pty;
	return 0;
}

static void ptmx_release(struct file *f)
{
	struct pty *pty = file_pty(f);
	pty->master_open = false;
	pty->slave.other_closed = true;
	tty_hangup(&pty->slave); /* its readers see end of file, writers EIO */
	pty_free_if_unused(pty);
}

static long ptmx_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	struct pty *pty = file_pty(f);
	while (!pty->olen && !(pty->packet && pty->pktstatus)) {
		if (pty->slave_closed)
			return -EIO;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err =
		    wait_event_interruptible(pty->master_wait, pty->olen || pty->slave_closed ||
								   (pty->packet && pty->pktstatus));
		if (err)
			return err;
	}
	if (!to->count)
		return 0;
	if (pty->packet && pty->pktstatus) {
		char c = (char)pty->pktstatus;
		if (copy_to_iter(&c, 1, to) != 1)
			return -EFAULT;
		pty->pktstatus = 0;
		return 1;
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

static long ptmx_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)pos;
	struct tty *s = &file_pty(f)->slave;
	char buf[512];
	size_t done = 0;
	while (from->count) {
		/* The master's writer waits for the slave's reader. */
		if (!tty_receive_room(s)) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			int err = wait_event_interruptible(s->write_wait, tty_receive_room(s) > 0);
			if (err)
				return done ? (long)done : err;
		}
		size_t want = min(min(from->count, sizeof buf), tty_receive_room(s));
		size_t n = copy_from_iter(buf, want, from);
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
	poll_wait(f, &pty->slave.write_wait, pt);
	unsigned mask = 0;
	if (pty->olen)
		mask |= POLLIN | POLLRDNORM;
	if (pty->packet && pty->pktstatus)
		mask |= POLLPRI | POLLIN | POLLRDNORM;
	if (pty->slave_closed)
		mask |= POLLHUP;
	if (tty_receive_room(&pty->slave))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* The master's input is the slave's output. Its output is the slave's
 * input, which the line discipline has taken in already: Linux drops only
 * bytes still in flight, so there is nothing to drop. */
static long master_flush(struct pty *pty, uaddr_t arg)
{
	if (arg > TCIOFLUSH)
		return -EINVAL;
	if (arg != TCOFLUSH) {
		pty->ohead = pty->olen = 0;
		wake_up(&pty->slave.write_wait);
	}
	return 0;
}

/* TCIOFF and TCION type the STOP or START character to the slave; the
 * master's own output is never stopped. */
static long master_flow(struct pty *pty, uaddr_t arg)
{
	switch (arg) {
	case TCIOFF:
		tty_receive(&pty->slave, "\023", 1);
		return 0;
	case TCION:
		tty_receive(&pty->slave, "\021", 1);
		return 0;
	case TCOOFF:
	case TCOON:
		pr_warn("pty: tcflow(TCOOFF/TCOON) on a master is not supported\n");
		return -ENOSYS;
	}
	return -EINVAL;
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
		if (v && !pty->packet)
			pty->pktstatus = 0;
		pty->packet = v != 0;
		return 0;
	case TIOCGPKT:
		return put_user((int)pty->packet, arg) ? -EFAULT : 0;
	case TIOCGPTPEER:
		return pty_open_peer(f, pty->index, (unsigned)arg);
	case FIONREAD:
		return put_user((int)pty->olen, arg) ? -EFAULT : 0;
	case TIOCOUTQ:
		return put_user(0, arg) ? -EFAULT : 0;
	case TCFLSH:
		return master_flush(pty, arg);
	case TCXONC:
		return master_flow(pty, arg);
	case TIOCSTI: {
		char c;
		if (!capable(CAP_SYS_ADMIN))
			return -EIO; /* the rule of tty_io.c's TIOCSTI */
		if (get_user(c, arg))
			return -EFAULT;
		slave_write(&pty->slave, &c, 1);
		return 0;
	}
	}
	/* termios, window size and the slave's process group, on the slave. */
	return tty_ioctl_on(&pty->slave, f, cmd, arg, true);
}

/* Like Linux, any flags go; those that only mean something to a path
 * lookup have nothing to do. */
long pty_open_peer(struct file *master, int index, unsigned flags)
{
	flags &= O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | O_APPEND;
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
