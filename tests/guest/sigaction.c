/* rt_sigaction: old and new actions, flags and masks round-trip, the
 * signals that cannot be caught, bad numbers, sizes and pointers. */
#include "t.h"

static void h1(int s)
{
	(void)s;
}

static void h2(int s, siginfo_t *si, void *uc)
{
	(void)s;
	(void)si;
	(void)uc;
}

struct ksa {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

int main(void)
{
	struct sigaction sa, old;
	T(sigaction(SIGUSR1, NULL, &old));
	SAY("  default %d flags %#x\n", old.sa_handler == SIG_DFL, old.sa_flags);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = h1;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaddset(&sa.sa_mask, SIGRTMIN + 3);
	sa.sa_flags = SA_RESTART | SA_NODEFER;
	T(sigaction(SIGUSR1, &sa, &old));
	SAY("  old default %d\n", old.sa_handler == SIG_DFL);
	T(sigaction(SIGUSR1, NULL, &old));
	SAY("  h1 %d restart %d nodefer %d usr2 in mask %d rt+3 %d usr1 %d\n", old.sa_handler == h1,
	    !!(old.sa_flags & SA_RESTART), !!(old.sa_flags & SA_NODEFER),
	    sigismember(&old.sa_mask, SIGUSR2), sigismember(&old.sa_mask, SIGRTMIN + 3),
	    sigismember(&old.sa_mask, SIGUSR1));
	/* SA_SIGINFO with a three-argument handler. */
	sa.sa_sigaction = h2;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
	T(sigaction(SIGUSR1, &sa, &old));
	T(sigaction(SIGUSR1, NULL, &old));
	SAY("  h2 %d siginfo %d onstack %d resethand %d\n", old.sa_sigaction == h2,
	    !!(old.sa_flags & SA_SIGINFO), !!(old.sa_flags & SA_ONSTACK),
	    !!(old.sa_flags & SA_RESETHAND));
	/* The raw call: flags come back as given (SA_RESTORER included). */
	struct ksa k = {SIG_IGN, 0x04000000 | SA_RESTART, NULL, 1UL << (SIGUSR2 - 1)}, ko;
	T(syscall(SYS_rt_sigaction, SIGUSR2, &k, NULL, 8));
	T(syscall(SYS_rt_sigaction, SIGUSR2, NULL, &ko, 8));
	SAY("  raw ign %d flags %#lx mask %#lx\n", ko.handler == SIG_IGN, ko.flags, ko.mask);
	/* SIGKILL and SIGSTOP cannot be caught or ignored, but can be read. */
	sa.sa_handler = h1;
	sa.sa_flags = 0;
	T(sigaction(SIGKILL, &sa, NULL));
	T(sigaction(SIGSTOP, &sa, NULL));
	sa.sa_handler = SIG_IGN;
	T(sigaction(SIGKILL, &sa, NULL));
	sa.sa_handler = SIG_DFL;
	T(sigaction(SIGKILL, &sa, NULL));
	T(sigaction(SIGKILL, NULL, &old));
	/* Bad signal numbers, sizes, pointers. */
	T(syscall(SYS_rt_sigaction, 0, NULL, &ko, 8));
	T(syscall(SYS_rt_sigaction, 65, NULL, &ko, 8));
	T(syscall(SYS_rt_sigaction, -1, NULL, &ko, 8));
	T(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &ko, 4));
	T(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &ko, 16));
	T(syscall(SYS_rt_sigaction, SIGUSR1, BADPTR, NULL, 8));
	T(syscall(SYS_rt_sigaction, SIGUSR1, NULL, BADPTR, 8));
	T(syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 8));
	/* Real-time signals up to 64. */
	sa.sa_handler = h1;
	T(sigaction(SIGRTMAX, &sa, NULL));
	T(syscall(SYS_rt_sigaction, 64, NULL, &ko, 8));
	SAY("  64 set %d\n", ko.handler == h1);
	/* Setting SIG_IGN discards a pending signal. */
	sigset_t m, p;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, NULL);
	sa.sa_handler = h1;
	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	sigpending(&p);
	SAY("  pending %d\n", sigismember(&p, SIGUSR1));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGUSR1, &sa, NULL);
	sigpending(&p);
	SAY("  pending after SIG_IGN %d\n", sigismember(&p, SIGUSR1));
	/* Handlers survive fork, reset to default by exec (see execve test). */
	sa.sa_handler = h1;
	sigaction(SIGUSR2, &sa, NULL);
	pid_t c = fork();
	if (c == 0) {
		sigaction(SIGUSR2, NULL, &old);
		_exit(old.sa_handler == h1);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  inherited %d\n", WEXITSTATUS(st));
	return 0;
}
