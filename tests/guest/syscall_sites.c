/* System call sites of the shapes the seccomp platform patches, used hard:
 * results must not change while threads run through a site as it is
 * rewritten, when a thread jumps straight to the syscall instruction of a
 * patched site, or when a call made there is restarted after a signal; and
 * a call keeps the arithmetic flags, as the syscall instruction does, or
 * gets those of the test after it (glibc's read). */
#include "t.h"
#include <pthread.h>

__asm__(".text\n"
	".p2align 4\n"
	"site_getppid:\n"
	"	mov $110, %eax\n"
	"site_getppid_insn:\n"
	"	syscall\n"
	"	ret\n"
	".p2align 4\n"
	"jump_getppid:\n" /* to the syscall instruction, past the mov */
	"	mov $110, %eax\n"
	"	jmp site_getppid_insn\n"
	".p2align 4\n"
	"site_getpid:\n"
	"	mov $39, %eax\n"
	"	syscall\n"
	"	ret\n"
	".p2align 4\n"
	"site_flags:\n" /* getpid with the flags in rdi; returns the flags after */
	"	push %rdi\n"
	"	popfq\n"
	"	mov $39, %eax\n"
	"	syscall\n"
	"	pushfq\n"
	"	pop %rax\n"
	"	ret\n"
	".p2align 4\n"
	"site_read:\n"
	"	mov $0, %eax\n"
	"	syscall\n"
	"	ret\n"
	".p2align 4\n"
	"site_read_test:\n" /* glibc's read; an error comes back less 1000000 */
	"	xor %eax, %eax\n"
	"	syscall\n"
	"	cmp $-4096, %rax\n"
	"	ja 1f\n"
	"	ret\n"
	"1:	sub $1000000, %rax\n"
	"	ret\n"
	".p2align 4\n"
	"site_dup1:\n" /* dup(1), through mov $imm,%edi; syscall */
	"	mov $32, %eax\n"
	"	mov $1, %edi\n"
	"	syscall\n"
	"	ret\n"
	".p2align 4\n"
	"site_getpgid0:\n" /* getpgid(0), through mov $nr,%eax; xor %edi,%edi; syscall */
	"	mov $121, %eax\n"
	"	xor %edi, %edi\n"
	"	syscall\n"
	"	ret\n"
	".p2align 4\n"
	"site_getpid_rax:\n" /* mov $nr,%rax; syscall */
	"	mov $39, %rax\n"
	"	syscall\n"
	"	ret\n"
	".p2align 4\n"
	"site_syscall:\n" /* glibc's syscall() */
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	mov %r8, %r10\n"
	"	mov %r9, %r8\n"
	"	mov 8(%rsp), %r9\n"
	"	syscall\n"
	"	ret\n");
long site_getppid(void);
long jump_getppid(void);
long site_getpid(void);
unsigned long site_flags(unsigned long flags);
long site_read(int fd, void *buf, size_t len);
long site_read_test(int fd, void *buf, size_t len);
long site_syscall(long nr, ...);
long site_dup1(void);
long site_getpgid0(void);
long site_getpid_rax(void);

static pid_t me;
static int zero;

static void *hammer(void *arg)
{
	long bad = 0;
	char c;
	for (int i = 0; i < 20000; i++) {
		bad += site_getpid() != me;
		bad += site_syscall(SYS_getpid) != me;
		bad += site_read_test(zero, &c, 1) != 1;
	}
	*(long *)arg = bad;
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A read at a patched site, blocked, interrupted by a signal. */
static void interrupted_read(long (*site)(int, void *, size_t), int flags)
{
	int p[2];
	char c = 0;
	T(pipe(p));
	for (int i = 0; i < 5; i++) { /* hot: patched by now */
		T(write(p[1], "x", 1));
		T(site(p[0], &c, 1));
	}
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = flags};
	sigaction(SIGALRM, &sa, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(300000);
		write(p[1], "y", 1);
		_exit(0);
	}
	ualarm(100000, 0);
	long r = site(p[0], &c, 1);
	SAY("read after SIGALRM (%s): %ld %c\n", flags ? "restart" : "no restart", r,
	    r == 1 ? c : '-');
	waitpid(pid, NULL, 0);
	if (r != 1)
		T(site(p[0], &c, 1));
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	me = getpid();
	long ok = 0;
	for (int i = 0; i < 10; i++)
		ok += site_getppid() == getppid();
	SAY("mov $nr site: %ld of 10\n", ok);
	ok = 0;
	for (int i = 0; i < 10; i++)
		ok += jump_getppid() == getppid();
	SAY("jump to its syscall instruction: %ld of 10\n", ok);
	/* CF, PF, ZF, SF and OF in turn, with IF and the reserved bit 1. */
	static const unsigned long arith[] = {0x001, 0x004, 0x040, 0x080, 0x800, 0x8c5};
	ok = 0;
	for (int i = 0; i < 12; i++) {
		unsigned long f = 0x202 | arith[i % 6];
		ok += (site_flags(f) & 0x8d5) == (f & 0x8d5);
	}
	SAY("flags kept across a mov $nr site: %ld of 12\n", ok);
	ok = 0;
	for (int i = 0; i < 10; i++) {
		long fd = site_dup1();
		ok += fd > 2 && close((int)fd) == 0;
		ok += site_getpgid0() == getpgid(0);
		ok += site_getpid_rax() == me;
	}
	SAY("mov $imm,%%edi, xor %%edi,%%edi and mov $nr,%%rax sites: %ld of 30\n", ok);
	zero = open("/dev/zero", O_RDONLY);
	ok = 0;
	for (int i = 0; i < 10; i++) {
		char c = 1;
		ok += site_read_test(zero, &c, 1) == 1 && c == 0;
		ok += site_read_test(-1, &c, 1) == -EBADF - 1000000;
	}
	SAY("read's site, its result tested after: %ld of 20\n", ok);

	pthread_t t[4];
	long bad[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, hammer, &bad[i]);
	long total = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		total += bad[i];
	}
	SAY("threads racing through new sites: %ld wrong\n", total);

	interrupted_read(site_read, SA_RESTART);
	interrupted_read(site_read, 0);
	interrupted_read(site_read_test, SA_RESTART);
	interrupted_read(site_read_test, 0);
	return 0;
}
