/*
 * The template: a clean stub process that forks every new stub.
 *
 * ./linux execs the embedded stub program once, from a memfd, in a new host
 * session with no inherited fds, and where the host allows it in fresh
 * user, mount, network, IPC, UTS and time namespaces with an empty,
 * read-only root: a stub that escaped its filter would reach no host file,
 * network or IPC object. Every guest process (after execve) lives in a fork
 * of it, so no stub ever maps anything of ./linux and no stub ever execs.
 * In its time namespace CLOCK_MONOTONIC and CLOCK_BOOTTIME start at the
 * guest's boot, so that the host vDSO the guest is offered shows the guest's
 * own clocks.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "host.h"
#include "template.h"
#include "stub/stub.h"

/* A bound on the host tasks of all stubs together, whatever the guest does. */
#define STUB_TASKS_MAX 16384
/* Root's stubs run as nobody, so they cannot signal root's processes. */
#define NOBODY 65534

static int ctl = -1, listener = -1;
static uaddr_t vvar_start, vdso_start, vdso_end;
static struct host_mutex ctl_lock, getfd_lock;
int template_pid;

/* How far isolate() got: the step that failed, in the status's high bits. */
enum { ISO_OK, ISO_IDS, ISO_USERNS, ISO_MAPS, ISO_ROOT };

/* What the template reports once it is set up. */
struct template_status {
	int isolation; /* 0, or the step of isolate() that failed and its errno */
	int timens;    /* whether the clocks of its time namespace start at boot */
};

/* The user namespace maps a stub's own ids to themselves: nobody's when
 * ./linux is root and can drop to nobody, else ./linux's. */
struct ids {
	char uid_map[32], gid_map[32];
};

static int receive_fd(int sock)
{
	char dummy;
	struct iovec iov = {&dummy, 1};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
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

/* The rest runs in the forked child of a threaded process: system calls only. */

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* An empty tmpfs as the root; the host's root is gone from this namespace. */
static int empty_root(void)
{
	static const char *const points[] = {"/tmp", "/mnt", "/proc"};
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	for (size_t i = 0; i < sizeof points / sizeof points[0]; i++) {
		if (mount("umk-stub", points[i], "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "size=4k,mode=0"))
			continue;
		if (chdir(points[i]) || syscall(SYS_pivot_root, ".", ".") ||
		    umount2(".", MNT_DETACH) || chdir("/"))
			return -1;
		return mount(NULL, "/", NULL,
			     MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			     NULL);
	}
	return -1;
}

/* Drops root to nobody; dumpable, so that our /proc/self files stay ours. */
static int drop_root(void)
{
	return syscall(SYS_setgroups, 0, NULL) || syscall(SYS_setresgid, NOBODY, NOBODY, NOBODY) ||
	       syscall(SYS_setresuid, NOBODY, NOBODY, NOBODY) || prctl(PR_SET_DUMPABLE, 1);
}

/* A new time namespace, entered at the exec below; its offsets can only be
 * written before any process is in it. offsets is timens_offsets' text. */
static bool enter_guest_time(const char *offsets)
{
	return unshare(CLONE_NEWTIME) == 0 && write_file("/proc/self/timens_offsets", offsets) == 0;
}

/* Returns 0, or the first step that failed and its errno (step << 16 | errno);
 * the steps after a failed one are still taken where they can be. */
static int isolate(const struct ids ids[2], const char *offsets, int *timens)
{
	int status = 0;
	const struct ids *own = &ids[0];
	if (getuid() == 0) {
		if (drop_root() == 0)
			own = &ids[1];
		else
			status = ISO_IDS << 16 | errno;
	}
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS))
		return status ? status : ISO_USERNS << 16 | errno;
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", own->uid_map) ||
	    write_file("/proc/self/gid_map", own->gid_map))
		return status ? status : ISO_MAPS << 16 | errno;
	*timens = enter_guest_time(offsets); /* while /proc is still there */
	if (empty_root() && !status)
		status = ISO_ROOT << 16 | errno;
	return status;
}

static __attribute__((noreturn)) void exec_template(int mfd, int sock, const struct ids ids[2],
						    const char *offsets, char *owner)
{
	setsid();
	struct template_status status = {0, 0};
	status.isolation = isolate(ids, offsets, &status.timens);
	struct rlimit nproc = {STUB_TASKS_MAX, STUB_TASKS_MAX};
	setrlimit(RLIMIT_NPROC, &nproc);
	/* Out of the way first: the fds may already sit at 3 and 4. */
	int img = fcntl(mfd, F_DUPFD_CLOEXEC, 10), ctl_fd = fcntl(sock, F_DUPFD, 10);
	dup3(ctl_fd, STUB_CTL_FD, 0);
	dup3(img, STUB_CTL_FD + 1, O_CLOEXEC);
	close_range(0, STUB_CTL_FD - 1, 0);
	close_range(STUB_CTL_FD + 2, ~0U, 0);
	if (write(STUB_CTL_FD, &status, sizeof status) != sizeof status)
		_exit(127);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	personality(ADDR_NO_RANDOMIZE);
	char *argv[] = {"umk-stub", owner, NULL}, *envp[] = {NULL};
	syscall(SYS_execveat, STUB_CTL_FD + 1, "", argv, envp, AT_EMPTY_PATH);
	_exit(127);
}

