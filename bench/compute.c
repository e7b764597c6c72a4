/* The compute-then-syscall pattern: a guest computes for a while, then
 * makes one system call (stat), over and over. Prints, for each length of
 * computation, what each call adds to the loop: "compute_10us 4521 ns/call".
 * Built statically by bench/compute.sh, run natively and inside ./linux. */
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

static volatile unsigned long sink;

static double now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static void compute(long steps)
{
	unsigned long x = sink;
	for (long i = 0; i < steps; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	sink = x;
}

/* ns per iteration of compute(steps), with a stat after each if asked. */
static double loop(long steps, int n, int with_call)
{
	struct stat st;
	double t = now_ns();
	for (int i = 0; i < n; i++) {
		compute(steps);
		if (with_call)
			stat("/", &st);
	}
	return (now_ns() - t) / n;
}

int main(void)
{
	/* About 1, 10 and 100 us of computation per call on this kind of CPU. */
	static const struct {
		const char *name;
		long steps;
		int n;
	} cases[] = {{"compute_1us", 1000, 20000},
		     {"compute_10us", 10000, 10000},
		     {"compute_100us", 100000, 2000}};
	for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
		/* The fastest of a few alternating loops: a loop's noise is
		 * as large as a call's cost at 100 us. */
		double plain = 1e18, called = 1e18;
		for (int k = 0; k < 3; k++) {
			double p = loop(cases[i].steps, cases[i].n, 0);
			double c = loop(cases[i].steps, cases[i].n, 1);
			plain = p < plain ? p : plain;
			called = c < called ? c : called;
		}
		printf("%-16s %8.0f ns/call\n", cases[i].name, called - plain);
	}
	return 0;
}
