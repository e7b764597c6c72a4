/* times and getrusage: ticks advance, CPU time accounted to self and to
 * waited-for children, bad arguments. */
#include "t.h"
#include <sys/resource.h>
#include <sys/times.h>
#include <time.h>

/* Spins until this thread has used 200ms of CPU. */
static void burn(void)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		for (volatile int i = 0; i < 100000; i++)
			;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec < 200000000L);
}

static long us(struct timeval t)
{
	return t.tv_sec * 1000000L + t.tv_usec;
}

int main(void)
{
	struct tms a, b;
	clock_t c0 = times(&a);
	SAY("  clock ticks per second %ld\n", sysconf(_SC_CLK_TCK));
	burn();
	clock_t c1 = times(&b);
	SAY("  elapsed grew %d user grew %d children 0: %d %d\n", c1 > c0,
	    b.tms_utime > a.tms_utime, (int)b.tms_cutime, (int)b.tms_cstime);
	T(syscall(SYS_times, NULL) > 0);
	T(syscall(SYS_times, BADPTR));
	struct rusage ru;
	T(getrusage(RUSAGE_SELF, &ru));
	SAY("  self user > 0.1s %d maxrss > 0 %d\n", us(ru.ru_utime) > 100000, ru.ru_maxrss > 0);
	T(getrusage(RUSAGE_THREAD, &ru));
	SAY("  thread user > 0.1s %d\n", us(ru.ru_utime) > 100000);
	T(getrusage(RUSAGE_CHILDREN, &ru));
	SAY("  children %ld\n", us(ru.ru_utime));
	/* A child's time counts once it is waited for. */
	pid_t c = fork();
	if (c == 0) {
		burn();
		_exit(0);
	}
	int st;
	struct rusage cru;
	T(wait4(c, &st, 0, &cru) == c);
	SAY("  wait4 rusage user > 0.1s %d maxrss > 0 %d\n", us(cru.ru_utime) > 100000,
	    cru.ru_maxrss > 0);
	T(getrusage(RUSAGE_CHILDREN, &ru));
	SAY("  children user > 0.1s %d maxrss > 0 %d\n", us(ru.ru_utime) > 100000,
	    ru.ru_maxrss > 0);
	times(&b);
	SAY("  tms_cutime > 0 %d\n", b.tms_cutime > 0);
	/* Not-yet-waited children do not count. */
	c = fork();
	if (c == 0) {
		burn();
		_exit(0);
	}
	usleep(10000);
	struct rusage r2;
	getrusage(RUSAGE_CHILDREN, &r2);
	waitpid(c, NULL, 0);
	getrusage(RUSAGE_CHILDREN, &ru);
	SAY("  grew after wait %d\n", us(ru.ru_utime) > us(r2.ru_utime));
	/* Time asleep, in the kernel or not, is no CPU time. */
	c = fork();
	if (c == 0) {
		usleep(300000);
		int p[2];
		pipe(p);
		struct timeval tv = {0, 300000};
		fd_set r;
		FD_ZERO(&r);
		FD_SET(p[0], &r);
		select(p[0] + 1, &r, NULL, NULL, &tv);
		_exit(0);
	}
	wait4(c, &st, 0, &cru);
	SAY("  a sleeper used under 0.1s %d\n", us(cru.ru_utime) + us(cru.ru_stime) < 100000);
	T(getrusage(5, &ru));
	T(getrusage(-3, &ru));
	T(getrusage(RUSAGE_SELF, BADPTR));
	return 0;
}
