/*
 * A hostile guest for the seccomp platform (docs/seccomp.md, threat model):
 * it jumps into the stub's code, forges its control pages, blocks host
 * signals and races its own threads. Each case runs in a child; the parent
 * reports how the child ended and that the parent itself, and the kernel,
 * are unharmed. Runs only inside ./linux (platform=seccomp).
 *
 * Usage: hostile CASE...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define STUB_TEXT  0x7fff10000000UL
#define STUB_CTL   0x7fff20000000UL
#define CTL_SLOT   0x8000UL
#define JUMP_TABLE 0x60000UL /* patched sites jump through it */

static uintptr_t stub_insn; /* the stub's one syscall instruction */

/* stub_sys ends with glibc's syscall() tail: mov 8(%rsp),%r9; syscall; ret */
static void find_stub(void)
{
	static const unsigned char tail[] = {0x4c, 0x8b, 0x4c, 0x24, 0x08, 0x0f, 0x05, 0xc3};
	const unsigned char *p = (const unsigned char *)STUB_TEXT;
	for (size_t i = 0; i < 0x40000; i++) {
		if (!memcmp(p + i, tail, sizeof tail)) {
			stub_insn = (uintptr_t)(p + i + 5);
			return;
		}
	}
	puts("no stub found");
	exit(1);
}

/* A system call made by the stub's own instruction (built -mno-red-zone). */
static long stub_call(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("call *%[insn]"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9), [insn] "m"(stub_insn)
			 : "rcx", "r11", "memory");
	return ret;
}

static void spin(void)
{
	for (volatile unsigned long i = 0;; i++)
		;
}

/* ---- the cases: each runs in a child process ---- */

static void do_execve(void)
{
	char *argv[] = {"/bin/sh", "-c", "echo escaped", NULL};
	stub_call(SYS_execve, (long)"/bin/sh", (long)argv, (long)(argv + 3), 0, 0, 0);
}

static void do_open(void)
{
	stub_call(SYS_openat, AT_FDCWD, (long)"/etc/passwd", O_RDONLY, 0, 0, 0);
}

static void do_kill(void)
{
	stub_call(SYS_kill, -1, SIGKILL, 0, 0, 0, 0);
}

