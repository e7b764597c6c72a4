/* The line discipline: editing, echo, signals, canonical and raw reads. */
#include "unit.h"
#include "kernel.h"
#include "fs.h"
#include "iov.h"
#include "tty.h"

long n_tty_read(struct tty *tty, struct file *f, struct iov_iter *to);
long n_tty_write(struct tty *tty, struct file *f, struct iov_iter *from);
extern int fake_signals_sent[];

static char out[4096];
static size_t outlen;

static long capture(struct tty *tty, const char *buf, size_t len)
{
	(void)tty;
	memcpy(out + outlen, buf, len);
	outlen += len;
	return (long)len;
}

/* What the tty log would record: the typed bytes and the device's output. */
static char logged_in[4096], logged_out[4096];
static size_t logged_inlen, logged_outlen;

void tty_log_data(struct tty *t, bool input, const char *buf, size_t len)
{
	(void)t;
	char *dst = input ? logged_in + logged_inlen : logged_out + logged_outlen;
	memcpy(dst, buf, len);
	*(input ? &logged_inlen : &logged_outlen) += len;
}

static const struct tty_driver_ops ops = {.write = capture};
static struct tty tty;
static struct file file = {.flags = O_NONBLOCK};

static void reset(bool interactive)
{
	memset(&tty, 0, sizeof tty);
	tty.ops = &ops;
	tty_init_termios(&tty, interactive);
	outlen = logged_inlen = logged_outlen = 0;
	memset(out, 0, sizeof out);
	memset(logged_in, 0, sizeof logged_in);
	memset(logged_out, 0, sizeof logged_out);
}

static long rd(char *buf, size_t n)
{
	struct iov_iter it;
	iov_iter_kernel(&it, buf, n);
	long r = n_tty_read(&tty, &file, &it);
	if (r >= 0)
		buf[r] = 0;
	return r;
}

static void type(const char *s)
{
	tty_receive(&tty, s, strlen(s));
}

int main(void)
{
	unit_name = "n_tty";
	char buf[256];

	reset(true);
	type("abc\177\177d\r");
	CHECK(rd(buf, sizeof buf) == 3 && !strcmp(buf, "ad\n")); /* erase, ICRNL */
	CHECK_STR(out, "abc\b \b\b \bd\r\n");			 /* ECHOE, ONLCR */
	CHECK_STR(logged_in, "abc\177\177d\r");			 /* the log: keys as typed */
	CHECK(logged_outlen == outlen && !memcmp(logged_out, out, outlen)); /* and the screen */
	CHECK(rd(buf, sizeof buf) == -EAGAIN);

	reset(true);
	type("partial");
	CHECK(rd(buf, sizeof buf) == -EAGAIN); /* no complete line yet */
	type("\x15new\n");		       /* ^U kills the line */
	CHECK(rd(buf, sizeof buf) == 4 && !strcmp(buf, "new\n"));

	reset(true);
	type("two words\x17x\n"); /* ^W erases a word */
	CHECK(rd(buf, sizeof buf) == 6 && !strcmp(buf, "two x\n"));

	reset(true);
	type("\x04"); /* ^D on an empty line: end of file */
	CHECK(rd(buf, sizeof buf) == 0);
	type("ab\x04");
	CHECK(rd(buf, sizeof buf) == 2 && !strcmp(buf, "ab")); /* ^D ends the line, unsent */

	reset(true);
	type("line1\nline2\n");
	CHECK(rd(buf, 3) == 3 && !strcmp(buf, "lin")); /* the rest of a line stays */
	CHECK(rd(buf, sizeof buf) == 3 && !strcmp(buf, "e1\n"));
	CHECK(rd(buf, sizeof buf) == 6 && !strcmp(buf, "line2\n"));

	reset(true);
	fake_signals_sent[2] = 0;
	tty.pgrp = 7;
	type("junk\x03");
	CHECK(fake_signals_sent[2] == 1); /* ^C: SIGINT to the foreground group */
	CHECK(strstr(out, "^C") != NULL);
	CHECK(rd(buf, sizeof buf) == -EAGAIN); /* and the input was flushed */

	reset(true);
	tty.termios.c_lflag &= ~(ICANON | ECHO);
	tty.termios.c_cc[VMIN] = 1;
	type("x\ry");
	CHECK(rd(buf, sizeof buf) == 3 && !strcmp(buf, "x\ny"));
	CHECK(outlen == 0); /* no echo */

	reset(true);
	struct iov_iter it;
	char msg[] = "a\nb";
	iov_iter_kernel(&it, msg, 3);
	CHECK(n_tty_write(&tty, &file, &it) == 3);
	CHECK_STR(out, "a\r\nb");
	tty.termios.c_oflag &= ~OPOST;
	outlen = 0;
	iov_iter_kernel(&it, msg, 3);
	n_tty_write(&tty, &file, &it);
	CHECK(outlen == 3 && !memcmp(out, "a\nb", 3));

	reset(false); /* from a pipe: no echo, no \r added */
	type("cmd\n");
	CHECK(outlen == 0 && rd(buf, sizeof buf) == 4);
	return unit_finish();
}
