/* lseek: whence values, holes (SEEK_DATA/SEEK_HOLE), errors, pipes. */
#include "t.h"

int main(void)
{
	const char *d = scratch("lseek");
	if (chdir(d))
		return 1;
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(write(fd, "0123456789", 10));
	T(lseek(fd, 0, SEEK_END));
	T(lseek(fd, -3, SEEK_END));
	T(lseek(fd, -20, SEEK_END));
	T(lseek(fd, 2, SEEK_CUR));
	T(lseek(fd, -100, SEEK_CUR));
	T(lseek(fd, 5, SEEK_SET));
	char c;
	T(read(fd, &c, 1));
	SAY("  read %c\n", c);
	T(lseek(fd, 0, 5));
	T(lseek(fd, 0, -1));
	/* Seeking past the end and writing leaves a hole that reads as zeros. */
	T(lseek(fd, 1 << 20, SEEK_SET));
	T(write(fd, "end", 3));
	T(lseek(fd, 0, SEEK_END));
	char buf[4] = {1, 1, 1, 1};
	T(pread(fd, buf, 4, 500));
	SAY("  hole %d %d %d %d\n", buf[0], buf[1], buf[2], buf[3]);
	/* SEEK_DATA and SEEK_HOLE: the data at 0, the hole after it (the exact
	 * hole start depends on the filesystem's block size, so compare it). */
	T(lseek(fd, 0, SEEK_DATA));
	off_t h = lseek(fd, 0, SEEK_HOLE);
	SAY("  hole at or after 10 and before 1M: %d\n", h >= 10 && h <= (1 << 20));
	T(lseek(fd, (1 << 20) + 3, SEEK_DATA));
	T(lseek(fd, (1 << 20) + 3, SEEK_HOLE));
	T(lseek(fd, (1 << 20) + 2, SEEK_HOLE));
	T(lseek(fd, -1, SEEK_DATA));
	T(close(fd));
	/* A file without holes. */
	fd = T(open("g", O_CREAT | O_RDWR, 0644));
	T(lseek(fd, 0, SEEK_DATA));
	T(lseek(fd, 0, SEEK_HOLE));
	T(write(fd, "abc", 3));
	T(lseek(fd, 1, SEEK_DATA));
	T(lseek(fd, 1, SEEK_HOLE));
	T(lseek(fd, 3, SEEK_DATA));
	T(lseek(fd, 3, SEEK_HOLE));
	T(close(fd));
	/* Pipes cannot seek; bad fds. */
	int p[2];
	T(pipe(p));
	T(lseek(p[0], 0, SEEK_CUR));
	T(lseek(p[1], 0, SEEK_SET));
	T(lseek(-1, 0, SEEK_SET));
	T(lseek(p[1] + 10, 0, SEEK_SET));
	/* Directories seek (to 0 at least). */
	fd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(lseek(fd, 0, SEEK_SET));
	T(close(fd));
	/* /dev/null and /dev/zero seek to 0 whatever is asked. */
	fd = T(open("/dev/null", O_RDWR));
	T(lseek(fd, 1234, SEEK_SET));
	T(lseek(fd, 0, SEEK_END));
	T(close(fd));
	return 0;
}
