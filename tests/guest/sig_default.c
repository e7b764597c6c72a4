/* Default signal actions: terminate, core (the core flag with RLIMIT_CORE
 * 0), ignore, stop and continue; SIG_IGN survives; init-like immunity is
 * not tested (the test is not pid 1 natively). */
#include "t.h"
#include <sys/resource.h>

static const char *name(int sig)
{
	return sig < SIGRTMIN ? sigabbrev_np(sig) : "RT";
}

static void run(int sig)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		/* A group of its own under a parent in this session: not an
		 * orphaned group, where stop signals would be ignored. */
		setpgid(0, 0);
		struct rlimit rl = {0, 0};
		setrlimit(RLIMIT_CORE, &rl);
		raise(sig);
		_exit(100);
	}
	int st;
	waitpid(c, &st, WUNTRACED);
	if (WIFSTOPPED(st)) {
		SAY("  %2d %-9s stopped by %d\n", sig, name(sig), WSTOPSIG(st));
		kill(c, SIGKILL);
		waitpid(c, &st, 0);
		return;
	}
	if (WIFEXITED(st))
		SAY("  %2d %-9s ignored (exit %d)\n", sig, name(sig), WEXITSTATUS(st));
	else
		SAY("  %2d %-9s killed by %d\n", sig, name(sig), WTERMSIG(st));
}

int main(void)
{
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			run(s);
	run(SIGKILL);
	run(SIGSTOP);
	run(SIGRTMIN);
	run(SIGRTMAX);
	/* Stop, continue (SIGCONT resumes even when ignored or handled). */
	pid_t c = fork();
	if (c == 0) {
		signal(SIGCONT, SIG_IGN);
		for (int i = 0; i < 100; i++)
			usleep(10000);
		_exit(7);
	}
	int st;
	T(kill(c, SIGSTOP));
	T(waitpid(c, &st, WUNTRACED) == c);
	SAY("  stopped %d\n", WIFSTOPPED(st));
	T(kill(c, SIGCONT));
	T(waitpid(c, &st, WCONTINUED) == c);
	SAY("  continued %d\n", WIFCONTINUED(st));
	T(waitpid(c, &st, 0) == c);
	SAY("  then exited %d\n", WEXITSTATUS(st));
	/* A stopped process still dies from SIGKILL; SIGTERM waits for CONT. */
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	T(kill(c, SIGSTOP));
	T(waitpid(c, &st, WUNTRACED) == c);
	T(kill(c, SIGTERM));
	usleep(100000);
	T(waitpid(c, &st, WNOHANG));
	T(kill(c, SIGCONT));
	T(waitpid(c, &st, 0) == c);
	SAY("  after CONT: killed by %d\n", WTERMSIG(st));
	/* SIGCONT discards pending stop signals, a stop discards pending CONT. */
	c = fork();
	if (c == 0) {
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGTSTP);
		sigprocmask(SIG_BLOCK, &m, NULL);
		raise(SIGTSTP);
		raise(SIGCONT);
		sigset_t p;
		sigpending(&p);
		_exit(sigismember(&p, SIGTSTP) ? 1 : 2);
	}
	T(waitpid(c, &st, 0) == c);
	SAY("  TSTP pending after CONT: %d\n", WEXITSTATUS(st) == 1);
	/* SIG_IGN is kept across exec; a handled signal goes back to default. */
	c = fork();
	if (c == 0) {
		signal(SIGINT, SIG_IGN);
		execl("/bin/sh", "sh", "-c", "kill -INT $$; echo survived INT", (char *)NULL);
		_exit(127);
	}
	T(waitpid(c, &st, 0) == c);
	SAY("  status %d\n", WEXITSTATUS(st));
	return 0;
}
