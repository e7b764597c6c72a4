/* SA_RESTART restarts a blocking pipe read after a handler; without it the
 * read fails with EINTR. Also wait4, nanosleep (never restarted), a write
 * into a full pipe, and partial reads. */
#include "t.h"
#include <sys/time.h>
#include <time.h>

static volatile int hits;

static void h(int s)
{
	(void)s;
	hits++;
}

static void setup(int flags)
{
	struct sigaction sa = {.sa_handler = h, .sa_flags = flags};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

static void arm(int ms)
{
	struct itimerval it = {{0, 0}, {0, ms * 1000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
	int p[2];
	T(pipe(p));
	char buf[16];
	/* Without SA_RESTART: EINTR. */
	setup(0);
	arm(50);
	T(read(p[0], buf, sizeof buf));
	SAY("  hits %d\n", hits);
	/* With SA_RESTART: the read goes on until data comes (from a child). */
	setup(SA_RESTART);
	pid_t c = fork();
	if (c == 0) {
		usleep(200000);
		if (write(p[1], "data", 4) != 4)
			_exit(1);
		_exit(0);
	}
	arm(50);
	T(read(p[0], buf, sizeof buf));
	SAY("  hits %d\n", hits);
	waitpid(c, NULL, 0);
	/* wait4 restarts too. */
	c = fork();
	if (c == 0) {
		usleep(200000);
		_exit(4);
	}
	arm(50);
	int st;
	T(wait4(c, &st, 0, NULL) == c);
	SAY("  hits %d status %d\n", hits, WEXITSTATUS(st));
	/* nanosleep is never restarted after a handler: EINTR. */
	arm(50);
	struct timespec ts = {1, 0};
	T(nanosleep(&ts, &ts));
	SAY("  hits %d\n", hits);
	/* A write blocked on a full pipe before writing anything: restarted
	 * with SA_RESTART, EINTR without. */
	int q[2];
	T(pipe(q));
	T(fcntl(q[1], F_SETFL, O_NONBLOCK));
	static char big[65536];
	T(write(q[1], big, sizeof big));
	T(fcntl(q[1], F_SETFL, 0));
	c = fork();
	if (c == 0) {
		close(q[1]);
		usleep(200000);
		long got = 0, r;
		static char sink[sizeof big];
		while ((r = read(q[0], sink, sizeof sink)) > 0)
			got += r;
		_exit(got == 65536 + 10 ? 0 : 1);
	}
	arm(50);
	T(write(q[1], "0123456789", 10));
	SAY("  hits %d\n", hits);
	T(close(q[1]));
	T(close(q[0]));
	waitpid(c, &st, 0);
	SAY("  reader status %d\n", st);
	T(pipe(q));
	T(fcntl(q[1], F_SETFL, O_NONBLOCK));
	T(write(q[1], big, sizeof big));
	T(fcntl(q[1], F_SETFL, 0));
	setup(0);
	arm(50);
	T(write(q[1], "0123456789", 10));
	SAY("  hits %d\n", hits);
	/* Interrupted after part of a big write went in: the partial count,
	 * with or without SA_RESTART. */
	c = fork();
	if (c == 0) {
		usleep(100000);
		static char sink[4096];
		if (read(q[0], sink, sizeof sink) != 4096)
			_exit(1);
		pause();
		_exit(0);
	}
	arm(300);
	T(write(q[1], big, 8192));
	SAY("  hits %d\n", hits);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	/* A handled signal that arrives while not blocked in a call changes
	 * nothing for the next call. */
	raise(SIGALRM);
	T(write(p[1], "x", 1));
	T(read(p[0], buf, 1));
	return 0;
}
