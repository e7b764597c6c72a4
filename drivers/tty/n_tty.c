/*
 * The line discipline (Linux's N_TTY): input editing, echo, signals from
 * the keyboard, canonical and raw reads, output post-processing.
 */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "signal.h"
#include "tty.h"

#define I(f) (tty->termios.c_iflag & (f))
#define O(f) (tty->termios.c_oflag & (f))
#define L(f) (tty->termios.c_lflag & (f))
#define CC(c) (tty->termios.c_cc[c])

void tty_init_termios(struct tty *tty, bool interactive)
{
	struct linux_termios *t = &tty->termios;
	memset(t, 0, sizeof *t);
	t->c_iflag = ICRNL | IXON | IUTF8;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	if (!interactive) {
		/* Driven by a pipe or a file: no echo, no carriage returns added. */
		t->c_oflag = 0;
		t->c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE);
	}
	static const uint8_t cc[NCCS] = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0};
	memcpy(t->c_cc, cc, sizeof cc);
	tty->winsize.ws_row = 24;
	tty->winsize.ws_col = 80;
}

static void put_out(struct tty *tty, const char *s, size_t n)
{
	tty_log_data(tty, false, s, n);
	tty->ops->write(tty, s, n);
}

/* One output byte through OPOST. */
static void opost(struct tty *tty, char c, char *out, size_t *n)
{
	if (!O(OPOST)) {
		out[(*n)++] = c;
		return;
	}
	switch (c) {
	case '\n':
		if (O(ONLCR)) {
			out[(*n)++] = '\r';
			tty->column = 0;
		}
		if (O(ONLRET))
			tty->column = 0;
		break;
	case '\r':
		if (O(ONOCR) && tty->column == 0)
			return;
		if (O(OCRNL)) {
			c = '\n';
			if (O(ONLRET))
				tty->column = 0;
			break;
		}
		tty->column = 0;
		break;
	case '\b':
		if (tty->column > 0)
			tty->column--;
		break;
	case '\t':
		tty->column = (tty->column | 7) + 1;
		break;
	default:
		if ((unsigned char)c >= 32)
			tty->column++;
		if (O(OLCUC) && c >= 'a' && c <= 'z')
			c = (char)(c - 32);
	}
	out[(*n)++] = c;
}

static void echo_char(struct tty *tty, char c)
{
	char out[4];
	size_t n = 0;
	if (L(ECHOCTL) && ((unsigned char)c < 32 || c == 127) && c != '\t' && c != '\n') {
		out[n++] = '^';
		out[n++] = (char)(c == 127 ? '?' : c + 64);
		tty->column += 2;
		put_out(tty, out, n);
		return;
	}
	opost(tty, c, out, &n);
	put_out(tty, out, n);
}

static void echo_erase(struct tty *tty, char c)
{
	if (!L(ECHO))
		return;
	if (L(ECHOE)) {
		int w = (L(ECHOCTL) && ((unsigned char)c < 32 || c == 127)) ? 2 : 1;
		for (int i = 0; i < w; i++)
			put_out(tty, "\b \b", 3);
		tty->column = tty->column > w ? tty->column - w : 0;
	} else {
		echo_char(tty, CC(VERASE));
	}
}

static size_t slot(struct tty *tty, size_t i)
{
	return (tty->rhead + i) % TTY_BUF_SIZE;
}

static char rbuf_at(struct tty *tty, size_t i)
{
	return tty->rbuf[slot(tty, i)];
}

/* flags: RB_EOL ends a line, RB_EOF marks a VEOF that reads as nothing. */
static void rbuf_put(struct tty *tty, char c, uint8_t flags)
{
	if (tty->rlen >= TTY_BUF_SIZE - 1)
		return; /* full: Linux drops too (and beeps with IMAXBEL) */
	size_t s = slot(tty, tty->rlen);
	tty->rbuf[s] = c;
	tty->rflags[s] = flags;
	tty->rlen++;
}

static void flush_input(struct tty *tty)
{
	tty->rhead = tty->rlen = tty->canon_lines = tty->line_start = 0;
}

static void signal_fg(struct tty *tty, int sig)
{
	if (!L(NOFLSH))
		flush_input(tty);
	if (tty->pgrp > 0) {
		struct linux_siginfo info;
		memset(&info, 0, sizeof info);
		info.si_signo = sig;
		info.si_code = SI_KERNEL;
		kill_pgrp(tty->pgrp, sig, &info);
	}
}

static bool is_line_end(struct tty *tty, char c)
{
	return c == '\n' || (c == (char)CC(VEOL) && CC(VEOL)) || (c == (char)CC(VEOL2) && CC(VEOL2));
}

