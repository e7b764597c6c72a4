/* What /proc shows of processes in each state: running or sleeping,
 * stopped (T), zombie (Z, listed, until reaped, then gone); a process whose
 * thread-group leader exited keeps its /proc directory while its threads
 * run on. */
#include "t.h"
#include <dirent.h>
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

/* Whether readdir of /proc lists pid. */
static int listed(pid_t pid)
{
	char name[16];
	snprintf(name, sizeof name, "%d", pid);
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;
	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

static int cmdline_len(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	int n = (int)read(fd, buf, sizeof buf);
	close(fd);
	return n;
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
	siginfo_t si;
	waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	status_state(c, st, sizeof st);
	SAY("zombie child %c, status '%s', listed %d, cmdline empty %d\n", pid_state(c), st,
	    listed(c), cmdline_len(c) == 0);
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
