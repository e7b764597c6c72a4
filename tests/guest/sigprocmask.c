/* rt_sigprocmask and rt_sigpending: block, unblock, setmask, what cannot be
 * blocked, delivery on unblock, order of pending standard signals. */
#include "t.h"

static char order[64];
static int n;

static void h(int s)
{
	order[n++] = (char)('A' + s - 1);
}

static unsigned long mask_now(void)
{
	unsigned long m = 0;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

int main(void)
{
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	T(sigprocmask(SIG_BLOCK, &s, &old));
	SAY("  old empty %d now %#lx\n", sigismember(&old, SIGUSR1) == 0, mask_now());
	sigaddset(&s, SIGKILL);
	sigaddset(&s, SIGSTOP);
	sigaddset(&s, SIGUSR2);
	T(sigprocmask(SIG_BLOCK, &s, NULL));
	SAY("  KILL/STOP never blocked: %#lx\n", mask_now());
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	T(sigprocmask(SIG_UNBLOCK, &s, NULL));
	SAY("  %#lx\n", mask_now());
	T(sigprocmask(SIG_SETMASK, &s, NULL));
	SAY("  %#lx\n", mask_now());
	T(sigprocmask(3, &s, NULL));
	T(sigprocmask(-1, &s, NULL));
	T(sigprocmask(3, NULL, &old)); /* how is ignored without a set */
	unsigned long raw = 0;
	T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &raw, NULL, 4));
	T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, BADPTR, NULL, 8));
	T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, BADPTR, 8));
	/* Pending while blocked, delivered on unblock, lowest number first. */
	signal(SIGUSR1, h);
	signal(SIGUSR2, h);
	signal(SIGHUP, h);
	signal(SIGTERM, h);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigaddset(&s, SIGHUP);
	sigaddset(&s, SIGTERM);
	T(sigprocmask(SIG_SETMASK, &s, NULL));
	raise(SIGTERM);
	raise(SIGUSR2);
	raise(SIGUSR1);
	raise(SIGHUP);
	raise(SIGUSR1); /* standard signals do not queue */
	sigset_t p;
	T(sigpending(&p));
	SAY("  pending %d %d %d %d int %d, delivered %d\n", sigismember(&p, SIGUSR1),
	    sigismember(&p, SIGUSR2), sigismember(&p, SIGHUP), sigismember(&p, SIGTERM),
	    sigismember(&p, SIGINT), n);
	T(syscall(SYS_rt_sigpending, BADPTR, 8));
	T(syscall(SYS_rt_sigpending, &raw, 4));
	T(syscall(SYS_rt_sigpending, &raw, 8));
	SAY("  raw pending %#lx\n", raw);
	sigemptyset(&s);
	T(sigprocmask(SIG_SETMASK, &s, NULL));
	SAY("  delivered %d in order %.*s\n", n, n, order);
	/* Blocked signals are kept across fork? No: the child's pending set is
	 * empty, but its mask is inherited. */
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	pid_t c = fork();
	if (c == 0) {
		sigpending(&p);
		_exit(sigismember(&p, SIGUSR1) * 10 + (mask_now() == 1UL << (SIGUSR1 - 1)));
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  child pending %d mask inherited %d\n", WEXITSTATUS(st) / 10, WEXITSTATUS(st) % 10);
	/* A blocked ignored signal stays pending (the action is checked at
	 * delivery); a blocked default-ignore one too. */
	signal(SIGUSR2, SIG_IGN);
	sigaddset(&s, SIGUSR2);
	sigaddset(&s, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR2);
	raise(SIGCHLD);
	sigpending(&p);
	SAY("  ignored pending %d, SIGCHLD pending %d\n", sigismember(&p, SIGUSR2),
	    sigismember(&p, SIGCHLD));
	return 0;
}
