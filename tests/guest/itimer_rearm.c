/* A periodic ITIMER_REAL is re-armed when its SIGALRM is dequeued, not when
 * it fires (Linux): while the signal waits, the timer is idle (getitimer
 * says 0 left); missed periods are skipped, not made up for; and a 1 us
 * interval does not keep the kernel busy. */
#include "t.h"
#include <sys/time.h>

static volatile int alarms;
static void on_alarm(int s)
{
	(void)s;
	alarms++;
}

static long us(struct timeval t)
{
	return t.tv_sec * 1000000 + t.tv_usec;
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	sigset_t alrm;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	T(sigprocmask(SIG_BLOCK, &alrm, NULL));
	struct itimerval it = {{0, 30000}, {0, 30000}}, cur, off = {{0, 0}, {0, 0}};
	T(setitimer(ITIMER_REAL, &it, NULL));
	usleep(200000); /* six periods, with the first signal pending */
	T(getitimer(ITIMER_REAL, &cur));
	SAY("  while pending: value %ld interval %ld\n", us(cur.it_value), us(cur.it_interval));
	T(sigprocmask(SIG_UNBLOCK, &alrm, NULL));
	getitimer(ITIMER_REAL, &cur);
	setitimer(ITIMER_REAL, &off, NULL);
	SAY("  delivered %d, then re-armed %d\n", alarms,
	    us(cur.it_value) > 0 && us(cur.it_value) <= 30000);

	/* A 1 us interval fires once while its signal waits (a handler would
	 * starve the process, in Linux too); each sigwait re-arms it. */
	T(sigprocmask(SIG_BLOCK, &alrm, NULL));
	it = (struct itimerval){{0, 1}, {0, 1}};
	T(setitimer(ITIMER_REAL, &it, NULL));
	usleep(50000);
	T(getitimer(ITIMER_REAL, &cur));
	SAY("  1us timer idle while pending: value %ld\n", us(cur.it_value));
	int waited = 0, sig;
	while (waited < 1000 && sigwait(&alrm, &sig) == 0)
		waited++;
	T(setitimer(ITIMER_REAL, &off, NULL));
	SAY("  sigwait got it %d times\n", waited);
	T(sigprocmask(SIG_UNBLOCK, &alrm, NULL));
	/* Ignored, it fires once and stays idle (its signal is never dequeued). */
	signal(SIGALRM, SIG_IGN);
	it = (struct itimerval){{0, 1000}, {0, 1000}};
	T(setitimer(ITIMER_REAL, &it, NULL));
	usleep(20000);
	T(getitimer(ITIMER_REAL, &cur));
	SAY("  ignored: value %ld interval %ld\n", us(cur.it_value), us(cur.it_interval));
	return 0;
}
