/* SIGCHLD: sent on exit, stop and continue (not with SA_NOCLDSTOP); its
 * siginfo; SIG_IGN and SA_NOCLDWAIT reap children automatically. */
#include "t.h"

static volatile int n;
static siginfo_t last;

static void h(int s, siginfo_t *si, void *uc)
{
	(void)s;
	(void)uc;
	last = *si;
	n++;
}

static void wait_n(int k)
{
	while (n < k)
		pause();
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = h, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	T(sigaction(SIGCHLD, &sa, NULL));
	pid_t c = fork();
	if (c == 0)
		_exit(9);
	wait_n(1);
	SAY("  exit: code %d status %d pid ok %d\n", last.si_code, last.si_status,
	    last.si_pid == c);
	int st;
	T(waitpid(c, &st, 0) == c);
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	T(kill(c, SIGSTOP));
	wait_n(2);
	SAY("  stop: code %d status %d\n", last.si_code, last.si_status);
	T(kill(c, SIGCONT));
	wait_n(3);
	SAY("  cont: code %d status %d\n", last.si_code, last.si_status);
	T(kill(c, SIGKILL));
	wait_n(4);
	SAY("  kill: code %d status %d\n", last.si_code, last.si_status);
	T(waitpid(c, &st, 0) == c);
	/* SA_NOCLDSTOP: no signal for stop and continue. */
	sa.sa_flags = SA_SIGINFO | SA_NOCLDSTOP;
	T(sigaction(SIGCHLD, &sa, NULL));
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	T(kill(c, SIGSTOP));
	T(waitpid(c, &st, WUNTRACED) == c);
	T(kill(c, SIGCONT));
	usleep(100000);
	SAY("  signals with NOCLDSTOP: %d\n", n - 4);
	T(kill(c, SIGTERM));
	wait_n(5);
	SAY("  term: code %d status %d\n", last.si_code, last.si_status);
	T(waitpid(c, &st, 0) == c);
	/* SIG_IGN: children are reaped at once; wait finds none. */
	signal(SIGCHLD, SIG_IGN);
	c = fork();
	if (c == 0)
		_exit(1);
	usleep(100000);
	T(waitpid(c, &st, WNOHANG));
	/* A blocking wait returns ECHILD once all are gone. */
	c = fork();
	if (c == 0) {
		usleep(100000);
		_exit(1);
	}
	T(wait(&st));
	/* SA_NOCLDWAIT with a handler: still signalled, no zombie. */
	sa.sa_flags = SA_SIGINFO | SA_NOCLDWAIT;
	T(sigaction(SIGCHLD, &sa, NULL));
	int before = n;
	c = fork();
	if (c == 0)
		_exit(2);
	wait_n(before + 1);
	usleep(50000);
	T(waitpid(c, &st, WNOHANG));
	/* Back to the default: zombies again. */
	signal(SIGCHLD, SIG_DFL);
	c = fork();
	if (c == 0)
		_exit(3);
	usleep(100000);
	T(waitpid(c, &st, WNOHANG) == c);
	SAY("  status %d\n", WEXITSTATUS(st));
	/* A child's exit_signal other than SIGCHLD (clone's low byte). */
	signal(SIGUSR1, SIG_IGN);
	sa.sa_flags = SA_SIGINFO;
	T(sigaction(SIGUSR1, &sa, NULL));
	before = n;
	c = (pid_t)syscall(SYS_clone, SIGUSR1, NULL, NULL, NULL, 0);
	if (c == 0)
		syscall(SYS_exit, 4);
	wait_n(before + 1);
	SAY("  exit signal %d code %d\n", last.si_signo, last.si_code);
	T(waitpid(c, &st, 0));
	T(waitpid(c, &st, __WCLONE) == c);
	return 0;
}
