/*
 * The stub: the first program of every guest process's host process.
 *
 * ./linux execs it once, as the template; the template forks a clean stub
 * whenever the kernel asks for one, and every guest process (after execve)
 * lives in such a copy. Nothing of ./linux's memory is mapped here. The
 * program holds position-independent gadgets that the ptrace platform points
 * a stopped thread at (entry.S), and the seccomp platform's side of the
 * hand-off (seccomp.c).
 *
 * Freestanding: no libc, no FPU registers.
 */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include <linux/audit.h>
#include "stub.h"
#include "lib.h"

char stub_initial_stack[16384] __attribute__((aligned(16)));
void stub_main(unsigned long host_sp) __attribute__((noreturn, used));
void stub_park(void) __attribute__((noreturn));

void stub_die(void)
{
	for (;;)
		sys1(__NR_exit_group, 127);
}

/* Plain loops, which GCC must not turn back into calls to themselves. */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *
memcpy(void *dst, const void *src, size_t n)
{
	char *d = dst;
	const char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memset(void *dst, int c,
									   size_t n)
{
	char *d = dst;
	while (n--)
		*d++ = (char)c;
	return dst;
}

/*
 * The template's filter, inherited by every stub: STUB_NR_GETFD goes to
 * ./linux as a user notification. Guest system calls are another filter's
 * business (seccomp) or never reach the filters (ptrace's PTRACE_SYSEMU
 * comes first); so are other ABIs.
 */
static long install_filter(void)
{
	struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, STUB_NR_GETFD, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof f / sizeof f[0], f};
	if (sys2(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1) < 0)
		return -1;
	return sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

void stub_msg_init(struct stub_msg *m, void *data, size_t len)
{
	memset(m, 0, sizeof *m);
	m->iov.iov_base = data;
	m->iov.iov_len = len;
	m->msg.msg_iov = &m->iov;
	m->msg.msg_iovlen = 1;
	m->msg.msg_control = m->u.buf;
	m->msg.msg_controllen = sizeof m->u.buf;
}

int stub_msg_fds(struct stub_msg *m, int **fds)
{
	struct cmsghdr *c = CMSG_FIRSTHDR(&m->msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		return 0;
	*fds = (int *)CMSG_DATA(c);
	return (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
}

static void send_fd(int fd)
{
	char dummy = 'L';
	struct stub_msg m;
	stub_msg_init(&m, &dummy, 1);
	m.msg.msg_controllen = CMSG_SPACE(sizeof(int));
	struct cmsghdr *c = CMSG_FIRSTHDR(&m.msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	*(int *)CMSG_DATA(c) = fd;
	if (sys3(__NR_sendmsg, STUB_CTL_FD, &m.msg, 0) != 1)
		stub_die();
}

/* A request byte, and the two fds a seccomp stub's request brings (else -1). */
static char receive_request(int fds[2])
{
	char req;
	struct stub_msg m;
	int *in;
	stub_msg_init(&m, &req, 1);
	if (sys3(__NR_recvmsg, STUB_CTL_FD, &m.msg, 0) != 1)
		stub_die();
	fds[0] = fds[1] = -1;
	if (stub_msg_fds(&m, &in) == 2)
		memcpy(fds, in, 2 * sizeof(int));
	return req;
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
	sys2(__NR_munmap, low, top - low);
	/* The seccomp platform's per-thread stacks, inherited by every stub;
	 * only the pages a thread touches cost anything. */
	if (stub_sys(__NR_mmap, STUB_STACK_BASE, STUB_STACK_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1,
		     0) != (long)STUB_STACK_BASE)
		stub_die();

	struct ksigaction ign = {(unsigned long)SIG_IGN, 0, 0, 0};
	sys4(__NR_rt_sigaction, SIGCHLD, &ign, 0, 8);
	sys2(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL);

	long listener = install_filter();
	if (listener < 0)
		stub_die();
	send_fd((int)listener);
	sys1(__NR_close, listener);

	/* The template: one fork per request byte, answering the child's pid. */
	for (;;) {
		int fds[2];
		char req = receive_request(fds);
		long pid = sys1(__NR_clone, SIGCHLD);
		if (pid == 0) {
			sys1(__NR_close, STUB_CTL_FD);
			sys2(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL);
			if (req == STUB_FORK_SECCOMP)
				seccomp_stub_main(fds[0], fds[1]);
			stub_park();
		}
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				sys1(__NR_close, fds[i]);
		int reply = (int)pid;
		if (sys3(__NR_write, STUB_CTL_FD, &reply, sizeof reply) != sizeof reply)
			stub_die();
	}
}
