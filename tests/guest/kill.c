/* kill, tkill, tgkill, raise, abort: targets (pid, 0, -pgid), signal 0,
 * permissions, bad arguments, and abort killing even with a handler. */
#include "t.h"

static volatile int got;
static void h(int s)
{
	(void)s;
	got++;
}

static void on_abrt(int s)
{
	(void)s;
	SAY("  SIGABRT handler ran\n");
}

int main(void)
{
	signal(SIGUSR1, h);
	pid_t me = getpid();
	T(kill(me, 0));
	T(kill(me, SIGUSR1));
	SAY("  got %d\n", got);
	T(kill(me, -1));
	T(kill(me, 65));
	/* A reaped child's pid no longer exists. */
	pid_t c = fork();
	if (c == 0)
		_exit(0);
	waitpid(c, NULL, 0);
	T(kill(c, 0));
	T(kill(c, SIGUSR1));
	/* A zombie can still be signalled (success, no effect). */
	c = fork();
	if (c == 0)
		_exit(0);
	usleep(100000);
	T(kill(c, 0));
	T(kill(c, SIGKILL));
	waitpid(c, NULL, 0);
	/* Process groups: kill(0) and kill(-pgid) reach every member. */
	int p[2];
	if (pipe(p))
		return 2;
	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		pid_t k = fork();
		if (k == 0) {
			pause();
			_exit(0);
		}
		signal(SIGTERM, SIG_IGN);
		T(kill(0, SIGTERM)); /* itself ignores it, the member dies */
		int st;
		waitpid(k, &st, 0);
		SAY("  member killed by %d\n", WTERMSIG(st));
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	char ch;
	if (read(p[0], &ch, 1) != 1)
		return 3;
	T(kill(-c, SIGKILL));
	int st;
	waitpid(c, &st, 0);
	SAY("  group leader killed by %d\n", WTERMSIG(st));
	T(kill(-c, 0));
	T(kill(-999999, 0));
	/* tkill and tgkill. */
	long tid = syscall(SYS_gettid);
	T(syscall(SYS_tkill, tid, SIGUSR1));
	T(syscall(SYS_tgkill, me, tid, SIGUSR1));
	SAY("  got %d\n", got);
	T(syscall(SYS_tkill, 0, SIGUSR1));
	T(syscall(SYS_tkill, -5, SIGUSR1));
	T(syscall(SYS_tgkill, 0, tid, SIGUSR1));
	T(syscall(SYS_tgkill, me, 0, SIGUSR1));
	T(syscall(SYS_tgkill, me + 1, tid, SIGUSR1) < 0 ? errno : 0);
	T(syscall(SYS_tgkill, me, tid, 99));
	T(raise(SIGUSR1));
	SAY("  got %d\n", got);
	/* Permission: an unprivileged process may only signal its own uid. */
	c = fork();
	if (c == 0) {
		setuid(1000);
		T(kill(getppid(), 0));
		T(kill(getppid(), SIGUSR1));
		T(kill(getpid(), 0));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* abort: a handler runs, then the process dies of SIGABRT anyway;
	 * even a blocked or ignored SIGABRT kills. */
	c = fork();
	if (c == 0) {
		signal(SIGABRT, on_abrt);
		abort();
	}
	waitpid(c, &st, 0);
	SAY("  abort with handler: killed by %d\n", WTERMSIG(st));
	c = fork();
	if (c == 0) {
		signal(SIGABRT, SIG_IGN);
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGABRT);
		sigprocmask(SIG_BLOCK, &m, NULL);
		abort();
	}
	waitpid(c, &st, 0);
	SAY("  abort ignored+blocked: killed by %d\n", WTERMSIG(st));
	/* SIGKILL to ourselves, in a child. */
	c = fork();
	if (c == 0) {
		kill(getpid(), SIGKILL);
		for (;;)
			pause();
	}
	waitpid(c, &st, 0);
	SAY("  self SIGKILL: %d\n", WTERMSIG(st));
	return 0;
}
