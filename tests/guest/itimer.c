/* alarm, setitimer, getitimer: remaining time, intervals, cancelling,
 * inheritance (not across fork), kept across exec, errors. */
#include "t.h"
#include <sys/time.h>

static volatile int alarms;
static void on_alarm(int s)
{
	(void)s;
	alarms++;
}

static long ms(struct timeval t)
{
	return t.tv_sec * 1000 + t.tv_usec / 1000;
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		struct itimerval it;
		getitimer(ITIMER_REAL, &it);
		SAY("  after exec: armed %d\n", ms(it.it_value) > 0);
		return 0;
	}
	signal(SIGALRM, on_alarm);
	T(alarm(10));
	unsigned left = alarm(5);
	SAY("  left %u\n", left);
	left = alarm(0);
	SAY("  left %u\n", left);
	T(alarm(0));
	/* setitimer returns the old value; getitimer counts down. */
	struct itimerval it = {{0, 0}, {2, 0}}, old;
	T(setitimer(ITIMER_REAL, &it, &old));
	SAY("  old %ld\n", ms(old.it_value));
	usleep(100000);
	T(getitimer(ITIMER_REAL, &old));
	SAY("  counting down %d\n", ms(old.it_value) < 2000 && ms(old.it_value) > 1000);
	/* alarm sees the itimer (rounded up to a second). */
	left = alarm(0);
	SAY("  alarm says %u\n", left);
	T(getitimer(ITIMER_REAL, &old));
	SAY("  cancelled %ld\n", ms(old.it_value));
	/* An interval timer fires repeatedly. */
	it = (struct itimerval){{0, 20000}, {0, 20000}};
	T(setitimer(ITIMER_REAL, &it, NULL));
	while (alarms < 5)
		pause();
	it = (struct itimerval){{0, 0}, {0, 0}};
	T(setitimer(ITIMER_REAL, &it, &old));
	SAY("  fired %d interval %ld\n", alarms >= 5, ms(old.it_interval));
	/* A tiny value still fires (rounded up, never 0 = disarm). */
	it = (struct itimerval){{0, 0}, {0, 1}};
	int before = alarms;
	T(setitimer(ITIMER_REAL, &it, NULL));
	while (alarms == before)
		pause();
	SAY("  tiny fired\n");
	/* Errors. */
	it = (struct itimerval){{0, 0}, {0, 1000000}};
	T(setitimer(ITIMER_REAL, &it, NULL));
	it = (struct itimerval){{0, -1}, {1, 0}};
	T(setitimer(ITIMER_REAL, &it, NULL));
	T(setitimer(5, &it, NULL));
	T(getitimer(5, &old));
	T(syscall(SYS_setitimer, ITIMER_REAL, BADPTR, NULL));
	T(syscall(SYS_getitimer, ITIMER_REAL, BADPTR));
	/* NULL new value: glibc passes it; Linux treats it as disarm (and
	 * warns) — not tested. Timers are not inherited by fork. */
	T(alarm(100));
	pid_t c = fork();
	if (c == 0) {
		_exit(alarm(0));
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  child's alarm %d\n", WEXITSTATUS(st));
	/* ...but kept across exec. */
	c = fork();
	if (c == 0) {
		alarm(100);
		execl(argv[0], argv[0], "x", (char *)NULL);
		_exit(127);
	}
	waitpid(c, &st, 0);
	T(alarm(0) > 0);
	/* The default action of SIGALRM terminates. */
	c = fork();
	if (c == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		pause();
		_exit(0);
	}
	waitpid(c, &st, 0);
	SAY("  killed by %d\n", WTERMSIG(st));
	/* (ITIMER_VIRTUAL and ITIMER_PROF: not in umk yet, left out) */
	return 0;
}
