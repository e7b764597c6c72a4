/* vhangup: the caller's controlling terminal is hung up (its session
 * loses it, open files of it read end of file and fail writes with EIO);
 * without CAP_SYS_TTY_CONFIG, EPERM. */
#include "t.h"
#include <sys/ioctl.h>

int main(void)
{
	T(vhangup()); /* no controlling terminal: nothing to do */
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m))
		return 1;
	const char *name = ptsname(m);
	pid_t c = fork();
	if (c == 0) {
		signal(SIGHUP, SIG_IGN);
		setsid();
		int s = open(name, O_RDWR);
		T(ioctl(s, TIOCSCTTY, 0));
		T(vhangup());
		char ch;
		T(read(s, &ch, 1));
		T(write(s, "x", 1));
		pid_t sid;
		T(ioctl(s, TIOCGSID, &sid));
		T(open("/dev/tty", O_RDWR));
		int again = T(open(name, O_RDWR));
		T(write(again, "y", 1));
		T(setresuid(1000, 1000, 1000));
		T(vhangup());
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("child exit %d\n", WEXITSTATUS(st));
	return 0;
}
