/* execve's argument limits: MAX_ARG_STRLEN per string, a quarter of the
 * stack limit for all strings and pointers; what arrives is complete. */
#include "t.h"
#include <sys/resource.h>

static char self[4096];

static void run(const char *what, char **argv, char **envp)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		execve(self, argv, envp);
		SAY("  %s: %s\n", what, strerrorname_np(errno));
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	if (WIFSIGNALED(st))
		SAY("  %s: killed by %d\n", what, WTERMSIG(st));
	else if (WEXITSTATUS(st) != 127)
		SAY("  %s: ran, exit %d\n", what, WEXITSTATUS(st));
}

static char *filled(size_t n, char c)
{
	char *s = malloc(n + 1);
	memset(s, c, n);
	s[n] = 0;
	return s;
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && !strcmp(argv[1], "child")) {
		/* Report a checksum of what arrived. */
		unsigned long sum = 0, bytes = 0;
		for (int i = 0; i < argc; i++)
			bytes += strlen(argv[i]) + 1;
		for (char **e = envp; *e; e++)
			bytes += strlen(*e) + 1;
		sum = bytes % 251;
		return (int)sum;
	}
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		return 2;
	self[n] = 0;
	/* A known stack limit: 8 MiB, so strings may take 2 MiB. */
	struct rlimit rl;
	getrlimit(RLIMIT_STACK, &rl);
	rl.rlim_cur = 8 << 20;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur) {
		SAY("SKIP: stack hard limit below 8 MiB\n");
		return 0;
	}
	T(setrlimit(RLIMIT_STACK, &rl));
	char *e0[] = {NULL};
	char *a[8];
	a[0] = self;
	a[1] = "child";
	a[3] = NULL;
	a[2] = filled(131071, 'a');
	run("131071-byte arg", a, e0);
	a[2] = filled(131072, 'b');
	run("131072-byte arg", a, e0);
	char *env1[] = {filled(131071, 'c'), NULL};
	a[2] = NULL;
	run("131071-byte env", a, env1);
	char *env2[] = {filled(131072, 'c'), NULL};
	run("131072-byte env", a, env2);
	/* Many strings: 1.5 MiB fits, 2.5 MiB does not. */
	int k = 16;
	char **many = calloc((size_t)k + 3, sizeof *many);
	many[0] = self;
	many[1] = "child";
	for (int i = 0; i < k; i++)
		many[2 + i] = filled(100000, 'd');
	run("1.6 MB of args", many, e0);
	k = 26;
	many = calloc((size_t)k + 3, sizeof *many);
	many[0] = self;
	many[1] = "child";
	for (int i = 0; i < k; i++)
		many[2 + i] = filled(100000, 'e');
	run("2.6 MB of args", many, e0);
	/* Many tiny strings: the pointers count too. */
	k = 200000;
	many = calloc((size_t)k + 3, sizeof *many);
	many[0] = self;
	many[1] = "child";
	for (int i = 0; i < k; i++)
		many[2 + i] = "";
	run("200000 empty args", many, e0);
	k = 300000;
	many = calloc((size_t)k + 3, sizeof *many);
	many[0] = self;
	many[1] = "child";
	for (int i = 0; i < k; i++)
		many[2 + i] = "";
	run("300000 empty args", many, e0);
	/* A smaller stack limit lowers the limit, which stays at least 128 KiB
	 * for the strings, but they must fit a stack of RLIMIT_STACK too. */
	rl.rlim_cur = 512 << 10;
	T(setrlimit(RLIMIT_STACK, &rl));
	a[2] = filled(100000, 'f');
	a[3] = filled(100000, 'g');
	a[4] = NULL;
	run("200 KB with 512 KiB stack", a, e0);
	a[4] = filled(100000, 'h');
	a[5] = NULL;
	run("300 KB with 512 KiB stack", a, e0);
	rl.rlim_cur = 64 << 10;
	T(setrlimit(RLIMIT_STACK, &rl));
	a[2] = filled(60000, 'i');
	a[3] = NULL;
	run("60 KB with 64 KiB stack", a, e0);
	a[2] = filled(70000, 'j');
	run("70 KB with 64 KiB stack", a, e0);
	rl.rlim_cur = 256 << 10;
	T(setrlimit(RLIMIT_STACK, &rl));
	a[2] = filled(100000, 'k');
	a[3] = filled(25000, 'l');
	a[4] = NULL;
	run("125 KB with 256 KiB stack", a, e0);
	a[3] = filled(35000, 'm');
	run("135 KB with 256 KiB stack", a, e0);
	return 0;
}
