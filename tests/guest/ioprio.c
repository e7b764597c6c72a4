/* ioprio_set and ioprio_get: classes and levels kept per thread, inherited
 * by fork, the best of a group, permissions and errnos (ionice). */
#include "t.h"

#define PRIO(class, level) ((class) << 13 | (level))
enum { WHO_PROCESS = 1, WHO_PGRP, WHO_USER };

static long get(int which, int who)
{
	return syscall(SYS_ioprio_get, which, who);
}

static long set(int which, int who, int prio)
{
	return syscall(SYS_ioprio_set, which, who, prio);
}

int main(void)
{
	setpgid(0, 0);
	T(get(WHO_PROCESS, 0));
	T(set(WHO_PROCESS, 0, PRIO(2, 3)));
	T(get(WHO_PROCESS, 0));
	T(get(WHO_PROCESS, getpid()));
	T(set(WHO_PROCESS, 0, PRIO(3, 0)));
	T(get(WHO_PROCESS, 0));
	T(set(WHO_PROCESS, 0, PRIO(1, 4)));
	T(get(WHO_PROCESS, 0));
	T(set(WHO_PROCESS, 0, PRIO(2, 8))); /* a hint, level 0 */
	T(get(WHO_PROCESS, 0));
	T(set(WHO_PROCESS, 0, PRIO(0, 1)));
	T(set(WHO_PROCESS, 0, PRIO(4, 0)));
	T(set(0, 0, 0));
	T(get(4, 0));
	T(set(WHO_PROCESS, 0x3ffffffe, 0));
	T(get(WHO_PROCESS, 0x3ffffffe));
	T(set(WHO_PROCESS, 0, PRIO(2, 6)));
	int ready[2], done[2];
	if (pipe(ready) || pipe(done))
		return 1;
	pid_t c = fork();
	if (c == 0) {
		T(get(WHO_PROCESS, 0));
		T(set(WHO_PROCESS, 0, PRIO(2, 1)));
		char ch;
		if (write(ready[1], "r", 1) != 1 || read(done[0], &ch, 1) != 1)
			_exit(1);
		_exit(0);
	}
	char ch;
	if (read(ready[0], &ch, 1) != 1)
		return 2;
	T(get(WHO_PROCESS, c));
	T(get(WHO_PGRP, 0));
	T(set(WHO_PGRP, 0, PRIO(2, 5)));
	T(get(WHO_PGRP, 0));
	T(get(WHO_PROCESS, c));
	T(set(WHO_PGRP, 0, 0));
	T(get(WHO_PGRP, 0));
	if (write(done[1], "d", 1) != 1)
		return 3;
	waitpid(c, NULL, 0);
	c = fork();
	if (c == 0) {
		if (setresuid(1000, 1000, 1000))
			_exit(4);
		T(set(WHO_PROCESS, 0, PRIO(1, 0)));
		T(set(WHO_PROCESS, getppid(), PRIO(2, 0)));
		T(set(WHO_PROCESS, 0, PRIO(3, 0)));
		T(get(WHO_USER, 0));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
