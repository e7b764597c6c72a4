/* clone and clone3: the flag combinations Linux refuses, clone3's struct
 * size rules, exit_signal, CLONE_PARENT and CLONE_CLEAR_SIGHAND. */
#include "t.h"
#include <linux/sched.h>
#include <sched.h>
#include <stdint.h>

static long raw_clone(unsigned long flags)
{
	return syscall(SYS_clone, flags, 0, NULL, NULL, 0);
}

static long clone3(struct clone_args *a, size_t size)
{
	return syscall(SYS_clone3, a, size);
}

static void usr1(int sig)
{
	(void)sig;
}

int main(void)
{
	/* Refused combinations. */
	T(raw_clone(CLONE_SIGHAND));	       /* without CLONE_VM */
	T(raw_clone(CLONE_THREAD | CLONE_VM)); /* without CLONE_SIGHAND */
	T(raw_clone(CLONE_FS | CLONE_NEWNS));
	T(raw_clone(CLONE_PIDFD | CLONE_DETACHED)); /* pidfd pointer missing? */
	struct clone_args a;
	memset(&a, 0, sizeof a);
	T(clone3(&a, 8));
	/* A larger struct is fine when the bytes beyond are zeros. */
	static char big[sizeof a + 8];
	((struct clone_args *)big)->exit_signal = SIGCHLD;
	fflush(stdout);
	long c = clone3((struct clone_args *)big, sizeof big);
	if (c == 0)
		_exit(0);
	SAY("  larger struct forked %d\n", c > 0 && waitpid((pid_t)c, NULL, 0) == c);
	big[sizeof a] = 1;
	T(clone3((struct clone_args *)big, sizeof big));
	T(clone3(NULL, sizeof a));
	T(clone3(BADPTR, sizeof a));
	a.exit_signal = 100;
	T(clone3(&a, sizeof a));
	a.exit_signal = 0;
	a.flags = CLONE_SIGHAND;
	T(clone3(&a, sizeof a));
	a.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	a.exit_signal = SIGCHLD;
	T(clone3(&a, sizeof a)); /* a thread takes no exit signal */

	/* A child with another exit signal: wait needs __WALL or __WCLONE. */
	memset(&a, 0, sizeof a);
	a.exit_signal = SIGUSR1;
	signal(SIGUSR1, usr1);
	fflush(stdout);
	c = clone3(&a, sizeof a);
	if (c == 0)
		_exit(4);
	int st;
	T(waitpid((pid_t)c, &st, WNOHANG) == 0 || errno == ECHILD);
	T(waitpid((pid_t)c, &st, __WALL) == c);
	SAY("  exit %d\n", WEXITSTATUS(st));

	/* CLONE_PARENT: the new process is our sibling. */
	fflush(stdout);
	pid_t mid = fork();
	if (mid == 0) {
		memset(&a, 0, sizeof a);
		a.flags = CLONE_PARENT;
		a.exit_signal = SIGCHLD;
		T(clone3(&a, sizeof a)); /* the exit signal is the caller's */
		a.exit_signal = 0;
		pid_t me = getpid(), parent = getppid();
		fflush(stdout);
		long s = clone3(&a, sizeof a);
		if (s == 0) {
			SAY("  sibling's parent is the grandparent %d, not the middle %d\n",
			    getppid() == parent, getppid() != me);
			_exit(0);
		}
		usleep(100000);
		_exit(waitpid((pid_t)s, NULL, WNOHANG) < 0 && errno == ECHILD ? 0 : 1);
	}
	waitpid(mid, &st, 0);
	SAY("  middle could not wait for it %d\n", WEXITSTATUS(st) == 0);
	T(wait(&st) > 0);

	/* CLONE_CLEAR_SIGHAND: handled signals back to default, ignored kept. */
	signal(SIGUSR2, SIG_IGN);
	memset(&a, 0, sizeof a);
	a.flags = CLONE_CLEAR_SIGHAND;
	a.exit_signal = SIGCHLD;
	fflush(stdout);
	c = clone3(&a, sizeof a);
	if (c == 0) {
		struct sigaction sa;
		sigaction(SIGUSR1, NULL, &sa);
		int dfl = sa.sa_handler == SIG_DFL;
		sigaction(SIGUSR2, NULL, &sa);
		SAY("  cleared: USR1 default %d, USR2 still ignored %d\n", dfl,
		    sa.sa_handler == SIG_IGN);
		_exit(0);
	}
	waitpid((pid_t)c, NULL, 0);
	a.flags = CLONE_CLEAR_SIGHAND | CLONE_SIGHAND | CLONE_VM;
	T(clone3(&a, sizeof a));
	return 0;
}
