/* open, read, write, lseek, close, unlink, and their errors. */
#include "t.h"

int main(void)
{
	const char *d = scratch("file_basic");
	if (chdir(d))
		return 1;
	int fd = T(open("a", O_CREAT | O_RDWR | O_EXCL, 0644));
	T(write(fd, "hello world\n", 12));
	T(lseek(fd, 0, SEEK_CUR));
	T(lseek(fd, 6, SEEK_SET));
	char buf[64] = {0};
	T(read(fd, buf, sizeof buf));
	SAY("read: %s", buf);
	T(lseek(fd, -1, SEEK_SET));
	T(lseek(fd, 0, 42));
	T(lseek(fd, 100, SEEK_END));
	T(write(fd, "x", 1));
	struct stat st;
	T(fstat(fd, &st));
	SAY("size %lld mode %o nlink %ld\n", (long long)st.st_size, st.st_mode, (long)st.st_nlink);
	T(close(fd));
	T(close(fd));
	T(open("a", O_CREAT | O_EXCL | O_RDWR, 0644));
	T(open("missing", O_RDONLY));
	T(open("a/b", O_RDONLY));
	T(open(".", O_WRONLY));
	T(open("a", O_RDONLY | O_DIRECTORY));
	T(read(-1, buf, 1));
	T(read(100, buf, 1));
	fd = T(open("a", O_RDONLY));
	T(write(fd, "x", 1));
	T(read(fd, BADPTR, 10));
	T(read(fd, buf, 0));
	T(pread(fd, buf, 5, 0));
	T(pread(fd, buf, 5, -1));
	T(close(fd));
	fd = T(open("a", O_WRONLY | O_TRUNC));
	T(fstat(fd, &st));
	SAY("after trunc size %lld\n", (long long)st.st_size);
	T(read(fd, buf, 1));
	T(close(fd));
	T(unlink("a"));
	T(unlink("a"));
	T(open(BADPTR, O_RDONLY));
	T(open("", O_RDONLY));
	return 0;
}
