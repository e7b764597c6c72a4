/*
 * The tty core: open and the controlling terminal, read and write through
 * the line discipline, the termios and job-control ioctls, hangup.
 */
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

static struct tty *file_tty(struct file *f)
{
	return f->private;
}

int tty_nr_of(struct process *p)
{
	if (!p->tty)
		return 0;
	uint64_t d = p->tty->rdev;
	return (int)((MINOR(d) & 0xff) | (MAJOR(d) << 8) | ((MINOR(d) & ~0xffu) << 12));
}

int tty_fg_pgrp_of(struct process *p)
{
	return p->tty && p->tty->pgrp ? p->tty->pgrp : -1;
}

static void set_ctty(struct tty *tty, struct process *p)
{
	p->tty = tty;
	tty->session = p->sid;
	tty->pgrp = p->pgid;
}

void tty_maybe_set_ctty(struct tty *tty, struct file *f)
{
	struct process *p = current->proc;
	if ((f->flags & O_NOCTTY) || p->sid != p->pid || p->tty || tty->session)
		return;
	set_ctty(tty, p);
}

/* Everyone in the session loses the terminal; the foreground group hears. */
static void disassociate(struct tty *tty, bool hup)
{
	if (hup && tty->pgrp > 0) {
		struct linux_siginfo info;
		memset(&info, 0, sizeof info);
		info.si_code = SI_KERNEL;
		info.si_signo = SIGHUP;
		kill_pgrp(tty->pgrp, SIGHUP, &info);
		info.si_signo = SIGCONT;
		kill_pgrp(tty->pgrp, SIGCONT, &info);
	}
	struct process *p;
	for_each_process(p)
		if (p->tty == tty)
			p->tty = NULL;
	tty->session = 0;
	tty->pgrp = 0;
}

void tty_release_session(struct process *leader)
{
	struct tty *tty = leader->tty;
	if (tty && leader->sid == leader->pid && tty->session == leader->sid)
		disassociate(tty, true);
}

void tty_hangup(struct tty *tty)
{
	tty->hangups++;
	tty_log_close(tty, true);
	if (tty->session) {
		struct linux_siginfo info;
		memset(&info, 0, sizeof info);
		info.si_code = SI_KERNEL;
		info.si_signo = SIGHUP;
		struct process *leader = find_process(tty->session);
		if (leader)
			send_sig_info_process(SIGHUP, &info, leader);
	}
	disassociate(tty, true);
	wake_up(&tty->read_wait);
	wake_up(&tty->write_wait);
}

/* getty hangs up its line before it opens it afresh. */
SYSCALL_DEFINE0(vhangup)
{
	if (!capable(CAP_SYS_TTY_CONFIG))
		return -EPERM;
	if (current->proc->tty)
		tty_hangup(current->proc->tty);
	return 0;
}

void tty_set_winsize(struct tty *tty, uint16_t rows, uint16_t cols)
{
	struct linux_winsize ws = tty->winsize;
	ws.ws_row = rows;
	ws.ws_col = cols;
	tty_resize(tty, &ws);
}

void tty_resize(struct tty *tty, const struct linux_winsize *ws)
{
	if (!memcmp(ws, &tty->winsize, sizeof *ws))
		return;
	tty->winsize = *ws;
	if (tty->pgrp > 0) {
		struct linux_siginfo info;
		memset(&info, 0, sizeof info);
		info.si_signo = SIGWINCH;
		info.si_code = SI_KERNEL;
		kill_pgrp(tty->pgrp, SIGWINCH, &info);
	}
}

/* The tty a device node opens: the caller's terminal (5,0), the console
 * (5,1), a console or serial line (4,N), or a pty slave (136..143). */
static struct tty *tty_for_inode(struct inode *inode, int *err)
{
	unsigned major = MAJOR(inode->rdev);
	*err = -ENXIO;
	if (inode->rdev == MKDEV(5, 0))
		return current->proc->tty;
	if (inode->rdev == MKDEV(5, 1))
		return console_tty;
	if (major == 4)
		return console_tty_of(MINOR(inode->rdev));
	if (major >= PTY_SLAVE_MAJOR && major < PTY_SLAVE_MAJOR + PTY_MAX / 256) {
		struct devpts *dp = devpts_for_inode(inode);
		int index = (int)((major - PTY_SLAVE_MAJOR) * 256 + MINOR(inode->rdev));
		struct pty *pty = dp ? devpts_get_pty(dp, index) : NULL;
		if (!pty)
			return NULL;
		if ((*err = pty_slave_open(pty)))
			return NULL;
		return pty_slave_tty(pty);
	}
	return NULL;
}

