/* Host clocks and randomness. */
#define _GNU_SOURCE
#include <string.h>
#include <time.h>
#include <stdio.h>
#include <sys/random.h>
#include "host.h"

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t host_clock_ns(int clock)
{
	return clock_ns(clock);
}

int64_t host_monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t host_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

/* Another process's thread: the kernel refuses its CPU clock to us, but its
 * schedstat line starts with the run time in ns. */
int64_t host_thread_cputime_ns(int tid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/schedstat", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	long long ns = 0;
	if (fscanf(f, "%lld", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

int64_t host_proc_maxrss_kb(int pid)
{
	char path[64], line[128];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	long long kb = 0;
	while (fgets(line, sizeof line, f) && sscanf(line, "VmHWM: %lld kB", &kb) != 1)
		;
	fclose(f);
	return kb;
}

static void fill_random(void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n <= 0)
			continue;
		p += n;
		len -= (size_t)n;
	}
}

/* Small requests (an execve makes several of 8 or 16 bytes) come from a
 * per-thread pool, one getrandom refilling many; bytes handed out are
 * wiped from it. */
void host_random(void *buf, size_t len)
{
	static __thread unsigned char pool[256];
	static __thread size_t left;
	if (len > sizeof pool) {
		fill_random(buf, len);
		return;
	}
	if (left < len) {
		fill_random(pool, sizeof pool);
		left = sizeof pool;
	}
	unsigned char *p = pool + sizeof pool - left;
	memcpy(buf, p, len);
	explicit_bzero(p, len);
	left -= len;
}
