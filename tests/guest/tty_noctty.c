/* Which opens make a tty the controlling terminal of a session leader:
 * O_NOCTTY (also through TIOCGPTPEER) never does, TIOCSCTTY does; F_GETFL
 * never shows O_NOCTTY. */
#include "t.h"
#include <sys/ioctl.h>

static void say_ctty(const char *when)
{
	int fd = open("/dev/tty", O_RDWR);
	SAY("%s: controlling tty %s\n", when, fd >= 0 ? "yes" : "no");
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		T(setsid() > 0);
		say_ctty("after setsid");
		int m = posix_openpt(O_RDWR | O_NOCTTY);
		SAY("master open: %d\n", m >= 0);
		T(grantpt(m));
		T(unlockpt(m));
		int s = open(ptsname(m), O_RDWR | O_NOCTTY);
		SAY("slave open: %d\n", s >= 0);
		say_ctty("slave opened with O_NOCTTY");
		SAY("F_GETFL shows O_NOCTTY: %d\n", !!(fcntl(s, F_GETFL) & O_NOCTTY));
		T(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY) >= 0);
		say_ctty("peer opened with O_NOCTTY");
		T(ioctl(s, TIOCSCTTY, 0));
		say_ctty("after TIOCSCTTY");
		pid_t sid;
		T(ioctl(s, TIOCGSID, &sid));
		SAY("TIOCGSID is own pid: %d\n", sid == getpid());
		exit(0);
	}
	int st;
	T(waitpid(pid, &st, 0) == pid);
	SAY("child exit %d\n", WEXITSTATUS(st));

	pid = fork();
	if (pid == 0) {
		setsid();
		int m = posix_openpt(O_RDWR | O_NOCTTY);
		grantpt(m);
		unlockpt(m);
		T(open(ptsname(m), O_RDWR) >= 0);
		say_ctty("slave opened without O_NOCTTY");
		exit(0);
	}
	T(waitpid(pid, &st, 0) == pid);
	return 0;
}