static int tty_open(struct inode *inode, struct file *f)
{
	int err;
	if (inode->rdev == MKDEV(5, 2)) {
		f->f_op = &ptmx_fops;
		return ptmx_fops.open(inode, f);
	}
	struct tty *tty = tty_for_inode(inode, &err);
	if (!tty)
		return err;
	f->private = tty;
	f->f_version = tty->hangups;
	tty->opens++;
	tty_log_open(tty);
	/* /dev/console never becomes a controlling terminal through open. */
	if (inode->rdev != MKDEV(5, 1))
		tty_maybe_set_ctty(tty, f);
	return 0;
}

static void tty_release(struct file *f)
{
	struct tty *tty = file_tty(f);
	if (--tty->opens)
		return;
	tty_log_close(tty, false);
	if (tty->ops->close)
		tty->ops->close(tty);
}

static long tty_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	return n_tty_read(file_tty(f), f, to);
}

static long tty_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)pos;
	return n_tty_write(file_tty(f), f, from);
}

static unsigned tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = file_tty(f);
	poll_wait(f, &tty->read_wait, pt);
	if (tty_file_hung_up(tty, f))
		return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLERR | POLLHUP;
	unsigned mask = 0;
	if (n_tty_poll_readable(tty))
		mask |= POLLIN | POLLRDNORM;
	if (!tty->stopped && (!tty->ops->write_room || tty->ops->write_room(tty)))
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static int set_termios(struct tty *tty, uaddr_t arg, bool two, bool flush)
{
	int err = tty_check_change(tty, SIGTTOU);
	if (err)
		return err;
	struct linux_termios2 t2;
	if (copy_from_user(&t2, arg, two ? sizeof t2 : sizeof(struct linux_termios)))
		return -EFAULT;
	if (flush)
		n_tty_flush_input(tty);
	struct linux_termios old = tty->termios;
	memcpy(&tty->termios, &t2, sizeof tty->termios);
	if (tty->ops->set_termios)
		tty->ops->set_termios(tty, &old);
	n_tty_set_termios(tty, &old);
	return 0;
}

static int get_termios(struct tty *tty, uaddr_t arg, bool two)
{
	struct linux_termios2 t2;
	memset(&t2, 0, sizeof t2);
	memcpy(&t2, &tty->termios, sizeof tty->termios);
	t2.c_ispeed = t2.c_ospeed = 38400;
	return copy_result_to_user(arg, &t2, two ? sizeof t2 : sizeof(struct linux_termios))
		   ? -EFAULT
		   : 0;
}

/* Only the controlling terminal answers the job-control ioctls. */
static bool is_ctty(struct tty *tty)
{
	return current->proc->tty == tty && tty->session == current->proc->sid;
}

/* In Linux's order: a background caller is stopped first; only the
 * controlling terminal (even through its pty master) takes a group, which
 * must exist in the caller's session. */
static long tiocspgrp(struct tty *tty, uaddr_t arg)
{
	int pgrp;
	int err = tty_check_change(tty, SIGTTOU);
	if (err)
		return err == -EIO ? -ENOTTY : err;
	if (get_user(pgrp, arg))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (!is_ctty(tty))
		return -ENOTTY;
	if (!pgrp_exists(pgrp, -1))
		return -ESRCH;
	if (!pgrp_exists(pgrp, current->proc->sid))
		return -EPERM;
	tty->pgrp = pgrp;
	return 0;
}

static long tiocsctty(struct tty *tty, struct file *f, uaddr_t arg)
{
	struct process *p = current->proc;
	if (p->sid == p->pid && tty->session == p->sid)
		return 0;
	if (p->sid != p->pid || p->tty)
		return -EPERM;
	bool admin = capable(CAP_SYS_ADMIN);
	if (tty->session) {
		if (arg != 1 || !admin)
			return -EPERM; /* another session's terminal: only stolen by root */
		disassociate(tty, false);
	}
	if ((f->flags & O_ACCMODE) == O_WRONLY && !admin)
		return -EPERM;
	set_ctty(tty, p);
	return 0;
}

static long tcflsh(struct tty *tty, uaddr_t arg)
{
	int err = tty_check_change(tty, SIGTTOU);
	if (err)
		return err;
	if (arg > TCIOFLUSH)
		return -EINVAL;
	if (arg != TCOFLUSH)
		n_tty_flush_input(tty);
	if (arg != TCIFLUSH)
		tty_flush_output(tty);
	return 0;
}

/* TCIOFF and TCION send the STOP or START character to the device, ahead
 * of any output. */
