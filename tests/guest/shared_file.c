/* Several processes on one file: O_APPEND writes never overwrite each
 * other, sizes and SEEK_END see the others' writes, a shared offset moves
 * for all holders of the open file; on the scratch filesystem and tmpfs. */
#include "t.h"

static void test_in(const char *dir)
{
	SAY(" in %s\n", strncmp(dir, "/dev/shm", 8) ? "scratch" : "tmpfs");
	if (chdir(dir))
		exit(3);
	enum { KIDS = 4, LINES = 300 };
	for (int k = 0; k < KIDS; k++) {
		if (fork() == 0) {
			int fd = open("log", O_CREAT | O_WRONLY | O_APPEND, 0644);
			char line[64];
			for (int i = 0; i < LINES; i++) {
				int n = snprintf(line, sizeof line, "kid %d line %03d ..........\n",
						 k, i);
				if (write(fd, line, (size_t)n) != n)
					_exit(1);
			}
			_exit(0);
		}
	}
	int ok = 1, st;
	for (int k = 0; k < KIDS; k++) {
		wait(&st);
		ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	struct stat s;
	T(stat("log", &s));
	SAY("  writers ok %d size %lld\n", ok, (long long)s.st_size);
	/* Every line intact, each kid's lines in order. */
	FILE *f = fopen("log", "r");
	char line[128];
	int next[KIDS] = {0}, bad = 0, count = 0;
	while (fgets(line, sizeof line, f)) {
		int k, i;
		if (sscanf(line, "kid %d line %d ..........", &k, &i) != 2 || k < 0 || k >= KIDS ||
		    i != next[k]++)
			bad++;
		count++;
	}
	fclose(f);
	SAY("  lines %d bad %d\n", count, bad);
	/* Another process's write moves SEEK_END and fstat for us. */
	int fd = T(open("log", O_RDONLY));
	T(lseek(fd, 0, SEEK_END) == s.st_size);
	pid_t c = fork();
	if (c == 0) {
		int w = open("log", O_WRONLY | O_APPEND);
		_exit(write(w, "tail\n", 5) == 5 ? 0 : 1);
	}
	waitpid(c, NULL, 0);
	T(lseek(fd, 0, SEEK_END) - s.st_size);
	struct stat s2;
	T(fstat(fd, &s2));
	SAY("  grew by %lld\n", (long long)(s2.st_size - s.st_size));
	/* A shared offset (inherited fd): reads by parent and child interleave. */
	T(lseek(fd, 0, SEEK_SET));
	c = fork();
	if (c == 0) {
		char b[10];
		_exit(read(fd, b, 10) == 10 ? 0 : 1);
	}
	waitpid(c, NULL, 0);
	T(lseek(fd, 0, SEEK_CUR));
	T(close(fd));
	T(unlink("log"));
	T(chdir("/"));
}

int main(void)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", scratch("shared_file"));
	test_in(dir);
	char shm[4096];
	snprintf(shm, sizeof shm, "%s", shm_scratch("shared_file"));
	test_in(shm);
	scratch_remove(shm);
	return 0;
}
