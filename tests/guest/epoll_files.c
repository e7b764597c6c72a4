/* epoll on every kind of file: a pty pair, a FIFO, a socket, eventfd,
 * timerfd, signalfd, another epoll set; regular files, directories and
 * /dev/null cannot be watched (EPERM). */
#define _XOPEN_SOURCE 600
#include "t.h"
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <termios.h>

static int ep;

static void add(int fd, uint32_t events, uint32_t tag)
{
	struct epoll_event e = {.events = events, .data.u32 = tag};
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) < 0)
		SAY("add %u -> %s\n", tag, strerrorname_np(errno));
}

static void wait_show(int timeout)
{
	struct epoll_event ev[16];
	int n = epoll_wait(ep, ev, 16, timeout);
	SAY("epoll_wait -> %d:", n);
	/* Report in tag order: which files are ready, not in what order. */
	for (uint32_t tag = 0; tag < 32; tag++)
		for (int i = 0; i < n; i++)
			if (ev[i].data.u32 == tag)
				SAY(" [%u %#x]", tag, ev[i].events);
	SAY("\n");
}

int main(void)
{
	const char *d = scratch("epoll_files");
	ep = OK(epoll_create1(0));

	/* Files that cannot be watched. */
	char path[4200];
	snprintf(path, sizeof path, "%s/regular", d);
	int reg = OK(open(path, O_CREAT | O_RDWR, 0600));
	int dir = OK(open(d, O_RDONLY | O_DIRECTORY));
	int nul = OK(open("/dev/null", O_RDWR));
	add(reg, EPOLLIN, 0);
	add(dir, EPOLLIN, 0);
	add(nul, EPOLLIN, 0);

	/* A pty: the master reads what the slave writes and vice versa. */
	int m = OK(posix_openpt(O_RDWR | O_NOCTTY));
	T(grantpt(m));
	T(unlockpt(m));
	int s = OK(open(ptsname(m), O_RDWR | O_NOCTTY));
	struct termios tio;
	tcgetattr(s, &tio);
	cfmakeraw(&tio);
	tcsetattr(s, TCSANOW, &tio);
	add(m, EPOLLIN, 1);
	add(s, EPOLLIN, 2);
	wait_show(0);
	T(write(s, "to master", 9));
	wait_show(1000);
	char buf[64];
	T(read(m, buf, sizeof buf));
	T(write(m, "x", 1));
	wait_show(1000);
	T(read(s, buf, sizeof buf));
	wait_show(0);

	/* A FIFO. */
	snprintf(path, sizeof path, "%s/fifo", d);
	T(mkfifo(path, 0600));
	int fr = OK(open(path, O_RDONLY | O_NONBLOCK));
	int fw = OK(open(path, O_WRONLY | O_NONBLOCK));
	add(fr, EPOLLIN, 3);
	add(fw, EPOLLOUT | EPOLLET, 4);
	wait_show(0);
	T(write(fw, "fifo", 4));
	wait_show(0);
	T(read(fr, buf, sizeof buf));
	T(close(fw));
	wait_show(0);
	T(epoll_ctl(ep, EPOLL_CTL_DEL, fr, NULL));

	/* A socket, an eventfd, a timerfd, a signalfd, an epoll set. */
	int sv[2];
	T(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	add(sv[1], EPOLLIN | EPOLLRDHUP, 5);
	int efd = OK(eventfd(0, 0));
	add(efd, EPOLLIN, 6);
	int tfd = OK(timerfd_create(CLOCK_MONOTONIC, 0));
	add(tfd, EPOLLIN, 7);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sfd = OK(signalfd(-1, &set, 0));
	add(sfd, EPOLLIN, 8);
	int inner = OK(epoll_create1(0));
	struct epoll_event ie = {.events = EPOLLIN, .data.u32 = 99};
	T(epoll_ctl(inner, EPOLL_CTL_ADD, efd, &ie));
	add(inner, EPOLLIN, 9);
	wait_show(0);
	T(send(sv[0], "msg", 3, 0));
	uint64_t one = 1;
	T(write(efd, &one, 8));
	struct itimerspec its = {{0, 0}, {0, 20000000}};
	T(timerfd_settime(tfd, 0, &its, NULL));
	kill(getpid(), SIGUSR1);
	usleep(50000);
	wait_show(0);
	T(recv(sv[1], buf, sizeof buf, 0));
	T(read(efd, &one, 8));
	T(read(tfd, &one, 8));
	struct signalfd_siginfo si;
	T(read(sfd, &si, sizeof si));
	wait_show(0);
	T(close(sv[0]));
	wait_show(0);
	return 0;
}
