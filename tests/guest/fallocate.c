/* fallocate: allocation, KEEP_SIZE, PUNCH_HOLE (reads zeros, size kept),
 * ZERO_RANGE, errors; on the scratch filesystem and on tmpfs. */
#include "t.h"
#include <linux/falloc.h>

static void test_in(const char *dir)
{
	SAY(" in %s\n", strncmp(dir, "/dev/shm", 8) ? "scratch" : "tmpfs");
	if (chdir(dir))
		exit(3);
	int fd = T(open("f", O_CREAT | O_RDWR | O_TRUNC, 0644));
	struct stat st;
	T(fallocate(fd, 0, 0, 10000));
	T(fstat(fd, &st));
	SAY("  size %lld allocated %d\n", (long long)st.st_size, st.st_blocks >= 16);
	T(fallocate(fd, FALLOC_FL_KEEP_SIZE, 10000, 50000));
	T(fstat(fd, &st));
	SAY("  size %lld\n", (long long)st.st_size);
	static char buf[20000];
	memset(buf, 'x', sizeof buf);
	T(pwrite(fd, buf, sizeof buf, 0));
	T(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 8192));
	T(pread(fd, buf, sizeof buf, 0));
	SAY("  %c %d %d %c size %lld\n", buf[4095], buf[4096], buf[12287], buf[12288],
	    (long long)lseek(fd, 0, SEEK_END));
	T(lseek(fd, 0, SEEK_HOLE));
	T(lseek(fd, 4096, SEEK_DATA));
	T(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4096));
	T(fallocate(fd, 0, -1, 10));
	T(fallocate(fd, 0, 0, 0));
	T(fallocate(fd, 0x100, 0, 10));
	int ro = T(open("f", O_RDONLY));
	T(fallocate(ro, 0, 0, 10));
	T(close(ro));
	int p[2];
	T(pipe(p));
	T(fallocate(p[1], 0, 0, 10));
	T(fallocate(-1, 0, 0, 10));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(fallocate(dfd, 0, 0, 10));
	T(close(dfd));
	T(close(p[0]));
	T(close(p[1]));
	T(close(fd));
	T(unlink("f"));
	T(chdir("/"));
}

int main(void)
{
	const char *d = scratch("fallocate");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", d);
	test_in(dir);
	char shm[4096];
	snprintf(shm, sizeof shm, "%s", shm_scratch("fallocate"));
	test_in(shm);
	scratch_remove(shm);
	return 0;
}
