/* Bad pointers give EFAULT (and never crash the kernel), across families. */
#include "t.h"
#include <poll.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#define B      BADPTR
#define KERNEL ((void *)0xffffffff81000000UL)

int main(void)
{
	const char *d = scratch("efault");
	if (chdir(d))
		return 1;
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(write(fd, "data", 4));
	/* Reads into and writes from bad buffers. */
	T(pread(fd, B, 4, 0));
	T(pread(fd, KERNEL, 4, 0));
	T(write(fd, B, 4));
	T(write(fd, KERNEL, 4));
	T(syscall(SYS_readv, fd, B, 1));
	T(syscall(SYS_writev, fd, KERNEL, 1));
	/* Paths. */
	T(syscall(SYS_open, B, O_RDONLY));
	T(syscall(SYS_open, KERNEL, O_RDONLY));
	T(syscall(SYS_stat, B, B));
	T(syscall(SYS_stat, "f", KERNEL));
	T(syscall(SYS_lstat, "f", B));
	T(syscall(SYS_fstat, fd, B));
	T(syscall(SYS_newfstatat, AT_FDCWD, B, B, 0));
	T(syscall(SYS_access, B, F_OK));
	T(syscall(SYS_mkdir, B, 0755));
	T(syscall(SYS_rmdir, B));
	T(syscall(SYS_unlink, B));
	T(syscall(SYS_rename, "f", B));
	T(syscall(SYS_link, B, "g"));
	T(syscall(SYS_symlink, "f", B));
	T(syscall(SYS_readlink, B, B, 10));
	T(syscall(SYS_chdir, B));
	T(syscall(SYS_chmod, B, 0644));
	T(syscall(SYS_chown, B, 0, 0));
	T(syscall(SYS_truncate, B, 0));
	T(syscall(SYS_statfs, B, B));
	T(syscall(SYS_statfs, ".", B));
	T(syscall(SYS_fstatfs, fd, KERNEL));
	T(syscall(SYS_execve, B, NULL, NULL));
	T(syscall(SYS_utimensat, AT_FDCWD, "f", B, 0));
	/* A path that runs into unmapped memory before its NUL. */
	char *edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(edge + 4096, 4096);
	memset(edge, 'a', 4096);
	T(syscall(SYS_open, edge + 4096 - 10, O_RDONLY));
	T(syscall(SYS_open, edge, O_RDONLY));
	/* Time, ids, system information. */
	T(syscall(SYS_clock_gettime, CLOCK_REALTIME, B));
	T(syscall(SYS_gettimeofday, B, NULL));
	T(syscall(SYS_nanosleep, B, NULL));
	T(syscall(SYS_uname, B));
	T(syscall(SYS_sysinfo, KERNEL));
	T(syscall(SYS_times, B));
	T(syscall(SYS_getrusage, RUSAGE_SELF, B));
	T(syscall(SYS_getrlimit, RLIMIT_NOFILE, B));
	T(syscall(SYS_setrlimit, RLIMIT_NOFILE, B));
	T(syscall(SYS_getresuid, B, B, B));
	T(syscall(SYS_getgroups, 10, B));
	T(syscall(SYS_getcwd, B, 100));
	T(syscall(SYS_getrandom, B, 10, 0));
	/* Descriptors and waiting. */
	T(syscall(SYS_pipe, B));
	T(syscall(SYS_pipe2, KERNEL, 0));
	T(syscall(SYS_poll, B, 1, 0));
	T(syscall(SYS_select, 1, B, NULL, NULL, NULL));
	T(syscall(SYS_wait4, -1, B, WNOHANG, NULL));
	T(syscall(SYS_getdents64, open(".", O_RDONLY | O_DIRECTORY), B, 4096));
	T(syscall(SYS_fcntl, fd, F_GETLK, B));
	/* Signals. */
	T(syscall(SYS_rt_sigaction, SIGUSR1, B, NULL, 8));
	T(syscall(SYS_rt_sigprocmask, SIG_BLOCK, KERNEL, NULL, 8));
	T(syscall(SYS_rt_sigpending, B, 8));
	T(syscall(SYS_sigaltstack, B, NULL));
	T(syscall(SYS_rt_sigtimedwait, B, NULL, NULL, 8));
	T(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, B));
	/* Bad pointers handed to a forked child's kernel calls: same. */
	pid_t c = fork();
	if (c == 0) {
		T(syscall(SYS_uname, B));
		T(syscall(SYS_write, 1, KERNEL, 5));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* The kernel is still fine. */
	T(syscall(SYS_getppid) > 0);
	return 0;
}
