/* mkfiles DIR N [keep]: creates N empty files in DIR, stats each, then
 * (unless "keep") unlinks each; prints each phase's time in ms. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 3 || chdir(argv[1]))
		return 2;
	int n = atoi(argv[2]);
	char name[32];
	double t0 = now_ms();
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "f%07d", i);
		int fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0 || close(fd))
			return perror(name), 1;
	}
	double t1 = now_ms();
	struct stat st;
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "f%07d", i);
		if (stat(name, &st))
			return perror(name), 1;
	}
	double t2 = now_ms();
	if (argc > 3 && !strcmp(argv[3], "keep")) {
		printf("create %.0f stat %.0f\n", t1 - t0, t2 - t1);
		return 0;
	}
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "f%07d", i);
		if (unlink(name))
			return perror(name), 1;
	}
	printf("create %.0f stat %.0f unlink %.0f\n", t1 - t0, t2 - t1, now_ms() - t2);
	return 0;
}
