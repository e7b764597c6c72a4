/* POSIX lock deadlock detection: an F_SETLKW that would wait on a process
 * already waiting on us fails with EDEADLK. */
#include "t.h"

static int lk(int fd, int cmd, short type, off_t start)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = 1};
	return fcntl(fd, cmd, &fl);
}

int main(void)
{
	const char *d = scratch("fcntl_deadlock");
	if (chdir(d))
		return 1;
	int fd = open("f", O_CREAT | O_RDWR, 0644);
	int ready[2];
	if (fd < 0 || pipe(ready))
		return 2;
	T(lk(fd, F_SETLK, F_WRLCK, 0)); /* we hold byte 0 */
	pid_t c = fork();
	if (c == 0) {
		/* The child holds byte 1, then waits for byte 0. */
		if (lk(fd, F_SETLK, F_WRLCK, 1) || write(ready[1], "r", 1) != 1)
			_exit(3);
		_exit(lk(fd, F_SETLKW, F_WRLCK, 0) ? 10 + errno % 100 : 0);
	}
	char ch;
	if (read(ready[0], &ch, 1) != 1)
		return 4;
	wait_child_sleeping(c);
	/* Waiting for byte 1 would close the cycle. */
	T(lk(fd, F_SETLKW, F_WRLCK, 1));
	/* A plain F_SETLK is not a wait: EAGAIN, not EDEADLK. */
	T(lk(fd, F_SETLK, F_WRLCK, 1));
	/* Unlocking byte 0 lets the child have it; its exit frees byte 1. */
	T(lk(fd, F_SETLK, F_UNLCK, 0));
	int st;
	waitpid(c, &st, 0);
	SAY("child: exit %d\n", WEXITSTATUS(st));
	T(lk(fd, F_SETLKW, F_WRLCK, 1));
	scratch_remove(d);
	return 0;
}
