/* read/write/pread/pwrite, readv/writev, preadv/pwritev, preadv2/pwritev2. */
#include "t.h"
#include <limits.h>
#include <sys/uio.h>

int main(void)
{
	const char *d = scratch("rw_vec");
	if (chdir(d))
		return 1;
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	char a[] = "hello ", b[] = "vector ", c[] = "world";
	struct iovec iov[3] = {{a, 6}, {b, 7}, {c, 5}};
	T(writev(fd, iov, 3));
	T(lseek(fd, 0, SEEK_CUR));
	char x[4] = {0}, y[8] = {0}, z[32] = {0};
	struct iovec r[3] = {{x, 3}, {y, 7}, {z, 31}};
	T(lseek(fd, 0, SEEK_SET));
	T(readv(fd, r, 3));
	SAY("  [%s][%s][%s]\n", x, y, z);
	/* A zero-length iovec in the middle is fine. */
	struct iovec r2[3] = {{x, 2}, {NULL, 0}, {y, 4}};
	memset(x, 0, sizeof x);
	memset(y, 0, sizeof y);
	T(preadv(fd, r2, 3, 6));
	SAY("  [%s][%s]\n", x, y);
	T(lseek(fd, 0, SEEK_CUR));
	/* pwritev at an offset leaves the file position alone. */
	struct iovec w[2] = {{"AB", 2}, {"CD", 2}};
	T(pwritev(fd, w, 2, 1));
	T(lseek(fd, 0, SEEK_CUR));
	T(pread(fd, z, sizeof z - 1, 0));
	SAY("  %.18s\n", z);
	/* preadv2 with offset -1 uses and advances the file position. */
	T(lseek(fd, 2, SEEK_SET));
	memset(x, 0, sizeof x);
	struct iovec one = {x, 3};
	T(preadv2(fd, &one, 1, -1, 0));
	SAY("  %s\n", x);
	T(lseek(fd, 0, SEEK_CUR));
	T(preadv2(fd, &one, 1, 0, 0));
	T(lseek(fd, 0, SEEK_CUR));
	T(preadv2(fd, &one, 1, 0, 0x1000)); /* unknown RWF flag */
	T(preadv2(fd, &one, 1, 0, RWF_HIPRI));
	T(pwritev2(fd, &one, 1, 0, 0x1000));
	/* RWF_APPEND: this write goes to the end. */
	struct iovec app = {"!", 1};
	T(pwritev2(fd, &app, 1, 0, RWF_APPEND));
	T(pread(fd, z, sizeof z - 1, 0));
	SAY("  %.19s\n", z);

	/* Bad counts and lengths. */
	T(syscall(SYS_readv, fd, r, -1));
	T(syscall(SYS_readv, fd, r, 1025));
	T(readv(fd, r, 0));
	struct iovec neg = {x, (size_t)-1};
	T(readv(fd, &neg, 1));
	T(readv(fd, BADPTR, 1));
	struct iovec bad = {BADPTR, 4};
	T(pwritev(fd, &bad, 1, 0));
	T(preadv(fd, r, 1, -5));
	T(pread(fd, z, 4, -1));
	T(pwrite(fd, z, 4, -1));
	/* A partial fault: Linux writes what it can before the bad buffer. */
	struct iovec part[2] = {{"ok", 2}, {BADPTR, 4}};
	T(pwritev(fd, part, 2, 100));
	T(readv(-1, r, 1));
	T(writev(99, iov, 1));
	T(close(fd));

	/* Reading at and past EOF. */
	fd = T(open("f", O_RDONLY));
	T(pread(fd, z, 10, 1000));
	T(lseek(fd, 0, SEEK_END));
	T(read(fd, z, 10));
	T(pwrite(fd, "x", 1, 0));
	T(close(fd));

	/* Directories refuse read with EISDIR. */
	fd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(read(fd, z, 10));
	T(pread(fd, z, 10, 0));
	T(readv(fd, r, 1));
	T(close(fd));

	/* Large transfers round-trip exactly. */
	static char big[1 << 20], back[1 << 20];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)(i * 7 + i / 4096);
	fd = T(open("big", O_CREAT | O_RDWR | O_TRUNC, 0644));
	T(write(fd, big, sizeof big));
	T(pread(fd, back, sizeof back, 0));
	SAY("  same %d\n", memcmp(big, back, sizeof big) == 0);
	T(pread(fd, back, 10, sizeof big - 4));
	T(close(fd));
	return 0;
}
