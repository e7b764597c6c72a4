/* execve: argv and envp passing, ENOENT, EACCES, ENOEXEC, ENOTDIR, EFAULT,
 * #! scripts with an argument, close-on-exec, what exec keeps and resets. */
#include "t.h"

extern char **environ;

static void run(char *path, char **argv, char **envp)
{
	const char *label = path == BADPTR ? "BADPTR" : path;
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		execve(path, argv, envp);
		SAY("  execve %s: %s\n", label[0] == '/' ? "(absolute)" : label,
		    strerrorname_np(errno));
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  -> exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
}

static void put(const char *name, const char *text, mode_t mode)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, mode);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		exit(2);
	close(fd);
	chmod(name, mode);
}

static volatile int handled;
static void on_usr1(int s)
{
	(void)s;
	handled = 1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strncmp(argv[1], "show", 4)) {
		SAY("  argc %d:", argc);
		for (int i = 1; i < argc; i++)
			SAY(" [%s]", argv[i]);
		SAY("\n  env:");
		for (char **e = environ; *e; e++)
			SAY(" [%s]", *e);
		SAY("\n");
		/* fd 5 was close-on-exec, fd 6 not. */
		SAY("  fd5 %s fd6 %s\n", fcntl(5, F_GETFD) < 0 ? strerrorname_np(errno) : "open",
		    fcntl(6, F_GETFD) < 0 ? strerrorname_np(errno) : "open");
		/* A handled signal is reset to default, an ignored one stays. */
		struct sigaction sa;
		sigaction(SIGUSR1, NULL, &sa);
		SAY("  USR1 %s", sa.sa_handler == SIG_DFL ? "default" : "other");
		sigaction(SIGUSR2, NULL, &sa);
		SAY(" USR2 %s", sa.sa_handler == SIG_IGN ? "ignored" : "other");
		sigset_t m;
		sigprocmask(SIG_SETMASK, NULL, &m);
		SAY(" HUP blocked %d\n", sigismember(&m, SIGHUP));
		return 3;
	}
	const char *d = scratch("execve");
	if (chdir(d))
		return 1;
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		return 2;
	self[n] = 0;
	/* fd 5 close-on-exec, fd 6 inherited; signal state. */
	T(dup3(1, 5, O_CLOEXEC));
	T(dup2(1, 6));
	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGHUP);
	sigprocmask(SIG_BLOCK, &m, NULL);
	char *a1[] = {"name", "show", "one", "", "three with spaces", NULL};
	char *e1[] = {"A=1", "B=", "C=x=y", NULL};
	run(self, a1, e1);
	char *e0[] = {NULL};
	char *a2[] = {"name", "show", NULL};
	run(self, a2, e0);
	/* Errors. */
	run("/nonexistent", a2, e0);
	run("/etc/passwd/x", a2, e0);
	run("/", a2, e0);
	put("noexec", "#!/bin/sh\nexit 0\n", 0644);
	run("noexec", a2, e0);
	put("garbage", "this is not a program\n", 0755);
	run("./garbage", a2, e0);
	put("empty", "", 0755);
	run("./empty", a2, e0);
	put("shortelf", "\177ELF\2\1\1", 0755);
	run("./shortelf", a2, e0);
	run("", a2, e0);
	run(BADPTR, a2, e0);
	run(self, BADPTR, e0);
	run(self, a2, BADPTR);
	char *abad[] = {"name", BADPTR, NULL};
	run(self, abad, e0);
	/* #! scripts: interpreter, one optional argument, the script path. */
	char s1[5000];
	snprintf(s1, sizeof s1, "#!%s show\n", self);
	put("script", s1, 0755);
	char *a3[] = {"script-name", "arg1", "arg2", NULL};
	run("./script", a3, e1);
	snprintf(s1, sizeof s1, "#! %s   show  two words  \n", self);
	put("script2", s1, 0755);
	run("./script2", a3, e1);
	put("script3", "#!/nonexistent/interp\n", 0755);
	run("./script3", a3, e1);
	put("script4", "#!./script\n", 0755);
	run("./script4", a3, e1);
	put("script5", "#!\n", 0755);
	run("./script5", a3, e1);
	put("sh-script", "#!/bin/sh\necho \"  sh says $0 $1\"\nexit 6\n", 0755);
	char *a4[] = {"x", "first", NULL};
	run("./sh-script", a4, e1);
	/* E2BIG: one huge argument. */
	static char huge[200000];
	memset(huge, 'a', sizeof huge - 1);
	char *a5[] = {"name", "show", huge, NULL};
	run(self, a5, e0);
	return 0;
}
