/* A signal interrupts poll, ppoll, select, pselect6 with EINTR (even under
 * SA_RESTART); ppoll/pselect's mask is applied atomically. */
#include "t.h"
#include <poll.h>
#include <sys/select.h>
#include <sys/time.h>

static volatile int got;

static void on_alarm(int s)
{
	(void)s;
	got++;
}

static void arm(void)
{
	struct itimerval it = {{0, 0}, {0, 50000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	T(sigaction(SIGALRM, &sa, NULL));
	int p[2];
	T(pipe(p));
	struct pollfd f = {p[0], POLLIN, 0};
	arm();
	T(poll(&f, 1, 5000));
	SAY("  got %d\n", got);
	arm();
	struct timespec ts = {5, 0};
	T(ppoll(&f, 1, &ts, NULL));
	SAY("  got %d\n", got);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	arm();
	struct timeval tv = {5, 0};
	T(select(p[0] + 1, &r, NULL, NULL, &tv));
	SAY("  got %d\n", got);
	FD_SET(p[0], &r);
	arm();
	T(pselect(p[0] + 1, &r, NULL, NULL, &ts, NULL));
	SAY("  got %d\n", got);
	/* Blocked SIGALRM, unblocked only inside ppoll: delivered there. */
	sigset_t block, empty;
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigemptyset(&empty);
	T(sigprocmask(SIG_BLOCK, &block, NULL));
	arm();
	usleep(100000);
	SAY("  pending, not delivered: %d\n", got);
	T(ppoll(&f, 1, &ts, &empty));
	SAY("  got %d\n", got);
	arm();
	usleep(100000);
	FD_SET(p[0], &r);
	T(pselect(p[0] + 1, &r, NULL, NULL, &ts, &empty));
	SAY("  got %d\n", got);
	/* And the old mask is back: still blocked. */
	sigset_t now;
	T(sigprocmask(SIG_SETMASK, NULL, &now));
	SAY("  blocked %d\n", sigismember(&now, SIGALRM));
	/* A pending signal that is ignored does not interrupt. */
	signal(SIGALRM, SIG_IGN);
	T(sigprocmask(SIG_UNBLOCK, &block, NULL));
	arm();
	T(poll(&f, 1, 150));
	/* A ppoll mask with a bad size. */
	T(syscall(SYS_ppoll, &f, 1, &ts, &empty, 4));
	return 0;
}
