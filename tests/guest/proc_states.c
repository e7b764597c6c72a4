/* What /proc shows of processes in each state: running or sleeping,
 * stopped (T), gone once reaped; a process whose thread-group leader exited
 * keeps its /proc directory while its threads run on. (Zombies' own /proc
 * files are not shown by umk yet.) */
#include "t.h"
#include <pthread.h>

/* The state letter of /proc/PID/stat (or of a task of it). */
static char state_of(const char *path)
{
	char buf[1024];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return '-';
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *s = strrchr(buf, ')');
	return s && s[1] == ' ' ? s[2] : '?';
}

static char pid_state(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	return state_of(path);
}

/* /proc/PID/status's State line, the letter and word. */
static void status_state(pid_t pid, char *out, size_t len)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *s = strstr(buf, "State:\t");
	snprintf(out, len, "%s", s ? s + 7 : "?");
	char *nl = strchr(out, '\n');
	if (nl)
		*nl = 0;
}

static void *worker(void *arg)
{
	int *fd = arg;
	char c;
	read(fd[0], &c, 1); /* until told */
	_exit(5);	    /* the whole process */
}

int main(void)
{
	char st[64];
	SAY("self %c\n", pid_state(getpid()));
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	usleep(100000);
	status_state(c, st, sizeof st);
	SAY("sleeping child %c, status '%s'\n", pid_state(c), st);
	kill(c, SIGSTOP);
	int ws;
	waitpid(c, &ws, WUNTRACED);
	status_state(c, st, sizeof st);
	SAY("stopped child %c, status '%s'\n", pid_state(c), st);
	kill(c, SIGKILL);
	waitpid(c, &ws, 0);
	SAY("reaped child %c\n", pid_state(c));

	/* The leader exits; a thread goes on, then ends the process. */
	int p[2];
	pipe(p);
	fflush(stdout);
	c = fork();
	if (c == 0) {
		pthread_t t;
		pthread_create(&t, NULL, worker, p);
		pthread_exit(NULL);
	}
	usleep(200000);
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", c);
	struct stat sb;
	SAY("leader gone: /proc/PID there %d, its task dir %d, waitable %d\n", pid_state(c) != '-',
	    stat(path, &sb) == 0, waitpid(c, &ws, WNOHANG));
	write(p[1], "x", 1);
	waitpid(c, &ws, 0);
	SAY("then the thread's exit: status %d\n", WEXITSTATUS(ws));
	return 0;
}
