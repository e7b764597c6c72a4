/* /proc/self: exe, fd (listing and links), cmdline, cwd, and /proc/PID for
 * a child; /dev/fd is /proc/self/fd. */
#include "t.h"
#include <dirent.h>

static int cmp(const void *a, const void *b)
{
	return atoi(*(char *const *)a) - atoi(*(char *const *)b);
}

static void list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d) {
		SAY("  opendir: %s\n", strerrorname_np(errno));
		return;
	}
	char *names[64];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 64)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	int self = dirfd(d);
	qsort(names, n, sizeof *names, cmp);
	SAY("  fds:");
	for (int i = 0; i < n; i++)
		SAY(" %s%s", names[i], atoi(names[i]) == self ? "(dir)" : "");
	SAY("\n");
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		/* Run with a known command line: show it as /proc sees it. */
		char buf[256];
		int fd = open("/proc/self/cmdline", O_RDONLY);
		ssize_t n = read(fd, buf, sizeof buf);
		SAY("  cmdline %zd bytes:", n);
		for (ssize_t i = 0; i < n; i++)
			SAY("%c", buf[i] ? buf[i] : '|');
		SAY("\n");
		return 0;
	}
	const char *d = scratch("proc_self");
	if (chdir(d))
		return 1;
	char buf[4096], self[4096];
	/* exe: the absolute path of this program. */
	ssize_t n = T(readlink("/proc/self/exe", self, sizeof self - 1) > 0);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n] = 0;
	SAY("  exe matches argv[0] %d\n", strcmp(self, argv[0]) == 0);
	struct stat a, b;
	T(stat("/proc/self/exe", &a));
	T(stat(argv[0], &b));
	SAY("  exe is the same file %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	T(lstat("/proc/self/exe", &a));
	SAY("  exe is a link %d\n", S_ISLNK(a.st_mode));
	/* /proc/self is our pid. */
	n = readlink("/proc/self", buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("  /proc/self -> pid %d\n", atoi(buf) == getpid());
	/* fd: 0, 1, 2 plus what we open. */
	list_fds();
	int f = T(open("file", O_CREAT | O_RDWR, 0644));
	int p[2];
	T(pipe(p));
	list_fds();
	char path[4200];
	snprintf(path, sizeof path, "/proc/self/fd/%d", f);
	n = readlink(path, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("  fd link ends in /proc_self/file: %d\n",
	    n > 0 && strlen(buf) > 15 && !strcmp(buf + strlen(buf) - 15, "/proc_self/file"));
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	n = readlink(path, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("  pipe link starts with pipe:[ %d\n", !strncmp(buf, "pipe:[", 6));
	/* Opening through the link reopens the file (a new open file). */
	T(write(f, "hello", 5));
	snprintf(path, sizeof path, "/proc/self/fd/%d", f);
	int g = T(open(path, O_RDONLY));
	memset(buf, 0, 16);
	T(read(g, buf, 16));
	SAY("  read %s, offsets independent %d\n", buf, lseek(f, 0, SEEK_CUR) == 5);
	/* Even after unlink. */
	T(unlink("file"));
	n = readlink(path, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("  deleted: %d\n", n > 10 && !strcmp(buf + n - 10, " (deleted)"));
	int h = T(open(path, O_RDONLY));
	T(pread(h, buf, 5, 0));
	/* /dev/fd/N and /dev/stdin-like names. */
	snprintf(path, sizeof path, "/dev/fd/%d", p[1]);
	int w = T(open(path, O_WRONLY));
	T(write(w, "via dev fd", 10));
	memset(buf, 0, 16);
	T(read(p[0], buf, 10));
	SAY("  %s\n", buf);
	T(open("/proc/self/fd/99", O_RDONLY));
	T(open("/dev/fd/99", O_RDONLY));
	/* Magic links lead where the process is: root, cwd, a directory fd. */
	n = readlink("/proc/self/root", buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("  root -> %s\n", buf);
	snprintf(path, sizeof path, "/proc/self/root%s", d);
	T(stat(path, &a));
	T(stat(".", &b));
	SAY("  root/scratch is scratch %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	T(stat("/proc/self/cwd/.", &a));
	SAY("  cwd/. is . %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	T(mkdir("sub", 0755));
	T(close(open("sub/inner", O_CREAT | O_WRONLY, 0644)));
	int dfd = T(open("sub", O_RDONLY | O_DIRECTORY));
	snprintf(path, sizeof path, "/proc/self/fd/%d/inner", dfd);
	T(access(path, F_OK));
	snprintf(path, sizeof path, "/proc/self/fd/%d/../sub/inner", dfd);
	T(access(path, F_OK));
	T(rename("sub", "moved"));
	snprintf(path, sizeof path, "/proc/self/fd/%d/inner", dfd);
	T(access(path, F_OK));
	snprintf(path, sizeof path, "/proc/self/fd/%d", dfd);
	n = readlink(path, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("  follows the rename %d\n", n > 6 && !strcmp(buf + n - 6, "/moved"));
	T(close(dfd));
	/* cwd link. */
	n = readlink("/proc/self/cwd", buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("  cwd is scratch %d\n", strcmp(buf, d) == 0);
	/* cmdline of a child with a known argv. */
	pid_t c = fork();
	if (c == 0) {
		execl(self, self, "x", "", "last arg", (char *)NULL);
		_exit(127);
	}
	waitpid(c, NULL, 0);
	/* /proc/PID of a child: exists while it lives; its exe and cmdline. */
	c = fork();
	if (c == 0) {
		execl("/bin/sleep", "sleep", "1", (char *)NULL);
		_exit(127);
	}
	usleep(200000);
	snprintf(path, sizeof path, "/proc/%d/cmdline", c);
	int cf = T(open(path, O_RDONLY));
	memset(buf, 0, 32);
	n = T(read(cf, buf, 32));
	SAY("  child cmdline %s|%s\n", buf, buf + strlen(buf) + 1);
	snprintf(path, sizeof path, "/proc/%d/exe", c);
	n = readlink(path, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("  child exe ends in sleep %d\n", n > 5 && !strcmp(buf + n - 5, "sleep"));
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	snprintf(path, sizeof path, "/proc/%d", c);
	T(stat(path, &a));
	return 0;
}
