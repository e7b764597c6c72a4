/* Signals in a threaded process: a thread-directed signal waits for its
 * thread (even when another could take it), a process-directed one goes to
 * a thread that does not block it, a fault's signal to the faulting
 * thread; sigwait in one thread takes process signals. */
#include "t.h"
#include <pthread.h>
#include <setjmp.h>

static pthread_t main_thread, blocker, taker;
static volatile pthread_t who;
static volatile int hits;
static sigjmp_buf fault_jmp;
static pthread_barrier_t ready;

static void on_usr1(int sig)
{
	(void)sig;
	who = pthread_self();
	hits++;
}

static void on_segv(int sig)
{
	(void)sig;
	who = pthread_self();
	siglongjmp(fault_jmp, 1);
}

static const char *name(pthread_t t)
{
	return pthread_equal(t, main_thread) ? "main"
	       : pthread_equal(t, blocker)   ? "blocker"
	       : pthread_equal(t, taker)     ? "taker"
					     : "?";
}

/* Blocks USR1 and waits; later unblocks it to take what waits for it. */
static void *blocker_fn(void *arg)
{
	(void)arg;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&ready); /* the main thread sent one our way */
	sigset_t pend;
	sigpending(&pend);
	SAY("  blocker: USR1 pending for it %d, handled yet %d\n", sigismember(&pend, SIGUSR1),
	    hits);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	SAY("  blocker: after unblocking, handled by %s\n", name(who));
	pthread_barrier_wait(&ready);
	/* A fault here is this thread's. */
	if (!sigsetjmp(fault_jmp, 1))
		*(volatile int *)16 = 1;
	SAY("  fault handled by %s\n", name(who));
	pthread_barrier_wait(&ready);
	return NULL;
}

/* Waits for USR2 with sigwait. */
static void *taker_fn(void *arg)
{
	(void)arg;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	int sig = 0;
	sigwait(&s, &sig);
	SAY("  taker: sigwait got %s\n", sigabbrev_np(sig));
	return NULL;
}

int main(void)
{
	main_thread = pthread_self();
	signal(SIGUSR1, on_usr1);
	signal(SIGSEGV, on_segv);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL); /* every thread blocks USR2 */
	pthread_barrier_init(&ready, NULL, 2);
	pthread_create(&blocker, NULL, blocker_fn, NULL);
	pthread_create(&taker, NULL, taker_fn, NULL);
	pthread_barrier_wait(&ready);

	/* Process-directed: the blocker blocks it, so main or taker take it. */
	kill(getpid(), SIGUSR1);
	for (int i = 0; i < 1000 && !hits; i++)
		usleep(1000); /* the taker may be the one, on another CPU */
	SAY("process USR1 handled by a thread that does not block it %d\n",
	    hits == 1 && !pthread_equal(who, blocker));
	/* Thread-directed at the blocker: it waits there. */
	hits = 0;
	pthread_kill(blocker, SIGUSR1);
	usleep(100000);
	SAY("thread USR1 for the blocker, handled meanwhile %d\n", hits);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&ready);
	/* USR2 to the process: only sigwait takes it. */
	kill(getpid(), SIGUSR2);
	pthread_join(taker, NULL);
	pthread_join(blocker, NULL);
	return 0;
}
