/* execve from a thread: the other threads die, the exec'ing thread becomes
 * the process (its tid is the pid), the pid does not change. */
#include "t.h"
#include <pthread.h>

static char self[4096];

static void *spinner(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *execer(void *arg)
{
	char pid[32];
	snprintf(pid, sizeof pid, "%d", getpid());
	execl(self, self, "after", pid, (char *)NULL);
	SAY("exec failed\n");
	return arg;
}

int main(int argc, char **argv)
{
	if (argc == 3) {
		SAY("after exec: same pid %d, tid is pid %d\n", atoi(argv[2]) == getpid(),
		    (pid_t)syscall(SYS_gettid) == getpid());
		int n = 0;
		char line[256];
		FILE *f = fopen("/proc/self/status", "r");
		while (f && fgets(line, sizeof line, f))
			if (!strncmp(line, "Threads:", 8))
				n = atoi(line + 8);
		if (f)
			fclose(f);
		SAY("threads now %d\n", n);
		return 0;
	}
	if (readlink("/proc/self/exe", self, sizeof self - 1) < 0)
		return 1;
	pid_t child = fork();
	if (child == 0) {
		pthread_t a, b;
		pthread_create(&a, NULL, spinner, NULL);
		pthread_create(&b, NULL, execer, NULL);
		pthread_join(b, NULL);
		return 2;
	}
	int st;
	waitpid(child, &st, 0);
	SAY("child exit %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
	return 0;
}