/* One line for the kernel log when stubs are less isolated than designed. */
static void note_isolation(struct platform_config *cfg, int status)
{
	static const char *const step[] = {
	    [ISO_IDS] = "dropping root to nobody",
	    [ISO_USERNS] = "user, mount and network namespaces",
	    [ISO_MAPS] = "user namespace id maps",
	    [ISO_ROOT] = "an empty root",
	};
	int s = status >> 16;
	if (!status || s < ISO_IDS || s > ISO_ROOT)
		return;
	snprintf(cfg->note, sizeof cfg->note, "umk: stubs not fully isolated: %s: %s", step[s],
		 strerror(status & 0xffff));
}

/* timens_offsets' text that moves the host's clock_origin readings to 0. */
static void format_offsets(char *buf, size_t len, const int64_t origin[2])
{
	const int64_t ns = 1000000000;
	int64_t mono = -origin[0], boot = -origin[1];
	/* Whole seconds rounded down: the nanoseconds are never negative. */
	long long mono_s = mono / ns - (mono % ns < 0), boot_s = boot / ns - (boot % ns < 0);
	snprintf(buf, len, "monotonic %lld %lld\nboottime %lld %lld\n", mono_s,
		 (long long)(mono - mono_s * ns), boot_s, (long long)(boot - boot_s * ns));
}

int template_start(struct platform_config *cfg)
{
	if (ctl >= 0)
		return 0;
	char offsets[128];
	format_offsets(offsets, sizeof offsets, cfg->clock_origin);
	struct ids ids[2]; /* ./linux's, nobody's */
	snprintf(ids[0].uid_map, sizeof ids[0].uid_map, "%u %u 1", getuid(), getuid());
	snprintf(ids[0].gid_map, sizeof ids[0].gid_map, "%u %u 1", getgid(), getgid());
	snprintf(ids[1].uid_map, sizeof ids[1].uid_map, "%u %u 1", NOBODY, NOBODY);
	snprintf(ids[1].gid_map, sizeof ids[1].gid_map, "%u %u 1", NOBODY, NOBODY);
	int mfd = memfd_create("umk-stub", MFD_CLOEXEC);
	if (mfd < 0 || write(mfd, cfg->stub_image, cfg->stub_size) != (ssize_t)cfg->stub_size)
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
	if (pid == 0)
		exec_template(mfd, sv[1], ids, offsets, owner);
	close(sv[1]);
	close(mfd);
	struct template_status status;
	if (read(sv[0], &status, sizeof status) != sizeof status) {
		close(sv[0]);
		return -EIO;
	}
	note_isolation(cfg, status.isolation);
	cfg->timens = status.timens;
	ctl = sv[0];
	template_pid = pid;
	listener = receive_fd(ctl);
	if (listener < 0)
		return listener;
	find_vdso(pid);
	return 0;
}

int send_fds(int sock, const void *data, size_t len, const int *fds, int nfds, int flags)
{
	struct iovec iov = {(void *)data, len};
	union {
		char buf[CMSG_SPACE(SEND_FDS_MAX * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	if (nfds > SEND_FDS_MAX)
		return -EINVAL;
	if (nfds > 0) {
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, (size_t)nfds * sizeof(int));
	}
	return sendmsg(sock, &msg, flags | MSG_NOSIGNAL) == (ssize_t)len ? 0 : -errno;
}

int template_fork(char kind, const int *fds, int nfds)
{
	int pid = -EAGAIN;
	host_mutex_lock(&ctl_lock);
	if (send_fds(ctl, &kind, 1, fds, nfds, 0) == 0 && read(ctl, &pid, sizeof pid) != sizeof pid)
		pid = -EAGAIN;
	host_mutex_unlock(&ctl_lock);
	return pid;
}

static int parent_of(int pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *s = strrchr(buf, ')'); /* after the command name, which may hold anything */
	int ppid;
	if (!s || sscanf(s + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

int template_children(int *pids, int max)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	int n = 0;
	struct dirent *e;
	while (n < max && (e = readdir(d))) {
		int pid = atoi(e->d_name);
		if (pid > 0 && parent_of(pid) == template_pid)
			pids[n++] = pid;
	}
	closedir(d);
	return n;
}

/* Every stub process is a child of the template, including any a guest made
 * behind umk's back, which has no parent-death signal: kill them all, then
 * the template (its children then go to init, out of sight). */
void template_stop(void)
{
	int pids[256], n;
	if (template_pid <= 0)
		return;
	for (int round = 0; round < 16 && (n = template_children(pids, 256)) > 0; round++)
		for (int i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
	kill(template_pid, SIGKILL);
}

static void refuse(const struct seccomp_notif *n)
{
	struct seccomp_notif_resp resp = {n->id, 0, -EPERM, 0};
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

long template_addfd(int tid, int fd, bool (*waiting)(void *), void *arg)
{
	long ret = -ESRCH;
	host_mutex_lock(&getfd_lock);
	for (;;) {
		struct pollfd p = {listener, POLLIN, 0};
		if (poll(&p, 1, 20) == 1) {
			struct seccomp_notif n;
			memset(&n, 0, sizeof n);
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &n) < 0)
				continue;
			if ((int)n.pid != tid) {
				refuse(&n);
				continue;
			}
			struct seccomp_notif_addfd add = {.id = n.id,
							  .flags = SECCOMP_ADDFD_FLAG_SEND,
							  .srcfd = (unsigned)fd,
							  .newfd_flags = O_CLOEXEC};
			ret = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &add);
			if (ret < 0)
				ret = -errno;
			break;
		}
		if (!waiting(arg))
			break;
	}
	host_mutex_unlock(&getfd_lock);
	return ret;
}
