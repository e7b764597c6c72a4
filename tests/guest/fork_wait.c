/* fork, exit statuses, wait4 and waitpid options. */
#include "t.h"

int main(void)
{
	int st;
	pid_t p = fork();
	if (p == 0)
		_exit(3);
	T(waitpid(p, &st, 0) == p);
	SAY("exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
	p = fork();
	if (p == 0) {
		raise(SIGTERM);
		_exit(0);
	}
	T(waitpid(p, &st, 0) == p);
	SAY("signaled %d sig %d core %d\n", WIFSIGNALED(st), WTERMSIG(st), WCOREDUMP(st));
	p = fork();
	if (p == 0)
		abort();
	T(waitpid(p, &st, 0) == p);
	SAY("signaled %d sig %d core %d\n", WIFSIGNALED(st), WTERMSIG(st), WCOREDUMP(st));
	T(waitpid(-1, &st, WNOHANG));
	T(waitpid(-1, &st, 0));
	T(waitpid(getpid(), &st, 0));
	T(waitpid(-1, &st, 0x1234000));
	p = fork();
	if (p == 0) {
		usleep(100000);
		_exit(7);
	}
	T(waitpid(p, &st, WNOHANG));
	T(waitpid(p, &st, 0) == p);
	SAY("status %d\n", WEXITSTATUS(st));
	siginfo_t si;
	p = fork();
	if (p == 0)
		_exit(9);
	memset(&si, 0, sizeof si);
	T(waitid(P_PID, p, &si, WEXITED));
	SAY("si_code %d si_status %d pid ok %d\n", si.si_code, si.si_status, si.si_pid == p);
	return 0;
}
