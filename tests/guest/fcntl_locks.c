/* POSIX record locks between processes: F_SETLK, F_SETLKW, F_GETLK, ranges,
 * unlocking, lock release on close, EBADF for the wrong access mode. */
#include "t.h"

static int ctl[2], ack[2];

static void tell(char c)
{
	if (write(ctl[1], &c, 1) != 1)
		exit(3);
}

static char wait_for(int fd)
{
	char c = 0;
	if (read(fd, &c, 1) != 1)
		exit(4);
	return c;
}

static int lk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	return fcntl(fd, cmd, &fl);
}

static void getlk(int fd, short type, off_t start, off_t len, pid_t owner)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	if (fcntl(fd, F_GETLK, &fl)) {
		SAY("  F_GETLK %s\n", strerrorname_np(errno));
		return;
	}
	SAY("  F_GETLK type %s start %ld len %ld by child %d\n",
	    fl.l_type == F_UNLCK   ? "UNLCK"
	    : fl.l_type == F_RDLCK ? "RDLCK"
				   : "WRLCK",
	    (long)fl.l_start, (long)fl.l_len, fl.l_type != F_UNLCK && fl.l_pid == owner);
}

int main(void)
{
	const char *d = scratch("fcntl_locks");
	if (chdir(d))
		return 1;
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(ftruncate(fd, 100));
	if (pipe(ctl) || pipe(ack))
		return 2;
	pid_t c = fork();
	if (c == 0) {
		/* The child takes locks on command and reports. */
		int cfd = open("f", O_RDWR);
		for (;;) {
			char cmd = wait_for(ctl[0]);
			int r = 0;
			switch (cmd) {
			case 'w':
				r = lk(cfd, F_SETLK, F_WRLCK, 10, 20);
				break;
			case 'r':
				r = lk(cfd, F_SETLK, F_RDLCK, 50, 0);
				break;
			case 'u':
				r = lk(cfd, F_SETLK, F_UNLCK, 0, 0);
				break;
			case 'W':
				r = lk(cfd, F_SETLKW, F_WRLCK, 0, 5);
				break;
			case 'c':
				r = close(cfd);
				break;
			case 'q':
				_exit(0);
			}
			char a = r == 0 ? '0' : (char)('a' + errno % 26);
			if (write(ack[1], &a, 1) != 1)
				_exit(5);
		}
	}
	/* Child holds a write lock on [10, 30). */
	tell('w');
	SAY("  child w: %c\n", wait_for(ack[0]));
	getlk(fd, F_WRLCK, 0, 0, c);
	getlk(fd, F_RDLCK, 0, 10, c);
	getlk(fd, F_RDLCK, 29, 1, c);
	getlk(fd, F_RDLCK, 30, 5, c);
	T(lk(fd, F_SETLK, F_WRLCK, 0, 10));
	T(lk(fd, F_SETLK, F_RDLCK, 25, 10));
	T(lk(fd, F_SETLK, F_WRLCK, 15, 1));
	/* Our own locks never conflict with ourselves; F_GETLK ignores them. */
	getlk(fd, F_WRLCK, 0, 10, c);
	/* Child takes a read lock from 50 to EOF and beyond. */
	tell('r');
	SAY("  child r: %c\n", wait_for(ack[0]));
	T(lk(fd, F_SETLK, F_RDLCK, 60, 1));
	T(lk(fd, F_SETLK, F_WRLCK, 1000, 1));
	getlk(fd, F_WRLCK, 40, 0, c);
	/* Child blocks in F_SETLKW on [0,5) which we hold; we unlock it. */
	tell('W');
	usleep(100000);
	T(lk(fd, F_SETLK, F_UNLCK, 0, 10));
	SAY("  child W: %c\n", wait_for(ack[0]));
	getlk(fd, F_RDLCK, 0, 1, c);
	/* Closing any fd of the file drops all of the process's locks. */
	tell('c');
	SAY("  child close: %c\n", wait_for(ack[0]));
	getlk(fd, F_WRLCK, 0, 0, c);
	T(lk(fd, F_SETLK, F_WRLCK, 0, 0));
	tell('q');
	int st;
	waitpid(c, &st, 0);
	/* Errors: lock types against access modes, bad arguments. */
	int ro = T(open("f", O_RDONLY));
	T(lk(ro, F_SETLK, F_WRLCK, 0, 1));
	T(lk(ro, F_SETLK, F_RDLCK, 0, 1));
	int wo = T(open("f", O_WRONLY));
	T(lk(wo, F_SETLK, F_RDLCK, 0, 1));
	T(lk(wo, F_SETLK, 99, 0, 1));
	T(lk(fd, F_SETLK, F_WRLCK, -5, 1));
	T(lk(fd, F_SETLK, F_WRLCK, 5, -5));
	T(lk(fd, F_SETLK, F_WRLCK, 5, -6));
	T(fcntl(fd, F_SETLK, BADPTR));
	T(fcntl(fd, F_GETLK, NULL));
	struct flock fl = {.l_type = F_RDLCK, .l_whence = 7};
	T(fcntl(fd, F_SETLK, &fl));
	T(lk(-1, F_SETLK, F_RDLCK, 0, 1));
	/* SEEK_CUR and SEEK_END ranges; F_GETLK converts to SEEK_SET. */
	T(lk(fd, F_SETLK, F_UNLCK, 0, 0));
	T(lseek(fd, 40, SEEK_SET));
	fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = -5, .l_len = 3};
	T(fcntl(fd, F_SETLK, &fl));
	fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_END, .l_start = -1, .l_len = 1};
	T(fcntl(fd, F_SETLK, &fl));
	c = fork();
	if (c == 0) {
		getlk(fd, F_RDLCK, 0, 0, getppid());
		getlk(fd, F_RDLCK, 38, 0, getppid());
		getlk(fd, F_RDLCK, 50, 0, getppid());
		_exit(0);
	}
	waitpid(c, &st, 0);
	/* A pipe cannot be locked... but F_GETLK on it works on Linux. */
	int p[2];
	T(pipe(p));
	T(lk(p[1], F_SETLK, F_WRLCK, 0, 1));
	return 0;
}
