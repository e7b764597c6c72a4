/* clone(CLONE_VM|CLONE_VFORK) with a separate stack, as posix_spawn uses it:
 * the child writes the parent's memory, the parent waits for exec or exit. */
#include "t.h"
#include <sched.h>
#include <sys/mman.h>

static volatile int result;
static char *path;

static int child(void *arg)
{
	result = *(int *)arg;
	if (path) {
		execl(path, path, "child", (char *)NULL);
		result = -errno;
	}
	return 11;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return 12;
	size_t sz = 64 * 1024;
	char *stack = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int arg = 42, st;
	pid_t c = T(clone(child, stack + sz, CLONE_VM | CLONE_VFORK | SIGCHLD, &arg) > 0);
	SAY("  result %d\n", result);
	c = wait(&st);
	SAY("  exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
	/* An exec failure is reported through shared memory. */
	path = "/nonexistent/prog";
	arg = 1;
	T(clone(child, stack + sz, CLONE_VM | CLONE_VFORK | SIGCHLD, &arg) > 0);
	SAY("  result %s\n", strerrorname_np(-result));
	wait(&st);
	SAY("  status %d\n", WEXITSTATUS(st));
	/* A successful exec releases the parent; the new program's status. */
	path = argv[0];
	result = 0;
	T(clone(child, stack + sz, CLONE_VM | CLONE_VFORK | SIGCHLD, &arg) > 0);
	SAY("  result %d\n", result);
	wait(&st);
	SAY("  status %d\n", WEXITSTATUS(st));
	/* Without SIGCHLD as exit signal, wait needs __WCLONE. */
	path = NULL;
	c = clone(child, stack + sz, CLONE_VM | CLONE_VFORK, &arg);
	T(waitpid(c, &st, WNOHANG));
	T(waitpid(c, &st, __WCLONE) == c);
	SAY("  status %d\n", WEXITSTATUS(st));
	/* Invalid flag combinations. */
	T(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0));
	T(syscall(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0));
	T(syscall(SYS_clone, CLONE_FS | CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0));
	return 0;
}
