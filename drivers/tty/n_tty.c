/*
 * The line discipline (Linux's N_TTY): input editing, echo, signals from
 * the keyboard, flow control, canonical and raw reads, output
 * post-processing. It follows Linux's n_tty.c closely, down to the columns
 * it assumes when it echoes the erasure of a tab, since programs see those
 * bytes.
 */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "signal.h"
#include "tty.h"

#define I(f)  (tty->termios.c_iflag & (f))
#define O(f)  (tty->termios.c_oflag & (f))
#define L(f)  (tty->termios.c_lflag & (f))
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
	static const uint8_t cc[NCCS] = {3,  28, 127, 21, 4,  0,  1,  0, 17,
					 19, 26, 0,   18, 15, 23, 22, 0};
	memcpy(t->c_cc, cc, sizeof cc);
	tty->winsize.ws_row = 24;
	tty->winsize.ws_col = 80;
}

/* ---- Linux's <linux/ctype.h> over Latin-1: it decides what echoes as ^X,
 * what a word is, and what OLCUC and IUCLC change ---- */

static bool is_cntrl(unsigned char c)
{
	return c < 32 || c == 127;
}

static bool is_upper(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 192 && c <= 222 && c != 215);
}

static bool is_lower(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 223 && c != 247);
}

static bool is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || is_upper(c) || is_lower(c);
}

static bool is_continuation(struct tty *tty, unsigned char c)
{
	return I(IUTF8) && (c & 0xc0) == 0x80;
}

/* A control character that is set (0 disables one). */
static bool is_cc(struct tty *tty, unsigned char c, int index)
{
	return c && c == CC(index);
}

/* ---- Output to the device ---- */

static void flush_output_now(struct tty *tty)
{
	if (!tty->out_len || tty->stopped)
		return;
	tty_log_data(tty, false, tty->out, tty->out_len);
	tty->ops->write(tty, tty->out, tty->out_len);
	tty->out_len = 0;
}

/* Output is gathered so that the device and the tty log see whole pieces;
 * while output is stopped it waits (and, as Linux's echo buffer, loses
 * what does not fit). */
static void emit(struct tty *tty, const void *s, size_t n)
{
	const char *p = s;
	while (n) {
		if (tty->out_len == sizeof tty->out) {
			flush_output_now(tty);
			if (tty->out_len == sizeof tty->out)
				return;
		}
		size_t k = min(n, sizeof tty->out - tty->out_len);
		memcpy(tty->out + tty->out_len, p, k);
		tty->out_len += k;
		p += k;
		n -= k;
	}
}

/* One byte through OPOST (Linux's do_output_char). */
static void output_char(struct tty *tty, unsigned char c)
{
	switch (c) {
	case '\n':
		if (O(ONLRET))
			tty->column = 0;
		if (O(ONLCR)) {
			emit(tty, "\r\n", 2);
			tty->canon_column = tty->column = 0;
			return;
		}
		tty->canon_column = tty->column;
		break;
	case '\r':
		if (O(ONOCR) && tty->column == 0)
			return;
		if (O(OCRNL)) {
			c = '\n';
			if (O(ONLRET))
				tty->canon_column = tty->column = 0;
			break;
		}
		tty->canon_column = tty->column = 0;
		break;
	case '\t': {
		int spaces = 8 - (tty->column & 7);
		tty->column += spaces;
		if ((tty->termios.c_oflag & TABDLY) == XTABS) {
			emit(tty, "        ", (size_t)spaces);
			return;
		}
		break;
	}
	case '\b':
		if (tty->column > 0)
			tty->column--;
		break;
	default:
		if (is_cntrl(c))
			break;
		if (O(OLCUC) && is_lower(c))
			c = (unsigned char)(c - 32);
		if (!is_continuation(tty, c))
			tty->column++;
	}
	emit(tty, &c, 1);
}