/* Canonical editing of the line being typed. */
static bool canon_edit(struct tty *tty, char c)
{
	size_t len = tty->rlen - tty->line_start;
	if (c == (char)CC(VERASE) && CC(VERASE)) {
		if (len) {
			char gone = rbuf_at(tty, tty->rlen - 1);
			tty->rlen--;
			echo_erase(tty, gone);
		}
		return true;
	}
	if (c == (char)CC(VWERASE) && CC(VWERASE) && L(IEXTEN)) {
		while (len && rbuf_at(tty, tty->rlen - 1) == ' ') {
			tty->rlen--, len--;
			echo_erase(tty, ' ');
		}
		while (len && rbuf_at(tty, tty->rlen - 1) != ' ') {
			char gone = rbuf_at(tty, tty->rlen - 1);
			tty->rlen--, len--;
			echo_erase(tty, gone);
		}
		return true;
	}
	if (c == (char)CC(VKILL) && CC(VKILL)) {
		if (L(ECHO) && L(ECHOK) && !L(ECHOKE)) {
			echo_char(tty, c);
			put_out(tty, "\r\n", 2);
		}
		while (tty->rlen > tty->line_start) {
			char gone = rbuf_at(tty, tty->rlen - 1);
			tty->rlen--;
			if (L(ECHOKE))
				echo_erase(tty, gone);
		}
		return true;
	}
	if (c == (char)CC(VREPRINT) && CC(VREPRINT) && L(IEXTEN)) {
		if (L(ECHO)) {
			echo_char(tty, c);
			put_out(tty, "\r\n", 2);
			for (size_t i = tty->line_start; i < tty->rlen; i++)
				echo_char(tty, rbuf_at(tty, i));
		}
		return true;
	}
	return false;
}

static void receive_char(struct tty *tty, char c)
{
	if (I(ISTRIP))
		c &= 0x7f;
	if (tty->lnext) {
		tty->lnext = false;
		goto literal;
	}
	if (I(IXON)) {
		if (c == (char)CC(VSTOP) && CC(VSTOP)) {
			tty->stopped = true;
			return;
		}
		if (c == (char)CC(VSTART) && CC(VSTART)) {
			tty->stopped = false;
			wake_up(&tty->write_wait);
			return;
		}
		if (tty->stopped && I(IXANY)) {
			tty->stopped = false;
			wake_up(&tty->write_wait);
		}
	}
	if (L(ISIG)) {
		int sig = 0;
		if (c == (char)CC(VINTR) && CC(VINTR))
			sig = SIGINT;
		else if (c == (char)CC(VQUIT) && CC(VQUIT))
			sig = SIGQUIT;
		else if (c == (char)CC(VSUSP) && CC(VSUSP))
			sig = SIGTSTP;
		if (sig) {
			if (L(ECHO))
				echo_char(tty, c);
			signal_fg(tty, sig);
			return;
		}
	}
	if (c == '\r') {
		if (I(IGNCR))
			return;
		if (I(ICRNL))
			c = '\n';
	} else if (c == '\n' && I(INLCR)) {
		c = '\r';
	}
	if (L(ICANON)) {
		if (c == (char)CC(VLNEXT) && CC(VLNEXT) && L(IEXTEN)) {
			tty->lnext = true;
			if (L(ECHO) && L(ECHOCTL)) {
				put_out(tty, "^\b", 2);
			}
			return;
		}
		if (canon_edit(tty, c))
			return;
		bool eof = c == (char)CC(VEOF) && CC(VEOF);
		if (eof || is_line_end(tty, c)) {
			/* VEOF ends the line without a byte: alone, it reads as end of file. */
			if (!eof && (L(ECHO) || (c == '\n' && L(ECHONL))))
				echo_char(tty, c);
			rbuf_put(tty, c, RB_EOL | (eof ? RB_EOF : 0));
			tty->canon_lines++;
			tty->line_start = tty->rlen;
			wake_up(&tty->read_wait);
			return;
		}
	}
literal:
	if (L(ECHO))
		echo_char(tty, c);
	rbuf_put(tty, c, 0);
	if (!L(ICANON))
		wake_up(&tty->read_wait);
}

void tty_receive(struct tty *tty, const char *buf, size_t len)
{
	tty_log_data(tty, true, buf, len);
	for (size_t i = 0; i < len; i++)
		receive_char(tty, buf[i]);
}

/* ---- Reading ---- */

static size_t canon_available(struct tty *tty)
{
	size_t n = 0;
	for (size_t i = 0; i < tty->line_start; i++)
		n += !(tty->rflags[slot(tty, i)] & RB_EOF);
	return n;
}

/* One line at most; what does not fit stays for the next read. */
static long canon_read(struct tty *tty, struct iov_iter *to)
{
	size_t done = 0;
	while (tty->line_start) {
		size_t s = slot(tty, 0);
		uint8_t fl = tty->rflags[s];
		if (!(fl & RB_EOF)) {
			if (!to->count)
				break;
			if (copy_to_iter(&tty->rbuf[s], 1, to) != 1)
				return done ? (long)done : -EFAULT;
			done++;
		}
		tty->rhead = (tty->rhead + 1) % TTY_BUF_SIZE;
		tty->rlen--;
		tty->line_start--;
		if (fl & RB_EOL) {
			tty->canon_lines--;
			break;
		}
	}
	return (long)done;
}

