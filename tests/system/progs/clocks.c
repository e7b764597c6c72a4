/* Prints what a program sees of its clocks: whether it was offered the vDSO
 * and CLOCK_MONOTONIC and CLOCK_BOOTTIME as glibc reads them (through the
 * vDSO where offered), in seconds. */
#include <stdio.h>
#include <sys/auxv.h>
#include <time.h>

static double seconds(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
	printf("vdso %d\n", getauxval(AT_SYSINFO_EHDR) != 0);
	printf("monotonic %.3f\n", seconds(CLOCK_MONOTONIC));
	printf("boottime %.3f\n", seconds(CLOCK_BOOTTIME));
	return 0;
}
