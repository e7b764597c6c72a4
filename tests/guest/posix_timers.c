/* POSIX timers: create/settime/gettime/getoverrun/delete, SIGEV_SIGNAL,
 * SIGEV_THREAD_ID, SIGEV_NONE, overruns while blocked, stale signals,
 * absolute times, fork and exec, errors. */
#include "t.h"
#include <pthread.h>
#include <stdint.h>
#include <time.h>

static volatile int got, got_tid;
static int last_overrun;
static union sigval last_value;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got++;
	got_tid = (int)syscall(SYS_gettid);
	last_overrun = si->si_overrun;
	last_value = si->si_value;
}

static int64_t now_ns(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct itimerspec its(long value_ms, long interval_ms)
{
	struct itimerspec v = {{interval_ms / 1000, interval_ms % 1000 * 1000000},
			       {value_ms / 1000, value_ms % 1000 * 1000000}};
	return v;
}

static int thread_tid;
static void *thread_main(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	pthread_sigmask(SIG_UNBLOCK, &m, NULL);
	while (!got)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		/* After exec: the timers are gone. */
		struct itimerspec v;
		T(timer_gettime((timer_t)0, &v));
		return 0;
	}
	struct sigaction sa = {0};
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);

	/* Ids count up from 0 in each process. */
	timer_t t0, t1, t;
	int id;
	T(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id));
	SAY("id %d\n", id);
	T(timer_create(CLOCK_MONOTONIC, NULL, &t1));
	SAY("id %ld\n", (long)t1);
	t0 = (timer_t)(long)id;
	T(timer_create(42, NULL, &t));
	T(syscall(SYS_timer_create, CLOCK_MONOTONIC, BADPTR, &id));
	struct sigevent sev = {0};
	sev.sigev_notify = 7;
	T(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 65;
	T(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev._sigev_un._tid = 1;
	T(syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &id));
	T(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, BADPTR));
	T(syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id));
	SAY("id after failures %d\n", id);
	T(timer_delete((timer_t)(long)id));
	T(timer_delete((timer_t)(long)id));
	T(timer_delete((timer_t)12345));

	/* The default notification: SIGALRM with the id as value. */
	struct itimerspec v = its(20, 0), cur;
	int64_t start = now_ns(CLOCK_MONOTONIC);
	T(timer_settime(t0, 0, &v, NULL));
	T(timer_gettime(t0, &cur));
	SAY("left ok %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 &&
				cur.it_value.tv_nsec <= 20000000);
	while (!got)
		pause();
	SAY("got %d not early %d value %d\n", got, now_ns(CLOCK_MONOTONIC) - start >= 20000000,
	    last_value.sival_int);
	T(timer_gettime(t0, &cur));
	SAY("after %ld %ld\n", cur.it_value.tv_sec, cur.it_value.tv_nsec);
	T(timer_settime(t0, 0, BADPTR, NULL));
	v.it_value.tv_nsec = 1000000000;
	T(timer_settime(t0, 0, &v, NULL));
	T(timer_settime((timer_t)999, 0, &v, NULL));
	T(timer_gettime((timer_t)999, &cur));
	T(timer_gettime(t0, BADPTR));
	T(timer_getoverrun((timer_t)999));

	/* SIGEV_SIGNAL with a value; periodic; overruns pile up while blocked. */
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	sev.sigev_value.sival_int = 77;
	T(timer_create(CLOCK_MONOTONIC, &sev, &t));
	sigprocmask(SIG_BLOCK, &m, NULL);
	v = its(10, 10);
	T(timer_settime(t, 0, &v, NULL));
	usleep(105000);
	siginfo_t si;
	T(sigwaitinfo(&m, &si));
	SAY("code %d value %d overrun >= 5: %d getoverrun same %d\n", si.si_code, si.si_int,
	    si.si_overrun >= 5, timer_getoverrun(t) == si.si_overrun);
	T(timer_gettime(t, &cur));
	SAY("interval %ld\n", cur.it_interval.tv_nsec);
	/* Re-arming makes the queued signal stale: it is dropped. */
	usleep(30000);
	v = its(10000, 0);
	T(timer_settime(t, 0, &v, &cur));
	SAY("old interval %ld\n", cur.it_interval.tv_nsec);
	struct timespec zero = {0, 0};
	T(sigtimedwait(&m, &si, &zero));
	/* ... and so is one of a deleted timer. */
	v = its(5, 0);
	T(timer_settime(t, 0, &v, NULL));
	usleep(30000);
	sigset_t pend;
	sigpending(&pend);
	SAY("pending %d\n", sigismember(&pend, SIGUSR1));
	T(timer_delete(t));
	T(sigtimedwait(&m, &si, &zero));

	/* Absolute time on the wall clock. */
	T(timer_create(CLOCK_REALTIME, &sev, &t));
	int64_t when = now_ns(CLOCK_REALTIME) + 30000000;
	v.it_interval.tv_sec = v.it_interval.tv_nsec = 0;
	v.it_value.tv_sec = when / 1000000000;
	v.it_value.tv_nsec = when % 1000000000;
	T(timer_settime(t, TIMER_ABSTIME, &v, NULL));
	T(sigwaitinfo(&m, &si));
	SAY("not early %d\n", now_ns(CLOCK_REALTIME) >= when);
	T(timer_delete(t));

	/* SIGEV_NONE: nothing is sent, the time still runs. */
	sev.sigev_notify = SIGEV_NONE;
	T(timer_create(CLOCK_MONOTONIC, &sev, &t));
	v = its(10, 10);
	T(timer_settime(t, 0, &v, NULL));
	usleep(50000);
	T(timer_gettime(t, &cur));
	SAY("running %d\n", cur.it_value.tv_nsec > 0);
	T(sigtimedwait(&m, &si, &zero));
	T(timer_delete(t));

	/* SIGEV_THREAD_ID: the signal goes to that thread. */
	sigset_t m2;
	sigemptyset(&m2);
	sigaddset(&m2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &m2, NULL);
	got = 0;
	pthread_t th;
	pthread_create(&th, NULL, thread_main, NULL);
	while (!thread_tid)
		usleep(1000);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR2;
	sev._sigev_un._tid = thread_tid;
	T(timer_create(CLOCK_MONOTONIC, &sev, &t));
	v = its(20, 0);
	T(timer_settime(t, 0, &v, NULL));
	pthread_join(th, NULL);
	SAY("thread got it %d\n", got_tid == thread_tid);
	T(timer_delete(t));

	/* CPU-time clocks: the timer fires once enough CPU time was spent. */
	for (int clk = 0; clk < 2; clk++) {
		clockid_t cid = clk ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID;
		sev.sigev_notify = SIGEV_SIGNAL;
		sev.sigev_signo = SIGALRM;
		T(timer_create(cid, &sev, &t));
		v = its(50, 0);
		got = 0;
		struct timespec c0, c1;
		clock_gettime(cid, &c0);
		T(timer_settime(t, 0, &v, NULL));
		T(timer_gettime(t, &cur));
		SAY("armed %d\n", cur.it_value.tv_nsec > 0);
		while (!got)
			; /* spin */
		clock_gettime(cid, &c1);
		int64_t cpu = (c1.tv_sec - c0.tv_sec) * 1000000000LL + c1.tv_nsec - c0.tv_nsec;
		SAY("fired after >= 50ms of cpu %d\n", cpu >= 50000000);
		T(timer_gettime(t, &cur));
		T(timer_delete(t));
	}
	/* Another process's CPU clock (a child's); a thread clock of another
	 * process is refused. */
	pid_t spinner = fork();
	if (spinner == 0) {
		for (;;)
			;
	}
	T(syscall(SYS_timer_create, (clockid_t)(~(unsigned)spinner << 3 | 2), NULL, &id));
	T(syscall(SYS_timer_create, (clockid_t)(~(unsigned)spinner << 3 | 4 | 2), NULL, &id));
	kill(spinner, SIGKILL);
	waitpid(spinner, NULL, 0);

	/* A child has no timers; exec drops them. */
	pid_t c = fork();
	if (c == 0) {
		T(timer_gettime(t1, &cur));
		SAY("child id %d\n", (int)syscall(SYS_timer_create, CLOCK_MONOTONIC, NULL, &id));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	fflush(stdout);
	execl("/proc/self/exe", argv[0], "exec", (char *)NULL);
	return 1;
}
