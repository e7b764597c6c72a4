/* The clocks a program reads through the vDSO (glibc's clock_gettime,
 * gettimeofday, time) and through the system calls are the same clocks:
 * each syscall reading lies between two vDSO readings, and back. */
#include "t.h"
#include <sys/time.h>

/* Coarse clocks tick every few ms: readings may lag by a tick. */
#define COARSE_SLACK_NS 20000000LL

static long long ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long sys_read(clockid_t id)
{
	struct timespec t;
	syscall(SYS_clock_gettime, id, &t);
	return ns(t);
}

static long long vdso_read(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return ns(t);
}

/* Whether a < b < c within slack, over a few rounds both ways. */
static int ordered(long long a, long long b, long long c, long long slack)
{
	return a - slack <= b && b <= c + slack;
}

static int clock_agrees(clockid_t id, long long slack)
{
	for (int i = 0; i < 100; i++) {
		long long v1 = vdso_read(id), s1 = sys_read(id), v2 = vdso_read(id);
		long long s2 = sys_read(id);
		if (!ordered(v1, s1, v2, slack) || !ordered(s1, v2, s2, slack))
			return 0;
	}
	return 1;
}

static long long tv_ns(struct timeval tv)
{
	return tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL;
}

int main(void)
{
	static const struct {
		clockid_t id;
		const char *name;
		long long slack;
	} clocks[] = {
	    {CLOCK_REALTIME, "realtime", 0},
	    {CLOCK_MONOTONIC, "monotonic", 0},
	    {CLOCK_MONOTONIC_RAW, "monotonic_raw", 0},
	    {CLOCK_BOOTTIME, "boottime", 0},
	    {CLOCK_TAI, "tai", 0},
	    {CLOCK_REALTIME_COARSE, "realtime_coarse", COARSE_SLACK_NS},
	    {CLOCK_MONOTONIC_COARSE, "monotonic_coarse", COARSE_SLACK_NS},
	};
	for (size_t i = 0; i < sizeof clocks / sizeof *clocks; i++)
		SAY("%s: vdso and syscall agree %d\n", clocks[i].name,
		    clock_agrees(clocks[i].id, clocks[i].slack));

	/* gettimeofday: microseconds of the same realtime clock. */
	struct timeval tv1, tv2;
	gettimeofday(&tv1, NULL);
	long long s = sys_read(CLOCK_REALTIME);
	syscall(SYS_gettimeofday, &tv2, NULL);
	SAY("gettimeofday: vdso <= clock <= syscall %d\n",
	    ordered(tv_ns(tv1), s, tv_ns(tv2) + 1000, 0));

	/* time(): whole seconds of it. */
	time_t t1 = time(NULL), t2 = syscall(SYS_time, NULL), t3 = time(NULL);
	SAY("time: vdso and syscall agree %d\n", t1 <= t2 && t2 <= t3);

	/* Boottime never runs behind monotonic, whichever way each is read. */
	long long m = vdso_read(CLOCK_MONOTONIC), b = sys_read(CLOCK_BOOTTIME);
	long long m2 = sys_read(CLOCK_MONOTONIC), b2 = vdso_read(CLOCK_BOOTTIME);
	SAY("boottime >= monotonic %d %d\n", b >= m, b2 >= m2);

	/* A process forked later reads the same clocks. */
	int fd[2];
	if (pipe(fd))
		return 1;
	long long before = vdso_read(CLOCK_MONOTONIC);
	if (fork() == 0) {
		long long child = sys_read(CLOCK_MONOTONIC);
		_exit(write(fd[1], &child, sizeof child) != sizeof child);
	}
	long long child = 0;
	if (read(fd[0], &child, sizeof child) != sizeof child)
		return 1;
	wait(NULL);
	SAY("child's monotonic follows the parent's %d\n",
	    ordered(before, child, vdso_read(CLOCK_MONOTONIC), 0));
	return 0;
}
