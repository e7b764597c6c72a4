/* Pseudo-terminals: posix_openpt/grantpt/unlockpt/ptsname, the line
 * discipline between master and slave, window sizes, hangup. */
#include "t.h"
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>

static void drain(int m, const char *what)
{
	char buf[256];
	struct pollfd p = {m, POLLIN, 0};
	int total = 0;
	char all[1024] = {0};
	while (poll(&p, 1, 200) == 1 && (p.revents & POLLIN)) {
		ssize_t n = read(m, buf, sizeof buf);
		if (n <= 0)
			break;
		memcpy(all + total, buf, (size_t)n);
		total += (int)n;
	}
	SAY("%s: %d bytes:", what, total);
	for (int i = 0; i < total; i++)
		SAY(" %02x", (unsigned char)all[i]);
	SAY("\n");
}

int main(void)
{
	int m = T(posix_openpt(O_RDWR | O_NOCTTY));
	T(grantpt(m));
	char *name = ptsname(m);
	SAY("ptsname under /dev/pts: %d\n", name && !strncmp(name, "/dev/pts/", 9));
	T(open(name, O_RDWR | O_NOCTTY)); /* still locked */
	T(unlockpt(m));
	int s = T(open(name, O_RDWR | O_NOCTTY));
	T(isatty(s));
	T(isatty(m));
	struct termios t;
	T(tcgetattr(s, &t));
	SAY("canonical %d echo %d\n", !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO));

	/* Typed on the master: echoed back, a line for the slave. */
	T(write(m, "ab\177c\n", 5));
	drain(m, "echo");
	char buf[64] = {0};
	T(read(s, buf, sizeof buf));
	SAY("slave read: %s", buf);
	/* Written by the slave: \n becomes \r\n for the master. */
	T(write(s, "out\n", 4));
	drain(m, "output");

	/* Raw mode. */
	cfmakeraw(&t);
	T(tcsetattr(s, TCSANOW, &t));
	T(write(m, "xyz", 3));
	memset(buf, 0, sizeof buf);
	T(read(s, buf, sizeof buf));
	SAY("raw read: %s\n", buf);
	drain(m, "no echo in raw mode");

	struct winsize ws = {33, 101, 0, 0}, got;
	T(ioctl(m, TIOCSWINSZ, &ws));
	T(ioctl(s, TIOCGWINSZ, &got));
	SAY("winsize %d x %d\n", got.ws_row, got.ws_col);
	int n;
	T(ioctl(m, TIOCGPTN, &n) == 0 && n >= 0);
	int peer = T(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
	T(isatty(peer));
	T(ioctl(s, TIOCGPTN, &n));

	/* The master closes: the slave hangs up. */
	T(close(peer));
	T(close(m));
	T(read(s, buf, 1));
	T(write(s, "x", 1));
	T(open(name, O_RDWR | O_NOCTTY));
	T(close(s));

	/* The slave closes: the master reads EIO once all is read. */
	m = T(posix_openpt(O_RDWR | O_NOCTTY));
	unlockpt(m);
	s = T(open(ptsname(m), O_RDWR | O_NOCTTY));
	T(write(s, "z", 1));
	T(close(s));
	T(read(m, buf, sizeof buf));
	T(read(m, buf, 1));
	return 0;
}
