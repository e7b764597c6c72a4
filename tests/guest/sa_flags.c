/* SA_NODEFER and SA_RESETHAND; sa_mask and the signal itself blocked during
 * the handler and restored after; nesting. */
#include "t.h"

static volatile int depth, maxdepth, calls;
static volatile unsigned long seen_mask;

static unsigned long mask_now(void)
{
	unsigned long m = 0;
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
	return m;
}

static void nested(int s)
{
	depth++;
	if (depth > maxdepth)
		maxdepth = depth;
	seen_mask = mask_now();
	if (++calls < 3)
		raise(s); /* delivered at once only if not blocked */
	depth--;
}

static volatile int resets;
static void once(int s)
{
	(void)s;
	resets++;
}

int main(void)
{
	struct sigaction sa = {.sa_handler = nested};
	sigemptyset(&sa.sa_mask);
	/* Default: the signal is blocked in its handler; the raise inside stays
	 * pending and runs after the handler returns. */
	T(sigaction(SIGUSR1, &sa, NULL));
	maxdepth = calls = 0;
	raise(SIGUSR1);
	SAY("  default: calls %d max depth %d mask in handler %#lx after %#lx\n", calls, maxdepth,
	    seen_mask, mask_now());
	/* SA_NODEFER: nesting. */
	sa.sa_flags = SA_NODEFER;
	T(sigaction(SIGUSR1, &sa, NULL));
	maxdepth = calls = 0;
	raise(SIGUSR1);
	SAY("  nodefer: max depth %d mask %#lx\n", maxdepth, seen_mask);
	/* sa_mask adds to the mask during the handler only. */
	sa.sa_flags = 0;
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaddset(&sa.sa_mask, SIGTERM);
	T(sigaction(SIGUSR1, &sa, NULL));
	maxdepth = calls = 0;
	raise(SIGUSR1);
	SAY("  sa_mask: in handler %#lx after %#lx\n", seen_mask, mask_now());
	/* SA_RESETHAND: one delivery, then the default (here: ignore for
	 * SIGWINCH, and SA_RESETHAND implies SA_NODEFER). */
	struct sigaction r = {.sa_handler = once, .sa_flags = SA_RESETHAND};
	sigemptyset(&r.sa_mask);
	T(sigaction(SIGWINCH, &r, NULL));
	raise(SIGWINCH);
	raise(SIGWINCH);
	struct sigaction now;
	sigaction(SIGWINCH, NULL, &now);
	SAY("  resethand: calls %d, now default %d flags %#x\n", resets, now.sa_handler == SIG_DFL,
	    now.sa_flags & (SA_RESETHAND | SA_NODEFER));
	/* SA_RESETHAND on SIGTERM in a child: the second one kills. */
	pid_t c = fork();
	if (c == 0) {
		sigaction(SIGTERM, &r, NULL);
		raise(SIGTERM);
		raise(SIGTERM);
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  child: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
	/* A handler that changes the mask: restored by sigreturn anyway. */
	return 0;
}