static long raw_read(struct tty *tty, struct iov_iter *to)
{
	size_t done = 0;
	while (tty->rlen && to->count) {
		size_t chunk = min(min(tty->rlen, TTY_BUF_SIZE - tty->rhead), to->count);
		size_t n = copy_to_iter(tty->rbuf + tty->rhead, chunk, to);
		tty->rhead = (tty->rhead + n) % TTY_BUF_SIZE;
		tty->rlen -= n;
		done += n;
		if (n < chunk)
			return done ? (long)done : -EFAULT;
	}
	tty->line_start = tty->rlen;
	return (long)done;
}

/* A background process reading gets SIGTTIN, unless it ignores or blocks
 * it or its group is orphaned (then EIO). */
static int job_control(struct tty *tty, int sig)
{
	struct task *t = current;
	struct process *p = t->proc;
	if (p->tty != tty || !tty->pgrp || p->pgid == tty->pgrp)
		return 0;
	if (sig == SIGTTOU && !L(TOSTOP))
		return 0;
	bool ignored = t->sighand->action[sig - 1].handler == SIG_IGN || (t->blocked & sigmask(sig));
	if (ignored)
		return sig == SIGTTIN ? -EIO : 0;
	if (is_orphaned_pgrp(p->pgid))
		return -EIO;
	kill_pgrp(p->pgid, sig, NULL);
	return -ERESTARTSYS;
}

long n_tty_read(struct tty *tty, struct file *f, struct iov_iter *to)
{
	int err = job_control(tty, SIGTTIN);
	if (err)
		return err;
	if (!to->count)
		return 0;
	if (L(ICANON)) {
		for (;;) {
			if (tty->canon_lines)
				return canon_read(tty, to);
			if (tty_file_hung_up(tty, f) || tty->input_eof)
				return 0;
			if (f->flags & O_NONBLOCK)
				return -EAGAIN;
			err = wait_event_interruptible(tty->read_wait, tty->canon_lines ||
									       tty_file_hung_up(tty, f) ||
									       tty->input_eof);
			if (err)
				return err;
		}
	}
	unsigned vmin = CC(VMIN), vtime = CC(VTIME);
	int64_t deadline = vtime ? ktime_get_ns() + (int64_t)vtime * 100000000 : 0;
	size_t done = 0;
	for (;;) {
		if (tty->rlen) {
			long n = raw_read(tty, to);
			if (n < 0)
				return done ? (long)done : n;
			done += (size_t)n;
			if (done >= vmin || !to->count)
				return (long)done;
			if (vtime) /* inter-byte timer restarts */
				deadline = ktime_get_ns() + (int64_t)vtime * 100000000;
		}
		if (tty_file_hung_up(tty, f) || tty->input_eof)
			return (long)done;
		if (!vmin && !vtime)
			return (long)done;
		if (f->flags & O_NONBLOCK)
			return done ? (long)done : -EAGAIN;
		if (vtime && (vmin == 0 || done) && ktime_get_ns() >= deadline)
			return (long)done;
		err = wait_event_deadline(tty->read_wait,
					  tty->rlen || tty_file_hung_up(tty, f) || tty->input_eof,
					  vtime && (vmin == 0 || done) ? deadline : 0);
		if (err == -ETIMEDOUT)
			return (long)done;
		if (err)
			return done ? (long)done : err;
	}
}

static bool can_write(struct tty *tty, struct file *f, size_t n)
{
	if (tty_file_hung_up(tty, f))
		return true;
	if (tty->stopped)
		return false;
	return !tty->ops->write_room || tty->ops->write_room(tty) >= n;
}

/* Output waits while the device is full (a pty's master unread) or
 * stopped by ^S. */
long n_tty_write(struct tty *tty, struct file *f, struct iov_iter *from)
{
	if (tty_file_hung_up(tty, f))
		return -EIO;
	int err = job_control(tty, SIGTTOU);
	if (err)
		return err;
	char in[512], out[1100];
	size_t done = 0;
	while (from->count) {
		size_t want = min(from->count, sizeof in);
		if (!can_write(tty, f, 2 * want)) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			err = wait_event_interruptible(tty->write_wait,
							can_write(tty, f, 2 * want));
			if (err)
				return done ? (long)done : err;
			if (tty_file_hung_up(tty, f))
				return done ? (long)done : -EIO;
		}
		size_t k = copy_from_iter(in, want, from);
		if (!k)
			return done ? (long)done : -EFAULT;
		size_t n = 0;
		for (size_t i = 0; i < k; i++)
			opost(tty, in[i], out, &n);
		put_out(tty, out, n);
		done += k;
	}
	return (long)done;
}

size_t n_tty_readable(struct tty *tty)
{
	return L(ICANON) ? canon_available(tty) : tty->rlen;
}

/* The rest of a partial line stays readable; then reads see end of file. */
void console_input_eof(struct tty *tty)
{
	if (tty->termios.c_lflag & ICANON && tty->rlen > tty->line_start) {
		rbuf_put(tty, 0, RB_EOL | RB_EOF);
		tty->canon_lines++;
		tty->line_start = tty->rlen;
	}
	tty->input_eof = true;
	wake_up(&tty->read_wait);
}

void n_tty_flush(struct tty *tty)
{
	flush_input(tty);
}
