/* epoll: create and ctl errors, level/edge/one-shot semantics over pipes and
 * eventfds, ready-list order, nesting, loops, close and dup, timeouts. */
#include "t.h"
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

static int ep;

static void wait_show(int max, int timeout)
{
	struct epoll_event ev[8];
	int n = epoll_wait(ep, ev, max, timeout);
	if (n < 0) {
		SAY("epoll_wait -> -1 %s\n", strerrorname_np(errno));
		return;
	}
	SAY("epoll_wait -> %d:", n);
	for (int i = 0; i < n; i++)
		SAY(" [%u %#x]", ev[i].data.u32, ev[i].events);
	SAY("\n");
}

static int add(int efd, int fd, uint32_t events, uint32_t tag)
{
	struct epoll_event e = {.events = events, .data.u32 = tag};
	return epoll_ctl(efd, EPOLL_CTL_ADD, fd, &e);
}

static int mod(int efd, int fd, uint32_t events, uint32_t tag)
{
	struct epoll_event e = {.events = events, .data.u32 = tag};
	return epoll_ctl(efd, EPOLL_CTL_MOD, fd, &e);
}

int main(void)
{
	char c;
	T(epoll_create(0));
	T(epoll_create1(1));
	ep = T(epoll_create1(EPOLL_CLOEXEC));
	T(fcntl(ep, F_GETFD));
	struct stat st;
	T(fstat(ep, &st));
	SAY("mode %o\n", st.st_mode);
	T(lseek(ep, 0, SEEK_SET));
	T(read(ep, &c, 1));

	int p[3][2];
	for (int i = 0; i < 3; i++)
		T(pipe(p[i]));
	const char *d = scratch("epoll_basic");
	char path[4200];
	snprintf(path, sizeof path, "%s/file", d);
	int reg = OK(open(path, O_CREAT | O_RDWR, 0600));
	int nul = OK(open("/dev/null", O_RDWR));

	/* epoll_ctl errors */
	struct epoll_event e = {EPOLLIN, {0}};
	T(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &e));
	T(epoll_ctl(ep, EPOLL_CTL_ADD, nul, &e));
	T(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &e));
	T(epoll_ctl(999, EPOLL_CTL_ADD, p[0][0], &e));
	T(epoll_ctl(p[0][1], EPOLL_CTL_ADD, p[0][0], &e));
	T(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &e));
	T(epoll_ctl(ep, 42, p[0][0], &e));
	T(epoll_ctl(ep, EPOLL_CTL_ADD, p[0][0], BADPTR));
	T(epoll_ctl(ep, EPOLL_CTL_MOD, p[0][0], &e));
	T(epoll_ctl(ep, EPOLL_CTL_DEL, p[0][0], NULL));
	T(add(ep, p[0][0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0));
	T(add(ep, p[0][0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP, 0));
	T(add(ep, p[0][0], EPOLLIN | EPOLLEXCLUSIVE, 0));
	T(mod(ep, p[0][0], EPOLLIN, 0));
	T(mod(ep, p[0][0], EPOLLIN | EPOLLEXCLUSIVE, 0));
	T(add(ep, p[0][0], EPOLLIN, 0));
	T(epoll_ctl(ep, EPOLL_CTL_DEL, p[0][0], NULL));
	T(epoll_wait(ep, NULL, 0, 0));
	T(syscall(SYS_epoll_wait, ep, NULL, -1, 0));
	T(epoll_wait(p[0][0], (struct epoll_event *)&e, 1, 0));
	T(epoll_wait(999, (struct epoll_event *)&e, 1, 0));

	/* Level-triggered: reported again and again, in ready order. */
	for (int i = 0; i < 3; i++)
		T(add(ep, p[i][0], EPOLLIN, i));
	T(write(p[1][1], "a", 1));
	T(write(p[0][1], "b", 1));
	T(write(p[2][1], "c", 1));
	wait_show(2, 0);
	wait_show(2, 0);
	wait_show(8, 0);
	for (int i = 0; i < 3; i++)
		T(read(p[i][0], &c, 1));
	wait_show(8, 0);
	T(epoll_wait(ep, BADPTR, 8, 0));
	T(write(p[0][1], "d", 1));
	T(epoll_wait(ep, BADPTR, 8, 0));
	T(read(p[0][0], &c, 1));

	/* Edge-triggered: once per wake-up. */
	T(mod(ep, p[0][0], EPOLLIN | EPOLLET, 10));
	T(write(p[0][1], "e", 1));
	wait_show(8, 0);
	wait_show(8, 0);
	T(write(p[0][1], "f", 1));
	wait_show(8, 0);
	/* Reading does not re-arm an edge-triggered reader. */
	T(read(p[0][0], &c, 1));
	wait_show(8, 0);
	T(read(p[0][0], &c, 1));

	/* One-shot: disabled after one report until EPOLL_CTL_MOD. */
	T(mod(ep, p[1][0], EPOLLIN | EPOLLONESHOT, 11));
	T(write(p[1][1], "g", 1));
	wait_show(8, 0);
	T(write(p[1][1], "h", 1));
	wait_show(8, 0);
	T(mod(ep, p[1][0], EPOLLIN | EPOLLONESHOT, 12));
	wait_show(8, 0);
	wait_show(8, 0);
	T(read(p[1][0], &c, 1));
	T(read(p[1][0], &c, 1));

	/* Write ends: EPOLLOUT, then EPOLLERR when the reader goes. */
	T(epoll_ctl(ep, EPOLL_CTL_DEL, p[2][0], NULL));
	T(add(ep, p[2][1], EPOLLOUT, 20));
	wait_show(8, 0);
	T(close(p[2][0]));
	wait_show(8, 0);
	T(epoll_ctl(ep, EPOLL_CTL_DEL, p[2][1], NULL));
	T(close(p[2][1]));

	/* Read end: EPOLLHUP when the writer goes (RDHUP is for sockets). */
	T(mod(ep, p[1][0], EPOLLIN | EPOLLRDHUP, 13));
	T(close(p[1][1]));
	wait_show(8, 0);

	/* Closing the last fd of a file removes it from the set. */
	T(close(p[1][0]));
	T(epoll_ctl(ep, EPOLL_CTL_DEL, p[1][0], NULL));
	wait_show(8, 0);
	/* ... but a duplicate keeps the item alive under its old fd. */
	int dupfd = OK(dup(p[0][0]));
	T(close(p[0][0]));
	T(write(p[0][1], "i", 1));
	wait_show(8, 0);
	T(epoll_ctl(ep, EPOLL_CTL_DEL, dupfd, NULL));
	T(read(dupfd, &c, 1));

	/* eventfd in the set; timeouts. */
	int efd = OK(eventfd(0, EFD_NONBLOCK));
	T(add(ep, efd, EPOLLIN | EPOLLOUT, 30));
	wait_show(8, 0);
	T(mod(ep, efd, EPOLLIN, 31));
	wait_show(8, 10);
	uint64_t one = 1;
	T(write(efd, &one, 8));
	wait_show(8, -1);

	/* Nesting: an epoll set watching another one; poll() on an epoll fd. */
	int ep2 = OK(epoll_create1(0));
	T(add(ep2, ep, EPOLLIN, 40));
	struct epoll_event ev[4];
	T(epoll_wait(ep2, ev, 4, 0));
	SAY("outer [%u %#x]\n", ev[0].data.u32, ev[0].events);
	struct pollfd pf = {ep, POLLIN, 0};
	T(poll(&pf, 1, 0));
	SAY("revents %#x\n", pf.revents);
	T(read(efd, &one, 8));
	T(epoll_wait(ep2, ev, 4, 0));
	T(poll(&pf, 1, 0));
	/* Loops and too deep nesting are refused. */
	T(add(ep, ep2, EPOLLIN, 0));
	T(add(ep2, ep, EPOLLIN | EPOLLEXCLUSIVE, 0));
	int chain[6];
	chain[0] = ep2;
	for (int i = 1; i < 6; i++) {
		chain[i] = epoll_create1(0);
		SAY("nest %d: ", i);
		T(add(chain[i], chain[i - 1], EPOLLIN, 0));
	}
	T(close(ep));
	T(epoll_wait(ep2, ev, 4, 0));
	return 0;
}
