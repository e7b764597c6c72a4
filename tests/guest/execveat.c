/* execveat: relative to a directory fd, AT_EMPTY_PATH on a program fd
 * (fexecve), AT_SYMLINK_NOFOLLOW, errors. */
#include "t.h"

static void run(int dfd, const char *path, int flags)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char *argv[] = {"prog", "child", NULL};
		char *envp[] = {"X=1", NULL};
		syscall(SYS_execveat, dfd, path, argv, envp, flags);
		SAY("  execveat: %s\n", strerrorname_np(errno));
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  -> exit %d\n", WEXITSTATUS(st));
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		SAY("  child runs, X=%s\n", getenv("X"));
		return 5;
	}
	const char *d = scratch("execveat");
	if (chdir(d))
		return 1;
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		return 2;
	self[n] = 0;
	T(symlink(self, "link"));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	run(dfd, "link", 0);
	run(dfd, "link", AT_SYMLINK_NOFOLLOW);
	run(AT_FDCWD, self, 0);
	run(-1, self, 0);
	run(-1, "link", 0);
	int pfd = T(open(self, O_PATH));
	run(pfd, "", AT_EMPTY_PATH);
	run(pfd, "", 0);
	int rfd = T(open(self, O_RDONLY | O_CLOEXEC));
	run(rfd, "", AT_EMPTY_PATH);
	T(fcntl(rfd, F_SETFD, 0));
	run(rfd, "", AT_EMPTY_PATH);
	run(dfd, "link", 0x1);
	run(dfd, "", AT_EMPTY_PATH);
	/* fexecve (glibc uses execveat with AT_EMPTY_PATH). */
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char *av[] = {"prog", "child", NULL};
		char *ev[] = {"X=fexecve", NULL};
		fexecve(rfd, av, ev);
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  -> exit %d\n", WEXITSTATUS(st));
	return 0;
}
