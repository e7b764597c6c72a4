/* Sleeps and timeouts are never early, and at most 20 ms late (on an idle
 * machine). */
#include "t.h"
#include <poll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

static long long now_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void judge(const char *what, long long start, long long want_ns, clockid_t c)
{
	long long took = now_ns(c) - start;
	SAY("%s: early %d, late over 20ms %d\n", what, took<want_ns, took> want_ns + 20000000);
}

static volatile sig_atomic_t fired;
static void on_alarm(int s)
{
	(void)s;
	fired = 1;
}

int main(void)
{
	for (int ms = 1; ms <= 100; ms *= 10) {
		char what[64];
		long long t = now_ns(CLOCK_MONOTONIC);
		struct timespec ts = {0, ms * 1000000L};
		nanosleep(&ts, NULL);
		snprintf(what, sizeof what, "nanosleep %dms", ms);
		judge(what, t, ms * 1000000LL, CLOCK_MONOTONIC);
	}
	long long t = now_ns(CLOCK_MONOTONIC);
	struct timespec abs = {0, 0};
	long long target = t + 30000000;
	abs.tv_sec = target / 1000000000;
	abs.tv_nsec = target % 1000000000;
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	judge("clock_nanosleep abstime monotonic", t, 30000000, CLOCK_MONOTONIC);
	t = now_ns(CLOCK_REALTIME);
	target = t + 30000000;
	abs.tv_sec = target / 1000000000;
	abs.tv_nsec = target % 1000000000;
	clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL);
	judge("clock_nanosleep abstime realtime", t, 30000000, CLOCK_REALTIME);
	t = now_ns(CLOCK_MONOTONIC);
	poll(NULL, 0, 25);
	judge("poll 25ms", t, 25000000, CLOCK_MONOTONIC);
	t = now_ns(CLOCK_MONOTONIC);
	struct timeval tv = {0, 25000};
	select(0, NULL, NULL, NULL, &tv);
	judge("select 25ms", t, 25000000, CLOCK_MONOTONIC);
	signal(SIGALRM, on_alarm);
	t = now_ns(CLOCK_MONOTONIC);
	struct itimerval it = {{0, 0}, {0, 40000}};
	setitimer(ITIMER_REAL, &it, NULL);
	while (!fired)
		pause();
	judge("setitimer real 40ms", t, 40000000, CLOCK_MONOTONIC);
	return 0;
}
