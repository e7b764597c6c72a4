/*
 * The stub: the first program of every guest process's host process.
 *
 * ./linux execs it once, as the template; the template forks a clean stub
 * whenever the kernel asks for one, and every guest process (after execve)
 * lives in such a copy. Nothing of ./linux's memory is mapped here. The
 * program holds only position-independent gadgets that the platform points a
 * stopped thread at to run host system calls inside the stub.
 *
 * Freestanding: no libc, no stack use in the gadgets, no FPU registers.
 */
#include "stub.h"
#include <stddef.h>
#include <sys/syscall.h>
#include <signal.h>
#include <sys/prctl.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include <linux/audit.h>
#include <sys/socket.h>

#define STR_(x) #x
#define STR(x) STR_(x)

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define sys3(nr, a, b, c) sys6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* The gadgets. A stopped stub thread is pointed at one with registers set
 * for a system call; it traps (int3) when done. The child of a clone made
 * through stub_clone parks in stub_park until a task thread adopts it. */
__asm__(".text\n"
	".globl stub_syscall\n"
	"stub_syscall:\n"
	"	syscall\n"
	"	int3\n"
	".globl stub_clone\n"
	"stub_clone:\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jz stub_park\n"
	"	int3\n"
	".globl stub_park\n"
	"stub_park:\n"
	"	mov $" STR(SYS_pause) ", %eax\n"
	"	syscall\n"
	"	jmp stub_park\n");
void stub_park(void) __attribute__((noreturn));

static char stack[16384] __attribute__((aligned(16), used));
void stub_main(unsigned long host_sp) __attribute__((noreturn, used));

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	mov %rsp, %rdi\n"
	"	lea stack+16384(%rip), %rsp\n"
	"	call stub_main\n");

static void die(void)
{
	for (;;)
		sys3(__NR_exit_group, 127, 0, 0);
}

/* Only STUB_NR_GETFD goes to ./linux; everything else the stub does itself
 * (in ptrace mode guest system calls never reach the filter: SYSEMU comes
 * first). */
static long install_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STUB_NR_GETFD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof f / sizeof f[0], f};
	if (sys3(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0) < 0)
		return -1;
	return sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
		    &prog);
}

static void send_fd(int fd)
{
	char dummy = 'L';
	struct iovec iov = {&dummy, 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {0};
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof u.buf;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	*(int *)CMSG_DATA(c) = fd;
	if (sys3(__NR_sendmsg, STUB_CTL_FD, &msg, 0) != 1)
		die();
}

/* comm "umk-<pid of ./linux>" (argv[1]), so ps tells whose stub it is. */
static void set_name(unsigned long host_sp)
{
	const char *owner = ((const char **)host_sp)[2];
	char name[16] = "umk-";
	for (int i = 4; owner && *owner && i < 15; i++)
		name[i] = *owner++;
	sys3(__NR_prctl, PR_SET_NAME, name, 0);
}

void stub_main(unsigned long host_sp)
{
	set_name(host_sp);
	/* Drop the stack the host gave us: the guest's stack goes there. */
	unsigned long top = 0x7ffffffff000UL, low = (host_sp & ~0xfffUL) - 0x800000UL;
	sys3(__NR_munmap, low, top - low, 0);

	struct sigaction {
		unsigned long handler, flags, restorer, mask;
	} ign = {(unsigned long)SIG_IGN, 0, 0, 0};
	sys6(__NR_rt_sigaction, SIGCHLD, (long)&ign, 0, 8, 0, 0);
	sys3(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL, 0);

	long listener = install_filter();
	if (listener < 0)
		die();
	send_fd((int)listener);
	sys3(__NR_close, listener, 0, 0);

	/* The template: one fork per byte received, answering the child's pid. */
	for (;;) {
		char req;
		if (sys3(__NR_read, STUB_CTL_FD, &req, 1) != 1)
			die();
		long pid = sys6(__NR_clone, SIGCHLD, 0, 0, 0, 0, 0);
		if (pid == 0) {
			sys3(__NR_close, STUB_CTL_FD, 0, 0);
			sys3(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL, 0);
			stub_park();
		}
		int reply = (int)pid;
		if (sys3(__NR_write, STUB_CTL_FD, &reply, sizeof reply) != sizeof reply)
			die();
	}
}
