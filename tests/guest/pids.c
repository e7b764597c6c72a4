/* getpid, getppid, gettid, process groups and sessions: relations only. */
#include "t.h"

int main(void)
{
	pid_t me = getpid();
	T(getpid() == syscall(SYS_gettid));
	T(getpid() == me);
	T(getppid() != me);
	T(getpgrp() == getpgid(0));
	T(getsid(0) == getsid(me));
	T(getpgid(me) == getpgrp());
	int p[2];
	if (pipe(p))
		return 2;
	pid_t c = fork();
	if (c == 0) {
		pid_t r[8];
		r[0] = getppid() == me;
		r[1] = getpid() == syscall(SYS_gettid);
		r[2] = getpgrp() == getpgid(me); /* inherits the group */
		r[3] = getsid(0) == getsid(me);
		r[4] = setpgid(0, 0) == 0 && getpgrp() == getpid();
		r[5] = setsid() < 0 && errno == EPERM; /* a group leader */
		SAY("  child: %d %d %d %d %d %d\n", r[0], r[1], r[2], r[3], r[4], r[5]);
		pid_t g = fork();
		if (g == 0) {
			pid_t s = setsid();
			SAY("  grandchild setsid: %d sid %d pgid %d\n", s == getpid(),
			    getsid(0) == getpid(), getpgrp() == getpid());
			SAY("  grandchild setpgid after setsid: %s\n",
			    setpgid(0, getppid()) < 0 ? strerrorname_np(errno) : "ok");
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* setpgid rules: other process's group only for our children, pgid
	 * must be in our session, negative is EINVAL. */
	T(setpgid(0, -1));
	T(setpgid(-1, 0));
	T(setpgid(1, 1) < 0 ? -errno : 0);
	c = fork();
	if (c == 0) {
		usleep(200000);
		_exit(0);
	}
	T(setpgid(c, c));
	T(getpgid(c) == c);
	T(setpgid(c, me) < 0 ? errno : 0);
	T(getpgid(c) == getpgrp());
	waitpid(c, NULL, 0);
	T(getpgid(c) < 0 ? errno : 0);
	T(getsid(c) < 0 ? errno : 0);
	T(kill(c, 0) < 0 ? errno : 0);
	/* A child that has exec'd cannot be moved. */
	c = fork();
	if (c == 0) {
		execl("/bin/sleep", "sleep", "0.3", (char *)NULL);
		_exit(127);
	}
	usleep(100000);
	T(setpgid(c, c) < 0 ? errno : 0);
	waitpid(c, NULL, 0);
	/* Orphans get a new parent (an ancestor or a subreaper): not us. */
	int q[2];
	if (pipe(q))
		return 2;
	c = fork();
	if (c == 0) {
		pid_t mid = getpid();
		if (fork() == 0) {
			while (getppid() == mid)
				usleep(10000);
			if (write(q[1], "1", 1) != 1)
				_exit(1);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(c, NULL, 0);
	close(q[1]);
	char r = 0;
	T(read(q[0], &r, 1));
	SAY("  orphan reparented: %c\n", r);
	/* gettid in the raw form, and tgkill to ourselves with signal 0. */
	T(syscall(SYS_tgkill, me, syscall(SYS_gettid), 0));
	T(syscall(SYS_tgkill, me, me + 1000000, 0));
	return 0;
}
