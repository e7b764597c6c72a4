/* setpgid and setsid rules: a parent may move a child only until it execs
 * and only within its session; a group leader may not start a session; a
 * group may be joined only in the same session; getpgid and getsid of
 * others; no controlling terminal after setsid. */
#include "t.h"
#include <stdbool.h>
#include <sys/ioctl.h>

static int go[2];

static pid_t child(bool do_exec, bool new_session)
{
	pipe(go);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (new_session)
			setsid();
		char x;
		read(go[0], &x, 1);
		if (do_exec)
			execl("/bin/sleep", "sleep", "5", (char *)NULL);
		pause();
		_exit(0);
	}
	close(go[0]);
	usleep(100000);
	return c;
}

static void done(pid_t c)
{
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	close(go[1]);
}

int main(void)
{
	pid_t me = getpid();
	setpgid(0, 0); /* a group of our own, in our session */
	T(setsid());   /* a group leader */
	T(getpgid(0) == me);
	T(getsid(0) == getsid(me));
	T(getpgid(99999));
	T(getsid(99999));
	T(setpgid(-1, 0));
	T(setpgid(0, -1));
	T(setpgid(99999, 0));
	T(setpgid(getppid(), 0)); /* not our child */

	pid_t c = child(false, false);
	T(setpgid(c, c));
	T(getpgid(c) == c);
	T(setpgid(c, me));    /* back into ours */
	T(setpgid(c, 88888)); /* no such group in the session */
	write(go[1], "x", 1);
	done(c);

	c = child(true, false);
	write(go[1], "x", 1);
	usleep(200000); /* it has exec'd */
	T(setpgid(c, c));
	done(c);

	c = child(false, true);
	T(getsid(c) == c);
	T(setpgid(c, me)); /* another session's */
	write(go[1], "x", 1);
	done(c);

	fflush(stdout);
	c = fork();
	if (c == 0) {
		T(setsid() == getpid());
		T(getpgid(0) == getpid());
		T(setpgid(0, me)); /* our old group is in another session now */
		T(open("/dev/tty", O_RDWR));
		T(tcgetpgrp(0));
		T(setsid()); /* a session leader already */
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
