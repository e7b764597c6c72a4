/* A process stopped and continued in the middle of a blocking call goes on
 * with the call as if nothing happened (no EINTR: no handler ran), keeping
 * the timeout it had left; so does one whose ignored signal arrives. */
#include "t.h"
#include <poll.h>
#include <sys/select.h>
#include <time.h>

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Runs fn in a child that is stopped and continued twice meanwhile. */
static void run(const char *what, int (*fn)(int), int arg)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		long long t0 = now_ms();
		errno = 0;
		int r = fn(arg);
		int e = errno;
		long long dt = now_ms() - t0;
		SAY("  %-10s -> %d %s, took >= 250ms %d\n", what, r,
		    r < 0 ? strerrorname_np(e) : "", dt >= 250);
		_exit(0);
	}
	for (int i = 0; i < 2; i++) {
		usleep(60000);
		kill(c, SIGSTOP);
		usleep(30000);
		kill(c, SIGCONT);
	}
	kill(c, SIGWINCH); /* ignored by default: must not interrupt either */
	waitpid(c, NULL, 0);
}

static int p[2];

static int do_read(int unused)
{
	(void)unused;
	char b;
	return (int)read(p[0], &b, 1);
}

static int do_poll(int ms)
{
	struct pollfd f = {p[0], POLLIN, 0};
	return poll(&f, 1, ms);
}

static int do_ppoll(int ms)
{
	struct pollfd f = {p[0], POLLIN, 0};
	struct timespec ts = {0, ms * 1000000L};
	return ppoll(&f, 1, &ts, NULL);
}

static int do_select(int ms)
{
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timeval tv = {0, ms * 1000};
	return select(p[0] + 1, &r, NULL, NULL, &tv);
}

static int do_nanosleep(int ms)
{
	struct timespec ts = {0, ms * 1000000L};
	return nanosleep(&ts, NULL);
}

static int do_clock_nanosleep(int ms)
{
	struct timespec ts = {0, ms * 1000000L};
	int r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	errno = r;
	return r ? -1 : 0;
}

static int do_wait(int unused)
{
	(void)unused;
	pid_t k = fork();
	if (k == 0) {
		usleep(300000);
		_exit(5);
	}
	int st;
	int r = waitpid(k, &st, 0) == k ? WEXITSTATUS(st) : -1;
	return r;
}

static int do_sigtimedwait(int ms)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	struct timespec ts = {0, ms * 1000000L};
	return sigtimedwait(&s, NULL, &ts);
}

int main(void)
{
	if (pipe(p))
		return 2;
	/* A writer that writes after 300ms, for the read. */
	pid_t w = fork();
	if (w == 0) {
		usleep(300000);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		_exit(0);
	}
	run("read", do_read, 0);
	waitpid(w, NULL, 0);
	run("poll", do_poll, 300);
	run("ppoll", do_ppoll, 300);
	run("select", do_select, 300);
	run("nanosleep", do_nanosleep, 300);
	run("clock_nano", do_clock_nanosleep, 300);
	run("wait", do_wait, 0);
	run("sigtimedwait", do_sigtimedwait, 300);
	return 0;
}
