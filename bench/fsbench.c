/*
 * File-system workloads, timed from inside the system under test (native,
 * umk or UML). Each prints "name milliseconds".
 *   fsbench files DIR N       create, stat and unlink N empty files
 *   fsbench write FILE MB     write MB MiB sequentially (1 MiB writes), fsync
 *   fsbench read FILE         read it back (1 MiB reads)
 *   fsbench run NAME CMD...   run a command (then syncfs of the directory)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int files(const char *dir, int n)
{
	char name[64];
	if (chdir(dir))
		return perror(dir), 1;
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
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "f%07d", i);
		if (unlink(name))
			return perror(name), 1;
	}
	double t3 = now_ms();
	printf("create-%d %.0f\nstat-%d %.0f\nunlink-%d %.0f\n", n, t1 - t0, n, t2 - t1, n,
	       t3 - t2);
	return 0;
}

static char buf[1 << 20];

static int write_file(const char *path, int mb)
{
	memset(buf, 'x', sizeof buf);
	double t0 = now_ms();
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		return perror(path), 1;
	for (int i = 0; i < mb; i++)
		if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
			return perror("write"), 1;
	if (fsync(fd) || close(fd))
		return perror("fsync"), 1;
	printf("write-%dMiB %.0f\n", mb, now_ms() - t0);
	return 0;
}

static int read_file(const char *path)
{
	double t0 = now_ms();
	int fd = open(path, O_RDONLY);
	long n, total = 0;
	if (fd < 0)
		return perror(path), 1;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += n;
	close(fd);
	printf("read-%ldMiB %.0f\n", total >> 20, now_ms() - t0);
	return n < 0;
}

static int run(char **argv)
{
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	int fd = open(".", O_RDONLY | O_DIRECTORY);
	syncfs(fd);
	close(fd);
	printf("%s %.0f\n", argv[0], now_ms() - t0);
	return !WIFEXITED(st) || WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 4 && !strcmp(argv[1], "files"))
		return files(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "write"))
		return write_file(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "read"))
		return read_file(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "run"))
		return run(argv + 2);
	fprintf(stderr,
		"usage: fsbench files DIR N | write FILE MB | read FILE | run NAME CMD...\n");
	return 2;
}
