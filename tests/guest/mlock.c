/* mlock, mlock2, munlock, mlockall, munlockall and MAP_LOCKED: what
 * /proc/self/status's VmLck counts, RLIMIT_MEMLOCK for an ordinary user,
 * no locks across fork, and the errnos. */
#include "t.h"
#include <sys/mman.h>
#include <sys/resource.h>

static long vmlck_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmLck:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static char *map(size_t pages, int flags)
{
	return mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags,
		    -1, 0);
}

/* 0 or -1 with errno, for T. */
static long map_status(size_t pages, int flags)
{
	return map(pages, flags) == MAP_FAILED ? -1 : 0;
}

static void as_user(void)
{
	if (setresuid(1000, 1000, 1000))
		_exit(5);
	struct rlimit r = {8192, 8192};
	T(setrlimit(RLIMIT_MEMLOCK, &r));
	char *p = map(4, 0);
	T(mlock(p, 3 * 4096));
	T(mlock(p, 2 * 4096));
	T(mlock(p + 4096, 4096)); /* already counted */
	SAY("  VmLck %ld kB\n", vmlck_kb());
	T(map_status(1, MAP_LOCKED));
	T(mlockall(MCL_CURRENT));
	r.rlim_cur = 0;
	T(setrlimit(RLIMIT_MEMLOCK, &r));
	T(mlock(p, 4096));
	T(mlockall(MCL_FUTURE));
	T(map_status(1, MAP_LOCKED));
	T(munlock(p, 4 * 4096));
	SAY("  VmLck %ld kB\n", vmlck_kb());
}

int main(void)
{
	char *p = map(8, 0);
	SAY("VmLck at start %ld kB\n", vmlck_kb());
	T(mlock(p + 100, 10));
	SAY("  one page: VmLck %ld kB\n", vmlck_kb());
	T(mlock(p, 3 * 4096));
	T(mlock2(p + 4 * 4096, 4096, MLOCK_ONFAULT));
	SAY("  four pages: VmLck %ld kB\n", vmlck_kb());
	T(munlock(p + 4096, 4096));
	SAY("  three pages: VmLck %ld kB\n", vmlck_kb());
	T(munlock(p, 8 * 4096));
	SAY("  none: VmLck %ld kB\n", vmlck_kb());
	T(mlock(p, 0));
	munmap(p + 7 * 4096, 4096);
	T(mlock(p + 6 * 4096, 2 * 4096)); /* runs into a hole */
	T(mlock((void *)0x10000, 4096));
	T(mlock2(p, 4096, 2));
	T(mlock(p, (size_t)-4096));
	T(mlockall(0));
	T(mlockall(MCL_ONFAULT));
	T(mlockall(8));
	T(mlockall(MCL_CURRENT));
	SAY("  mlockall: some locked %d\n", vmlck_kb() > 0);
	T(munlockall());
	SAY("  munlockall: VmLck %ld kB\n", vmlck_kb());
	T(mlockall(MCL_FUTURE));
	char *q = map(5, 0);
	SAY("  a future mapping: VmLck %ld kB\n", vmlck_kb());
	pid_t c = fork();
	if (c == 0) {
		SAY("  in a fork child: VmLck %ld kB\n", vmlck_kb());
		map(1, 0);
		SAY("  and its new mapping: VmLck %ld kB\n", vmlck_kb());
		_exit(0);
	}
	waitpid(c, NULL, 0);
	T(munlockall());
	T(map_status(2, MAP_LOCKED));
	SAY("  MAP_LOCKED: VmLck %ld kB\n", vmlck_kb());
	munmap(q, 5 * 4096);
	SAY("an ordinary user:\n");
	c = fork();
	if (c == 0) {
		as_user();
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("child exit %d\n", WEXITSTATUS(st));
	return 0;
}
