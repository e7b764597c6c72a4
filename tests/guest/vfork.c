/* vfork: the parent waits until the child execs or exits, and they share
 * memory until then. */
#include "t.h"

static volatile int shared = 1;

int main(int argc, char **argv)
{
	if (argc > 1)
		return strcmp(argv[1], "hello") ? 6 : 7; /* (no output: it races the parent) */
	pid_t c = vfork();
	if (c == 0) {
		shared = 2; /* visible to the parent: same memory */
		_exit(3);
	}
	SAY("  shared %d\n", shared);
	int st;
	T(waitpid(c, &st, 0) == c);
	SAY("  status %d\n", WEXITSTATUS(st));
	/* The parent resumes only after exec; the child's output comes first. */
	c = vfork();
	if (c == 0) {
		shared = 3;
		execl("/proc/self/exe", argv[0], "hello", (char *)NULL);
		_exit(127);
	}
	SAY("  parent resumed, shared %d\n", shared);
	T(waitpid(c, &st, 0) == c);
	SAY("  status %d\n", WEXITSTATUS(st));
	/* A failed exec in a vfork child, then _exit. */
	c = vfork();
	if (c == 0) {
		execl("/nonexistent", "x", (char *)NULL);
		shared = errno;
		_exit(127);
	}
	T(waitpid(c, &st, 0) == c);
	SAY("  exec errno %s status %d\n", strerrorname_np(shared), WEXITSTATUS(st));
	/* The raw system call. */
	c = (pid_t)syscall(SYS_vfork);
	if (c == 0)
		syscall(SYS_exit, 9);
	T(waitpid(c, &st, 0) == c);
	SAY("  raw vfork status %d\n", WEXITSTATUS(st));
	return 0;
}