static void output_byte(struct tty *tty, unsigned char c)
{
	if (O(OPOST))
		output_char(tty, c);
	else
		emit(tty, &c, 1);
}

/* ---- Echo ---- */

/* With ECHOCTL a control character (but a tab) echoes as ^X. */
static void echo_char(struct tty *tty, unsigned char c)
{
	if (L(ECHOCTL) && is_cntrl(c) && c != '\t') {
		unsigned char caret[2] = {'^', c ^ 0100};
		emit(tty, caret, 2);
		tty->column += 2;
		return;
	}
	output_byte(tty, c);
}

static void echo_string(struct tty *tty, const char *s)
{
	while (*s)
		output_byte(tty, (unsigned char)*s++);
}

/* ECHOPRT shows erased bytes between \ and /. */
static void finish_erasing(struct tty *tty)
{
	if (tty->erasing) {
		output_byte(tty, '/');
		tty->erasing = false;
	}
}

/* ---- The input queue: a ring of rlen bytes from rhead; the first
 * line_start of them are complete lines ---- */

#define RB_EOL 1 /* ends a line */
#define RB_EOF 2 /* a VEOF: ends a line and is not part of it */

static size_t slot(struct tty *tty, size_t i)
{
	return (tty->rhead + i) % TTY_BUF_SIZE;
}

static unsigned char rbuf_at(struct tty *tty, size_t i)
{
	return (unsigned char)tty->rbuf[slot(tty, i)];
}

static void put_queue(struct tty *tty, unsigned char c, uint8_t flags)
{
	if (tty->rlen >= TTY_BUF_SIZE)
		return;
	size_t s = slot(tty, tty->rlen);
	tty->rbuf[s] = (char)c;
	tty->rflags[s] = flags;
	tty->rlen++;
}

static void reset_input(struct tty *tty)
{
	tty->rhead = tty->rlen = tty->line_start = 0;
	tty->lnext = tty->erasing = false;
}

/* ---- Flow control ---- */

void tty_stop(struct tty *tty)
{
	if (tty->stopped)
		return;
	tty->stopped = true;
	if (tty->ops->flow)
		tty->ops->flow(tty, true);
}

void tty_start(struct tty *tty)
{
	if (!tty->stopped || tty->tco_stopped)
		return;
	tty->stopped = false;
	if (tty->ops->flow)
		tty->ops->flow(tty, false);
	flush_output_now(tty); /* echoes held while stopped */
	wake_up(&tty->write_wait);
}

/* ---- Canonical editing ---- */

enum kill_type { ERASE, WERASE, KILL };

/* Backs over a tab: to where it began, counting the columns of what
 * follows the previous tab, or else the line's start. */
static void echo_erase_tab(struct tty *tty)
{
	unsigned columns = 0;
	bool after_tab = false;
	for (size_t i = tty->rlen; i != tty->line_start;) {
		unsigned char c = rbuf_at(tty, --i);
		if (c == '\t') {
			after_tab = true;
			break;
		}
		if (is_cntrl(c))
			columns += L(ECHOCTL) ? 2 : 0;
		else if (!is_continuation(tty, c))
			columns++;
	}
	if (!after_tab)
		columns += (unsigned)tty->canon_column;
	for (unsigned n = 8 - (columns & 7); n; n--) {
		emit(tty, "\b", 1);
		if (tty->column > 0)
			tty->column--;
	}
}

/* Echoes the erasure of c, the first of the cnt bytes of a character now
 * at offset head. */
static void echo_erased(struct tty *tty, enum kill_type kind, unsigned char c, size_t head,
			size_t cnt)
{
	if (L(ECHOPRT)) {
		if (!tty->erasing) {
			output_byte(tty, '\\');
			tty->erasing = true;
		}
		echo_char(tty, c);
		while (--cnt > 0) {
			output_byte(tty, rbuf_at(tty, ++head));
			if (tty->column > 0)
				tty->column--;
		}
	} else if (kind == ERASE && !L(ECHOE)) {
		echo_char(tty, CC(VERASE));
	} else if (c == '\t') {
		echo_erase_tab(tty);
	} else {
		if (is_cntrl(c) && L(ECHOCTL))
			echo_string(tty, "\b \b");
		if (!is_cntrl(c) || L(ECHOCTL))
			echo_string(tty, "\b \b");
	}
}

