/*
 * Shared by the terminal tests: a pty pair, termios tweaks, typing on the
 * master and printing what each side then sees, with control bytes
 * escaped so that the exact echo and output bytes show in a diff.
 */
#include "t.h"
#include <poll.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <termios.h>

/* A pty pair; the slave is nobody's controlling terminal (yet). */
static inline void pty_pair(int *m, int *s)
{
	*m = posix_openpt(O_RDWR | O_NOCTTY);
	if (*m < 0 || grantpt(*m) || unlockpt(*m))
		exit(90);
	*s = open(ptsname(*m), O_RDWR | O_NOCTTY);
	if (*s < 0)
		exit(91);
}

enum tfield { IFLAG, OFLAG, CFLAG, LFLAG };

/* Sets the flags on, then clears the flags off, in one termios field. */
static inline void tflags(int fd, enum tfield which, tcflag_t on, tcflag_t off)
{
	struct termios t;
	if (tcgetattr(fd, &t))
		exit(92);
	tcflag_t *f[] = {&t.c_iflag, &t.c_oflag, &t.c_cflag, &t.c_lflag};
	*f[which] = (*f[which] | on) & ~off;
	if (tcsetattr(fd, TCSANOW, &t))
		exit(93);
}

static inline void tcc(int fd, int index, cc_t value)
{
	struct termios t;
	if (tcgetattr(fd, &t))
		exit(92);
	t.c_cc[index] = value;
	if (tcsetattr(fd, TCSANOW, &t))
		exit(93);
}

/* Non-canonical, no echo, no signals, no input or output mapping. */
static inline void raw_mode(int fd, cc_t vmin, cc_t vtime)
{
	struct termios t;
	if (tcgetattr(fd, &t))
		exit(92);
	cfmakeraw(&t);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	if (tcsetattr(fd, TCSANOW, &t))
		exit(93);
}

static inline void say_bytes(const char *s, size_t n)
{
	SAY("\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			SAY("\\n");
		else if (c == '\r')
			SAY("\\r");
		else if (c == '\t')
			SAY("\\t");
		else if (c == '\b')
			SAY("\\b");
		else if (c == '\\' || c == '"')
			SAY("\\%c", c);
		else if (c < 32 || c > 126)
			SAY("\\x%02x", c);
		else
			SAY("%c", c);
	}
	SAY("\"");
}

/* Long runs print as their ends and their length. */
static inline void say_data(const char *s, size_t n)
{
	if (n <= 100) {
		say_bytes(s, n);
	} else {
		say_bytes(s, 40);
		SAY("...");
		say_bytes(s + n - 20, 20);
		SAY(" (%zu bytes)", n);
	}
	SAY("\n");
}

static inline bool readable(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* Everything the master reads until it has been quiet for 50 ms. */
static inline size_t drain(int m, const char *what)
{
	static char all[1 << 16];
	size_t total = 0;
	while (total < sizeof all && readable(m, 50)) {
		ssize_t n = read(m, all + total, sizeof all - total);
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	SAY("%s: ", what);
	say_data(all, total);
	return total;
}

/* Bytes typed on the master. A poll of the slave makes Linux process them
 * now (it flushes the slave's input work), so echoes follow promptly. */
static inline void type(int m, int s, const char *str, size_t n)
{
	if (write(m, str, n) != (ssize_t)n)
		exit(94);
	readable(s, 0);
}
#define TYPE(m, s, str) type(m, s, str, sizeof(str) - 1)

/* Each read of at most size bytes the slave answers without blocking,
 * until it has nothing more (an end of file with nothing after it ends
 * the reads too). */
static inline void reads(int s, const char *what, size_t size)
{
	static char buf[8192];
	int fl = fcntl(s, F_GETFL);
	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	for (int i = 0; i < 10; i++) {
		errno = 0;
		ssize_t n = read(s, buf, size < sizeof buf ? size : sizeof buf);
		if (n < 0) {
			SAY("%s: read -> %s\n", what, strerrorname_np(errno));
			break;
		}
		SAY("%s: read %zd ", what, n);
		say_data(buf, (size_t)n);
		int left = 0;
		if (n == 0 && (ioctl(s, FIONREAD, &left) || !left))
			break;
	}
	fcntl(s, F_SETFL, fl);
}
