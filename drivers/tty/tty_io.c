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

long n_tty_read(struct tty *tty, struct file *f, struct iov_iter *to);
long n_tty_write(struct tty *tty, struct file *f, struct iov_iter *from);
size_t n_tty_readable(struct tty *tty);
void n_tty_flush(struct tty *tty);

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
	for_each_process(p) if (p->tty == tty) p->tty = NULL;
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
	if (tty->winsize.ws_row == rows && tty->winsize.ws_col == cols)
		return;
	tty->winsize.ws_row = rows;
	tty->winsize.ws_col = cols;
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
	unsigned mask = POLLOUT | POLLWRNORM;
	if (n_tty_readable(tty))
		mask |= POLLIN | POLLRDNORM;
	if (tty_file_hung_up(tty, f))
		mask |= POLLHUP | POLLIN | POLLRDNORM;
	return mask;
}

static int set_termios(struct tty *tty, uaddr_t arg, bool two, bool flush)
{
	struct linux_termios2 t2;
	if (copy_from_user(&t2, arg, two ? sizeof t2 : sizeof(struct linux_termios)))
		return -EFAULT;
	bool was_canon = tty->termios.c_lflag & ICANON;
	memcpy(&tty->termios, &t2, sizeof tty->termios);
	if (flush)
		n_tty_flush(tty);
	/* Leaving canonical mode makes the partial line readable. */
	if (was_canon && !(tty->termios.c_lflag & ICANON)) {
		tty->line_start = tty->rlen;
		wake_up(&tty->read_wait);
	} else if (!was_canon && (tty->termios.c_lflag & ICANON)) {
		tty->line_start = 0;
		tty->canon_lines = 0;
	}
	if (tty->ops->set_termios)
		tty->ops->set_termios(tty);
	return 0;
}

static int get_termios(struct tty *tty, uaddr_t arg, bool two)
{
	struct linux_termios2 t2;
	memset(&t2, 0, sizeof t2);
	memcpy(&t2, &tty->termios, sizeof tty->termios);
	t2.c_ispeed = t2.c_ospeed = 38400;
	return copy_to_user(arg, &t2, two ? sizeof t2 : sizeof(struct linux_termios)) ? -EFAULT : 0;
}

/* Only the controlling terminal answers the job-control ioctls. */
static bool is_ctty(struct tty *tty)
{
	return current->proc->tty == tty && tty->session == current->proc->sid;
}

static long tiocspgrp(struct tty *tty, uaddr_t arg, bool from_master)
{
	int pgrp;
	if (!from_master && !is_ctty(tty))
		return -ENOTTY;
	if (get_user(pgrp, arg))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	/* A background caller is stopped first, as for a write with TOSTOP. */
	struct task *t = current;
	if (tty->pgrp && t->proc->pgid != tty->pgrp &&
	    t->sighand->action[SIGTTOU - 1].handler != SIG_IGN && !(t->blocked & sigmask(SIGTTOU))) {
		if (is_orphaned_pgrp(t->proc->pgid))
			return -EIO;
		kill_pgrp(t->proc->pgid, SIGTTOU, NULL);
		return -ERESTARTSYS;
	}
	if (!pgrp_exists(pgrp, current->proc->sid))
		return -EPERM;
	tty->pgrp = pgrp;
	return 0;
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
	(void)f;
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
		return copy_to_user(arg, &tty->winsize, sizeof tty->winsize) ? -EFAULT : 0;
	case TIOCSWINSZ: {
		struct linux_winsize ws;
		if (copy_from_user(&ws, arg, sizeof ws))
			return -EFAULT;
		tty_set_winsize(tty, ws.ws_row, ws.ws_col);
		tty->winsize = ws;
		return 0;
	}
	case TIOCGPGRP:
		if (!from_master && !is_ctty(tty))
			return -ENOTTY;
		return put_user(tty->pgrp, arg) ? -EFAULT : 0;
	case TIOCSPGRP:
		return tiocspgrp(tty, arg, from_master);
	case TIOCGSID:
		if ((!from_master && !is_ctty(tty)) || !tty->session)
			return -ENOTTY;
		return put_user(tty->session, arg) ? -EFAULT : 0;
	case TIOCSCTTY:
		if (p->tty == tty)
			return 0;
		if (p->sid != p->pid || p->tty)
			return -EPERM;
		if (tty->session) {
			if (arg != 1 || !capable(CAP_SYS_ADMIN))
				return -EPERM;
			disassociate(tty, false);
		}
		set_ctty(tty, p);
		return 0;
	case TIOCNOTTY:
		if (!is_ctty(tty))
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
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg == TCIFLUSH || arg == TCIOFLUSH)
			n_tty_flush(tty);
		return 0;
	case TCXONC:
		switch (arg) {
		case TCOOFF:
			tty->stopped = true;
			return 0;
		case TCOON:
			tty->stopped = false;
			wake_up(&tty->write_wait);
			return 0;
		case TCIOFF:
		case TCION:
			return 0;
		}
		return -EINVAL;
	case TCSBRK:
	case TCSBRKP:
		return 0; /* output is never queued: drained already */
	case TIOCSTI: {
		/* Faking input needs CAP_SYS_ADMIN (Linux >= 6.2, legacy_tiocsti off). */
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