/* Without ECHOKE (or ECHOE) a kill echoes as the kill character. */
static bool kill_line_quietly(struct tty *tty)
{
	if (!L(ECHO)) {
		tty->rlen = tty->line_start;
		return true;
	}
	if (L(ECHOK) && L(ECHOKE) && L(ECHOE))
		return false;
	tty->rlen = tty->line_start;
	finish_erasing(tty);
	echo_char(tty, CC(VKILL));
	if (L(ECHOK))
		output_byte(tty, '\n');
	return true;
}

/* ERASE, WERASE and KILL (Linux's eraser()). A word ends where an
 * alphanumeric or _ follows something else, as BSD's ALTWERASE. */
static void eraser(struct tty *tty, unsigned char c)
{
	if (tty->rlen == tty->line_start)
		return;
	enum kill_type kind = c == CC(VERASE) ? ERASE : c == CC(VWERASE) ? WERASE : KILL;
	if (kind == KILL && kill_line_quietly(tty))
		return;
	int alnums = 0;
	while (tty->rlen != tty->line_start) {
		size_t head = tty->rlen;
		unsigned char ch;
		do
			ch = rbuf_at(tty, --head);
		while (is_continuation(tty, ch) && head != tty->line_start);
		if (is_continuation(tty, ch))
			break; /* never half a character */
		if (kind == WERASE) {
			if (is_alnum(ch) || ch == '_')
				alnums++;
			else if (alnums)
				break;
		}
		size_t cnt = tty->rlen - head;
		tty->rlen = head;
		if (L(ECHO))
			echo_erased(tty, kind, ch, head, cnt);
		if (kind == ERASE)
			break;
	}
	if (tty->rlen == tty->line_start && L(ECHO))
		finish_erasing(tty);
}

static void reprint(struct tty *tty, unsigned char c)
{
	finish_erasing(tty);
	echo_char(tty, c);
	output_byte(tty, '\n');
	for (size_t i = tty->line_start; i < tty->rlen; i++)
		echo_char(tty, rbuf_at(tty, i));
}

/* With PARMRK a \377 byte reads as two, so that it cannot be taken for
 * the start of a parity error mark. */
static void double_for_parmrk(struct tty *tty, unsigned char c)
{
	if (c == 0377 && I(PARMRK))
		put_queue(tty, c, 0);
}

static void end_line(struct tty *tty, unsigned char c, uint8_t flags)
{
	double_for_parmrk(tty, c);
	put_queue(tty, c, RB_EOL | flags);
	tty->line_start = tty->rlen;
	wake_up(&tty->read_wait);
}

/* The line echoed so far began at this column (tabs are erased from it). */
static void mark_line_start(struct tty *tty)
{
	if (tty->rlen == tty->line_start)
		tty->canon_column = tty->column;
}

/* The canonical-mode special characters; false if c is none of them. */
static bool canon_char(struct tty *tty, unsigned char c)
{
	if (is_cc(tty, c, VERASE) || is_cc(tty, c, VKILL) ||
	    (is_cc(tty, c, VWERASE) && L(IEXTEN))) {
		eraser(tty, c);
		return true;
	}
	if (is_cc(tty, c, VLNEXT) && L(IEXTEN)) {
		tty->lnext = true;
		if (L(ECHO)) {
			finish_erasing(tty);
			if (L(ECHOCTL))
				echo_string(tty, "^\b");
		}
		return true;
	}
	if (is_cc(tty, c, VREPRINT) && L(ECHO) && L(IEXTEN)) {
		reprint(tty, c);
		return true;
	}
	if (c == '\n') {
		if (L(ECHO) || L(ECHONL))
			output_byte(tty, '\n');
		end_line(tty, c, 0);
		return true;
	}
	if (is_cc(tty, c, VEOF)) {
		end_line(tty, 0, RB_EOF);
		return true;
	}
	if (is_cc(tty, c, VEOL) || (is_cc(tty, c, VEOL2) && L(IEXTEN))) {
		if (L(ECHO)) {
			mark_line_start(tty);
			echo_char(tty, c);
		}
		end_line(tty, c, 0);
		return true;
	}
	return false;
}

