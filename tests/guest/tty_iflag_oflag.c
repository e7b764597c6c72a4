/* Terminal input and output flags over a pty: input mapping (ICRNL,
 * INLCR, IGNCR, ISTRIP, IUCLC), output post-processing (OPOST, ONLCR,
 * OCRNL, ONOCR, ONLRET, OLCUC, XTABS), echo in raw mode, flow control
 * (IXON, IXANY, VSTART/VSTOP, tcflow) and raw reads (VMIN, VTIME). */
#include "ptys.h"
#include <time.h>

struct mapping {
	const char *what;
	tcflag_t iflag, oflag, lflag;
	const char *in;
	size_t n;
};

#define S(x) x, sizeof(x) - 1

/* Raw mode plus these flags: what the slave reads and what is echoed. */
static const struct mapping inputs[] = {
    {"no mapping", 0, 0, 0, S("a\rb\nc")},
    {"ICRNL", ICRNL, 0, 0, S("a\rb\nc")},
    {"INLCR", INLCR, 0, 0, S("a\rb\nc")},
    {"ICRNL and INLCR", ICRNL | INLCR, 0, 0, S("a\rb\nc")},
    {"IGNCR", IGNCR, 0, 0, S("a\rb\nc")},
    {"IGNCR and ICRNL", IGNCR | ICRNL, 0, 0, S("a\rb\nc")},
    {"ISTRIP", ISTRIP, 0, 0,
     S("\xe9\xc1\x8d"
       "a")},
    {"PARMRK", PARMRK, 0, 0, S("a\377b")},
    {"PARMRK and ISTRIP", PARMRK | ISTRIP, 0, 0, S("a\377b")},
    {"IUCLC without IEXTEN", IUCLC, 0, 0, S("AbC")},
    {"IUCLC", IUCLC, 0, IEXTEN, S("AbC\xc9")},
    {"echo in raw mode", 0, 0, ECHO, S("a\x01\r\n\t\x7f")},
    {"echo in raw mode, ECHOCTL", 0, 0, ECHO | ECHOCTL, S("a\x01\r\n\t\x7f\x1b")},
    {"echo in raw mode, ECHOCTL and ICRNL", ICRNL, 0, ECHO | ECHOCTL, S("a\r\n")},
    {"echo in raw mode, OPOST", 0, OPOST | ONLCR, ECHO, S("a\n")},
};

struct output {
	const char *what;
	tcflag_t oflag;
	const char *out;
	size_t n;
};

static const struct output outputs[] = {
    {"no OPOST", ONLCR, S("a\nb\r\tc")},
    {"OPOST", OPOST, S("a\nb\r\tc")},
    {"ONLCR", OPOST | ONLCR, S("a\nb\n\n")},
    {"OCRNL", OPOST | OCRNL, S("a\rb\r")},
    {"OCRNL and ONLCR", OPOST | OCRNL | ONLCR, S("a\rb\n")},
    {"ONOCR", OPOST | ONOCR, S("\rab\r\rc\n\r")},
    {"ONOCR and ONLRET", OPOST | ONOCR | ONLRET, S("ab\n\rc\r")},
    {"ONOCR after a tab", OPOST | ONOCR, S("\t\r\b\r")},
    {"ONOCR after backspaces", OPOST | ONOCR, S("ab\b\b\r")},
    {"OLCUC", OPOST | OLCUC, S("abC\xe9z")},
    {"XTABS", OPOST | XTABS, S("\tab\tabcdefgh\tx\n\t")},
    {"XTABS and ONLCR", OPOST | ONLCR | XTABS, S("abc\t\nx\t")},
    {"XTABS after a control char", OPOST | XTABS, S("a\x01\tb\bc\t")},
};

static struct termios saved;

static void reset(int m, int s)
{
	if (tcsetattr(s, TCSAFLUSH, &saved))
		exit(95);
	tcflush(m, TCIFLUSH);
}

static void map_input(int m, int s, const struct mapping *e)
{
	SAY("== input: %s\n", e->what);
	reset(m, s);
	raw_mode(s, 0, 0);
	tflags(s, IFLAG, e->iflag, 0);
	tflags(s, OFLAG, e->oflag, 0);
	tflags(s, LFLAG, e->lflag, 0);
	type(m, s, e->in, e->n);
	drain(m, "echo");
	reads(s, "read", 4096);
}

static void post_output(int m, int s, const struct output *e)
{
	SAY("== output: %s\n", e->what);
	reset(m, s);
	struct termios t = saved;
	t.c_oflag = e->oflag;
	T(tcsetattr(s, TCSANOW, &t));
	T(write(s, e->out, e->n));
	drain(m, "master reads");
}

/* A write that must not block: its result or its errno. */
static void try_write(int fd, const char *what, const char *s)
{
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	ssize_t n = write(fd, s, strlen(s));
	SAY("%s: %zd %s\n", what, n, n < 0 ? strerrorname_np(errno) : "");
	fcntl(fd, F_SETFL, fl);
}

