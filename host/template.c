/*
 * The template: a clean stub process that forks every new stub.
 *
 * ./linux execs the embedded stub program once, from a memfd, in a new host
 * session with no inherited fds. Every guest process after execve lives in a
 * fork of it, so no stub ever maps anything of ./linux and no stub ever execs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "host.h"
#include "template.h"
#include "stub/stub.h"

static int ctl = -1;
static uaddr_t vvar_start, vdso_start, vdso_end;
static struct host_mutex ctl_lock;
int template_listener = -1;

static int receive_fd(int sock)
{
	char dummy;
	struct iovec iov = {&dummy, 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = sizeof u.buf};
	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
		return -EIO;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -EIO;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof fd);
	return fd;
}

/* Every stub inherits the template's vDSO, which the guest is offered. */
static void find_vdso(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/maps", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		if (strstr(line, "[vvar") && !vvar_start)
			vvar_start = lo;
		if (strstr(line, "[vdso]")) {
			vdso_start = lo;
			vdso_end = hi;
		}
	}
	fclose(f);
}

void host_vdso_range(uaddr_t *vvar, uaddr_t *vdso, uaddr_t *end)
{
	*vvar = vvar_start;
	*vdso = vdso_start;
	*end = vdso_end;
}

int template_start(const void *image, size_t size)
{
	int mfd = memfd_create("umk-stub", MFD_CLOEXEC);
	if (mfd < 0 || write(mfd, image, size) != (ssize_t)size)
		return -errno;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/* The stub names itself after us (see set_name in the stub). */
	char owner[16];
	snprintf(owner, sizeof owner, "%d", getpid());
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* Only async-signal-safe calls from here: ./linux has threads. */
		setsid();
		/* Out of the way first: the fds may already sit at 3 and 4. */
		int img = fcntl(mfd, F_DUPFD_CLOEXEC, 10), ctl_fd = fcntl(sv[1], F_DUPFD, 10);
		dup3(ctl_fd, STUB_CTL_FD, 0);
		dup3(img, STUB_CTL_FD + 1, O_CLOEXEC);
		close_range(0, STUB_CTL_FD - 1, 0);
		close_range(STUB_CTL_FD + 2, ~0U, 0);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		personality(ADDR_NO_RANDOMIZE);
		char *argv[] = {"umk-stub", owner, NULL}, *envp[] = {NULL};
		syscall(SYS_execveat, STUB_CTL_FD + 1, "", argv, envp, AT_EMPTY_PATH);
		_exit(127);
	}
	close(sv[1]);
	close(mfd);
	ctl = sv[0];
	template_listener = receive_fd(ctl);
	if (template_listener < 0)
		return template_listener;
	find_vdso(pid);
	return 0;
}

int template_fork(void)
{
	char req = 'F';
	int pid = -EAGAIN;
	host_mutex_lock(&ctl_lock);
	if (write(ctl, &req, 1) == 1 && read(ctl, &pid, sizeof pid) != sizeof pid)
		pid = -EAGAIN;
	host_mutex_unlock(&ctl_lock);
	return pid;
}
