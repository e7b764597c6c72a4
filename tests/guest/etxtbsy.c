/* ETXTBSY: a file open for writing cannot be executed, a running program
 * cannot be opened for writing or truncated; both end with the writer or
 * the program. */
#include "t.h"

static int run(const char *prog, const char *arg)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		execl(prog, prog, arg, (char *)NULL);
		_exit(errno == ETXTBSY ? 100 : 101);
	}
	return c;
}

int main(void)
{
	const char *d = scratch("etxtbsy");
	if (chdir(d))
		return 1;
	if (system("cp /bin/true prog && cp /bin/sleep sleeper"))
		return 2;
	int w = T(open("prog", O_WRONLY));
	int st;
	waitpid(run("./prog", NULL), &st, 0);
	SAY("  exec while open for writing: %s\n", WEXITSTATUS(st) == 100 ? "ETXTBSY" : "ran");
	T(close(w));
	waitpid(run("./prog", NULL), &st, 0);
	SAY("  after close: exit %d\n", WEXITSTATUS(st));
	/* A writable mapping of it counts as a writer too? No: only open fds. */
	pid_t c = run("./sleeper", "1");
	usleep(200000);
	T(open("sleeper", O_WRONLY));
	T(open("sleeper", O_RDWR));
	T(truncate("sleeper", 0));
	int r = T(open("sleeper", O_RDONLY));
	T(close(r));
	/* Unlinking or renaming a running program is fine. */
	T(rename("sleeper", "sleeper2"));
	T(unlink("sleeper2"));
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	/* Once it is gone, writing is allowed again. */
	if (system("cp /bin/sleep sleeper"))
		return 2;
	c = run("./sleeper", "0.2");
	waitpid(c, &st, 0);
	w = T(open("sleeper", O_WRONLY));
	T(close(w));
	return 0;
}
