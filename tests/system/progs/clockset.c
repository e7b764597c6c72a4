/* Sets the wall clock 9 s forward while things wait for a wall time 10 s
 * away: an absolute timerfd, a POSIX timer and clock_nanosleep must then
 * be due within about a second, a TFD_TIMER_CANCEL_ON_SET timerfd says
 * ECANCELED, and a relative timer (a duration, not a time) keeps its 5 s.
 * Prints one "name value" line per check. Needs clock=virtual and root. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static struct timespec target;
static double slept_for;

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *sleeper(void *arg)
{
	(void)arg;
	double t0 = mono();
	clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &target, NULL);
	slept_for = mono() - t0;
	return NULL;
}

static int wall_timerfd(int flags)
{
	int fd = timerfd_create(CLOCK_REALTIME, 0);
	struct itimerspec it = {{0, 0}, target};
	timerfd_settime(fd, TFD_TIMER_ABSTIME | flags, &it, NULL);
	return fd;
}

int main(void)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	target = (struct timespec){now.tv_sec + 10, now.tv_nsec};
	int abs_fd = wall_timerfd(0), cancel_fd = wall_timerfd(TFD_TIMER_CANCEL_ON_SET);
	int rel_fd = timerfd_create(CLOCK_REALTIME, 0);
	struct itimerspec five = {{0, 0}, {5, 0}};
	timerfd_settime(rel_fd, 0, &five, NULL);
	timer_t pt;
	struct sigevent none = {.sigev_notify = SIGEV_NONE};
	timer_create(CLOCK_REALTIME, &none, &pt);
	struct itimerspec at = {{0, 0}, target};
	timer_settime(pt, TIMER_ABSTIME, &at, NULL);
	pthread_t th;
	pthread_create(&th, NULL, sleeper, NULL);
	usleep(100000);

	now.tv_sec += 9;
	printf("set %d\n", clock_settime(CLOCK_REALTIME, &now));
	double t0 = mono();
	uint64_t n;
	printf("cancel_read %s\n",
	       read(cancel_fd, &n, sizeof n) < 0 ? strerrorname_np(errno) : "ok");
	struct itimerspec left;
	timer_gettime(pt, &left);
	printf("posix_timer_left %.1f\n",
	       (double)left.it_value.tv_sec + left.it_value.tv_nsec / 1e9);
	timerfd_gettime(rel_fd, &left);
	printf("relative_left %.0f\n", (double)left.it_value.tv_sec + left.it_value.tv_nsec / 1e9);
	struct pollfd p = {abs_fd, POLLIN, 0};
	printf("timerfd_fired %d\n", poll(&p, 1, 3000));
	printf("timerfd_after %.1f\n", mono() - t0);
	pthread_join(th, NULL);
	printf("nanosleep_slept %.1f\n", slept_for);
	return 0;
}