static void do_mmap_stub(void)
{
	stub_call(SYS_mmap, STUB_TEXT, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static void do_mmap_anywhere(void)
{
	stub_call(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void do_mprotect_stub(void)
{
	stub_call(SYS_mprotect, STUB_TEXT, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0);
}

static void do_munmap_ctl(void)
{
	stub_call(SYS_munmap, STUB_CTL, CTL_SLOT, 0, 0, 0, 0);
}

static void do_wrap_around(void)
{
	/* addr + len overflows 64 bits: must not pass as "below the stub" */
	stub_call(SYS_munmap, 0x1000, -0x1000L, 0, 0, 0, 0);
}

static void do_mremap_into_stub(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stub_call(SYS_mremap, (long)p, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, STUB_CTL, 0);
}

/* Fills the host's quota of mappings behind umk's back, then unmaps a
 * page from the middle of a mapping umk made: umk answers before the stub
 * unmaps, the host refuses the split, and only this process dies. */
static void do_deferred_refused(void)
{
	char *m = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (unsigned long a = 0x200000000000UL;; a += 2 * 4096)
		if (stub_call(SYS_mmap, (long)a, 4096, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) < 0)
			break;
	/* Not reached: the unmapping is made before the guest would go on. */
	_exit(munmap(m + 4096, 4096) < 0 ? 11 : 10);
}

static void do_clone_plain(void)
{
	if (stub_call(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0) == 0)
		spin();
}

static void do_sigaction(void)
{
	unsigned long sa[4] = {(unsigned long)SIG_IGN, 0, 0, 0};
	stub_call(SYS_rt_sigaction, SIGUSR2, (long)sa, 0, 8, 0, 0);
}

static void do_getfd(void)
{
	stub_call(1000, 0, 0, 0, 0, 0, 0);
}

/* A process umk never heard of: it spins, and the reaper kills it. */
static void do_rogue_fork(void)
{
	long pid = stub_call(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0, 0);
	if (pid == 0)
		spin();
	printf("rogue %ld\n", pid);
	fflush(stdout);
	sleep(6);
}

/* Blocks every host signal, then never traps again: the parent's SIGKILL
 * must still end it. */
static void do_block_signals(void)
{
	unsigned long all = ~0UL;
	stub_call(SYS_rt_sigprocmask, SIG_BLOCK, (long)&all, 0, 8, 0, 0);
	spin();
}

/* The same through a forged signal frame, which also drops the alternate
 * stack and lands in a spin loop. */
static void do_forged_sigreturn(void)
{
	static unsigned long stack[4096];
	unsigned long uc[38] = {0};
	uc[0] = 6;				    /* UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	uc[3] = 2;				    /* uc_stack.ss_flags = SS_DISABLE */
	uc[5 + 15] = (unsigned long)(stack + 4000); /* rsp */
	uc[5 + 16] = (unsigned long)spin;	    /* rip */
	uc[5 + 17] = 0x202;			    /* eflags */
	uc[5 + 18] = 0x33 | (0x2bUL << 48);	    /* cs, ss */
	uc[37] = ~0UL;				    /* uc_sigmask: everything */
	__asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tjmp *%1"
			 :
			 : "r"(uc), "r"(stub_insn)
			 : "memory");
}

static volatile int stop;

static void *scribble(void *arg)
{
	unsigned long seed = (unsigned long)arg;
	while (!stop) {
		/* the first few control pages: this thread's and the main one's */
		unsigned *p = (unsigned *)STUB_CTL;
		for (size_t i = 0; i < 4 * CTL_SLOT / 4; i += 7) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			p[i] = (unsigned)(seed >> 33);
		}
	}
	return NULL;
}

/* Garbage in the control pages while the main thread makes calls, some
 * of whose input and results cross there (read-ahead, write-behind). */
static void do_forge_pages(void)
{
	pthread_t t;
	struct stat st;
	char buf[64];
	int fd = open("/dev/zero", O_RDWR);
	pthread_create(&t, NULL, scribble, (void *)1);
	for (;;) {
		getppid();
		stat("/", &st);
		read(fd, buf, sizeof buf);
		write(fd, buf, sizeof buf);
	}
}

static void *forge_calls(void *arg)
{
	(void)arg;
	volatile unsigned *main_state = (unsigned *)STUB_CTL;
	while (!stop) {
		/* "the kernel's turn" with a getpid in the main thread's registers */
		((volatile unsigned long *)(STUB_CTL + 120))[15] = SYS_getpid;
		main_state[6] = 3; /* event: a syscall */
		main_state[0] = 2; /* KERNEL_TURN */
	}
	return NULL;
}

/* Forged posts on another thread's page, mid-call. */
static void do_forge_posts(void)
{
	pthread_t t;
	pthread_create(&t, NULL, forge_calls, NULL);
	for (;;)
		getppid();
}

/* ---- racing for a file's fd while it is mapped ---- */

static const char *race_file;

static void *map_loop(void *arg)
{
	int fd = open(race_file, O_RDONLY);
	(void)arg;
	while (!stop) {
		void *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED)
			munmap(m, 4096);
	}
	return NULL;
}

/* Maps fd shared and writable through the stub; 1 if that worked. */
static int map_writable(long fd)
{
	long r = stub_call(SYS_mmap, 0x500000000L, 4096, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_FIXED, fd, 0);
	if (r != 0x500000000L)
		return 0;
	memcpy((void *)r, "HACKED", 6);
	return 1;
}

/* Takes whatever fds wait on fd (the stub's fd channel, if it is one). */
static int steal_fds(int fd, int *fds, int max)
{
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} u;
	char data[16];
	struct iovec iov = {data, sizeof data};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
	if (stub_call(SYS_recvmsg, fd, (long)&msg, MSG_DONTWAIT, 0, 0, 0) < 0)
		return 0;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return 0;
	int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	n = n < max ? n : max;
	memcpy(fds, CMSG_DATA(c), (size_t)n * sizeof(int));
	return n;
}

