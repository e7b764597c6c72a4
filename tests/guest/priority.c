/* nice, getpriority and setpriority: process, group and user targets,
 * what fork inherits, and who may lower a nice value. */
#include "t.h"
#include <sys/resource.h>

int main(void)
{
	errno = 0;
	T(getpriority(PRIO_PROCESS, 0));
	T(nice(3));
	T(getpriority(PRIO_PROCESS, 0));
	T(setpriority(PRIO_PROCESS, 0, 5));
	T(getpriority(PRIO_PROCESS, getpid()));
	T(setpriority(PRIO_PROCESS, 0, 100)); /* clamped to 19 */
	T(getpriority(PRIO_PROCESS, 0));
	T(setpriority(PRIO_PROCESS, 0, -100)); /* root: clamped to -20 */
	SAY("nice %d\n", getpriority(PRIO_PROCESS, 0));
	T(setpriority(PRIO_PROCESS, 0, 0));
	T(getpriority(42, 0));
	T(setpriority(42, 0, 1));
	T(getpriority(PRIO_PROCESS, 99999));
	T(setpriority(PRIO_PROCESS, 99999, 1));

	/* A group: every member gets it; getpriority reports the best. */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		setpgid(0, 0);
		T(getpriority(PRIO_PROCESS, 0)); /* inherited */
		pid_t g = fork();
		if (g == 0) {
			pause();
			_exit(0);
		}
		T(setpriority(PRIO_PGRP, 0, 7));
		T(getpriority(PRIO_PGRP, 0));
		T(getpriority(PRIO_PROCESS, g));
		T(setpriority(PRIO_PROCESS, g, 4));
		T(getpriority(PRIO_PGRP, 0));
		kill(g, SIGKILL);
		waitpid(g, NULL, 0);
		/* Not root: raising is fine, lowering is not; nor others'. */
		setuid(4321);
		T(nice(1));
		T(setpriority(PRIO_PROCESS, 0, 2));
		T(setpriority(PRIO_PROCESS, getppid(), 10));
		T(setpriority(PRIO_USER, 0, 9));
		T(getpriority(PRIO_USER, 0));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
