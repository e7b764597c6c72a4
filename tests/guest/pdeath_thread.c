/* PR_SET_PDEATHSIG follows the parent thread, as in Linux: a child forked
 * by a thread hears when that thread exits, though its process lives on,
 * and keeps its parent process; it then counts as a sibling thread's
 * child, and hears again when the process itself exits. */
#include "t.h"
#include <pthread.h>
#include <sys/prctl.h>

static volatile sig_atomic_t heard;
static int report[2];
static pid_t process;

static void on_usr1(int sig)
{
	(void)sig;
	heard++;
}

/* Reports each parent death, and who its parent is then. */
static void child(void)
{
	signal(SIGUSR1, on_usr1);
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	write(report[1], "r", 1);
	for (int seen = 0; seen < 2; usleep(1000)) {
		if (heard > seen) {
			seen++;
			char line[64];
			int n = snprintf(line, sizeof line, "death %d, parent %s\n", seen,
					 getppid() == process ? "the same process" : "another");
			write(report[1], line, (size_t)n);
		}
	}
	_exit(0);
}

static void *forker(void *arg)
{
	(void)arg;
	if (fork() == 0)
		child();
	char c;
	read(report[0], &c, 1); /* the child has asked for its signal */
	return NULL;		/* this thread exits: the child hears */
}

/* The process under test: a thread forks the child and exits. */
static void middle(void)
{
	process = getpid();
	pthread_t t;
	pthread_create(&t, NULL, forker, NULL);
	pthread_join(t, NULL);
	char line[64] = {0};
	read(report[0], line, sizeof line - 1);
	SAY("after the forking thread exits: %s", line);
	_exit(0); /* now the process: the child hears again */
}

int main(void)
{
	pipe(report);
	fflush(stdout);
	pid_t m = fork();
	if (m == 0)
		middle();
	waitpid(m, NULL, 0);
	close(report[1]);
	char line[64] = {0};
	read(report[0], line, sizeof line - 1);
	SAY("after the process exits: %s", line);
	return 0;
}
