/* A buffer that runs into an unmapped page: reads and writes transfer
 * what fits before the fault and return that count; EFAULT only when
 * nothing could be transferred. */
#include "t.h"
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

static char *edge; /* 4096 good bytes, then an unmapped page */

static void try_fd(const char *what, int rfd, int wfd)
{
	SAY(" %s\n", what);
	T(read(rfd, edge, 8192));
	T(read(rfd, edge + 4096, 10));
	if (wfd >= 0) {
		memset(edge, 'w', 4096);
		T(write(wfd, edge + 4000, 200));
		T(write(wfd, edge + 4096, 10));
	}
}

int main(void)
{
	const char *d = scratch("partial_fault");
	if (chdir(d))
		return 1;
	edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(edge + 4096, 4096);
	static char data[16384];
	memset(data, 'd', sizeof data);
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(write(fd, data, sizeof data));
	T(lseek(fd, 0, SEEK_SET));
	try_fd("scratch file", fd, fd);
	T(lseek(fd, 0, SEEK_CUR));
	char *shm = (char *)shm_scratch("partial_fault");
	char path[4200];
	snprintf(path, sizeof path, "%s/f", shm);
	int tfd = T(open(path, O_CREAT | O_RDWR, 0644));
	T(write(tfd, data, sizeof data));
	T(lseek(tfd, 0, SEEK_SET));
	try_fd("tmpfs file", tfd, tfd);
	T(lseek(tfd, 0, SEEK_CUR));
	int p[2];
	T(pipe(p));
	T(write(p[1], data, 8192));
	/* (a pipe write that faults drops the faulting page: EFAULT) */
	try_fd("pipe", p[0], p[1]);
	T(ioctl(p[0], FIONREAD, &(int){0}));
	int z = T(open("/dev/zero", O_RDWR));
	try_fd("/dev/zero", z, -1);
	int u = T(open("/dev/urandom", O_RDONLY));
	try_fd("/dev/urandom", u, -1);
	/* Vectored: the good iovecs count, the bad one ends it. */
	T(lseek(fd, 0, SEEK_SET));
	char a[10];
	struct iovec v[3] = {{a, sizeof a}, {edge + 4090, 100}, {a, sizeof a}};
	T(readv(fd, v, 3));
	T(lseek(fd, 0, SEEK_CUR));
	T(writev(fd, v, 3));
	/* getdents64 into a buffer too small before the fault. */
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(syscall(SYS_getdents64, dfd, edge + 4096 - 8, 4096));
	T(close(dfd));
	scratch_remove(shm);
	return 0;
}
