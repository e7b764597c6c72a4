/* fork: return values, copied memory, shared open files, getppid, and
 * fork from a child (grandchildren). */
#include "t.h"
#include <sys/mman.h>

static int global = 1;

int main(void)
{
	const char *d = scratch("fork_basic");
	if (chdir(d))
		return 1;
	int fd = T(open("f", O_CREAT | O_RDWR | O_TRUNC, 0644));
	int *heap = malloc(sizeof *heap);
	*heap = 10;
	int stackv = 100;
	int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*shared = 1000;
	pid_t me = getpid();
	pid_t c = fork();
	if (c == 0) {
		/* (the parent prints only after waiting: no interleaving) */
		SAY("  child: fork returned 0, ppid is parent %d, pid differs %d\n",
		    getppid() == me, getpid() != me);
		global = 2;
		*heap = 20;
		stackv = 200;
		*shared = 2000;
		/* The offset of the shared open file moves for the parent too. */
		if (write(fd, "child", 5) != 5)
			_exit(1);
		_exit(0);
	}
	int st;
	T(waitpid(c, &st, 0) == c);
	SAY("  parent: fork returned child %d\n", c > 0 && c != me);
	SAY("  global %d heap %d stack %d shared %d\n", global, *heap, stackv, *shared);
	T(lseek(fd, 0, SEEK_CUR));
	T(write(fd, "parent", 6));
	char buf[16] = {0};
	T(pread(fd, buf, sizeof buf - 1, 0));
	SAY("  %s\n", buf);
	/* Children of children; each reaps its own. */
	c = fork();
	if (c == 0) {
		pid_t mid = getpid();
		pid_t g = fork();
		if (g == 0)
			_exit(getppid() == mid ? 42 : 1);
		int s;
		if (waitpid(g, &s, 0) != g)
			_exit(2);
		_exit(WEXITSTATUS(s));
	}
	T(waitpid(c, &st, 0) == c);
	SAY("  grandchild status through child %d\n", WEXITSTATUS(st));
	/* Many children at once, reaped in any order. */
	for (int i = 0; i < 20; i++)
		if (fork() == 0)
			_exit(i);
	int sum = 0, n = 0;
	pid_t w;
	while ((w = wait(&st)) > 0) {
		sum += WEXITSTATUS(st);
		n++;
	}
	SAY("  reaped %d sum %d then %s\n", n, sum, strerrorname_np(errno));
	/* Stdio buffers are copied: flushed before fork, nothing doubles. */
	printf("  buffered line\n");
	fflush(stdout);
	c = fork();
	if (c == 0)
		_exit(0);
	waitpid(c, &st, 0);
	/* The raw fork and vfork system calls exist. */
	c = (pid_t)syscall(SYS_fork);
	if (c == 0)
		syscall(SYS_exit, 5);
	T(waitpid(c, &st, 0) == c);
	SAY("  raw fork status %d\n", WEXITSTATUS(st));
	return 0;
}
