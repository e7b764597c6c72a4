/* What a fork child shares with its parent and what it gets its own copy
 * of: rlimits, nice, umask, cwd, handlers, the signal mask, the alternate
 * stack, the parent-death signal (cleared) and file offsets (shared). */
#include "t.h"
#include <sys/prctl.h>
#include <sys/resource.h>

static void on_usr1(int sig)
{
	(void)sig;
}

int main(void)
{
	struct rlimit rl = {100, 200};
	setrlimit(RLIMIT_NOFILE, &rl);
	setpriority(PRIO_PROCESS, 0, 3);
	umask(027);
	chdir("/tmp");
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGHUP);
	sigprocmask(SIG_BLOCK, &s, NULL);
	static char stack[65536];
	stack_t ss = {.ss_sp = stack, .ss_size = sizeof stack};
	sigaltstack(&ss, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	int fd = open("/proc/self/exe", O_RDONLY);
	lseek(fd, 100, SEEK_SET);

	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		struct rlimit got;
		getrlimit(RLIMIT_NOFILE, &got);
		char cwd[64];
		getcwd(cwd, sizeof cwd);
		mode_t m = umask(0);
		struct sigaction sa1, sa2;
		sigaction(SIGUSR1, NULL, &sa1);
		sigaction(SIGUSR2, NULL, &sa2);
		sigset_t now;
		sigprocmask(SIG_BLOCK, NULL, &now);
		stack_t cur;
		sigaltstack(NULL, &cur);
		int pdeath = -1;
		prctl(PR_GET_PDEATHSIG, &pdeath);
		SAY("rlimit %lu/%lu nice %d umask %03o cwd %s\n", (unsigned long)got.rlim_cur,
		    (unsigned long)got.rlim_max, getpriority(PRIO_PROCESS, 0), m, cwd);
		SAY("USR1 handled %d, USR2 ignored %d, HUP blocked %d, altstack same %d, "
		    "pdeathsig %d\n",
		    sa1.sa_handler == on_usr1, sa2.sa_handler == SIG_IGN, sigismember(&now, SIGHUP),
		    cur.ss_sp == stack && cur.ss_size == sizeof stack, pdeath);
		lseek(fd, 50, SEEK_CUR); /* the offset is shared */
		/* Its own copies: changing them leaves the parent's alone. */
		umask(0);
		chdir("/");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	char cwd[64];
	getcwd(cwd, sizeof cwd);
	SAY("parent: offset %ld, umask %03o, cwd %s\n", (long)lseek(fd, 0, SEEK_CUR), umask(0),
	    cwd);
	return 0;
}
