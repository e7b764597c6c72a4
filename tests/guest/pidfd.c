/* pidfds: pidfd_open (and PIDFD_NONBLOCK), CLONE_PIDFD through clone and
 * clone3, poll (readable at exit, hung up once reaped), pidfd_send_signal
 * (with siginfo, to the process, its thread, its group), pidfd_getfd,
 * waitid(P_PIDFD), the fdinfo Pid: line, a pid reused behind a pidfd,
 * and the errors. */
#include "t.h"
#include <linux/sched.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/pidfd.h>
#include <sched.h>

#ifndef PIDFD_SIGNAL_THREAD
#define PIDFD_SIGNAL_THREAD	  (1U << 0)
#define PIDFD_SIGNAL_THREAD_GROUP (1U << 1)
#endif

static volatile sig_atomic_t got, got_code, got_value;
static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	got_code = si->si_code;
	got_value = si->si_value.sival_int;
}

static int poll_mask(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	int n = poll(&p, 1, 0);
	return n < 0 ? -1 : p.revents;
}

/* The Pid: line of an fd's fdinfo: "self", "-1" or what else it says. */
static void show_pid_line(int fd, pid_t expect)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	int f = open(path, O_RDONLY);
	ssize_t n = read(f, buf, sizeof buf - 1);
	close(f);
	buf[n > 0 ? n : 0] = 0;
	char *l = strstr(buf, "Pid:\t");
	int pid = l ? atoi(l + 5) : 0;
	SAY("  fdinfo Pid: %s\n", !l		  ? "missing"
				  : pid == expect ? "the child"
				  : pid == -1	  ? "-1"
						  : "?");
}

