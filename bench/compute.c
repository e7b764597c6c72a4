/* The compute-then-syscall pattern: a guest computes for a while, then
 * makes one system call (stat), over and over. Prints, for each length of
 * computation, what each call adds to an iteration: "compute_10us 4521
 * ns/call". Built statically by bench/compute.sh, run natively and inside
 * ./linux. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_ITERS 20000

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

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof *v, by_value);
	return v[n / 2];
}

/* Iterations with and without the call alternate, and each is timed:
 * the medians ignore the iterations another process or an interrupt
 * stretched, whose noise is as large as a call at 100 us. */
static double call_cost(long steps, int n)
{
	static double plain[MAX_ITERS], called[MAX_ITERS];
	struct stat st;
	for (int i = 0; i < n; i++) {
		double t0 = now_ns();
		compute(steps);
		double t1 = now_ns();
		compute(steps);
		stat("/", &st);
		double t2 = now_ns();
		plain[i] = t1 - t0;
		called[i] = t2 - t1;
	}
	return median(called, n) - median(plain, n);
}

int main(void)
{
	/* About 1, 10 and 100 us of computation per call on this kind of CPU. */
	static const struct {
		const char *name;
		long steps;
		int n;
	} cases[] = {{"compute_1us", 1000, MAX_ITERS},
		     {"compute_10us", 10000, 10000},
		     {"compute_100us", 100000, 2000}};
	for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++)
		printf("%-16s %8.0f ns/call\n", cases[i].name,
		       call_cost(cases[i].steps, cases[i].n));
	return 0;
}
