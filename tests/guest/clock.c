/* clock_gettime, clock_getres, gettimeofday, time: clocks that exist,
 * monotonic never going back, clocks agreeing with each other. */
#include "t.h"
#include <sys/time.h>
#include <time.h>

static long long ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
	clockid_t ids[] = {CLOCK_REALTIME,	    CLOCK_MONOTONIC,	 CLOCK_PROCESS_CPUTIME_ID,
			   CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
			   CLOCK_MONOTONIC_COARSE,  CLOCK_BOOTTIME,	 CLOCK_TAI};
	/* (the _ALARM clocks need an RTC, which a VM may lack) */
	struct timespec t, r;
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
		long g = syscall(SYS_clock_gettime, ids[i], &t);
		int ge = errno;
		long s = syscall(SYS_clock_getres, ids[i], &r);
		SAY("  clock %d: gettime %s nsec ok %d getres %s\n", ids[i],
		    g ? strerrorname_np(ge) : "ok", t.tv_nsec >= 0 && t.tv_nsec < 1000000000,
		    s ? strerrorname_np(errno) : "ok");
	}
	/* High resolution clocks report 1ns. */
	T(clock_getres(CLOCK_MONOTONIC, &r));
	SAY("  res %ld.%09ld\n", r.tv_sec, r.tv_nsec);
	T(clock_getres(CLOCK_REALTIME, &r));
	SAY("  res %ld.%09ld\n", r.tv_sec, r.tv_nsec);
	T(clock_getres(CLOCK_REALTIME, NULL));
	/* Bad clocks and pointers. */
	T(syscall(SYS_clock_gettime, 100, &t));
	T(syscall(SYS_clock_gettime, -1, &t));
	T(syscall(SYS_clock_getres, 100, &r));
	T(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BADPTR));
	T(syscall(SYS_clock_getres, CLOCK_MONOTONIC, BADPTR));
	T(syscall(SYS_gettimeofday, BADPTR, NULL));
	T(syscall(SYS_time, BADPTR));
	/* CPU-time clocks of a process by pid: its own via the pid clock id. */
	clockid_t cid;
	T(clock_getcpuclockid(getpid(), &cid));
	T(clock_gettime(cid, &t));
	/* Monotonic never goes back, over many reads, via vDSO and syscall. */
	struct timespec prev, now;
	clock_gettime(CLOCK_MONOTONIC, &prev);
	int back = 0;
	for (int i = 0; i < 100000; i++) {
		if (i % 2)
			clock_gettime(CLOCK_MONOTONIC, &now);
		else
			syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &now);
		if (ns(now) < ns(prev))
			back++;
		prev = now;
	}
	SAY("  monotonic went back %d times\n", back);
	/* CPU time grows with work. */
	struct timespec c0, c1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	volatile unsigned long x = 0;
	for (unsigned long i = 0; i < 100000000UL; i++)
		x += i;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	SAY("  cpu time grew %d\n", ns(c1) > ns(c0));
	/* The clocks agree: realtime vs gettimeofday vs time, boottime >= monotonic. */
	struct timeval tv;
	clock_gettime(CLOCK_REALTIME, &t);
	T(gettimeofday(&tv, NULL));
	time_t tt = time(NULL);
	SAY("  realtime ~ gettimeofday %d ~ time %d\n", llabs(tv.tv_sec - t.tv_sec) <= 1,
	    llabs(tt - t.tv_sec) <= 1);
	SAY("  after 2020 %d\n", t.tv_sec > 1577836800);
	struct timespec m, b;
	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	SAY("  boottime >= monotonic %d\n", ns(b) >= ns(m));
	T(syscall(SYS_time, NULL) > 0);
	time_t out = 0;
	T(syscall(SYS_time, &out) == out);
	/* gettimeofday's timezone argument is accepted. */
	struct timezone tz;
	T(gettimeofday(&tv, &tz));
	/* Setting the time needs privilege the test does not want to use:
	 * bad values are refused first. */
	struct timespec bad = {0, 2000000000};
	T(clock_settime(CLOCK_REALTIME, &bad));
	T(clock_settime(CLOCK_MONOTONIC, &t));
	T(clock_settime(CLOCK_PROCESS_CPUTIME_ID, &t));
	T(clock_settime(55, &t));
	T(clock_settime(cid, &t));
	T(clock_settime(CLOCK_REALTIME, BADPTR));
	return 0;
}
