/* procfs files a process reads about itself, compared field by field with
 * what is the same in both kernels. */
#include "t.h"
#include <pthread.h>

static char *slurp(const char *path)
{
	static char buf[65536];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static const char *field(const char *text, const char *name)
{
	static char v[256];
	const char *p = strstr(text, name);
	if (!p)
		return "(none)";
	p += strlen(name);
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = strcspn(p, "\n");
	snprintf(v, sizeof v, "%.*s", (int)n, p);
	return v;
}

static void *idle(void *a)
{
	pause();
	return a;
}

int main(int argc, char **argv)
{
	(void)argc;
	char *s = slurp("/proc/self/status");
	SAY("Name %s\n", field(s, "Name:"));
	SAY("State %s\n", field(s, "State:"));
	SAY("Uid %s\n", field(s, "Uid:"));
	SAY("Threads %s\n", field(s, "Threads:"));
	SAY("pid matches %d\n", atoi(field(s, "\nPid:")) == getpid());
	SAY("ppid matches %d\n", atoi(field(s, "PPid:")) == getppid());
	s = slurp("/proc/self/stat");
	char comm[64], state;
	int pid, ppid;
	sscanf(s, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid);
	SAY("stat comm %s state %c pid ok %d ppid ok %d\n", comm, state, pid == getpid(),
	    ppid == getppid());
	s = slurp("/proc/self/cmdline");
	SAY("cmdline %s\n", s && !strcmp(s, argv[0]) ? "argv[0]" : "wrong");
	T(access("/proc/self/fd/0", F_OK));
	T(access("/proc/self/fd/99", F_OK));
	char link[256] = {0};
	T(readlink("/proc/self/fd/1", link, 0));
	T(readlink("/proc/self/exe", link, sizeof link) > 0);
	SAY("exe is me %d\n", !strcmp(link, argv[0]) || strstr(link, "procfs") != NULL);
	pthread_t t;
	pthread_create(&t, NULL, idle, NULL);
	usleep(50000);
	s = slurp("/proc/self/status");
	SAY("Threads now %s\n", field(s, "Threads:"));
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%ld/comm", (long)syscall(SYS_gettid));
	s = slurp(path);
	SAY("task comm %s", s ? s : "missing\n");
	T(write(open("/proc/self/comm", O_WRONLY | O_TRUNC), "renamed\n", 8));
	SAY("comm now %s", slurp("/proc/self/comm"));
	s = slurp("/proc/self/limits");
	SAY("limits header %.25s\n", s);
	T(open("/proc/self/status", O_WRONLY));
	T(open("/proc/nonexistent", O_RDONLY));
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	s = slurp(path);
	SAY("fdinfo flags %s pos %s\n", field(s, "flags:"), field(s, "pos:"));
	return 0;
}
