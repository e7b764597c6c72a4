/* /dev/null, zero, full, random, urandom: reads, writes, seeks, stat, and
 * /dev/tty without a controlling terminal. */
#include "t.h"
#include <sys/sysmacros.h>

static void show(const char *p)
{
	struct stat st;
	if (stat(p, &st)) {
		SAY("  %s: %s\n", p, strerrorname_np(errno));
		return;
	}
	SAY("  %s: chr %d %d:%d mode %o\n", p, S_ISCHR(st.st_mode), major(st.st_rdev),
	    minor(st.st_rdev), st.st_mode & 0777);
}

int main(void)
{
	show("/dev/null");
	show("/dev/zero");
	show("/dev/full");
	show("/dev/random");
	show("/dev/urandom");
	char buf[64];
	int fd = T(open("/dev/null", O_RDWR));
	T(read(fd, buf, sizeof buf));
	T(write(fd, buf, sizeof buf));
	T(write(fd, BADPTR, 10)); /* nothing is read from the buffer */
	T(lseek(fd, 100, SEEK_SET));
	T(pwrite(fd, buf, 5, 1000));
	T(pread(fd, buf, 5, 1000));
	T(close(fd));
	fd = T(open("/dev/zero", O_RDWR));
	memset(buf, 'x', sizeof buf);
	T(read(fd, buf, sizeof buf));
	int zero = 1;
	for (size_t i = 0; i < sizeof buf; i++)
		zero &= buf[i] == 0;
	SAY("  zeros %d\n", zero);
	T(write(fd, buf, sizeof buf));
	T(read(fd, BADPTR, 10));
	static char big[1 << 20];
	memset(big, 1, sizeof big);
	T(read(fd, big, sizeof big));
	SAY("  big zero %d\n", big[0] == 0 && big[sizeof big - 1] == 0);
	T(close(fd));
	fd = T(open("/dev/full", O_RDWR));
	T(write(fd, buf, 1));
	T(read(fd, buf, 8));
	T(lseek(fd, 0, SEEK_SET));
	T(close(fd));
	fd = T(open("/dev/urandom", O_RDONLY));
	char r1[32], r2[32];
	T(read(fd, r1, sizeof r1));
	T(read(fd, r2, sizeof r2));
	SAY("  differ %d\n", memcmp(r1, r2, sizeof r1) != 0);
	T(read(fd, big, sizeof big));
	T(close(fd));
	fd = T(open("/dev/random", O_RDONLY | O_NONBLOCK));
	T(read(fd, r1, sizeof r1));
	T(close(fd));
	/* Writing to urandom adds entropy (accepted). */
	fd = T(open("/dev/urandom", O_WRONLY));
	T(write(fd, "seed", 4));
	T(close(fd));
	/* No controlling terminal in a new session. */
	pid_t c = fork();
	if (c == 0) {
		setsid();
		T(open("/dev/tty", O_RDWR));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