/* Another thread maps a file this user may only read; we try every fd the
 * stub might hold meanwhile, and every fd we can take from the stub's fd
 * channel, shared and writable. */
static void do_fd_race(void)
{
	pthread_t t;
	if (setgid(1000) || setuid(1000))
		exit(2);
	pthread_create(&t, NULL, map_loop, NULL);
	long got = 0, taken = 0;
	for (int round = 0; round < 20000; round++) {
		for (int fd = 0; fd < 8; fd++) {
			int stolen[4], n = steal_fds(fd, stolen, 4);
			taken += n;
			got += map_writable(fd);
			for (int i = 0; i < n; i++) {
				got += map_writable(stolen[i]);
				stub_call(SYS_close, stolen[i], 0, 0, 0, 0, 0);
			}
		}
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("fds taken from the channel: %ld\n", taken);
	printf("writable mappings won: %ld\n", got);
}

/* The jump table every stub shares for patched system call sites: mapped,
 * but no way through the stub, the kernel's mmap or /proc/self/mem writes
 * it. Exits with how many ways got through. */
static void do_write_table(void)
{
	char b = *(volatile char *)JUMP_TABLE;
	int fd = open("/proc/self/mem", O_RDWR);
	_exit((stub_call(SYS_mprotect, JUMP_TABLE, 4096, PROT_READ | PROT_WRITE, 0, 0, 0) == 0) +
	      (mmap((void *)JUMP_TABLE, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) +
	      (fd >= 0 && pwrite(fd, &b, 1, JUMP_TABLE) == 1));
}

struct hcase {
	const char *name;
	void (*fn)(void);
	int secs; /* then the parent kills it (default 3) */
};

static const struct hcase cases[] = {
    {"execve", do_execve},
    {"open", do_open},
    {"kill", do_kill},
    {"mmap-stub", do_mmap_stub},
    {"mmap-anywhere", do_mmap_anywhere},
    {"mprotect-stub", do_mprotect_stub},
    {"munmap-ctl", do_munmap_ctl},
    {"wrap-around", do_wrap_around},
    {"mremap-into-stub", do_mremap_into_stub},
    {"clone-plain", do_clone_plain},
    {"deferred-refused", do_deferred_refused},
    {"sigaction", do_sigaction},
    {"getfd", do_getfd},
    {"rogue-fork", do_rogue_fork, 8},
    {"block-signals", do_block_signals},
    {"forged-sigreturn", do_forged_sigreturn},
    {"forge-pages", do_forge_pages},
    {"forge-posts", do_forge_posts},
    {"fd-race", do_fd_race},
    {"write-table", do_write_table},
};

static void report(const char *name, int status)
{
	if (WIFSIGNALED(status))
		printf("%s: killed by %s\n", name, sigabbrev_np(WTERMSIG(status)));
	else
		printf("%s: exit %d\n", name, WEXITSTATUS(status));
}

/* Runs a case in a child; cases that never end get SIGKILL after a while. */
static void run(const struct hcase *c)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		c->fn();
		_exit(0);
	}
	int status;
	for (int i = 0; i < 10 * (c->secs ? c->secs : 3); i++) {
		usleep(100000);
		if (waitpid(pid, &status, WNOHANG) == pid) {
			report(c->name, status);
			return;
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	report(c->name, status);
}

int main(int argc, char **argv)
{
	find_stub();
	race_file = getenv("RACE_FILE");
	for (int i = 1; i < argc; i++)
		for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
			if (!strcmp(argv[i], cases[k].name))
				run(&cases[k]);
	/* the parent, and the kernel, are fine */
	struct stat st;
	printf("parent: getppid %d stat %d\n", getppid() >= 0, stat("/", &st));
	return 0;
}
