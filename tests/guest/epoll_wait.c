/* epoll_wait, epoll_pwait, epoll_pwait2: blocking, wake-ups from other
 * processes, timeouts, signals (never restarted), temporary signal masks. */
#include "t.h"
#include <stdint.h>
#include <time.h>
#include <sys/epoll.h>

static volatile int got;

static void handler(int sig)
{
	got = sig;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(void)
{
	int ep = OK(epoll_create1(0));
	int p[2];
	T(pipe(p));
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = 7}, ev[4];
	T(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e));

	/* A child's write wakes a blocked epoll_wait. */
	pid_t c = fork();
	if (c == 0) {
		usleep(50000);
		write(p[1], "x", 1);
		_exit(0);
	}
	T(epoll_wait(ep, ev, 4, -1));
	SAY("[%u %#x]\n", ev[0].data.u32, ev[0].events);
	waitpid(c, NULL, 0);
	char ch;
	T(read(p[0], &ch, 1));

	/* Timeouts are never early. */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T(epoll_wait(ep, ev, 4, 100));
	long ms = ms_since(&t0);
	SAY("waited enough: %d\n", ms >= 100 && ms < 1000);
	struct timespec ts = {0, 50000000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T(epoll_pwait2(ep, ev, 4, &ts, NULL));
	ms = ms_since(&t0);
	SAY("waited enough: %d\n", ms >= 50 && ms < 1000);
	ts.tv_nsec = 1000000000;
	T(epoll_pwait2(ep, ev, 4, &ts, NULL));
	T(epoll_pwait2(ep, ev, 4, BADPTR, NULL));

	/* A handled signal ends the wait with EINTR, even with SA_RESTART. */
	struct sigaction sa = {0};
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	T(epoll_wait(ep, ev, 4, -1));
	SAY("got %d\n", got);

	/* epoll_pwait: the mask applies only during the wait. */
	sigset_t block, none, cur;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	got = 0;
	raise(SIGUSR1);
	SAY("pending, got %d\n", got);
	T(epoll_pwait(ep, ev, 4, -1, &none));
	SAY("got %d\n", got);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	SAY("still blocked: %d\n", sigismember(&cur, SIGUSR1));
	T(epoll_pwait(ep, ev, 4, 0, &none));
	T(syscall(SYS_epoll_pwait, ep, ev, 4, 0, &none, 4));
	/* Events win over a pending signal. */
	T(write(p[1], "y", 1));
	got = 0;
	raise(SIGUSR1);
	T(epoll_pwait(ep, ev, 4, -1, &none));
	SAY("got %d\n", got);
	T(epoll_pwait(ep, ev, 4, -1, &none));
	SAY("got %d\n", got);
	T(read(p[0], &ch, 1));
	T(epoll_pwait(ep, ev, 4, -1, &none));
	SAY("got %d\n", got);

	/* A stop and continue interrupts a wait even without handlers. */
	c = fork();
	if (c == 0) {
		struct epoll_event x[1];
		int n = epoll_wait(ep, x, 1, 2000);
		SAY("child epoll_wait -> %d %s\n", n, n < 0 ? strerrorname_np(errno) : "");
		_exit(0);
	}
	usleep(100000);
	kill(c, SIGSTOP);
	int st;
	T(waitpid(c, &st, WUNTRACED) == c);
	SAY("stopped %d\n", WIFSTOPPED(st));
	kill(c, SIGCONT);
	T(waitpid(c, &st, 0) == c);
	return 0;
}
