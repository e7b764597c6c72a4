/* sigsuspend, sigpending, sigtimedwait, sigwaitinfo, pause: waiting for
 * signals with a temporary mask, timeouts, queued real-time signals. */
#include "t.h"
#include <time.h>

static volatile int got;
static void h(int s)
{
	got = s;
}

int main(void)
{
	signal(SIGUSR1, h);
	signal(SIGUSR2, h);
	sigset_t block, old, empty, p;
	sigemptyset(&empty);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	T(sigprocmask(SIG_BLOCK, &block, &old));
	/* sigsuspend: waits with the temporary mask, the handler runs, EINTR,
	 * the old mask is back. */
	pid_t c = fork();
	if (c == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	T(sigsuspend(&empty));
	SAY("  got %d\n", got);
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	SAY("  mask restored %d\n", sigismember(&now, SIGUSR1));
	waitpid(c, NULL, 0);
	/* A signal pending before sigsuspend is taken at once. */
	got = 0;
	raise(SIGUSR2);
	T(sigpending(&p));
	SAY("  pending %d\n", sigismember(&p, SIGUSR2));
	T(sigsuspend(&empty));
	SAY("  got %d\n", got);
	T(syscall(SYS_rt_sigsuspend, &empty, 4));
	T(syscall(SYS_rt_sigsuspend, BADPTR, 8));
	/* sigtimedwait: takes a blocked pending signal without a handler. */
	got = 0;
	raise(SIGUSR1);
	siginfo_t si;
	struct timespec ts = {1, 0};
	T(sigtimedwait(&block, &si, &ts));
	SAY("  si_signo %d code %d handler ran %d\n", si.si_signo, si.si_code, got);
	/* Nothing pending: EAGAIN after the timeout (not early). */
	ts = (struct timespec){0, 100000000};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T(sigtimedwait(&block, &si, &ts));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	SAY("  waited >= 100ms %d\n",
	    (t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec >= 100000000L);
	ts = (struct timespec){0, 0};
	T(sigtimedwait(&block, &si, &ts));
	ts = (struct timespec){0, 1000000000};
	T(sigtimedwait(&block, &si, &ts));
	raise(SIGUSR1);
	ts = (struct timespec){1, 0};
	T(sigtimedwait(&block, BADPTR, &ts));
	T(sigpending(&p));
	SAY("  consumed anyway %d\n", !sigismember(&p, SIGUSR1));
	/* A signal arriving during the wait. */
	c = fork();
	if (c == 0) {
		usleep(100000);
		union sigval v = {.sival_int = 99};
		sigqueue(getppid(), SIGUSR2, v);
		_exit(0);
	}
	T(sigwaitinfo(&block, &si));
	SAY("  signo %d code %d value %d from child %d\n", si.si_signo, si.si_code,
	    si.si_value.sival_int, si.si_pid == c);
	waitpid(c, NULL, 0);
	/* Real-time signals queue, each with its value, in order. */
	sigset_t rt;
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigaddset(&rt, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	for (int i = 0; i < 3; i++) {
		union sigval v = {.sival_int = i};
		sigqueue(getpid(), SIGRTMIN + 1, v);
		sigqueue(getpid(), SIGRTMIN, v);
	}
	for (int i = 0; i < 6; i++) {
		ts = (struct timespec){0, 0};
		int s = sigtimedwait(&rt, &si, &ts);
		SAY("  rt %d value %d\n", s - SIGRTMIN, si.si_value.sival_int);
	}
	T(sigtimedwait(&rt, &si, &ts));
	/* A signal not in the set but unblocked interrupts the wait: EINTR. */
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	c = fork();
	if (c == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	ts = (struct timespec){2, 0};
	T(sigtimedwait(&rt, &si, &ts));
	waitpid(c, NULL, 0);
	/* pause returns EINTR after a handler. */
	c = fork();
	if (c == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	T(pause());
	SAY("  got %d\n", got);
	waitpid(c, NULL, 0);
	return 0;
}
