/* getrlimit, setrlimit, prlimit64: values, rules, effects (NOFILE, FSIZE,
 * AS, NPROC is not enforced for root), another process's limits. */
#include "t.h"
#include <sys/mman.h>
#include <sys/resource.h>

int main(void)
{
	/* (Raising a hard limit needs CAP_SYS_RESOURCE, which a container's
	 * root may lack: the test only lowers them.) */
	struct rlimit rl, old;
	T(getrlimit(RLIMIT_NOFILE, &old));
	/* Lower, then raise back within the hard limit; soft > hard fails. */
	rl = (struct rlimit){64, 256};
	T(setrlimit(RLIMIT_NOFILE, &rl));
	T(getrlimit(RLIMIT_NOFILE, &rl));
	SAY("  %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
	rl = (struct rlimit){300, 256};
	T(setrlimit(RLIMIT_NOFILE, &rl));
	rl = (struct rlimit){256, 256};
	T(setrlimit(RLIMIT_NOFILE, &rl));
	/* The limit is enforced: EMFILE. */
	rl = (struct rlimit){10, 256};
	T(setrlimit(RLIMIT_NOFILE, &rl));
	int n = 0, fd;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		n++;
	SAY("  opened %d more then %s\n", n, strerrorname_np(errno));
	int p[2];
	T(pipe(p));
	T(dup(0));
	T(fcntl(0, F_DUPFD, 5));
	T(dup2(0, 10));
	T(dup2(0, 9));
	for (int i = 3; i < 10; i++)
		close(i);
	/* An unprivileged process cannot raise its hard limit. */
	pid_t c = fork();
	if (c == 0) {
		T(setuid(1000));
		rl = (struct rlimit){10, 100};
		T(setrlimit(RLIMIT_NOFILE, &rl));
		rl = (struct rlimit){10, 200};
		T(setrlimit(RLIMIT_NOFILE, &rl));
		rl = (struct rlimit){200, 100};
		T(setrlimit(RLIMIT_NOFILE, &rl));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* prlimit64: get and set at once, on ourselves (0) and a child. */
	struct rlimit nw = {30, 256}, got;
	T(prlimit(0, RLIMIT_NOFILE, &nw, &got));
	SAY("  old %ld %ld\n", (long)got.rlim_cur, (long)got.rlim_max);
	T(prlimit(getpid(), RLIMIT_NOFILE, NULL, &got));
	SAY("  now %ld %ld\n", (long)got.rlim_cur, (long)got.rlim_max);
	int pp[2];
	if (pipe(pp))
		return 2;
	c = fork();
	if (c == 0) {
		char ch;
		if (read(pp[0], &ch, 1) != 1)
			_exit(1);
		getrlimit(RLIMIT_CORE, &rl);
		SAY("  child core limit %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
		_exit(0);
	}
	nw = (struct rlimit){4096, 8192};
	T(prlimit(c, RLIMIT_CORE, &nw, NULL));
	/* The child prints once it reads; write silently so the order is fixed. */
	if (write(pp[1], "g", 1) != 1)
		return 2;
	waitpid(c, NULL, 0);
	T(prlimit(c, RLIMIT_CORE, NULL, &got));
	T(prlimit(0, 99, NULL, &got));
	T(prlimit(0, RLIMIT_NOFILE, BADPTR, NULL));
	T(prlimit(0, RLIMIT_NOFILE, NULL, BADPTR));
	T(getrlimit(99, &rl));
	T(getrlimit(RLIMIT_NOFILE, BADPTR));
	T(setrlimit(-1, &rl));
	/* RLIMIT_AS: a big mapping fails with ENOMEM. */
	c = fork();
	if (c == 0) {
		rl = (struct rlimit){1UL << 30, 1UL << 30};
		T(setrlimit(RLIMIT_AS, &rl));
		void *m = mmap(NULL, 2UL << 30, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		SAY("  2G mmap: %s\n", m == MAP_FAILED ? strerrorname_np(errno) : "ok");
		m = mmap(NULL, 1UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		SAY("  1M mmap: %s\n", m == MAP_FAILED ? strerrorname_np(errno) : "ok");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* Limits are inherited. */
	rl = (struct rlimit){12345, 12345};
	T(setrlimit(RLIMIT_CORE, &rl));
	c = fork();
	if (c == 0) {
		getrlimit(RLIMIT_CORE, &rl);
		_exit(rl.rlim_cur == 12345);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  inherited %d\n", WEXITSTATUS(st));
	/* RLIM_INFINITY reads back as such. */
	rl = (struct rlimit){RLIM_INFINITY, RLIM_INFINITY};
	T(setrlimit(RLIMIT_FSIZE, &rl));
	T(getrlimit(RLIMIT_FSIZE, &rl));
	SAY("  infinity %d\n", rl.rlim_cur == RLIM_INFINITY && rl.rlim_max == RLIM_INFINITY);
	return 0;
}
