/* Bad, closed and wrong-kind descriptors give EBADF (or Linux's errno for
 * that case) across families. */
#include "t.h"
#include <poll.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <sys/ioctl.h>
#include <sys/xattr.h>

int main(void)
{
	const char *d = scratch("ebadf");
	if (chdir(d))
		return 1;
	char buf[16];
	struct stat st;
	struct statfs sfs;
	int bad[] = {-1, 99, 1 << 30};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int fd = bad[i];
		SAY(" fd %d\n", fd);
		T(read(fd, buf, 1));
		T(write(fd, buf, 1));
		T(pread(fd, buf, 1, 0));
		T(close(fd));
		T(fstat(fd, &st));
		T(fstatfs(fd, &sfs));
		T(lseek(fd, 0, SEEK_SET));
		T(fsync(fd));
		T(ftruncate(fd, 0));
		T(fchmod(fd, 0644));
		T(fchown(fd, 0, 0));
		T(fchdir(fd));
		T(dup(fd));
		T(dup2(fd, 5));
		T(fcntl(fd, F_GETFL));
		T(ioctl(fd, FIONREAD, buf));
		T(flock(fd, LOCK_SH));
		T(syscall(SYS_getdents64, fd, buf, sizeof buf));
		T(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0));
		T(openat(fd, "x", O_RDONLY));
		T(fstatat(fd, "x", &st, 0));
		T(mkdirat(fd, "x", 0755));
		T(unlinkat(fd, "x", 0));
		T(syscall(SYS_execveat, fd, "", NULL, NULL, AT_EMPTY_PATH));
	}
	/* A closed descriptor. */
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(close(fd));
	T(read(fd, buf, 1));
	T(close(fd));
	/* Wrong access mode. */
	fd = T(open("f", O_RDONLY));
	T(write(fd, "x", 1));
	T(ftruncate(fd, 0));
	struct iovec v = {"x", 1};
	T(writev(fd, &v, 1));
	T(close(fd));
	fd = T(open("f", O_WRONLY));
	T(read(fd, buf, 1));
	T(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0));
	T(close(fd));
	/* O_PATH descriptors: only some calls take them. */
	fd = T(open("f", O_PATH));
	T(read(fd, buf, 1));
	T(write(fd, buf, 1));
	T(fchmod(fd, 0600));
	T(fchown(fd, 0, 0));
	T(fsync(fd));
	T(ftruncate(fd, 0));
	T(flock(fd, LOCK_SH));
	T(ioctl(fd, FIONREAD, buf));
	T(lseek(fd, 0, SEEK_SET));
	T(fstat(fd, &st));
	T(fstatfs(fd, &sfs));
	T(fcntl(fd, F_GETFL) & O_PATH ? 1 : 0);
	T(dup(fd) >= 0);
	T(fgetxattr(fd, "user.x", buf, sizeof buf));
	T(close(fd));
	/* poll reports POLLNVAL for a bad fd; select says EBADF. */
	struct pollfd p = {77, POLLIN, 0};
	T(poll(&p, 1, 0));
	SAY("  revents %#x\n", p.revents);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(77, &r);
	struct timeval tv = {0, 0};
	T(select(78, &r, NULL, NULL, &tv));
	return 0;
}
