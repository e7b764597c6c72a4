/* poll and ppoll: readiness of pipes and files, POLLHUP, POLLERR, POLLNVAL,
 * timeouts, negative fds, errors. */
#include "t.h"
#include <poll.h>
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
	struct pollfd f[4] = {
	    {p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {-1, POLLIN, 0}, {99, POLLIN, 0}};
	T(poll(f, 4, 0));
	SAY("  %x %x %x %x\n", f[0].revents, f[1].revents, f[2].revents, f[3].revents);
	T(write(p[1], "x", 1));
	T(poll(f, 2, 0));
	SAY("  %x %x\n", f[0].revents, f[1].revents);
	/* Asking for nothing still reports HUP/ERR. */
	f[0].events = 0;
	T(close(p[1]));
	T(poll(f, 1, 0));
	SAY("  hup %x\n", f[0].revents);
	f[0].events = POLLIN;
	T(poll(f, 1, 0));
	SAY("  in|hup %x\n", f[0].revents);
	char c;
	T(read(p[0], &c, 1));
	T(poll(f, 1, 0));
	SAY("  hup %x\n", f[0].revents);
	T(close(p[0]));
	/* A reader gone: the writer gets POLLERR. */
	T(pipe(p));
	T(close(p[0]));
	f[0] = (struct pollfd){p[1], POLLOUT, 0};
	T(poll(f, 1, 0));
	SAY("  err %x\n", f[0].revents);
	T(close(p[1]));
	/* Regular files and /dev/null are always ready. */
	int nul = T(open("/dev/null", O_RDWR));
	f[0] = (struct pollfd){nul, POLLIN | POLLOUT | POLLPRI, 0};
	T(poll(f, 1, -1));
	SAY("  null %x\n", f[0].revents);
	/* A timeout: not early. */
	T(pipe(p));
	f[0] = (struct pollfd){p[0], POLLIN, 0};
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T(poll(f, 1, 100));
	SAY("  waited >= 100ms: %d\n", ms_since(&t0) >= 100);
	/* ppoll: the timeout is a timespec; NULL waits forever (here: a child). */
	struct timespec ts = {0, 50000000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T(ppoll(f, 1, &ts, NULL));
	SAY("  waited >= 50ms: %d\n", ms_since(&t0) >= 50);
	pid_t ch = fork();
	if (ch == 0) {
		usleep(50000);
		if (write(p[1], "y", 1) != 1)
			_exit(1);
		_exit(0);
	}
	T(ppoll(f, 1, NULL, NULL));
	SAY("  %x\n", f[0].revents);
	int st;
	waitpid(ch, &st, 0);
	ts.tv_nsec = 1000000000;
	T(ppoll(f, 1, &ts, NULL));
	ts = (struct timespec){-1, 0};
	T(ppoll(f, 1, &ts, NULL));
	T(poll(BADPTR, 1, 0));
	T(poll(NULL, 0, 10));
	T(syscall(SYS_poll, f, 100000000, 0));
	/* The same fd twice; and fds with only negative ones. */
	struct pollfd g[2] = {{p[0], POLLIN, 0}, {p[0], POLLOUT, 0}};
	T(poll(g, 2, 0));
	SAY("  %x %x\n", g[0].revents, g[1].revents);
	g[0].fd = -5;
	g[1].fd = -1;
	T(poll(g, 2, 10));
	SAY("  %x %x\n", g[0].revents, g[1].revents);
	return 0;
}
