/* restart_syscall(2): a nanosleep stopped by SIGSTOP and continued goes on
 * through restart_syscall to its original end, not a fresh full sleep nor
 * a fresh one of what was left at the stop; a handled signal interrupts it
 * with EINTR and the time left even under SA_RESTART; restart_syscall made
 * by hand, with nothing to restart, fails with EINTR. */
#include "t.h"
#include <sys/time.h>

/* Sleeps of 600ms stopped from 100ms to 400ms: a correct restart ends at
 * 600ms; restarting the whole sleep would end at 1000ms, restarting what
 * was left at the stop at 900ms. */
#define SLEEP_MS   600
#define STOP_AT_MS 100
#define CONT_AT_MS 400
#define LATE_BOUND 850

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static int sleep_relative(void)
{
	struct timespec ts = {0, SLEEP_MS * 1000000L};
	return nanosleep(&ts, NULL);
}

static int sleep_clock(void)
{
	struct timespec ts = {0, SLEEP_MS * 1000000L};
	return clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
}

static int sleep_absolute(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += SLEEP_MS * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

static void stopped_sleep(const char *what, int (*fn)(void))
{
	int p[2];
	pipe(p);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		long long t0 = now_ms();
		write(p[1], "", 1);
		int r = fn();
		long long dt = now_ms() - t0;
		SAY("%-16s -> %d, on time %d, not restarted from scratch %d\n", what, r,
		    dt >= SLEEP_MS, dt < LATE_BOUND);
		_exit(0);
	}
	char x;
	read(p[0], &x, 1);
	usleep(STOP_AT_MS * 1000);
	kill(c, SIGSTOP);
	usleep((CONT_AT_MS - STOP_AT_MS) * 1000);
	kill(c, SIGCONT);
	waitpid(c, NULL, 0);
	close(p[0]);
	close(p[1]);
}

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	T(syscall(SYS_restart_syscall));
	stopped_sleep("nanosleep", sleep_relative);
	stopped_sleep("clock_nanosleep", sleep_clock);
	stopped_sleep("absolute", sleep_absolute);

	/* A handler runs: EINTR and the time left, SA_RESTART or not. */
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 0}, {0, 100000}};
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec ts = {2, 0}, rem = {0, 0};
	T(nanosleep(&ts, &rem));
	SAY("left between 1.5s and 2s %d\n", rem.tv_sec == 1 && rem.tv_nsec >= 500000000);
	/* After the handler, restart_syscall has nothing to restart. */
	T(syscall(SYS_restart_syscall));
	return 0;
}
