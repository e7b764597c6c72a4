/* Pipes across processes: big transfers, EPIPE and SIGPIPE, EOF only when
 * every writer is gone, blocking reads woken by a writer. */
#include "t.h"

static unsigned sum(const unsigned char *b, size_t n, unsigned s)
{
	for (size_t i = 0; i < n; i++)
		s = s * 31 + b[i];
	return s;
}

int main(void)
{
	int p[2], st;
	T(pipe(p));
	/* A 4 MiB transfer in uneven pieces both ways of the buffer size. */
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		static unsigned char buf[70000];
		unsigned s = 0;
		for (int i = 0; i < 60; i++) {
			size_t n = 1 + (size_t)(i * 7919) % sizeof buf;
			for (size_t j = 0; j < n; j++)
				buf[j] = (unsigned char)(i + j);
			s = sum(buf, n, s);
			for (size_t off = 0; off < n;) {
				ssize_t w = write(p[1], buf + off, n - off);
				if (w <= 0)
					_exit(1);
				off += (size_t)w;
			}
		}
		SAY("  writer sum %08x\n", s);
		_exit(0);
	}
	T(close(p[1]));
	static unsigned char rbuf[100000];
	unsigned s = 0;
	long total = 0, r;
	while ((r = read(p[0], rbuf, 1 + (size_t)(total % 99991))) > 0) {
		s = sum(rbuf, (size_t)r, s);
		total += r;
	}
	T(r);
	T(waitpid(c, &st, 0) == c);
	SAY("  reader sum %08x total %ld status %d\n", s, total, st);
	T(close(p[0]));

	/* EPIPE: ignored SIGPIPE gives the errno; default kills the writer. */
	T(pipe(p));
	T(close(p[0]));
	signal(SIGPIPE, SIG_IGN);
	T(write(p[1], "x", 1));
	signal(SIGPIPE, SIG_DFL);
	c = fork();
	if (c == 0) {
		if (write(p[1], "x", 1) < 0)
			_exit(1);
		_exit(0);
	}
	T(waitpid(c, &st, 0) == c);
	SAY("  signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
	T(close(p[1]));

	/* EOF only after the last writer closes. */
	T(pipe(p));
	c = fork();
	if (c == 0) {
		close(p[0]);
		usleep(100000);
		if (write(p[1], "late", 4) != 4)
			_exit(1);
		_exit(0);
	}
	int dupw = T(dup(p[1]));
	T(close(p[1]));
	T(close(dupw));
	char buf[16] = {0};
	T(read(p[0], buf, sizeof buf)); /* blocks until the child writes */
	SAY("  %s\n", buf);
	T(read(p[0], buf, sizeof buf));
	T(waitpid(c, &st, 0) == c);
	T(close(p[0]));

	/* A blocked writer is woken by a reader; a reader exiting gives EPIPE. */
	T(pipe(p));
	c = fork();
	if (c == 0) {
		close(p[1]);
		usleep(100000);
		static char sink[200000];
		long got = 0, n;
		while (got < 100000 && (n = read(p[0], sink, sizeof sink)) > 0)
			got += n;
		_exit(got >= 100000 ? 0 : 1);
	}
	T(close(p[0]));
	signal(SIGPIPE, SIG_IGN);
	static char big[100000];
	T(write(p[1], big, sizeof big));
	T(waitpid(c, &st, 0) == c);
	SAY("  child status %d\n", st);
	T(write(p[1], big, 10));
	T(close(p[1]));
	return 0;
}