/* ---- Input ---- */

static void signal_fg(struct tty *tty, int sig)
{
	if (tty->pgrp <= 0)
		return;
	struct linux_siginfo info;
	memset(&info, 0, sizeof info);
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	kill_pgrp(tty->pgrp, sig, &info);
}

void n_tty_flush_input(struct tty *tty)
{
	reset_input(tty);
	if (tty->ops->input_flushed)
		tty->ops->input_flushed(tty);
	wake_up(&tty->write_wait); /* a pty master waits for room */
}

void tty_flush_output(struct tty *tty)
{
	tty->out_len = 0;
	if (tty->ops->flush_output)
		tty->ops->flush_output(tty);
}

/* INTR, QUIT, SUSP: the foreground group is signalled and, without NOFLSH,
 * input and unsent output are dropped. */
static bool signal_char(struct tty *tty, unsigned char c)
{
	int sig = is_cc(tty, c, VINTR)	 ? SIGINT
		  : is_cc(tty, c, VQUIT) ? SIGQUIT
		  : is_cc(tty, c, VSUSP) ? SIGTSTP
					 : 0;
	if (!sig)
		return false;
	signal_fg(tty, sig);
	if (!L(NOFLSH)) {
		tty_flush_output(tty);
		n_tty_flush_input(tty);
	}
	if (I(IXON))
		tty_start(tty);
	if (L(ECHO))
		echo_char(tty, c);
	return true;
}

/* A byte with no special meaning (Linux's n_tty_receive_char); a newline
 * made from a carriage return echoes as a newline, not ^J. */
static void receive_plain(struct tty *tty, unsigned char c, bool from_cr)
{
	if (tty->stopped && I(IXON) && I(IXANY))
		tty_start(tty);
	if (L(ECHO)) {
		finish_erasing(tty);
		if (from_cr && c == '\n') {
			output_byte(tty, c);
		} else {
			mark_line_start(tty);
			echo_char(tty, c);
		}
	}
	double_for_parmrk(tty, c);
	put_queue(tty, c, 0);
	if (!L(ICANON))
		wake_up(&tty->read_wait);
}

static unsigned char input_case(struct tty *tty, unsigned char c)
{
	if (I(ISTRIP))
		c &= 0x7f;
	if (I(IUCLC) && L(IEXTEN) && is_upper(c))
		c = (unsigned char)(c + 32);
	return c;
}

static void receive_char(struct tty *tty, unsigned char c)
{
	/* A canonical line that fills the queue keeps taking bytes, each in
	 * place of its last, so that a newline can still end it. */
	if (tty->rlen == TTY_BUF_SIZE && L(ICANON) && !tty->line_start)
		tty->rlen--;
	c = input_case(tty, c);
	if (tty->lnext) {
		tty->lnext = false;
		receive_plain(tty, c, false);
		return;
	}
	if (I(IXON) && is_cc(tty, c, VSTART)) {
		tty_start(tty);
		return;
	}
	if (I(IXON) && is_cc(tty, c, VSTOP)) {
		tty_stop(tty);
		return;
	}
	if (L(ISIG) && signal_char(tty, c))
		return;
	bool from_cr = false;
	if (c == '\r') {
		if (I(IGNCR))
			return;
		if (I(ICRNL))
			c = '\n', from_cr = true;
	} else if (c == '\n' && I(INLCR)) {
		c = '\r';
	}
	if (L(ICANON) && canon_char(tty, c))
		return;
	receive_plain(tty, c, from_cr);
}

