/* dup, dup2, dup3: lowest fd, shared offset and flags, own close-on-exec. */
#include "t.h"
#include <sys/resource.h>

int main(void)
{
	const char *d = scratch("dup");
	if (chdir(d))
		return 1;
	struct rlimit lim = {256, 256}; /* the host's own limit varies */
	T(setrlimit(RLIMIT_NOFILE, &lim));
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(write(fd, "abcdef", 6));
	int fd2 = T(dup(fd));
	T(lseek(fd2, 0, SEEK_CUR));
	T(lseek(fd, 2, SEEK_SET));
	T(lseek(fd2, 0, SEEK_CUR));
	/* Status flags are shared, the descriptor flag is not. */
	T(fcntl(fd, F_SETFL, O_APPEND));
	T(fcntl(fd2, F_GETFL) & O_APPEND);
	T(fcntl(fd, F_SETFD, FD_CLOEXEC));
	T(fcntl(fd2, F_GETFD));
	T(close(fd));
	char c;
	T(pread(fd2, &c, 1, 0));
	/* The lowest free descriptor. */
	T(close(0));
	T(dup(fd2));
	T(dup(-1));
	T(dup(999));
	/* dup2: to itself, over an open fd, to a high number, out of range. */
	T(dup2(fd2, fd2));
	T(dup2(99, 99));
	T(dup2(fd2, 50));
	T(fcntl(50, F_GETFD));
	T(dup2(fd2, 0));
	T(dup2(fd2, -1));
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	T(dup2(fd2, (int)rl.rlim_cur));
	T(dup2(fd2, (int)rl.rlim_cur - 1));
	T(close((int)rl.rlim_cur - 1));
	/* dup3: O_CLOEXEC only, never to itself. */
	T(dup3(fd2, 51, O_CLOEXEC));
	T(fcntl(51, F_GETFD));
	T(dup3(fd2, 51, 0));
	T(fcntl(51, F_GETFD));
	T(dup3(fd2, fd2, 0));
	T(dup3(fd2, 52, O_NONBLOCK));
	T(dup3(-1, 52, 0));
	T(dup3(fd2, -1, 0));
	/* An O_PATH descriptor can be duplicated. */
	int pfd = T(open("f", O_PATH));
	T(dup(pfd));
	T(dup2(pfd, 60));
	T(read(60, &c, 1));
	/* Closing one copy leaves the other working. */
	T(close(fd2));
	T(pread(50, &c, 1, 0));
	SAY("  %c\n", c);
	/* A pipe write end duplicated keeps the pipe open. */
	int p[2];
	T(pipe(p));
	int w2 = T(dup(p[1]));
	T(close(p[1]));
	T(write(w2, "z", 1));
	T(read(p[0], &c, 1));
	T(close(w2));
	T(read(p[0], &c, 1));
	return 0;
}
