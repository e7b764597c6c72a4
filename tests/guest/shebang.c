/* #! scripts: whitespace, the single optional argument, long lines,
 * CR line ends, nesting limits, a directory or a missing interpreter. */
#include "t.h"

static char self[4096];

static void put(const char *name, const char *text)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		exit(2);
	close(fd);
}

static void run(const char *script)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		char *argv[] = {"name", "a1", NULL};
		char *envp[] = {NULL};
		execve(script, argv, envp);
		SAY("  %s: %s\n", script, strerrorname_np(errno));
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--show")) {
		SAY("  argv:");
		for (int i = 2; i < argc; i++)
			SAY(" [%s]", argv[i]);
		SAY("\n");
		return 0;
	}
	if (argc > 1) {
		SAY("  interpreter got [%s] first\n", argv[1]);
		return 0;
	}
	const char *d = scratch("shebang");
	if (chdir(d))
		return 1;
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		return 2;
	self[n] = 0;
	char s[8192];
	snprintf(s, sizeof s, "#!%s --show\n", self);
	put("plain", s);
	run("./plain");
	snprintf(s, sizeof s, "#!\t %s \t --show \t\n", self);
	put("tabs", s);
	run("./tabs");
	snprintf(s, sizeof s, "#!%s --show one two\n", self);
	put("twoargs", s);
	run("./twoargs");
	snprintf(s, sizeof s, "#!%s\n", self);
	put("noarg", s);
	run("./noarg");
	snprintf(s, sizeof s, "#!%s --show\r\n", self);
	put("crlf", s);
	run("./crlf");
	snprintf(s, sizeof s, "#!%s\r\n", self);
	put("crlf2", s);
	run("./crlf2");
	/* A first line longer than Linux's 256-byte buffer. */
	char longarg[400];
	memset(longarg, 'x', sizeof longarg - 1);
	longarg[sizeof longarg - 1] = 0;
	snprintf(s, sizeof s, "#!%s --show%s\n", self, longarg);
	put("longarg", s);
	run("./longarg");
	snprintf(s, sizeof s, "#!%s %s\n", self, longarg);
	put("longarg2", s);
	run("./longarg2");
	snprintf(s, sizeof s, "#!/%s/%s\n", longarg, "x");
	put("longinterp", s);
	run("./longinterp");
	put("nothing", "#!");
	run("./nothing");
	put("spaces", "#!   \n");
	run("./spaces");
	put("dir", "#!/\n");
	run("./dir");
	put("missing", "#!/no/such/interpreter arg\n");
	run("./missing");
	put("relative", "#!plain\n");
	run("./relative");
	/* Nesting: script -> script -> ... more than Linux allows. */
	put("n0", s);
	snprintf(s, sizeof s, "#!%s --show\n", self);
	put("n0", s);
	for (int i = 1; i <= 6; i++) {
		char name[16];
		snprintf(name, sizeof name, "n%d", i);
		snprintf(s, sizeof s, "#!./n%d\n", i - 1);
		put(name, s);
	}
	run("./n3");
	run("./n4");
	run("./n5");
	run("./n6");
	/* A script that names itself. */
	put("self", "#!./self\n");
	run("./self");
	/* Not executable scripts, and an interpreter that is not executable. */
	snprintf(s, sizeof s, "#!%s --show\n", self);
	put("noexec", s);
	chmod("noexec", 0644);
	run("./noexec");
	put("badinterp", "#!./noexec\n");
	run("./badinterp");
	return 0;
}
