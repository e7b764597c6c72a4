/* Directory semantics on the scratch filesystem and on tmpfs: set-group-ID
 * directories, the sticky bit, search and write permission, telldir and
 * seekdir, O_NOATIME. */
#include "t.h"
#include <dirent.h>
#include <grp.h>

static void show(const char *p)
{
	struct stat st;
	if (lstat(p, &st))
		SAY("  %s: %s\n", p, strerrorname_np(errno));
	else
		SAY("  %s: mode %o uid %d gid %d\n", p, st.st_mode, st.st_uid, st.st_gid);
}

static void as_user(uid_t uid, void (*fn)(void))
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (setgroups(0, NULL) || setgid(uid) || setuid(uid))
			_exit(2);
		fn();
		_exit(0);
	}
	waitpid(c, NULL, 0);
}

static void user_a(void)
{
	T(close(open("sticky/a-file", O_CREAT | O_WRONLY, 0644)));
	T(mkdir("sgid/a-dir", 0755));
	T(close(open("sgid/a-file", O_CREAT | O_WRONLY, 0644)));
}

static void user_b(void)
{
	T(unlink("sticky/a-file"));
	T(rename("sticky/a-file", "sticky/b-name"));
	T(close(open("sticky/b-file", O_CREAT | O_WRONLY, 0644)));
	T(unlink("sticky/b-file"));
	T(open("sticky/root-file", O_WRONLY | O_TRUNC));
	T(open("sticky/root-file", O_RDONLY | O_NOATIME));
	int fd = T(open("sticky/root-file", O_RDONLY));
	T(fcntl(fd, F_SETFL, O_NOATIME));
	fd = T(open("sticky/b-own", O_CREAT | O_RDONLY | O_NOATIME, 0600));
	T(fcntl(fd, F_SETFL, O_NOATIME));
	T(unlink("sticky/b-own"));
	T(mkdir("closed/x", 0755));
	T(open("noexec/f", O_RDONLY));
	T(open("nowrite/new", O_CREAT | O_WRONLY, 0644));
	T(unlink("nowrite/f"));
	T(rmdir("nowrite"));
	T(access("noexec", R_OK));
	DIR *d = opendir("noexec");
	SAY("  list noexec %s\n", d ? "ok" : strerrorname_np(errno));
	if (d)
		closedir(d);
	d = opendir("closed");
	SAY("  list closed %s\n", d ? "ok" : strerrorname_np(errno));
}

static void test_in(const char *dir)
{
	SAY(" in %s\n", strncmp(dir, "/dev/shm", 8) ? "scratch" : "tmpfs");
	if (chdir(dir))
		exit(3);
	umask(022);
	T(chmod(".", 0755));
	T(mkdir("sgid", 02777));
	T(chown("sgid", 0, 4321));
	T(chmod("sgid", 02777));
	show("sgid");
	T(mkdir("sticky", 01777));
	T(chmod("sticky", 01777));
	T(close(open("sticky/root-file", O_CREAT | O_WRONLY, 0666)));
	T(chmod("sticky/root-file", 0666));
	T(mkdir("closed", 0700));
	T(mkdir("noexec", 0744));
	T(close(open("noexec/f", O_CREAT | O_WRONLY, 0644)));
	T(mkdir("nowrite", 0755));
	T(close(open("nowrite/f", O_CREAT | O_WRONLY, 0644)));
	T(chmod("nowrite", 0555));
	as_user(1000, user_a);
	show("sgid/a-dir");
	show("sgid/a-file");
	show("sticky/a-file");
	as_user(2000, user_b);
	show("sticky/a-file");
	/* Root may do all of it. */
	T(unlink("sticky/a-file"));
	/* telldir and seekdir: going back replays the same names. */
	for (int i = 0; i < 30; i++) {
		char n[32];
		snprintf(n, sizeof n, "nowrite/entry%02d", i);
		if (close(open(n, O_CREAT | O_WRONLY, 0644)))
			SAY("  create %s failed\n", n);
	}
	DIR *d = opendir("nowrite");
	struct dirent *e;
	for (int i = 0; i < 10; i++)
		readdir(d);
	long pos = telldir(d);
	static char names1[20][256], names2[20][256];
	for (int i = 0; i < 20 && (e = readdir(d)); i++)
		snprintf(names1[i], 256, "%.255s", e->d_name);
	seekdir(d, pos);
	int same = 1;
	for (int i = 0; i < 20 && (e = readdir(d)); i++) {
		snprintf(names2[i], 256, "%.255s", e->d_name);
		same &= !strcmp(names1[i], names2[i]);
	}
	SAY("  seekdir replays %d\n", same);
	rewinddir(d);
	int n = 0;
	while (readdir(d))
		n++;
	SAY("  rewound: %d entries\n", n);
	closedir(d);
	T(chdir("/"));
}

int main(void)
{
	const char *d = scratch("dir_perms");
	char scratch_dir[4096];
	snprintf(scratch_dir, sizeof scratch_dir, "%s", d);
	test_in(scratch_dir);
	char shm[4096];
	snprintf(shm, sizeof shm, "%s", shm_scratch("dir_perms"));
	test_in(shm);
	scratch_remove(shm);
	return 0;
}
