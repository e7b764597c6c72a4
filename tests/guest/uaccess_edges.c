/* Guest memory at the edges of what a call reads and writes: results into
 * memory that cannot take them (read-only, unmapped, half mapped, a file
 * mapping), paths that run into an unmapped page or past PATH_MAX, write
 * buffers that end early, and what a failed copy leaves behind (a pipe's
 * data stays when read cannot store it). Results that do arrive are
 * checked byte for byte, also across several iovecs. */
#include "t.h"
#include <sys/mman.h>
#include <sys/uio.h>

static char *two_pages(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		exit(97);
	return p;
}

/* A string whose NUL would be on the page after p's first one, unmapped. */
static void paths_into_unmapped(void)
{
	char *p = two_pages();
	munmap(p + 4096, 4096);
	struct stat st;
	memcpy(p + 4096 - 4, "/etc", 4);
	T(stat(p + 4096 - 4, &st));
	memcpy(p + 4096 - 5, "/etc", 5);
	T(stat(p + 4096 - 5, &st) == 0 && S_ISDIR(st.st_mode));
	munmap(p, 4096);
}

static void long_paths(void)
{
	char *p = malloc(5000);
	memset(p, 'a', 4999);
	p[4999] = 0;
	p[0] = '/';
	struct stat st;
	T(stat(p, &st));
	p[4095] = 0;
	T(stat(p, &st));
	p[4094] = 0;
	T(stat(p, &st));
	free(p);
}

static void results_that_cannot_land(const char *dir)
{
	struct stat st;
	char *p = two_pages();
	mprotect(p, 4096, PROT_READ);
	T(stat("/", (struct stat *)p));
	T(fstat(0, (struct stat *)(p + 4096 - 8)));
	mprotect(p, 4096, PROT_READ | PROT_WRITE);
	munmap(p + 4096, 4096);
	T(stat("/", (struct stat *)(p + 4096 - 8)));
	T(stat("/", (struct stat *)(p + 4096 - sizeof st)) == 0);

	/* A pipe's bytes stay when read cannot store them. */
	int fds[2];
	pipe(fds);
	write(fds[1], "pipe data", 9);
	mprotect(p, 4096, PROT_READ);
	T(read(fds[0], p, 9));
	mprotect(p, 4096, PROT_READ | PROT_WRITE);
	char buf[16] = {0};
	T(read(fds[0], buf, sizeof buf));
	SAY("then read \"%s\"\n", buf);
	close(fds[0]);
	close(fds[1]);
	munmap(p, 4096);

	/* Into a shared file mapping: the file sees it. */
	char path[4200];
	snprintf(path, sizeof path, "%s/f", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ftruncate(fd, 4096);
	char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int z = open("/proc/self/cmdline", O_RDONLY);
	T(read(z, m, 4) > 0);
	close(z);
	T(stat("/", (struct stat *)(m + 64)));
	char back[8] = {0};
	T(pread(fd, back, 4, 0));
	SAY("file holds the read's bytes %d\n", memcmp(back, m, 4) == 0);
	munmap(m, 4096);
	close(fd);
}

static void write_buffers_that_end(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/w", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *p = two_pages();
	memset(p, 'x', 4096);
	munmap(p + 4096, 4096);
	T(write(fd, p + 4096 - 100, 100));
	T(write(fd, p + 4096 - 100, 200));
	T(write(fd, p + 4096, 10));
	T(lseek(fd, 0, SEEK_END));
	munmap(p, 4096);
	close(fd);
}

/* Results arrive whole and in order: a read over several iovecs, and a
 * read straight after another into the same buffer. */
static void results_arrive(void)
{
	int fds[2];
	pipe(fds);
	char msg[3000];
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (char)('a' + i % 26);
	write(fds[1], msg, sizeof msg);
	char a[1000], b[1500], c[600];
	struct iovec iov[3] = {{a, sizeof a}, {b, sizeof b}, {c, sizeof c}};
	T(readv(fds[0], iov, 3));
	SAY("iovecs hold the bytes %d %d %d\n", !memcmp(a, msg, sizeof a),
	    !memcmp(b, msg + 1000, sizeof b), !memcmp(c, msg + 2500, 500));
	write(fds[1], "first", 5);
	write(fds[1], "SECOND", 6);
	char buf[8] = {0};
	read(fds[0], buf, 5);
	read(fds[0], buf, 6);
	SAY("last read wins: %s\n", buf);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	const char *d = scratch("uaccess_edges");
	paths_into_unmapped();
	long_paths();
	results_that_cannot_land(d);
	write_buffers_that_end(d);
	results_arrive();
	return 0;
}
