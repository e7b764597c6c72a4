/* truncate and ftruncate: growing, shrinking, holes, errors. */
#include "t.h"
#include <sys/resource.h>

static long long size(const char *p)
{
	struct stat st;
	return stat(p, &st) ? -1 : (long long)st.st_size;
}

int main(void)
{
	const char *d = scratch("truncate");
	if (chdir(d))
		return 1;
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(write(fd, "0123456789", 10));
	T(ftruncate(fd, 4));
	SAY("  size %lld\n", size("f"));
	T(lseek(fd, 0, SEEK_CUR));
	T(ftruncate(fd, 100));
	SAY("  size %lld\n", size("f"));
	char buf[16];
	memset(buf, 'x', sizeof buf);
	T(pread(fd, buf, sizeof buf, 0));
	SAY("  %.4s %d %d\n", buf, buf[4], buf[15]);
	T(truncate("f", 0));
	SAY("  size %lld\n", size("f"));
	T(truncate("f", 1 << 30));
	SAY("  size %lld\n", size("f"));
	T(pread(fd, buf, 4, (1 << 30) - 2));
	T(ftruncate(fd, -1));
	T(truncate("f", -1));
	T(ftruncate(-1, 0));
	T(ftruncate(99, 0));
	T(close(fd));
	/* A read-only descriptor, a directory, a pipe. */
	fd = T(open("f", O_RDONLY));
	T(ftruncate(fd, 0));
	T(close(fd));
	T(mkdir("dir", 0755));
	T(truncate("dir", 0));
	fd = T(open("dir", O_RDONLY | O_DIRECTORY));
	T(ftruncate(fd, 0));
	T(close(fd));
	int p[2];
	T(pipe(p));
	T(ftruncate(p[1], 0));
	T(truncate("missing", 0));
	T(truncate("f/x", 0));
	T(truncate(BADPTR, 0));
	T(symlink("f", "l"));
	T(truncate("l", 3));
	SAY("  size %lld\n", size("f"));
	/* O_APPEND descriptors can ftruncate. */
	fd = T(open("f", O_WRONLY | O_APPEND));
	T(ftruncate(fd, 1));
	T(write(fd, "yz", 2));
	T(close(fd));
	SAY("  size %lld\n", size("f"));
	/* Without write permission (not root). */
	T(chmod("f", 0444));
	T(truncate("f", 0)); /* root may */
	pid_t c = fork();
	if (c == 0) {
		T(setuid(1000));
		T(truncate("f", 0));
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	/* RLIMIT_FSIZE: growing past it is EFBIG (and SIGXFSZ). */
	c = fork();
	if (c == 0) {
		/* (stdout may be a file: print only with the limit lifted) */
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = {100, RLIM_INFINITY}, none = {RLIM_INFINITY, RLIM_INFINITY};
		int r1 = setrlimit(RLIMIT_FSIZE, &rl);
		int r2 = truncate("f", 100);
		int r3 = truncate("f", 101), e3 = errno;
		fd = open("f", O_WRONLY);
		int r4 = pwrite(fd, "abc", 3, 99), r5 = pwrite(fd, "abc", 3, 100), e5 = errno;
		setrlimit(RLIMIT_FSIZE, &none);
		SAY("  %d %d %d %s %d %d %s\n", r1, r2, r3, strerrorname_np(e3), r4, r5,
		    strerrorname_np(e5));
		SAY("  size %lld\n", size("f"));
		_exit(0);
	}
	waitpid(c, &st, 0);
	return 0;
}
