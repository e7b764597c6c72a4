/* Removing entries while reading a directory (as rm -r does) visits every
 * entry exactly once; entries added meanwhile may or may not show, but
 * nothing is seen twice. On the scratch filesystem and on tmpfs. */
#include "t.h"
#include <dirent.h>

static void test_in(const char *dir)
{
	SAY(" in %s\n", strncmp(dir, "/dev/shm", 8) ? "scratch" : "tmpfs");
	if (chdir(dir))
		exit(3);
	T(mkdir("d", 0755));
	enum { N = 600 };
	for (int i = 0; i < N; i++) {
		char n[64];
		snprintf(n, sizeof n, "d/file-with-a-longish-name-%04d", i);
		if (close(open(n, O_CREAT | O_WRONLY, 0644)))
			exit(4);
	}
	static char seen[N];
	memset(seen, 0, sizeof seen);
	DIR *dp = opendir("d");
	int dfd = dirfd(dp);
	struct dirent *e;
	int removed = 0, twice = 0, added = 0;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		int k = -1;
		if (sscanf(e->d_name, "file-with-a-longish-name-%d", &k) == 1 && k >= 0 && k < N) {
			twice += seen[k]++;
			if (unlinkat(dfd, e->d_name, 0) == 0)
				removed++;
		}
		if (removed % 100 == 50 && added < 5) {
			char n[64];
			snprintf(n, sizeof n, "d/new-%d", added++);
			close(open(n, O_CREAT | O_WRONLY, 0644));
		}
	}
	closedir(dp);
	int missed = 0;
	for (int i = 0; i < N; i++)
		missed += !seen[i];
	SAY("  removed %d, seen twice %d, missed %d\n", removed, twice, missed);
	for (int i = 0; i < added; i++) {
		char n[64];
		snprintf(n, sizeof n, "d/new-%d", i);
		unlink(n);
	}
	T(rmdir("d"));
	T(chdir("/"));
}

int main(void)
{
	const char *d = scratch("readdir_unlink");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", d);
	test_in(dir);
	char shm[4096];
	snprintf(shm, sizeof shm, "%s", shm_scratch("readdir_unlink"));
	test_in(shm);
	scratch_remove(shm);
	return 0;
}
