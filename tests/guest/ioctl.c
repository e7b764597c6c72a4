/* ioctl: FIONREAD on pipes and files, TCGETS on non-terminals (ENOTTY),
 * FIONBIO, FIOCLEX/FIONCLEX, bad fds and commands. */
#include "t.h"
#include <sys/ioctl.h>
#include <termios.h>

int main(void)
{
	const char *d = scratch("ioctl");
	if (chdir(d))
		return 1;
	int p[2];
	T(pipe(p));
	int n = -1;
	T(ioctl(p[0], FIONREAD, &n));
	SAY("  %d\n", n);
	T(write(p[1], "12345678", 8));
	T(ioctl(p[0], FIONREAD, &n));
	SAY("  %d\n", n);
	T(ioctl(p[1], FIONREAD, &n));
	SAY("  %d\n", n);
	T(ioctl(p[0], FIONREAD, BADPTR));
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(write(fd, "abcdef", 6));
	T(lseek(fd, 2, SEEK_SET));
	T(ioctl(fd, FIONREAD, &n));
	SAY("  file FIONREAD %d\n", n);
	/* Terminal ioctls on non-terminals. */
	struct termios t;
	T(ioctl(fd, TCGETS, &t));
	T(ioctl(p[0], TCGETS, &t));
	int nul = T(open("/dev/null", O_RDWR));
	T(ioctl(nul, TCGETS, &t));
	T(isatty(nul));
	T(isatty(fd));
	struct winsize ws;
	T(ioctl(nul, TIOCGWINSZ, &ws));
	pid_t pg;
	T(ioctl(fd, TIOCGPGRP, &pg));
	/* FIONBIO sets O_NONBLOCK on the open file. */
	int on = 1;
	T(ioctl(p[0], FIONBIO, &on));
	T(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	char buf[16];
	T(read(p[0], buf, sizeof buf));
	T(read(p[0], buf, sizeof buf));
	on = 0;
	T(ioctl(p[0], FIONBIO, &on));
	T(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	/* FIOCLEX / FIONCLEX. */
	T(ioctl(fd, FIOCLEX));
	T(fcntl(fd, F_GETFD));
	T(ioctl(fd, FIONCLEX));
	T(fcntl(fd, F_GETFD));
	/* Unknown commands and bad descriptors. */
	T(ioctl(fd, 0x12345678, 0));
	T(ioctl(p[0], 0x5401ff, 0));
	T(ioctl(-1, FIONREAD, &n));
	T(ioctl(99, TCGETS, &t));
	int pf = T(open("f", O_PATH));
	T(ioctl(pf, FIONREAD, &n));
	T(ioctl(pf, FIOCLEX));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(ioctl(dfd, TCGETS, &t));
	return 0;
}
