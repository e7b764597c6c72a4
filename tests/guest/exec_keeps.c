/* What execve keeps of a process's signals and timers, and what fork
 * passes on: the mask and pending signals survive execve, as do alarm and
 * ITIMER_REAL; POSIX timers are deleted; a fork child has none of the
 * timers and no pending signals, but the mask. */
#include "t.h"
#include <sys/time.h>

static void report(const char *who)
{
	sigset_t mask, pend;
	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigpending(&pend);
	struct itimerval it;
	getitimer(ITIMER_REAL, &it);
	unsigned left = alarm(0);
	timer_t probe = (timer_t)0;
	struct itimerspec ts;
	int timer = syscall(SYS_timer_gettime, probe, &ts) == 0;
	SAY("%s: USR1 blocked %d pending %d, USR2 pending %d, alarm set %d, "
	    "posix timer %d\n",
	    who, sigismember(&mask, SIGUSR1), sigismember(&pend, SIGUSR1),
	    sigismember(&pend, SIGUSR2), left > 0 || it.it_value.tv_sec > 0, timer);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "after")) {
		report("after exec");
		return 0;
	}
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	raise(SIGUSR2);
	alarm(100);
	timer_t t;
	struct sigevent ev = {.sigev_notify = SIGEV_NONE};
	timer_create(CLOCK_MONOTONIC, &ev, &t);
	struct itimerspec ts = {{0, 0}, {100, 0}};
	timer_settime(t, 0, &ts, NULL);
	SAY("timer id %d\n", (int)(long)t);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		report("fork child");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	alarm(100);
	fflush(stdout);
	execl("/proc/self/exe", "exec_keeps", "after", (char *)NULL);
	return 1;
}
