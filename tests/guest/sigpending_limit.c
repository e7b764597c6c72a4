/* RLIMIT_SIGPENDING: queued signals count per real user, across that
 * user's processes, against the receiver's limit. Past it sigqueue of a
 * real-time signal fails with EAGAIN; kill() and classic signals still
 * arrive, without their siginfo. Runs as a user of its own, so that no
 * other process of the machine shares the count. */
#include "t.h"
#include <sys/resource.h>

#define UID 54321

static void drain(sigset_t *set)
{
	siginfo_t si;
	struct timespec zero = {0, 0};
	while (sigtimedwait(set, &si, &zero) > 0)
		SAY("  got %d code %d value %d pid? %d\n", si.si_signo - SIGRTMIN, si.si_code,
		    si.si_code == SI_QUEUE ? si.si_value.sival_int : -1, si.si_pid != 0);
}

static void limited(void)
{
	struct rlimit r = {4, 4};
	T(setrlimit(RLIMIT_SIGPENDING, &r));
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < 5; i++)
		T(sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = i}));
	T(kill(getpid(), SIGRTMIN + 1));
	T(sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 9}));
	siginfo_t si = {.si_code = SI_QUEUE};
	T(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGRTMIN, &si));
	/* Another process of the same user finds the count full too. */
	pid_t c = fork();
	if (c == 0) {
		sigprocmask(SIG_BLOCK, &set, NULL);
		_exit(sigqueue(getpid(), SIGRTMIN, (union sigval){0}) < 0 ? errno : 0);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  sibling's sigqueue: %s\n", strerrorname_np(WEXITSTATUS(st)) ?: "ok");
	drain(&set);
	/* Dequeued signals no longer count. */
	T(sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 7}));
	drain(&set);
	/* With a limit of 0 nothing is queued, but kill() still gets through. */
	r.rlim_cur = r.rlim_max = 0;
	T(setrlimit(RLIMIT_SIGPENDING, &r));
	T(sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 8}));
	T(kill(getpid(), SIGRTMIN));
	drain(&set);
}

int main(void)
{
	if (geteuid() != 0) {
		SAY("SKIP: needs root to become a user of its own\n");
		return 0;
	}
	pid_t c = fork();
	if (c == 0) {
		if (setgid(UID) || setuid(UID))
			_exit(1);
		limited();
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  child exit %d\n", WEXITSTATUS(st));
	return 0;
}
