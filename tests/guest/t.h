/*
 * Guest tests run natively and inside ./linux; their stdout must match.
 * So print results, never pids, addresses or times. T(call) prints the call
 * and its result or errno name, so a stubbed call or a wrong errno shows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#define T(call)                                                                                    \
	({                                                                                         \
		errno = 0;                                                                         \
		long r_ = (long)(call);                                                            \
		int e_ = errno;                                                                    \
		if (r_ < 0)                                                                        \
			printf("%s -> -1 %s\n", #call, strerrorname_np(e_));                       \
		else                                                                               \
			printf("%s -> %ld\n", #call, r_);                                          \
		fflush(stdout);                                                                    \
		r_;                                                                                \
	})

/* Like T, but only says whether it succeeded (for results that vary). */
#define OK(call)                                                                                   \
	({                                                                                         \
		errno = 0;                                                                         \
		long r_ = (long)(call);                                                            \
		int e_ = errno;                                                                    \
		printf("%s -> %s\n", #call, r_ < 0 ? strerrorname_np(e_) : "ok");                  \
		fflush(stdout);                                                                    \
		r_;                                                                                \
	})

#define SAY(...)                                                                                   \
	do {                                                                                       \
		printf(__VA_ARGS__);                                                               \
		fflush(stdout);                                                                    \
	} while (0)

/* A fresh scratch directory for this test, under $UMK_TMP. */
static inline const char *scratch(const char *name)
{
	static char path[4096];
	const char *t = getenv("UMK_TMP");
	snprintf(path, sizeof path, "%s/%s", t ? t : "/tmp", name);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	if (system(cmd) != 0)
		exit(99);
	if (mkdir(path, 0755) != 0)
		exit(98);
	return path;
}

/* A fresh directory on tmpfs (/dev/shm natively and in the guest), named
 * after this run's $UMK_TMP so that concurrent runs do not collide. */
static inline const char *shm_scratch(const char *name)
{
	static char path[4096];
	const char *t = getenv("UMK_TMP"), *base = t ? strrchr(t, '/') : NULL;
	snprintf(path, sizeof path, "/dev/shm/umk-%s-%s", base ? base + 1 : "test", name);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	if (system(cmd) != 0)
		exit(99);
	if (mkdir(path, 0755) != 0)
		exit(98);
	return path;
}

/* Removes a directory made by shm_scratch (or scratch). */
static inline void scratch_remove(const char *path)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	if (system(cmd) != 0)
		exit(97);
}

/* The time ms milliseconds from now on a clock (an absolute timeout). */
static inline struct timespec time_in_ms(clockid_t clock, long ms)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	ts.tv_nsec += ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	return ts;
}

/* Waits until the task whose stat file is at path sleeps in the kernel
 * (state S), and a little more, so that it is surely where it blocks. */
static inline void wait_stat_sleeping(const char *path)
{
	char buf[256];
	for (;;) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		char *s = strrchr(buf, ')');
		if (s && s[1] && s[2] == 'S')
			break;
		usleep(1000);
	}
	usleep(20000);
}

/* Waits until a thread of this process sleeps in the kernel. */
static inline void wait_sleeping(pid_t tid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
	wait_stat_sleeping(path);
}

/* Waits until a child process sleeps in the kernel. */
static inline void wait_child_sleeping(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	wait_stat_sleeping(path);
}

/* A bad pointer: mapped nowhere in either kernel (opaque to the compiler). */
static void *volatile badptr_ = (void *)0x10;
#define BADPTR badptr_
