/* ./linux as a host process: start-up, limits, CPU features, exit. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include "host.h"
#include "internal.h"
#include "template.h"

static int ncpus = 1;
static size_t xstate_size = 512;
static uint64_t xfeatures = 3;

static void probe_cpu(void)
{
	unsigned a, b, c, d;
	if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE)) {
		unsigned lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xfeatures = ((uint64_t)hi << 32) | lo;
		__cpuid_count(0xd, 0, a, b, c, d);
		xstate_size = b;
	}
}

static char **saved_argv;

/* A crash of ./linux itself still gives the terminal back. */
static void on_fatal(int sig)
{
	host_channels_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

void host_init(int argc, char **argv)
{
	(void)argc;
	saved_argv = argv;
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
		struct sigaction sa = {.sa_handler = on_fatal, .sa_flags = SA_RESETHAND};
		struct sigaction old;
		/* A sanitizer's handler, if any, keeps its place. */
		if (sigaction(fatal[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(fatal[i], &sa, NULL);
	}
	/* Host signals reach ./linux through the events thread only. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	cpu_set_t cpus;
	if (sched_getaffinity(0, sizeof cpus, &cpus) == 0)
		ncpus = CPU_COUNT(&cpus);
	probe_cpu();
}

int host_cpu_count(void)
{
	return ncpus;
}

size_t host_xstate_size(void)
{
	return xstate_size;
}

uint64_t host_xfeatures(void)
{
	return xfeatures;
}

uint32_t host_hwcap(void)
{
	return (uint32_t)getauxval(AT_HWCAP);
}

uint32_t host_hwcap2(void)
{
	return (uint32_t)getauxval(AT_HWCAP2);
}

void host_restart(void)
{
	host_channels_restore();
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv("/proc/self/exe", saved_argv);
	_exit(1);
}

void host_wait_forever(void)
{
	for (;;)
		pause();
}

void host_exit(int status)
{
	host_channels_restore();
	/* Stubs would die with us anyway, by PTRACE_O_EXITKILL or their
	 * parent-death signal; not those a guest made behind umk's back. */
	template_stop();
	_exit(status);
}
