/* Odd file names on the scratch filesystem and on tmpfs: 255 bytes (and
 * 256), control characters, bytes above 127, spaces, backslashes, names
 * like "..." ; PATH_MAX limits. */
#include "t.h"
#include <dirent.h>
#include <limits.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_in(const char *dir)
{
	SAY(" in %s\n", strncmp(dir, "/dev/shm", 8) ? "scratch" : "tmpfs");
	if (chdir(dir))
		exit(3);
	char n255[256], n256[257];
	memset(n255, 'n', 255);
	n255[255] = 0;
	memset(n256, 'n', 256);
	n256[256] = 0;
	T(close(open(n255, O_CREAT | O_WRONLY, 0644)));
	T(open(n256, O_CREAT | O_WRONLY, 0644));
	T(mkdir(n256, 0755));
	T(symlink("x", n256));
	T(rename(n255, n256));
	T(access(n255, F_OK));
	const char *odd[] = {"with space",   "new\nline",   "tab\there", "\x01\x02\x7f",
			     "\xff\xfe\x80", "back\\slash", "...",	 "-dash",
			     "é-utf8",	     "a:b;c|d"};
	for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
		if (close(open(odd[i], O_CREAT | O_WRONLY, 0644)))
			SAY("  create %zu: %s\n", i, strerrorname_np(errno));
		struct stat st;
		if (stat(odd[i], &st))
			SAY("  stat %zu: %s\n", i, strerrorname_np(errno));
	}
	DIR *d = opendir(".");
	char *names[64];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 64)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, cmp);
	for (int i = 0; i < n; i++) {
		SAY("  ");
		for (const unsigned char *p = (const unsigned char *)names[i];
		     *p && p - (const unsigned char *)names[i] < 20; p++)
			SAY(*p >= 32 && *p < 127 ? "%c" : "\\x%02x", *p);
		SAY(" (%zu)\n", strlen(names[i]));
		unlink(names[i]);
	}
	/* A path of exactly PATH_MAX - 1 bytes is looked up, PATH_MAX is not. */
	static char path[PATH_MAX + 2];
	memset(path, 0, sizeof path);
	for (int i = 0; i < PATH_MAX - 1; i++)
		path[i] = i % 2 ? '/' : '.';
	path[PATH_MAX - 2] = '.';
	T(access(path, F_OK));
	path[PATH_MAX - 1] = '/';
	T(access(path, F_OK));
	T(chdir("/"));
}

int main(void)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", scratch("names"));
	test_in(dir);
	char shm[4096];
	snprintf(shm, sizeof shm, "%s", shm_scratch("names"));
	test_in(shm);
	scratch_remove(shm);
	return 0;
}
