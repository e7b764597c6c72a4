/* Scheduling calls, RLIMIT_NPROC and the parent-death signal. */
#include "t.h"
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>

int main(void)
{
	struct sched_param p = {0};
	T(sched_getscheduler(0));
	T(sched_setscheduler(0, SCHED_BATCH, &p));
	T(sched_getscheduler(0));
	p.sched_priority = 5;
	T(sched_setscheduler(0, SCHED_BATCH, &p));
	T(sched_setscheduler(0, SCHED_FIFO, &p));
	T(sched_getscheduler(0));
	T(sched_getparam(0, &p));
	SAY("prio %d\n", p.sched_priority);
	p.sched_priority = 0;
	T(sched_setscheduler(0, SCHED_OTHER, &p));
	T(sched_setscheduler(0, 42, &p));
	T(sched_getscheduler(-1));
	T(sched_get_priority_max(SCHED_FIFO));
	T(sched_get_priority_min(SCHED_RR));
	T(sched_get_priority_max(SCHED_OTHER));
	T(sched_get_priority_max(99));
	struct timespec ts;
	T(sched_rr_get_interval(0, &ts));
	T(sched_yield());
	T(syscall(SYS_membarrier, 0, 0, 0) >= 0);
	T(syscall(SYS_membarrier, 1 << 20, 0, 0));

	/* Parent death: the grandchild hears when its parent goes. */
	int pfd[2];
	pipe(pfd);
	pid_t mid = fork();
	if (mid == 0) {
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGUSR1);
			sigset_t s;
			sigemptyset(&s);
			sigaddset(&s, SIGUSR1);
			sigprocmask(SIG_BLOCK, &s, NULL);
			write(pfd[1], "r", 1);
			int sig;
			sigwait(&s, &sig);
			write(pfd[1], sig == SIGUSR1 ? "k" : "?", 1);
			_exit(0);
		}
		char c;
		read(pfd[0], &c, 1);
		_exit(0);
	}
	int st;
	waitpid(mid, &st, 0);
	char c = 0;
	read(pfd[0], &c, 1);
	SAY("grandchild got the parent-death signal: %c\n", c);

	/* RLIMIT_NPROC binds a non-root user. */
	pid_t q = fork();
	if (q == 0) {
		struct rlimit r = {1, 1};
		setrlimit(RLIMIT_NPROC, &r);
		if (setuid(4242))
			_exit(9);
		pid_t x = fork();
		if (x == 0)
			_exit(0);
		_exit(x < 0 && errno == EAGAIN ? 1 : 2);
	}
	waitpid(q, &st, 0);
	SAY("nproc refused fork: %d\n", WEXITSTATUS(st));
	return 0;
}
