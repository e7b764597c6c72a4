/* Exit statuses: only the low 8 bits of exit's code; exit from a thread
 * ends only it, exit_group ends all; the process's status is the last
 * thread's when threads exit one by one; atexit handlers and flushing run
 * for exit, not _exit. */
#include "t.h"
#include <pthread.h>

static int status_of(void (*fn)(void))
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		fn();
		_exit(99);
	}
	int st;
	waitpid(c, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

static void exit_256(void)
{
	exit(256);
}
static void exit_minus1(void)
{
	exit(-1);
}
static void exit_300(void)
{
	syscall(SYS_exit_group, 300);
}

static void *thread_exit_group(void *arg)
{
	(void)arg;
	syscall(SYS_exit_group, 12);
	return NULL;
}
static void group_from_thread(void)
{
	pthread_t t;
	pthread_create(&t, NULL, thread_exit_group, NULL);
	pause();
}

static void *thread_exit_only(void *arg)
{
	(void)arg;
	syscall(SYS_exit, 13); /* this thread only */
	return NULL;
}
static void exit_in_thread(void)
{
	pthread_t t;
	pthread_create(&t, NULL, thread_exit_only, NULL);
	pthread_join(t, NULL);
	_exit(14);
}

static void *last_thread(void *arg)
{
	(void)arg;
	usleep(100000);
	syscall(SYS_exit, 15); /* the last one: its code is the process's */
	return NULL;
}
static void leader_first(void)
{
	pthread_t t;
	pthread_create(&t, NULL, last_thread, NULL);
	syscall(SYS_exit, 16);
}

static void bye(void)
{
	printf("  atexit ran\n");
}
static void with_atexit(void)
{
	atexit(bye);
	printf("  buffered");
	exit(0);
}
static void with__exit(void)
{
	atexit(bye);
	printf("  lost");
	_exit(0);
}

int main(void)
{
	SAY("exit(256) %d\n", status_of(exit_256));
	SAY("exit(-1) %d\n", status_of(exit_minus1));
	SAY("exit_group(300) %d\n", status_of(exit_300));
	SAY("exit_group from a thread %d\n", status_of(group_from_thread));
	SAY("exit from a thread, then _exit %d\n", status_of(exit_in_thread));
	SAY("leader exits first %d\n", status_of(leader_first));
	SAY("exit with atexit %d\n", status_of(with_atexit));
	SAY("_exit with atexit %d\n", status_of(with__exit));
	return 0;
}
