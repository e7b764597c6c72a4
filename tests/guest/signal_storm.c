/* Many signals at busy and sleeping threads: every one is delivered to a
 * thread that does not block it, none is lost (rt signals queue). */
#include "t.h"
#include <pthread.h>
#include <stdatomic.h>

#define WORKERS 4
static atomic_long handled[WORKERS + 1], usr1;
static __thread int me;
static atomic_int stop, ready;

static void on_rt(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (sig == SIGUSR1)
		atomic_fetch_add(&usr1, 1); /* standard signals coalesce while pending */
	else
		atomic_fetch_add(&handled[me], 1);
}

static void *busy(void *arg)
{
	me = (int)(long)arg;
	atomic_fetch_add(&ready, 1);
	while (!atomic_load(&stop)) {
		if (me % 2)
			usleep(100);
	}
	return NULL;
}

int main(void)
{
	struct sigaction sa = {0};
	sa.sa_sigaction = on_rt;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGRTMIN, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t t[WORKERS];
	for (long i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, busy, (void *)(i + 1));
	while (atomic_load(&ready) < WORKERS)
		usleep(1000);
	/* The main thread blocks them: they must go to the workers. */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	union sigval v = {0};
	int queued = 0;
	for (int i = 0; i < 2000; i++)
		queued += sigqueue(getpid(), SIGRTMIN, v) == 0;
	for (int i = 0; i < 200; i++)
		pthread_kill(t[i % WORKERS], SIGUSR1);
	long total = 0;
	for (int tries = 0; tries < 500 && total < queued; tries++) {
		usleep(10000);
		total = 0;
		for (int i = 1; i <= WORKERS; i++)
			total += atomic_load(&handled[i]);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	SAY("queued %d handled %ld, by the main thread %ld\n", queued, total,
	    atomic_load(&handled[0]));
	SAY("SIGUSR1 delivered between 1 and 200 times: %d\n", usr1 >= 1 && usr1 <= 200);
	return 0;
}
