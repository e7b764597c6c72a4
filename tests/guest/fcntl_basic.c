/* fcntl: F_DUPFD(_CLOEXEC), F_GETFD/F_SETFD, F_GETFL/F_SETFL, bad commands. */
#include "t.h"
#include <sys/resource.h>

int main(void)
{
	const char *d = scratch("fcntl_basic");
	if (chdir(d))
		return 1;
	struct rlimit lim = {256, 256}; /* the host's own limit varies */
	T(setrlimit(RLIMIT_NOFILE, &lim));
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(fcntl(fd, F_DUPFD, 0));
	T(fcntl(fd, F_DUPFD, 10));
	T(fcntl(fd, F_DUPFD, 10));
	T(fcntl(fd, F_DUPFD_CLOEXEC, 20));
	T(fcntl(20, F_GETFD));
	T(fcntl(10, F_GETFD));
	T(fcntl(fd, F_DUPFD, -1));
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	T(fcntl(fd, F_DUPFD, (int)rl.rlim_cur));
	T(fcntl(fd, F_DUPFD, (int)rl.rlim_cur - 1));
	/* F_SETFD keeps only FD_CLOEXEC. */
	T(fcntl(fd, F_SETFD, 0xff));
	T(fcntl(fd, F_GETFD));
	T(fcntl(fd, F_SETFD, 0));
	T(fcntl(fd, F_GETFD));
	/* F_GETFL shows the access mode and status flags; F_SETFL changes only
	 * O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT, O_NOATIME. */
	T(fcntl(fd, F_GETFL));
	T(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_RDONLY | O_CREAT | O_TRUNC));
	T(fcntl(fd, F_GETFL));
	T(fcntl(fd, F_SETFL, 0));
	T(fcntl(fd, F_GETFL));
	int ro = T(open("f", O_RDONLY | O_NONBLOCK));
	T(fcntl(ro, F_GETFL));
	int wo = T(open("f", O_WRONLY | O_APPEND | O_SYNC));
	T(fcntl(wo, F_GETFL));
	T(fcntl(wo, F_SETFL, 0)); /* O_SYNC stays */
	T(fcntl(wo, F_GETFL));
	int pf = T(open("f", O_PATH | O_CLOEXEC));
	T(fcntl(pf, F_GETFL));
	T(fcntl(pf, F_GETFD));
	T(fcntl(pf, F_SETFL, O_NONBLOCK));
	T(fcntl(pf, F_DUPFD, 30));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(fcntl(dfd, F_GETFL));
	/* Errors. */
	T(fcntl(-1, F_GETFD));
	T(fcntl(999, F_GETFL));
	T(fcntl(fd, 9999));
	T(fcntl(fd, -1));
	/* F_GETOWN/F_SETOWN on a pipe, F_GETPIPE_SZ/F_SETPIPE_SZ. */
	int p[2];
	T(pipe(p));
	T(fcntl(p[0], F_GETPIPE_SZ));
	T(fcntl(p[0], F_SETPIPE_SZ, 4096));
	T(fcntl(p[0], F_GETPIPE_SZ));
	T(fcntl(p[0], F_SETPIPE_SZ, 5000));
	T(fcntl(p[0], F_GETPIPE_SZ));
	T(fcntl(fd, F_GETPIPE_SZ));
	T(fcntl(p[0], F_SETPIPE_SZ, 0));
	T(fcntl(p[0], F_GETPIPE_SZ));
	/* Close-on-exec on an fd set by F_SETFD survives fork. */
	T(fcntl(fd, F_SETFD, FD_CLOEXEC));
	pid_t c = fork();
	if (c == 0)
		_exit(fcntl(fd, F_GETFD));
	int st;
	waitpid(c, &st, 0);
	SAY("  child sees %d\n", WEXITSTATUS(st));
	return 0;
}
