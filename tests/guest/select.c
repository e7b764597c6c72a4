/* select and pselect6: fd sets, timeouts (and their update), EBADF, EINVAL. */
#include "t.h"
#include <sys/select.h>
#include <time.h>

static long ms_since(struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

int main(void)
{
	int p[2];
	T(pipe(p));
	fd_set r, w, e;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	struct timeval tv = {0, 0};
	T(select(p[1] + 1, &r, &w, &e, &tv));
	SAY("  r %d w %d\n", FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
	T(write(p[1], "x", 1));
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	T(select(p[1] + 1, &r, &w, NULL, &tv));
	SAY("  r %d w %d\n", FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
	/* nfds too small ignores higher fds. */
	FD_SET(p[0], &r);
	T(select(p[0], &r, NULL, NULL, &tv));
	/* A timeout, updated to the time left (0 here). */
	char c;
	T(read(p[0], &c, 1));
	FD_SET(p[0], &r);
	tv = (struct timeval){0, 100000};
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T(select(p[0] + 1, &r, NULL, NULL, &tv));
	SAY("  waited >= 100ms: %d, left %ld.%06ld, set %d\n", ms_since(&t0) >= 100, tv.tv_sec,
	    tv.tv_usec, FD_ISSET(p[0], &r));
	/* A timeout with time left when ready early. */
	pid_t ch = fork();
	if (ch == 0) {
		usleep(50000);
		if (write(p[1], "y", 1) != 1)
			_exit(1);
		_exit(0);
	}
	FD_SET(p[0], &r);
	tv = (struct timeval){5, 0};
	T(select(p[0] + 1, &r, NULL, NULL, &tv));
	SAY("  left some: %d\n", tv.tv_sec < 5 && tv.tv_sec >= 3);
	int st;
	waitpid(ch, &st, 0);
	/* Errors. */
	FD_ZERO(&r);
	FD_SET(50, &r);
	T(select(51, &r, NULL, NULL, &tv));
	T(select(-1, NULL, NULL, NULL, &tv));
	tv = (struct timeval){0, -1};
	T(select(0, NULL, NULL, NULL, &tv));
	tv = (struct timeval){-1, 0};
	T(select(0, NULL, NULL, NULL, &tv));
	T(syscall(SYS_select, 1, BADPTR, NULL, NULL, NULL));
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){0, 0};
	T(syscall(SYS_select, p[0] + 1, &r, NULL, NULL, BADPTR));
	/* A huge nfds is clamped to the open file table. */
	FD_ZERO(&r);
	T(select(FD_SETSIZE, &r, NULL, NULL, &tv));
	/* pselect: timespec, untouched, with a mask. */
	struct timespec ts = {0, 20000000};
	sigset_t m;
	sigemptyset(&m);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	T(read(p[0], &c, 1));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T(pselect(p[0] + 1, &r, NULL, NULL, &ts, &m));
	SAY("  waited >= 20ms: %d ts %ld.%09ld\n", ms_since(&t0) >= 20, ts.tv_sec, ts.tv_nsec);
	ts.tv_nsec = 2000000000;
	T(pselect(0, NULL, NULL, NULL, &ts, NULL));
	/* The raw pselect6: its timespec is updated like select's. */
	ts = (struct timespec){0, 10000000};
	T(syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, NULL));
	SAY("  raw left %ld.%09ld\n", ts.tv_sec, ts.tv_nsec);
	/* Closed fd in a set: EBADF. */
	int fd = dup(p[0]);
	close(fd);
	FD_ZERO(&w);
	FD_SET(fd, &w);
	T(select(fd + 1, NULL, &w, NULL, &tv));
	return 0;
}