static pid_t child_pausing(void)
{
	pid_t c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	return c;
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO};
	sigaction(SIGUSR1, &sa, NULL);

	SAY(" pidfd_open\n");
	pid_t c = child_pausing();
	int fd = T(syscall(SYS_pidfd_open, c, 0));
	SAY("  cloexec %d, flags %o\n", fcntl(fd, F_GETFD), fcntl(fd, F_GETFL) & ~O_LARGEFILE);
	show_pid_line(fd, c);
	SAY("  poll while it runs: %#x\n", poll_mask(fd));
	T(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0));
	siginfo_t si;
	T(waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG));
	SAY("  nothing yet: si_pid %d\n", si.si_pid);
	T(syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0));
	struct pollfd p = {fd, POLLIN, 0};
	T(poll(&p, 1, 5000));
	SAY("  poll once it exited: %#x\n", p.revents);
	show_pid_line(fd, c);
	T(syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0));
	T(waitid(P_PIDFD, fd, &si, WEXITED));
	SAY("  waitid: pid is the child %d, code %d status %d\n", si.si_pid == c, si.si_code,
	    si.si_status);
	SAY("  poll once reaped: %#x\n", poll_mask(fd));
	show_pid_line(fd, c);
	T(syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0));
	T(waitid(P_PIDFD, fd, &si, WEXITED));
	char buf[8];
	T(read(fd, buf, sizeof buf));
	T(write(fd, buf, sizeof buf));
	T(lseek(fd, 0, SEEK_SET));
	close(fd);

	SAY(" PIDFD_NONBLOCK\n");
	c = child_pausing();
	fd = T(syscall(SYS_pidfd_open, c, PIDFD_NONBLOCK));
	SAY("  flags %o\n", fcntl(fd, F_GETFL) & ~O_LARGEFILE);
	T(waitid(P_PIDFD, fd, &si, WEXITED));
	kill(c, SIGKILL);
	p = (struct pollfd){fd, POLLIN, 0};
	poll(&p, 1, 5000);
	T(waitid(P_PIDFD, fd, &si, WEXITED));
	SAY("  code %d status %d\n", si.si_code, si.si_status);
	close(fd);

	SAY(" epoll\n");
	c = child_pausing();
	fd = (int)syscall(SYS_pidfd_open, c, 0);
	int ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 5};
	T(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	T(epoll_wait(ep, &ev, 1, 0));
	kill(c, SIGKILL);
	T(epoll_wait(ep, &ev, 1, 5000));
	SAY("  events %#x data %u\n", ev.events, ev.data.u32);
	waitpid(c, NULL, 0);
	T(epoll_wait(ep, &ev, 1, 5000));
	SAY("  events %#x\n", ev.events);
	close(ep);
	close(fd);

	SAY(" CLONE_PIDFD\n");
	int cfd = -1;
	c = (pid_t)syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &cfd, 0, 0);
	if (c == 0)
		_exit(7);
	SAY("  clone gave a pidfd %d, cloexec %d\n", cfd > 2, fcntl(cfd, F_GETFD));
	T(waitid(P_PIDFD, cfd, &si, WEXITED));
	SAY("  status %d\n", si.si_status);
	close(cfd);
	struct clone_args ca = {
	    .flags = CLONE_PIDFD, .pidfd = (unsigned long)&cfd, .exit_signal = SIGCHLD};
	c = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	if (c == 0)
		_exit(8);
	T(waitid(P_PIDFD, cfd, &si, WEXITED));
	SAY("  clone3: status %d\n", si.si_status);
	close(cfd);
	T(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &cfd, 0, 0));
	T(syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, BADPTR, 0, 0));
	T(waitpid(-1, NULL, WNOHANG));

	SAY(" signals with siginfo, to oneself and others\n");
	int self = T(syscall(SYS_pidfd_open, getpid(), 0));
	T(syscall(SYS_pidfd_send_signal, self, SIGUSR1, NULL, 0));
	SAY("  got %d code %d\n", got, got_code);
	siginfo_t info = {.si_signo = SIGUSR1, .si_code = SI_QUEUE};
	info.si_value.sival_int = 42;
	T(syscall(SYS_pidfd_send_signal, self, SIGUSR1, &info, 0));
	SAY("  got %d code %d value %d\n", got, got_code, got_value);
	info.si_code = SI_KERNEL;
	T(syscall(SYS_pidfd_send_signal, self, SIGUSR1, &info, 0));
	SAY("  a kernel code to oneself: code %d\n", got_code);
	T(syscall(SYS_pidfd_send_signal, self, SIGUSR2, &info, 0));
	T(syscall(SYS_pidfd_send_signal, self, SIGUSR1, BADPTR, 0));
	T(syscall(SYS_pidfd_send_signal, self, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD));
	SAY("  to the thread: code %d\n", got_code);
	T(syscall(SYS_pidfd_send_signal, self, SIGUSR1, NULL, PIDFD_SIGNAL_THREAD_GROUP));
	T(syscall(SYS_pidfd_send_signal, self, SIGUSR1, NULL, 3));
	T(syscall(SYS_pidfd_send_signal, self, SIGUSR1, NULL, 8));
	T(syscall(SYS_pidfd_send_signal, self, 99, NULL, 0));
	T(syscall(SYS_pidfd_send_signal, 0, SIGUSR1, NULL, 0));
	T(syscall(SYS_pidfd_send_signal, 99, SIGUSR1, NULL, 0));
	c = child_pausing();
	fd = (int)syscall(SYS_pidfd_open, c, 0);
	info.si_code = SI_KERNEL;
	T(syscall(SYS_pidfd_send_signal, fd, SIGUSR1, &info, 0));
	info.si_code = SI_TKILL;
	T(syscall(SYS_pidfd_send_signal, fd, SIGUSR1, &info, 0));
	info.si_code = SI_QUEUE;
	T(syscall(SYS_pidfd_send_signal, fd, SIGKILL, &info, 0)); /* si_signo is SIGUSR1 */
	info.si_signo = SIGKILL;
	T(syscall(SYS_pidfd_send_signal, fd, SIGKILL, &info, 0));
	T(waitid(P_PIDFD, fd, &si, WEXITED));
	SAY("  killed: code %d status %d\n", si.si_code, si.si_status);
	T(waitid(P_PIDFD, self, &si, WEXITED | WNOHANG));
	close(fd);

	SAY(" pidfd_getfd\n");
	int pipefd[2];
	pipe(pipefd);
	c = fork();
	if (c == 0) {
		char ch;
		close(pipefd[1]);
		read(pipefd[0], &ch, 1);
		_exit(0);
	}
	fd = (int)syscall(SYS_pidfd_open, c, 0);
	int got_fd = T(syscall(SYS_pidfd_getfd, fd, pipefd[0], 0));
	SAY("  cloexec %d\n", fcntl(got_fd, F_GETFD));
	T(syscall(SYS_pidfd_getfd, fd, 77, 0));
	T(syscall(SYS_pidfd_getfd, fd, pipefd[0], 1));
	T(syscall(SYS_pidfd_getfd, 0, pipefd[0], 0));
	T(write(pipefd[1], "x", 1));
	T(waitid(P_PIDFD, fd, &si, WEXITED));
	T(syscall(SYS_pidfd_getfd, fd, 0, 0));
	close(fd);
	close(got_fd);

	SAY(" errors\n");
	T(syscall(SYS_pidfd_open, 0, 0));
	T(syscall(SYS_pidfd_open, -1, 0));
	T(syscall(SYS_pidfd_open, getpid(), 1));
	T(syscall(SYS_pidfd_open, 4000000, 0));
	T(waitid(P_PIDFD, -1, &si, WEXITED));
	T(waitid(P_PIDFD, 0, &si, WEXITED));
	T(waitid(P_PIDFD, 99, &si, WEXITED));
	return 0;
}