static void send_xchar(struct tty *tty, int index)
{
	char c = (char)tty->termios.c_cc[index];
	if (c)
		tty->ops->write(tty, &c, 1);
}

static long tcxonc(struct tty *tty, uaddr_t arg)
{
	int err = tty_check_change(tty, SIGTTOU);
	if (err)
		return err;
	switch (arg) {
	case TCOOFF:
		if (!tty->tco_stopped) {
			tty_stop(tty);
			tty->tco_stopped = true;
		}
		return 0;
	case TCOON:
		if (tty->tco_stopped) {
			tty->tco_stopped = false;
			tty_start(tty);
		}
		return 0;
	case TCIOFF:
		send_xchar(tty, VSTOP);
		return 0;
	case TCION:
		send_xchar(tty, VSTART);
		return 0;
	}
	return -EINVAL;
}

static long tty_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct tty *tty = file_tty(f);
	/* A hung-up file refuses every request, as Linux's hung_up_tty_ioctl. */
	if (tty_file_hung_up(tty, f))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	return tty_ioctl_on(tty, f, cmd, arg, false);
}

long tty_ioctl_on(struct tty *tty, struct file *f, unsigned cmd, uaddr_t arg, bool from_master)
{
	struct process *p = current->proc;
	int v;
	switch (cmd) {
	case TCGETS:
		return get_termios(tty, arg, false);
	case TCGETS2:
		return get_termios(tty, arg, true);
	case TCSETS:
	case TCSETSW:
		return set_termios(tty, arg, false, false);
	case TCSETSF:
		return set_termios(tty, arg, false, true);
	case TCSETS2:
	case TCSETSW2:
		return set_termios(tty, arg, true, false);
	case TCSETSF2:
		return set_termios(tty, arg, true, true);
	case TIOCGWINSZ:
		return copy_result_to_user(arg, &tty->winsize, sizeof tty->winsize) ? -EFAULT : 0;
	case TIOCSWINSZ: {
		struct linux_winsize ws;
		if (copy_from_user(&ws, arg, sizeof ws))
			return -EFAULT;
		tty_resize(tty, &ws);
		return 0;
	}
	case TIOCGPGRP:
		if (!from_master && !is_ctty(tty))
			return -ENOTTY;
		return put_user(tty->pgrp, arg) ? -EFAULT : 0;
	case TIOCSPGRP:
		return tiocspgrp(tty, arg);
	case TIOCGSID:
		if ((!from_master && !is_ctty(tty)) || !tty->session)
			return -ENOTTY;
		return put_user(tty->session, arg) ? -EFAULT : 0;
	case TIOCSCTTY:
		return tiocsctty(tty, f, arg);
	case TIOCNOTTY:
		if (from_master || !is_ctty(tty))
			return -ENOTTY;
		if (p->sid == p->pid)
			disassociate(tty, true);
		else
			p->tty = NULL;
		return 0;
	case FIONREAD:
		return put_user((int)n_tty_readable(tty), arg) ? -EFAULT : 0;
	case TIOCOUTQ:
		return put_user(0, arg) ? -EFAULT : 0;
	case TCFLSH:
		return tcflsh(tty, arg);
	case TCXONC:
		return tcxonc(tty, arg);
	case TCSBRK:
	case TCSBRKP:
		return 0; /* output is never queued: drained already */
	case TIOCSTI: {
		/* As Linux >= 6.2 with dev.tty.legacy_tiocsti off: faking input
		 * (the classic way out of a su or sudo session) needs
		 * CAP_SYS_ADMIN, whatever the terminal. */
		char c;
		if (!capable(CAP_SYS_ADMIN))
			return -EIO;
		if (get_user(c, arg))
			return -EFAULT;
		tty_receive(tty, &c, 1);
		return 0;
	}
	case TIOCGETD:
		return put_user(0, arg) ? -EFAULT : 0;
	case TIOCSETD:
		if (get_user(v, arg))
			return -EFAULT;
		return v == 0 ? 0 : -EINVAL;
	case TIOCEXCL:
	case TIOCNXCL:
		return 0;
	case TIOCVHANGUP:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		tty_hangup(tty);
		return 0;
	case TIOCGDEV: {
		unsigned dev = (unsigned)((MINOR(tty->rdev) & 0xff) | (MAJOR(tty->rdev) << 8));
		return put_user(dev, arg) ? -EFAULT : 0;
	}
	}
	return -ENOTTY;
}

const struct file_operations tty_fops = {
    .open = tty_open,
    .release = tty_release,
    .read = tty_read,
    .write = tty_write,
    .poll = tty_poll,
    .ioctl = tty_ioctl,
};
