/* wait4 and waitid: WNOHANG, ECHILD, stopped and continued children,
 * WNOWAIT, P_PGID, siginfo contents, rusage, bad arguments. */
#include "t.h"
#include <sys/resource.h>

static void show_status(int st)
{
	if (WIFEXITED(st))
		SAY("  exited %d\n", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		SAY("  killed by %d\n", WTERMSIG(st));
	else if (WIFSTOPPED(st))
		SAY("  stopped by %d\n", WSTOPSIG(st));
	else if (WIFCONTINUED(st))
		SAY("  continued\n");
	else
		SAY("  status %#x\n", st);
}

static void show_info(siginfo_t *si, pid_t c)
{
	SAY("  si_signo %d si_code %d si_status %d pid ok %d uid %d\n", si->si_signo, si->si_code,
	    si->si_status, si->si_pid == c, si->si_uid);
}

int main(void)
{
	int st;
	siginfo_t si;
	T(wait4(-1, &st, WNOHANG, NULL));
	T(wait(&st));
	T(waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	/* WNOHANG with a running child: 0; waitid leaves si_pid 0. */
	T(wait4(c, &st, WNOHANG, NULL));
	memset(&si, 0xff, sizeof si);
	T(waitid(P_PID, c, &si, WEXITED | WNOHANG));
	SAY("  si_pid %d\n", si.si_pid);
	/* Stop and continue. */
	T(kill(c, SIGSTOP));
	T(wait4(c, &st, WUNTRACED, NULL) == c);
	show_status(st);
	T(wait4(c, &st, WUNTRACED | WNOHANG, NULL)); /* reported once */
	T(kill(c, SIGCONT));
	T(wait4(c, &st, WCONTINUED, NULL) == c);
	show_status(st);
	T(kill(c, SIGSTOP));
	memset(&si, 0, sizeof si);
	T(waitid(P_PID, c, &si, WSTOPPED));
	show_info(&si, c);
	T(kill(c, SIGCONT));
	memset(&si, 0, sizeof si);
	T(waitid(P_PID, c, &si, WCONTINUED));
	show_info(&si, c);
	/* Killed; WNOWAIT leaves it waitable. */
	T(kill(c, SIGKILL));
	memset(&si, 0, sizeof si);
	T(waitid(P_PID, c, &si, WEXITED | WNOWAIT));
	show_info(&si, c);
	struct rusage ru;
	T(wait4(c, &st, 0, &ru) == c);
	show_status(st);
	T(wait4(c, &st, 0, NULL));
	/* Exit statuses through waitid: CLD_EXITED, CLD_KILLED, CLD_DUMPED. */
	c = fork();
	if (c == 0)
		_exit(200);
	memset(&si, 0, sizeof si);
	T(waitid(P_ALL, 0, &si, WEXITED));
	show_info(&si, c);
	c = fork();
	if (c == 0) {
		struct rlimit rl = {0, 0};
		setrlimit(RLIMIT_CORE, &rl);
		raise(SIGQUIT);
		_exit(0);
	}
	memset(&si, 0, sizeof si);
	T(waitid(P_PID, c, &si, WEXITED));
	show_info(&si, c);
	/* Process groups: P_PGID and wait4(0) / wait4(-pgid). */
	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		usleep(50000);
		_exit(1);
	}
	setpgid(c, c);
	T(wait4(0, &st, WNOHANG, NULL)); /* not in our group */
	memset(&si, 0, sizeof si);
	T(waitid(P_PGID, c, &si, WEXITED));
	show_info(&si, c);
	c = fork();
	if (c == 0)
		_exit(2);
	T(wait4(0, &st, 0, NULL) == c);
	show_status(st);
	/* Bad arguments. */
	T(waitid(P_PID, 1, &si, 0));
	T(waitid(P_ALL, 0, &si, 0x40000000 | WEXITED));
	T(waitid(7, 0, &si, WEXITED));
	T(wait4(-1, &st, 0x1000, NULL));
	c = fork();
	if (c == 0)
		_exit(3);
	T(wait4(c, BADPTR, 0, NULL));
	T(wait4(c, &st, 0, NULL));
	c = fork();
	if (c == 0)
		_exit(4);
	T(syscall(SYS_waitid, P_PID, c, BADPTR, WEXITED, NULL));
	T(waitid(P_PID, c, &si, WEXITED));
	/* waitid with a NULL infop (Linux allows it). */
	c = fork();
	if (c == 0)
		_exit(5);
	T(syscall(SYS_waitid, P_PID, c, NULL, WEXITED, NULL));
	T(waitpid(c, &st, WNOHANG));
	/* A pid that is not our child. */
	T(waitpid(getppid(), &st, 0));
	T(waitpid(1, &st, WNOHANG));
	return 0;
}
