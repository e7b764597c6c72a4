/* exit and exit_group: statuses masked to 8 bits, atexit and stdio only
 * with exit(3), exit of a non-last thread. */
#include "t.h"
#include <pthread.h>

static void bye(void)
{
	SAY("  atexit handler\n");
}

static int status_of(void (*fn)(int), int v)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		/* Fully buffered whether stdout is a file or a terminal. */
		static char buf[BUFSIZ];
		setvbuf(stdout, buf, _IOFBF, sizeof buf);
		atexit(bye);
		printf("  unflushed output of %d\n", v);
		fn(v);
	}
	int st;
	waitpid(c, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void sys_exit(int v)
{
	syscall(SYS_exit, v);
}
static void sys_exit_group(int v)
{
	syscall(SYS_exit_group, v);
}

static void *thread_fn(void *arg)
{
	(void)arg;
	sleep(1);
	SAY("  thread still running after main's SYS_exit\n");
	return NULL;
}

int main(void)
{
	SAY("  exit(3): %d\n", status_of(exit, 3));
	SAY("  _exit(4): %d\n", status_of(_exit, 4));
	SAY("  exit 256: %d\n", status_of(_exit, 256));
	SAY("  exit -1: %d\n", status_of(_exit, -1));
	SAY("  exit 0x1234: %d\n", status_of(sys_exit, 0x1234));
	SAY("  exit_group 77: %d\n", status_of(sys_exit_group, 77));
	/* Returning from main is exit(). */
	(void)thread_fn;
	return 9;
}
