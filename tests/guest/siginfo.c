/* SA_SIGINFO handlers: si_signo, si_code, si_pid, si_uid, si_value for
 * kill, tgkill, sigqueue, a child's exit (SIGCHLD), a timer, a fault. */
#include "t.h"
#include <sys/time.h>
#include <ucontext.h>

static siginfo_t got;
static volatile int count;

static void h(int s, siginfo_t *si, void *uc)
{
	(void)s;
	(void)uc;
	got = *si;
	count++;
}

static void show(const char *what, pid_t pid)
{
	SAY("  %s: signo %d code %d errno %d pid ok %d uid %d\n", what, got.si_signo, got.si_code,
	    got.si_errno, got.si_pid == pid, got.si_uid);
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = h, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGRTMIN, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	pid_t me = getpid();
	T(kill(me, SIGUSR1));
	show("kill", me);
	T(syscall(SYS_tgkill, me, syscall(SYS_gettid), SIGUSR1));
	show("tgkill", me);
	T(syscall(SYS_tkill, syscall(SYS_gettid), SIGUSR1));
	show("tkill", me);
	T(raise(SIGUSR1));
	show("raise", me);
	union sigval v = {.sival_int = 12345};
	T(sigqueue(me, SIGRTMIN, v));
	show("sigqueue", me);
	SAY("  value %d\n", got.si_value.sival_int);
	/* From a child: its pid and uid. */
	pid_t c = fork();
	if (c == 0) {
		kill(getppid(), SIGUSR1);
		_exit(3);
	}
	while (count < 7)
		pause();
	/* Either signal may come first: wait for both, then check. */
	int st;
	waitpid(c, &st, 0);
	SAY("  signals from the child arrived: %d\n", count >= 7);
	/* SIGCHLD alone. */
	c = fork();
	if (c == 0)
		_exit(5);
	int before = count;
	while (count == before)
		pause();
	show("sigchld", c);
	SAY("  status %d\n", got.si_status);
	waitpid(c, &st, 0);
	/* rt_sigqueueinfo: user si_code allowed only if negative. */
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_code = SI_QUEUE;
	si.si_value.sival_int = 77;
	si.si_pid = 424242;
	T(syscall(SYS_rt_sigqueueinfo, me, SIGRTMIN, &si));
	SAY("  queued: code %d value %d pid kept %d\n", got.si_code, got.si_value.sival_int,
	    got.si_pid == 424242);
	si.si_code = SI_KERNEL;
	T(syscall(SYS_rt_sigqueueinfo, me, SIGRTMIN, &si));
	si.si_code = 0;
	T(syscall(SYS_rt_sigqueueinfo, me, SIGRTMIN, &si));
	si.si_code = SI_TKILL;
	T(syscall(SYS_rt_sigqueueinfo, me, SIGRTMIN, &si));
	T(syscall(SYS_rt_sigqueueinfo, me, SIGRTMIN, BADPTR));
	/* To another process, even root may not pose as the kernel. */
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	si.si_code = SI_USER;
	T(syscall(SYS_rt_sigqueueinfo, c, SIGTERM, &si));
	si.si_code = SI_QUEUE;
	T(syscall(SYS_rt_sigqueueinfo, c, SIGTERM, &si));
	waitpid(c, &st, 0);
	SAY("  child killed by %d\n", WTERMSIG(st));
	/* A timer: SI_TIMER for setitimer's SIGALRM is SI_KERNEL in Linux. */
	struct itimerval it = {{0, 0}, {0, 10000}};
	setitimer(ITIMER_REAL, &it, NULL);
	before = count;
	while (count == before)
		pause();
	show("itimer", 0);
	alarm(1);
	before = count;
	while (count == before)
		pause();
	show("alarm", 0);
	/* An integer division by zero: SIGFPE, FPE_INTDIV, the address of the
	 * faulting instruction. */
	c = fork();
	if (c == 0) {
		signal(SIGFPE, SIG_DFL);
		volatile int zero = 0, x = 1;
		x = x / zero;
		_exit(0);
	}
	waitpid(c, &st, 0);
	SAY("  div by zero in child: sig %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	return 0;
}