void tty_receive(struct tty *tty, const char *buf, size_t len)
{
	tty_log_data(tty, true, buf, len);
	for (size_t i = 0; i < len; i++)
		receive_char(tty, (unsigned char)buf[i]);
	flush_output_now(tty);
}

size_t tty_receive_room(struct tty *tty)
{
	if (tty->rlen < TTY_BUF_SIZE - 1)
		return TTY_BUF_SIZE - 1 - tty->rlen;
	return L(ICANON) && !tty->line_start ? 1 : 0;
}

/* Entering canonical mode makes pending input one line; leaving it makes
 * every byte readable, an end-of-file mark as a NUL. */
void n_tty_set_termios(struct tty *tty, const struct linux_termios *old)
{
	if ((old->c_lflag ^ tty->termios.c_lflag) & ICANON) {
		for (size_t i = 0; i < tty->rlen; i++)
			tty->rflags[slot(tty, i)] = 0;
		tty->line_start = 0;
		if (L(ICANON) && tty->rlen) {
			tty->rflags[slot(tty, tty->rlen - 1)] = RB_EOL;
			tty->line_start = tty->rlen;
		}
		tty->erasing = tty->lnext = false;
		wake_up(&tty->read_wait);
	}
	if (!I(IXON) && (old->c_iflag & IXON))
		tty_start(tty);
}

/* ---- Reading ---- */

static size_t canon_available(struct tty *tty)
{
	size_t n = 0;
	for (size_t i = 0; i < tty->line_start; i++)
		n += !(tty->rflags[slot(tty, i)] & RB_EOF);
	return n;
}

static void consume(struct tty *tty, size_t n)
{
	tty->rhead = (tty->rhead + n) % TTY_BUF_SIZE;
	tty->rlen -= n;
	tty->line_start = tty->line_start > n ? tty->line_start - n : 0;
	wake_up(&tty->write_wait); /* a pty master waits for room */
}

