/* Waiting for signals: sigsuspend runs the handler under its mask and
 * restores the old one, takes a signal already pending at once; pause
 * returns EINTR after a handler; sigtimedwait with a zero or short timeout,
 * and sigwaitinfo's siginfo; a blocked signal's handler never runs. */
#include "t.h"
#include <sys/time.h>

static volatile int handled;
static volatile int blocked_in_handler;

static void on_usr1(int sig)
{
	(void)sig;
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	blocked_in_handler = sigismember(&now, SIGUSR2);
	handled++;
}

static int blocked(int sig)
{
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, sig);
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	signal(SIGALRM, on_usr1);
	sigset_t usr1, wait_mask;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);

	/* Pending already: sigsuspend returns at once, after the handler. */
	raise(SIGUSR1);
	SAY("handled while blocked %d\n", handled);
	sigemptyset(&wait_mask);
	sigaddset(&wait_mask, SIGUSR2); /* the mask while suspended */
	T(sigsuspend(&wait_mask));
	SAY("handled %d, USR2 blocked in the handler %d, USR1 blocked again %d, USR2 not %d\n",
	    handled, blocked_in_handler, blocked(SIGUSR1), !blocked(SIGUSR2));

	/* Sent later, by a timer. */
	struct itimerval it = {{0, 0}, {0, 50000}};
	setitimer(ITIMER_REAL, &it, NULL);
	T(sigsuspend(&wait_mask));
	SAY("handled %d\n", handled);
	setitimer(ITIMER_REAL, &it, NULL);
	T(pause());
	SAY("handled %d\n", handled);

	/* sigtimedwait: nothing there. */
	struct timespec zero = {0, 0}, short_wait = {0, 30000000}, bad = {0, -1};
	T(sigtimedwait(&usr1, NULL, &zero));
	T(sigtimedwait(&usr1, NULL, &short_wait));
	T(sigtimedwait(&usr1, NULL, &bad));
	/* And something there: the queue's siginfo. */
	union sigval v = {.sival_int = 42};
	sigqueue(getpid(), SIGUSR1, v);
	siginfo_t si;
	T(sigwaitinfo(&usr1, &si));
	SAY("si_code SI_QUEUE %d, value %d, from us %d, handled %d\n", si.si_code == SI_QUEUE,
	    si.si_value.sival_int, si.si_pid == getpid(), handled);
	return 0;
}
