/* posix_spawn and posix_spawnp: success, exit status, a missing program or a
 * bad file action reported as the errno, file actions, attributes. */
#include "t.h"
#include <spawn.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc > 1) {
		char buf[32] = {0};
		ssize_t n = read(0, buf, sizeof buf - 1);
		SAY("  child %s read %zd [%s] env %s\n", argv[1], n, buf,
		    getenv("SPAWNED") ? getenv("SPAWNED") : "-");
		sigset_t m;
		sigprocmask(SIG_SETMASK, NULL, &m);
		SAY("  child USR1 blocked %d, USR2 %s\n", sigismember(&m, SIGUSR1),
		    signal(SIGUSR2, SIG_DFL) == SIG_IGN ? "ignored" : "default");
		return 4;
	}
	const char *d = scratch("posix_spawn");
	if (chdir(d))
		return 1;
	pid_t pid;
	int st;
	char *args[] = {argv[0], "plain", NULL};
	char *env[] = {"SPAWNED=yes", NULL};
	int r = posix_spawn(&pid, argv[0], NULL, NULL, args, env);
	T(waitpid(pid, &st, 0) == pid);
	SAY("  spawned: %s\n", strerrorname_np(r));
	SAY("  status %d\n", WEXITSTATUS(st));
	/* A missing program: posix_spawn returns the error, no child remains. */
	char *margs[] = {"nope", NULL};
	r = posix_spawn(&pid, "/nonexistent/nope", NULL, NULL, margs, environ);
	SAY("  missing: %s\n", strerrorname_np(r));
	T(waitpid(-1, &st, WNOHANG));
	r = posix_spawnp(&pid, "no-such-program-anywhere", NULL, NULL, margs, environ);
	SAY("  missing in PATH: %s\n", strerrorname_np(r));
	T(waitpid(-1, &st, WNOHANG));
	/* Not executable. */
	T(close(open("plain", O_CREAT | O_WRONLY, 0644)));
	r = posix_spawn(&pid, "plain", NULL, NULL, margs, environ);
	SAY("  not executable: %s\n", strerrorname_np(r));
	T(waitpid(-1, &st, WNOHANG));
	/* posix_spawnp searches PATH. */
	setenv("PATH", "/usr/bin:/bin", 1);
	char *targs[] = {"true", NULL};
	T(posix_spawnp(&pid, "true", NULL, NULL, targs, environ));
	T(waitpid(pid, &st, 0) == pid);
	SAY("  true status %d\n", WEXITSTATUS(st));
	/* File actions: stdin from a file; a failing action is the error. */
	int fd = T(open("input", O_CREAT | O_WRONLY, 0644));
	T(write(fd, "from file", 9));
	T(close(fd));
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "input", O_RDONLY, 0);
	char *aargs[] = {argv[0], "actions", NULL};
	r = posix_spawn(&pid, argv[0], &fa, NULL, aargs, env);
	T(waitpid(pid, &st, 0) == pid);
	SAY("  spawned: %s\n", strerrorname_np(r));
	SAY("  status %d\n", WEXITSTATUS(st));
	posix_spawn_file_actions_destroy(&fa);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "missing-input", O_RDONLY, 0);
	r = posix_spawn(&pid, argv[0], &fa, NULL, aargs, env);
	SAY("  bad action: %s\n", strerrorname_np(r));
	T(waitpid(-1, &st, WNOHANG));
	posix_spawn_file_actions_destroy(&fa);
	/* Attributes: signal mask and default signals. */
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	posix_spawnattr_setsigmask(&at, &m);
	signal(SIGUSR2, SIG_IGN);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	char *sargs[] = {argv[0], "attrs", NULL};
	int nul = open("/dev/null", O_RDONLY);
	dup2(nul, 0);
	r = posix_spawn(&pid, argv[0], NULL, &at, sargs, env);
	T(waitpid(pid, &st, 0) == pid);
	SAY("  spawned: %s\n", strerrorname_np(r));
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	posix_spawnattr_setsigdefault(&at, &m);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF);
	r = posix_spawn(&pid, argv[0], NULL, &at, sargs, env);
	T(waitpid(pid, &st, 0) == pid);
	SAY("  spawned: %s\n", strerrorname_np(r));
	posix_spawnattr_destroy(&at);
	return 0;
}