/* ^S stops the slave's output (its writes and echoes) until ^Q. */
static void flow_control(int m, int s)
{
	SAY("== IXON\n");
	reset(m, s);
	TYPE(m, s,
	     "\x13"
	     "ab");
	drain(m, "echo while stopped");
	try_write(s, "write while stopped", "xy");
	SAY("poll out %d\n", poll(&(struct pollfd){s, POLLOUT, 0}, 1, 0));
	TYPE(m, s, "\x11");
	drain(m, "after ^Q");
	try_write(s, "write", "xy");
	drain(m, "master reads");
	TYPE(m, s, "\n");
	drain(m, "echo");
	reads(s, "line", 4096);

	SAY("== IXANY\n");
	tflags(s, IFLAG, IXANY, 0);
	TYPE(m, s,
	     "\x13"
	     "c");
	drain(m, "echo");
	try_write(s, "write", "z");
	drain(m, "master reads");
	TYPE(m, s, "\x13\x03");
	drain(m, "echo of ^C");
	try_write(s, "write", "z");
	drain(m, "master reads");

	SAY("== no IXON\n");
	reset(m, s);
	tflags(s, IFLAG, 0, IXON);
	TYPE(m, s, "\x13\x11\n");
	drain(m, "echo");
	reads(s, "line", 4096);

	SAY("== VSTOP and VSTART changed\n");
	reset(m, s);
	tcc(s, VSTOP, 'S');
	tcc(s, VSTART, 'Q');
	TYPE(m, s,
	     "S\x13"
	     "a");
	drain(m, "echo while stopped");
	TYPE(m, s, "Q\n");
	drain(m, "echo");
	reads(s, "line", 4096);

	SAY("== tcflow\n");
	reset(m, s);
	T(tcflow(s, TCOOFF));
	try_write(s, "write after TCOOFF", "a");
	TYPE(m, s, "\x11");
	try_write(s, "write after ^Q", "a");
	T(tcflow(s, TCOON));
	try_write(s, "write after TCOON", "b");
	drain(m, "master reads");
	T(tcflow(s, TCIOFF));
	T(tcflow(s, TCION));
	drain(m, "TCIOFF, TCION");
	int r = tcflow(s, 9);
	SAY("tcflow 9: %d %s\n", r, strerrorname_np(errno));
	T(tcflow(m, TCIOFF));
	readable(s, 0); /* the STOP character reaches the slave now */
	try_write(s, "write after the master's TCIOFF", "c");
	T(tcflow(m, TCION));
	readable(s, 0);
	try_write(s, "write after the master's TCION", "d");
	drain(m, "master reads");
}

static long elapsed_ms(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

/* One read of up to 10 bytes with VMIN and VTIME: what it returned and
 * whether it waited VTIME tenths of a second (or not at all: under half
 * of it, which load does not blur). */
static void timed_read(int s, const char *what, int vmin, int vtime, int nonblock)
{
	raw_mode(s, (cc_t)vmin, (cc_t)vtime);
	int fl = fcntl(s, F_GETFL);
	fcntl(s, F_SETFL, nonblock ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
	char buf[10];
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ssize_t n = read(s, buf, sizeof buf);
	long ms = elapsed_ms(&t0);
	fcntl(s, F_SETFL, fl);
	SAY("%s (VMIN %d VTIME %d%s): ", what, vmin, vtime, nonblock ? " O_NONBLOCK" : "");
	if (n < 0)
		SAY("%s", strerrorname_np(errno));
	else
		say_bytes(buf, (size_t)n);
	if (!vtime)
		SAY("\n");
	else if (ms >= vtime * 100 - 20)
		SAY(", waited VTIME\n");
	else
		SAY(", %s\n", ms < vtime * 50 ? "did not wait" : "waited too little");
}

static void vmin_vtime(int m, int s)
{
	SAY("== VMIN and VTIME\n");
	reset(m, s);
	timed_read(s, "nothing", 0, 0, 0);
	TYPE(m, s, "abc");
	timed_read(s, "3 bytes", 0, 0, 0);
	TYPE(m, s, "abcde");
	timed_read(s, "5 bytes", 3, 0, 0);
	TYPE(m, s, "ab");
	raw_mode(s, 3, 0);
	SAY("poll with 2 of VMIN 3: %d\n", poll(&(struct pollfd){s, POLLIN, 0}, 1, 0));
	raw_mode(s, 3, 1);
	SAY("poll with VTIME too: %d\n", poll(&(struct pollfd){s, POLLIN, 0}, 1, 0));
	timed_read(s, "2 bytes", 3, 0, 1);
	timed_read(s, "nothing", 0, 5, 0);
	timed_read(s, "nothing", 0, 5, 1);
	TYPE(m, s, "a");
	timed_read(s, "1 byte", 0, 5, 0);
	TYPE(m, s, "a");
	timed_read(s, "1 byte", 5, 5, 0);
	TYPE(m, s, "0123456789ab");
	timed_read(s, "12 bytes", 20, 5, 0);
	reads(s, "rest", 100);
}

int main(void)
{
	int m, s;
	pty_pair(&m, &s);
	T(tcgetattr(s, &saved));
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		map_input(m, s, &inputs[i]);
	for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++)
		post_output(m, s, &outputs[i]);
	flow_control(m, s);
	vmin_vtime(m, s);
	return 0;
}
