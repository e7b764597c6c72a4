/* Which operations change atime, mtime and ctime of files and directories
 * (relations only), on the scratch filesystem and on tmpfs. */
#include "t.h"
#include <dirent.h>
#include <sys/xattr.h>
#include <time.h>

struct ts3 {
	struct timespec a, m, c;
};

static struct ts3 get(const char *p)
{
	struct stat st;
	struct ts3 t = {{0, 0}, {0, 0}, {0, 0}};
	if (lstat(p, &st) == 0) {
		t.a = st.st_atim;
		t.m = st.st_mtim;
		t.c = st.st_ctim;
	}
	return t;
}

static int cmp(struct timespec x, struct timespec y)
{
	if (x.tv_sec != y.tv_sec)
		return x.tv_sec < y.tv_sec ? -1 : 1;
	return x.tv_nsec < y.tv_nsec ? -1 : x.tv_nsec > y.tv_nsec;
}

/* What changed since before: a, m, c or '-'. */
static void changed(const char *what, const char *p, struct ts3 before)
{
	struct ts3 now = get(p);
	SAY("  %-22s %s: %c%c%c\n", what, p, cmp(now.a, before.a) ? 'a' : '-',
	    cmp(now.m, before.m) ? 'm' : '-', cmp(now.c, before.c) ? 'c' : '-');
}

static void tick(void)
{
	usleep(30000);
}

static void test_in(const char *dir)
{
	SAY(" in %s\n", strncmp(dir, "/dev/shm", 8) ? "scratch" : "tmpfs");
	if (chdir(dir))
		exit(3);
	T(mkdir("d", 0755));
	struct ts3 d0 = get("d");
	tick();
	int fd = open("d/f", O_CREAT | O_RDWR, 0644);
	struct ts3 f = get("d/f");
	SAY("  new file: a==m %d m==c %d\n", !cmp(f.a, f.m), !cmp(f.m, f.c));
	changed("create in", "d", d0);
	tick();
	f = get("d/f");
	if (write(fd, "data", 4) != 4)
		exit(4);
	changed("write", "d/f", f);
	tick();
	f = get("d/f");
	char buf[8];
	if (pread(fd, buf, 4, 0) != 4)
		exit(4);
	changed("read (relatime)", "d/f", f);
	tick();
	f = get("d/f");
	if (pread(fd, buf, 4, 0) != 4)
		exit(4);
	changed("second read", "d/f", f);
	tick();
	f = get("d/f");
	if (write(fd, "", 0) != 0)
		exit(4);
	changed("empty write", "d/f", f);
	tick();
	f = get("d/f");
	T(fchmod(fd, 0600));
	changed("chmod", "d/f", f);
	tick();
	f = get("d/f");
	T(fchown(fd, 5, 5));
	changed("chown", "d/f", f);
	tick();
	f = get("d/f");
	T(ftruncate(fd, 100));
	changed("truncate", "d/f", f);
	tick();
	f = get("d/f");
	d0 = get("d");
	T(link("d/f", "d/g"));
	changed("link", "d/f", f);
	changed("link in", "d", d0);
	tick();
	f = get("d/f");
	d0 = get("d");
	T(rename("d/g", "d/h"));
	changed("rename", "d/f", f);
	changed("rename in", "d", d0);
	tick();
	f = get("d/f");
	d0 = get("d");
	T(unlink("d/h"));
	changed("unlink other name", "d/f", f);
	changed("unlink in", "d", d0);
	tick();
	d0 = get("d");
	struct ts3 top = get(".");
	T(mkdir("d/sub", 0755));
	changed("mkdir in", "d", d0);
	changed("(grandparent)", ".", top);
	tick();
	d0 = get("d");
	DIR *dp = opendir("d");
	while (readdir(dp))
		;
	closedir(dp);
	changed("readdir", "d", d0);
	T(close(fd));
	T(chdir("/"));
}

int main(void)
{
	const char *d = scratch("timestamps");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", d);
	test_in(dir);
	char shm[4096];
	snprintf(shm, sizeof shm, "%s", shm_scratch("timestamps"));
	test_in(shm);
	scratch_remove(shm);
	return 0;
}
