/* copy_file_range and sendfile: offsets (given or the file position),
 * short copies at EOF, overlapping ranges, pipes, errors; close_range. */
#include "t.h"
#include <sys/sendfile.h>

static void show(const char *p)
{
	char buf[64] = {0};
	int fd = open(p, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	SAY("  %s: %zd [%s]\n", p, n, buf);
}

int main(void)
{
	const char *d = scratch("copy_range");
	if (chdir(d))
		return 1;
	int in = T(open("in", O_CREAT | O_RDWR, 0644));
	T(write(in, "0123456789abcdef", 16));
	int out = T(open("out", O_CREAT | O_RDWR, 0644));
	/* copy_file_range with explicit offsets leaves file positions alone. */
	loff_t io = 2, oo = 0;
	T(copy_file_range(in, &io, out, &oo, 5, 0));
	SAY("  offsets now %lld %lld\n", (long long)io, (long long)oo);
	T(lseek(in, 0, SEEK_CUR));
	T(lseek(out, 0, SEEK_CUR));
	show("out");
	/* NULL offsets use and move the file positions. */
	T(lseek(in, 10, SEEK_SET));
	T(lseek(out, 3, SEEK_SET));
	T(copy_file_range(in, NULL, out, NULL, 100, 0));
	T(lseek(in, 0, SEEK_CUR));
	T(lseek(out, 0, SEEK_CUR));
	show("out");
	/* At EOF: 0. */
	io = 16;
	T(copy_file_range(in, &io, out, NULL, 10, 0));
	/* Within one file, overlapping: EINVAL. */
	io = 0;
	oo = 4;
	T(copy_file_range(in, &io, in, &oo, 8, 0));
	oo = 8;
	T(copy_file_range(in, &io, in, &oo, 8, 0));
	show("in");
	/* Errors. */
	T(copy_file_range(in, NULL, out, NULL, 1, 1));
	int ro = T(open("out", O_RDONLY));
	T(copy_file_range(in, NULL, ro, NULL, 1, 0));
	int wo = T(open("in", O_WRONLY));
	T(copy_file_range(wo, NULL, out, NULL, 1, 0));
	int ap = T(open("out", O_WRONLY | O_APPEND));
	T(copy_file_range(in, NULL, ap, NULL, 1, 0));
	int p[2];
	T(pipe(p));
	T(copy_file_range(in, NULL, p[1], NULL, 1, 0));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(copy_file_range(dfd, NULL, out, NULL, 1, 0));
	T(copy_file_range(-1, NULL, out, NULL, 1, 0));
	io = -1;
	T(copy_file_range(in, &io, out, NULL, 1, 0));
	T(copy_file_range(in, BADPTR, out, NULL, 1, 0));
	/* sendfile: file to file, file to pipe, with and without an offset. */
	int s = T(open("s", O_CREAT | O_RDWR, 0644));
	off_t so = 4;
	T(sendfile(s, in, &so, 6));
	SAY("  offset %lld position %lld\n", (long long)so, (long long)lseek(in, 0, SEEK_CUR));
	T(lseek(in, 0, SEEK_SET));
	T(sendfile(s, in, NULL, 3));
	T(lseek(in, 0, SEEK_CUR));
	show("s");
	T(sendfile(p[1], in, NULL, 4));
	char buf[16] = {0};
	T(read(p[0], buf, sizeof buf));
	SAY("  pipe got %s\n", buf);
	T(sendfile(s, p[0], NULL, 4));
	T(sendfile(s, in, NULL, 0));
	so = 100;
	T(sendfile(s, in, &so, 4));
	T(sendfile(ro, in, NULL, 4));
	T(sendfile(s, wo, NULL, 4));
	T(sendfile(s, in, BADPTR, 4));
	so = -1;
	T(sendfile(s, in, &so, 4));
	/* close_range: a range, CLOEXEC, bad arguments. */
	T(close_range(100, 50, 0));
	T(close_range(3, 4, 0x80));
	T(close_range(ro, ro, CLOSE_RANGE_CLOEXEC));
	T(fcntl(ro, F_GETFD));
	T(close_range(ro, ~0U, 0));
	T(fcntl(ro, F_GETFD));
	T(fcntl(3, F_GETFD));
	T(close_range(0, 2, CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC));
	T(fcntl(1, F_GETFD));
	return 0;
}
