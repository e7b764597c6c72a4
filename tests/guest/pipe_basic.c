/* pipe, pipe2: data, EOF, O_NONBLOCK EAGAIN, flags, capacity, FIONREAD. */
#include "t.h"
#include <poll.h>
#include <sys/ioctl.h>

int main(void)
{
	int p[2];
	char buf[128];
	T(pipe(p));
	SAY("  fds %d %d\n", p[0], p[1]);
	T(write(p[1], "hello", 5));
	int n = 0;
	T(ioctl(p[0], FIONREAD, &n));
	SAY("  FIONREAD %d\n", n);
	T(read(p[0], buf, 3));
	T(read(p[0], buf, 100));
	T(write(p[0], "x", 1));
	T(read(p[1], buf, 1));
	T(fcntl(p[0], F_GETFL));
	T(fcntl(p[1], F_GETFL));
	/* Writer closed: EOF. */
	T(close(p[1]));
	T(read(p[0], buf, 10));
	T(close(p[0]));

	/* pipe2 flags. */
	T(pipe2(p, O_CLOEXEC | O_NONBLOCK));
	T(fcntl(p[0], F_GETFD));
	T(fcntl(p[1], F_GETFD));
	T(fcntl(p[0], F_GETFL));
	T(read(p[0], buf, 10));
	/* Fill the pipe: 64 KiB by default, then EAGAIN. */
	static char big[1 << 17];
	long total = 0, r;
	while ((r = write(p[1], big, 4096)) > 0)
		total += r;
	SAY("  filled %ld then %s\n", total, strerrorname_np(errno));
	T(ioctl(p[0], FIONREAD, &n));
	SAY("  FIONREAD %d\n", n);
	T(fcntl(p[1], F_GETPIPE_SZ));
	T(close(p[0]));
	T(close(p[1]));
	/* O_DIRECT: packet mode, on the write end. */
	T(pipe2(p, O_DIRECT | O_NONBLOCK));
	T(fcntl(p[0], F_GETFL) & O_DIRECT);
	T(fcntl(p[1], F_GETFL) & O_DIRECT);
	T(write(p[1], "0123456789", 10));
	T(write(p[1], "abcdefghijklmnopqrst", 20));
	T(write(p[1], big, 5000));
	T(write(p[1], "xyz", 3));
	T(ioctl(p[0], FIONREAD, &n));
	SAY("  FIONREAD %d\n", n);
	T(read(p[0], big, sizeof big));
	T(read(p[0], buf, 5)); /* the rest of the packet is gone */
	SAY("  %.5s\n", buf);
	T(read(p[0], big, sizeof big));
	T(read(p[0], big, sizeof big));
	T(read(p[0], big, sizeof big));
	T(read(p[0], big, sizeof big));
	T(fcntl(p[1], F_SETFL, O_NONBLOCK)); /* back to a byte stream */
	T(write(p[1], "ab", 2));
	T(write(p[1], "cd", 2));
	T(read(p[0], buf, sizeof buf));
	T(fcntl(p[1], F_SETFL, O_DIRECT));
	T(close(p[0]));
	T(close(p[1]));
	/* POLLOUT means a free page, not PIPE_BUF bytes of room. */
	T(pipe2(p, O_NONBLOCK));
	T(write(p[1], big, 16 * 4096 - 1));
	struct pollfd pf = {p[1], POLLOUT, 0};
	T(poll(&pf, 1, 0));
	T(read(p[0], big, 1));
	T(poll(&pf, 1, 0));
	T(read(p[0], big, 4095));
	T(poll(&pf, 1, 0));
	T(close(p[0]));
	T(close(p[1]));
	T(pipe2(p, O_RDWR));
	T(pipe2(p, 0x1000000));
	T(pipe(BADPTR));
	T(pipe2(BADPTR, 0));

	/* A write of <= PIPE_BUF bytes is atomic: with O_NONBLOCK and
	 * less room, it fails instead of writing part. */
	T(pipe2(p, O_NONBLOCK));
	T(write(p[1], big, 65536 - 100));
	T(write(p[1], big, 200));
	T(write(p[1], big, 100));
	T(write(p[1], big, 1));
	T(read(p[0], big, 5000)); /* room comes back a whole page at a time */
	T(write(p[1], big, 8192));
	T(read(p[0], big, 3192));
	T(write(p[1], big, 8192));
	T(close(p[0]));
	T(close(p[1]));

	/* A zero-byte write and read. */
	T(pipe(p));
	T(write(p[1], buf, 0));
	T(fcntl(p[0], F_SETFL, O_NONBLOCK));
	T(read(p[0], buf, 0));
	T(read(p[0], buf, 1));
	/* Read and write ends are not seekable or mmap-able. */
	T(pread(p[0], buf, 1, 0));
	T(pwrite(p[1], buf, 1, 0));
	struct stat st;
	T(fstat(p[0], &st));
	SAY("  fifo %d mode %o size %lld\n", S_ISFIFO(st.st_mode), st.st_mode & 0777,
	    (long long)st.st_size);
	struct stat st2;
	T(fstat(p[1], &st2));
	SAY("  same inode %d\n", st.st_ino == st2.st_ino);
	return 0;
}
