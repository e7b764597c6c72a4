/* nanosleep and clock_nanosleep: never early, TIMER_ABSTIME, EINTR with the
 * time remaining, bad arguments. */
#include "t.h"
#include <time.h>

static long long now(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void on_alarm(int s)
{
	(void)s;
}

int main(void)
{
	struct timespec req = {0, 50000000}, rem = {9, 9};
	long long t0 = now(CLOCK_MONOTONIC);
	T(nanosleep(&req, &rem));
	SAY("  slept >= 50ms %d\n", now(CLOCK_MONOTONIC) - t0 >= 50000000);
	t0 = now(CLOCK_MONOTONIC);
	T(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL));
	SAY("  slept >= 50ms %d\n", now(CLOCK_MONOTONIC) - t0 >= 50000000);
	/* Absolute: until a point in time; a past one returns at once. */
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 30000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	T(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	struct timespec after;
	clock_gettime(CLOCK_MONOTONIC, &after);
	SAY("  reached %d\n", after.tv_sec > abs.tv_sec ||
				  (after.tv_sec == abs.tv_sec && after.tv_nsec >= abs.tv_nsec));
	/* A time already past (the monotonic clock may be only a few
	 * seconds old: it starts at boot). */
	abs.tv_sec = 0;
	abs.tv_nsec = 1;
	T(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec = 0;
	abs.tv_sec += 1;
	T(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL));
	SAY("  realtime reached %d\n", now(CLOCK_REALTIME) >= abs.tv_sec * 1000000000LL);
	/* Zero sleeps. */
	req = (struct timespec){0, 0};
	T(nanosleep(&req, NULL));
	/* Interrupted by a handled signal: EINTR and the time left. */
	signal(SIGALRM, on_alarm);
	alarm(1);
	req = (struct timespec){3, 0};
	T(nanosleep(&req, &rem));
	SAY("  remaining between 1.5 and 2.5s: %d\n",
	    rem.tv_sec * 1000000000LL + rem.tv_nsec > 1500000000LL &&
		rem.tv_sec * 1000000000LL + rem.tv_nsec < 2500000000LL);
	alarm(1);
	T(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem));
	SAY("  remaining %d\n", rem.tv_sec >= 1 && rem.tv_sec <= 2);
	/* clock_nanosleep returns the error instead of setting errno. */
	req = (struct timespec){0, 1000000000};
	T(nanosleep(&req, NULL));
	req = (struct timespec){-1, 0};
	T(nanosleep(&req, NULL));
	T(nanosleep(BADPTR, NULL));
	req = (struct timespec){0, 1000};
	T(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL));
	T(syscall(SYS_clock_nanosleep, 100, 0, &req, NULL));
	T(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0x2, &req, NULL));
	req = (struct timespec){0, -1};
	T(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL));
	T(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, BADPTR, NULL));
	/* A stopped and continued sleeper goes on sleeping (restart). */
	pid_t c = fork();
	if (c == 0) {
		struct timespec r = {0, 300000000};
		long long s = now(CLOCK_MONOTONIC);
		int e = nanosleep(&r, NULL);
		SAY("  child slept whole: %d ret %d\n", now(CLOCK_MONOTONIC) - s >= 300000000, e);
		_exit(0);
	}
	usleep(50000);
	kill(c, SIGSTOP);
	usleep(50000);
	kill(c, SIGCONT);
	waitpid(c, NULL, 0);
	return 0;
}