/* Copies up to n bytes from the head of the queue. */
static long copy_queued(struct tty *tty, size_t n, struct iov_iter *to)
{
	size_t done = 0;
	while (done < n) {
		size_t chunk = min(n - done, TTY_BUF_SIZE - tty->rhead);
		size_t k = copy_to_iter(tty->rbuf + tty->rhead, chunk, to);
		consume(tty, k);
		done += k;
		if (k < chunk)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

/* One line at most; what does not fit stays for the next read, but an
 * end-of-file mark goes with the bytes before it. */
static long canon_read(struct tty *tty, struct iov_iter *to)
{
	size_t len = 1; /* of the first line, its end included */
	while (len < tty->line_start && !(tty->rflags[slot(tty, len - 1)] & RB_EOL))
		len++;
	size_t data = tty->rflags[slot(tty, len - 1)] & RB_EOF ? len - 1 : len;
	long done = copy_queued(tty, min(data, to->count), to);
	if (done >= 0 && (size_t)done == data && data < len)
		consume(tty, 1);
	return done;
}

static long raw_read(struct tty *tty, struct iov_iter *to)
{
	return copy_queued(tty, min(tty->rlen, to->count), to);
}

/* A background process touching its terminal (reading; writing with
 * TOSTOP; changing its settings) is stopped with sig, unless it ignores or
 * blocks it (then reads fail with EIO, the rest goes ahead) or its group
 * is orphaned (EIO). */
int tty_check_change(struct tty *tty, int sig)
{
	struct task *t = current;
	struct process *p = t->proc;
	if (p->tty != tty || !tty->pgrp || p->pgid == tty->pgrp)
		return 0;
	bool ignored =
	    t->sighand->action[sig - 1].handler == SIG_IGN || (t->blocked & sigmask(sig));
	if (ignored)
		return sig == SIGTTIN ? -EIO : 0;
	if (is_orphaned_pgrp(p->pgid))
		return -EIO;
	kill_pgrp(p->pgid, sig, NULL);
	return -ERESTARTSYS;
}

/* No input will come: the file was hung up, a pipe behind the console
 * ended, or a pty's master closed (readers waiting then get EIO). */
static bool input_ended(struct tty *tty, struct file *f)
{
	return tty_file_hung_up(tty, f) || tty->input_eof || tty->other_closed;
}

static long canon_wait_read(struct tty *tty, struct file *f, struct iov_iter *to)
{
	for (;;) {
		if (tty->line_start)
			return canon_read(tty, to);
		if (input_ended(tty, f))
			return tty->other_closed ? -EIO : 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(tty->read_wait,
						   tty->line_start || input_ended(tty, f));
		if (err)
			return err;
	}
}

/* Non-canonical reads: VMIN bytes, VTIME tenths of a second (an overall
 * timeout without VMIN, else a timer between bytes). */
static long raw_wait_read(struct tty *tty, struct file *f, struct iov_iter *to)
{
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
		if (input_ended(tty, f))
			return done || !tty->other_closed ? (long)done : -EIO;
		if (!vmin && !vtime)
			return (long)done;
		if (f->flags & O_NONBLOCK)
			return done ? (long)done : -EAGAIN;
		bool timed = vtime && (vmin == 0 || done);
		if (timed && ktime_get_ns() >= deadline)
			return (long)done;
		int err = wait_event_deadline(
		    tty->read_wait, tty->rlen || tty_file_hung_up(tty, f) || tty->input_eof,
		    timed ? deadline : 0);
		if (err == -ETIMEDOUT)
			return (long)done;
		if (err)
			return done ? (long)done : err;
	}
}

long n_tty_read(struct tty *tty, struct file *f, struct iov_iter *to)
{
	if (tty_file_hung_up(tty, f))
		return 0;
	int err = tty_check_change(tty, SIGTTIN);
	if (err)
		return err;
	if (!to->count)
		return 0;
	return L(ICANON) ? canon_wait_read(tty, f, to) : raw_wait_read(tty, f, to);
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
 * stopped. */
long n_tty_write(struct tty *tty, struct file *f, struct iov_iter *from)
{
	if (tty_file_hung_up(tty, f))
		return -EIO;
	if (L(TOSTOP)) {
		int err = tty_check_change(tty, SIGTTOU);
		if (err)
			return err;
	}
	char in[512];
	size_t done = 0;
	while (from->count) {
		size_t want = min(from->count, sizeof in);
		if (!can_write(tty, f, 2 * want + tty->out_len)) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			int err = wait_event_interruptible(
			    tty->write_wait, can_write(tty, f, 2 * want + tty->out_len));
			if (err)
				return done ? (long)done : err;
			if (tty_file_hung_up(tty, f))
				return done ? (long)done : -EIO;
		}
		size_t k = copy_from_iter(in, want, from);
		if (!k)
			return done ? (long)done : -EFAULT;
		for (size_t i = 0; i < k; i++)
			output_byte(tty, (unsigned char)in[i]);
		flush_output_now(tty);
		done += k;
	}
	return (long)done;
}

size_t n_tty_readable(struct tty *tty)
{
	return L(ICANON) ? canon_available(tty) : tty->rlen;
}

/* Without VTIME, poll waits for VMIN bytes as a read would. */
bool n_tty_poll_readable(struct tty *tty)
{
	if (L(ICANON))
		return tty->line_start;
	size_t enough = !CC(VTIME) && CC(VMIN) ? CC(VMIN) : 1;
	return tty->rlen >= enough;
}

/* The rest of a partial line stays readable; then reads see end of file. */
void console_input_eof(struct tty *tty)
{
	if (L(ICANON) && tty->rlen > tty->line_start)
		end_line(tty, 0, RB_EOF);
	tty->input_eof = true;
	wake_up(&tty->read_wait);
}
