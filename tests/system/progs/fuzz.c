/*
 * A system-call fuzzer for the guest: children make random calls with
 * random arguments (fds, good and bad pointers, odd sizes and flags). The
 * kernel must survive every one of them: ./linux must not die or hang.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static char *good;

static long arg(void)
{
	static const long special[] = {0,
				       1,
				       2,
				       3,
				       -1,
				       -100,
				       0x7fffffff,
				       0x80000000L,
				       4096,
				       65536,
				       0x10,
				       0x7fff00000000L,
				       0x7fff10000000L,
				       0xffffffffffffL,
				       -4096,
				       0x40000000,
				       0x1000000};
	switch (rnd() % 6) {
	case 0:
		return special[rnd() % (sizeof special / sizeof special[0])];
	case 1:
		return (long)(good + rnd() % 8192);
	case 2:
		return (long)(rnd() % 64);
	case 3:
		return (long)rnd();
	case 4:
		return (long)(rnd() & 0xffff);
	default:
		return (long)good;
	}
}

/* Calls that would end or stall the fuzzer rather than test the kernel. */
static int excluded(long nr)
{
	switch (nr) {
	case SYS_exit:
	case SYS_exit_group:
	case SYS_reboot:
	case SYS_kill:
	case SYS_tkill:
	case SYS_tgkill:
	case SYS_fork:
	case SYS_vfork:
	case SYS_clone:
	case SYS_clone3:
	case SYS_execve:
	case SYS_execveat:
	case SYS_pause:
	case SYS_rt_sigsuspend:
	case SYS_ptrace:
	case SYS_rt_sigreturn:
	case SYS_setsid:
	case SYS_setpgid:
	case SYS_chroot:
	case SYS_umount2:
	case SYS_mount:
	case SYS_pivot_root:
	case SYS_sigaltstack:
	case SYS_arch_prctl:
	case SYS_rt_sigaction:
	case SYS_rt_sigprocmask:
	case SYS_close_range:
	case SYS_setuid:
	case SYS_setresuid:
	case SYS_setreuid:
	case SYS_unlink:
	case SYS_unlinkat:
	case SYS_rmdir:
	case SYS_rename:
	case SYS_renameat:
	case SYS_renameat2:
	case SYS_truncate:
	case SYS_chmod:
	case SYS_chown:
	case SYS_lchown:
	case SYS_fchmodat:
	case SYS_fchownat:
	case SYS_setrlimit:
	case SYS_prlimit64:
	case SYS_set_robust_list:
	case SYS_rseq:
	case SYS_wait4:
	case SYS_waitid:
		return 1;
	}
	return 0;
}

static void child(int round)
{
	rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(round + 1);
	good = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Its own fds only: the console is the test's, not the fuzzer's. */
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	int p[2];
	pipe(p);
	open("file", O_RDWR | O_CREAT, 0644);
	open(".", O_RDONLY | O_DIRECTORY);
	open("/proc/self/status", O_RDONLY);
	signal(SIGALRM, SIG_DFL);
	alarm(2);
	for (int i = 0; i < 400; i++) {
		long nr = (long)(rnd() % 450);
		if (excluded(nr))
			continue;
		syscall(nr, arg(), arg(), arg(), arg(), arg(), arg());
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 60;
	int seed = argc > 3 ? atoi(argv[3]) : 0;
	struct rlimit r = {64, 64};
	setrlimit(RLIMIT_NPROC, &r);
	if (chdir(argc > 2 ? argv[2] : "/tmp"))
		return 1;
	for (int i = 0; i < rounds; i++) {
		pid_t p = fork();
		if (p == 0)
			child(seed + i);
		/* The child may cancel its own alarm: the parent keeps time too. */
		int st, waited = 0;
		while (waitpid(p, &st, WNOHANG) == 0) {
			if (++waited == 300)
				kill(p, SIGKILL);
			usleep(10000);
		}
	}
	printf("fuzz done\n");
	return 0;
}
