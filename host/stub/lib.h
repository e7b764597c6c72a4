/* The stub's own little runtime: it is freestanding, with no libc. */
#ifndef STUB_LIB_H
#define STUB_LIB_H
#include <stddef.h>
#include <asm/unistd.h>
#include <sys/socket.h>

/* entry.S: the one system call instruction of the stub (see there). */
long stub_sys(long nr, long a, long b, long c, long d, long e, long f);
#define sys1(nr, a)	     stub_sys(nr, (long)(a), 0, 0, 0, 0, 0)
#define sys2(nr, a, b)	     stub_sys(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(nr, a, b, c)    stub_sys(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(nr, a, b, c, d) stub_sys(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* The kernel's struct sigaction for rt_sigaction. */
struct ksigaction {
	unsigned long handler, flags, restorer, mask;
};

/* A message of one buffer, with room for two fds (SCM_RIGHTS). */
struct stub_msg {
	struct msghdr msg;
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} u;
};
void stub_msg_init(struct stub_msg *m, void *data, size_t len);
/* After recvmsg: how many fds came, at *fds. */
int stub_msg_fds(struct stub_msg *m, int **fds);

__attribute__((noreturn)) void stub_die(void);
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

/* seccomp.c: a fresh stub of the seccomp platform, forked by the template
 * with its fd channel and its control pages' memfd. */
__attribute__((noreturn)) void seccomp_stub_main(long chan, long ctl_memfd);

#endif
