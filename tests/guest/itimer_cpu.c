/* CPU-time timers: ITIMER_VIRTUAL and ITIMER_PROF fire on CPU use, not on
 * sleeping; RLIMIT_CPU sends SIGXCPU. */
#include "t.h"
#include <sys/resource.h>
#include <sys/time.h>

static volatile sig_atomic_t got;

static void on_sig(int sig)
{
	got = sig;
}

static void spin_until_signal(void)
{
	for (volatile unsigned long i = 0; !got && i < 4000000000UL; i++)
		;
}

int main(void)
{
	signal(SIGVTALRM, on_sig);
	signal(SIGPROF, on_sig);
	signal(SIGXCPU, on_sig);
	struct itimerval v = {{0, 0}, {0, 50000}}, old;
	T(setitimer(ITIMER_VIRTUAL, &v, NULL));
	usleep(200000); /* sleeping uses no CPU: no signal yet */
	SAY("after sleep got %d\n", got);
	spin_until_signal();
	SAY("after spinning got %s\n", got == SIGVTALRM ? "SIGVTALRM" : "other");
	T(getitimer(ITIMER_VIRTUAL, &old));
	SAY("disarmed %d\n", old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0);
	got = 0;
	v.it_value.tv_usec = 30000;
	v.it_interval.tv_usec = 30000;
	T(setitimer(ITIMER_PROF, &v, NULL));
	spin_until_signal();
	SAY("prof got %s\n", got == SIGPROF ? "SIGPROF" : "other");
	T(getitimer(ITIMER_PROF, &old));
	SAY("interval kept %ld\n", (long)old.it_interval.tv_usec);
	v.it_value.tv_usec = 0;
	T(setitimer(ITIMER_PROF, &v, NULL));
	T(setitimer(3, &v, NULL));
	T(getitimer(-1, &old));
	v.it_value.tv_usec = 1000000;
	T(setitimer(ITIMER_VIRTUAL, &v, NULL));
	got = 0;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	struct rlimit r = {ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1, RLIM_INFINITY};
	T(setrlimit(RLIMIT_CPU, &r));
	spin_until_signal();
	SAY("cpu limit got %s\n", got == SIGXCPU ? "SIGXCPU" : "other");
	return 0;
}
