/* epoll servers: an echo server on a listening AF_UNIX socket serving forked
 * clients, and a relay over pipes and socketpairs; EPOLLRDHUP, edge
 * triggering on sockets, EPOLLEXCLUSIVE across epoll sets. */
#include "t.h"
#include <stdbool.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#define NCLIENTS 5
#define ROUNDS	 20

static void client(const struct sockaddr_un *a, socklen_t alen, int id)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(s, (const struct sockaddr *)a, alen) < 0)
		_exit(100);
	for (int i = 0; i < ROUNDS; i++) {
		char out[32], in[32];
		int n = snprintf(out, sizeof out, "client %d round %d", id, i);
		if (write(s, out, (size_t)n) != n)
			_exit(101);
		int got = 0;
		while (got < n) {
			int r = (int)read(s, in + got, (size_t)(n - got));
			if (r <= 0)
				_exit(102);
			got += r;
		}
		if (memcmp(in, out, (size_t)n))
			_exit(103);
	}
	_exit(0);
}

static void echo_server(const char *d)
{
	struct sockaddr_un a = {AF_UNIX, ""};
	snprintf(a.sun_path, sizeof a.sun_path, "%s/echo", d);
	socklen_t alen = offsetof(struct sockaddr_un, sun_path) + strlen(a.sun_path) + 1;
	int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	T(bind(ls, (struct sockaddr *)&a, alen));
	T(listen(ls, 16));
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN, .data.fd = ls};
	T(epoll_ctl(ep, EPOLL_CTL_ADD, ls, &e));
	pid_t kids[NCLIENTS];
	for (int i = 0; i < NCLIENTS; i++)
		if ((kids[i] = fork()) == 0)
			client(&a, alen, i);
	int accepted = 0, closed = 0, messages = 0, hups = 0;
	while (closed < NCLIENTS) {
		struct epoll_event ev[8];
		int n = epoll_wait(ep, ev, 8, 10000);
		if (n <= 0) {
			SAY("epoll_wait -> %d\n", n);
			break;
		}
		for (int i = 0; i < n; i++) {
			int fd = ev[i].data.fd;
			if (fd == ls) {
				int c;
				while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					struct epoll_event ce = {.events = EPOLLIN | EPOLLRDHUP,
								 .data.fd = c};
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
					accepted++;
				}
				continue;
			}
			char buf[256];
			int r = (int)read(fd, buf, sizeof buf);
			if (r > 0) {
				write(fd, buf, (size_t)r);
				messages++;
			} else if (r == 0) {
				hups += (ev[i].events & EPOLLRDHUP) != 0;
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				close(fd);
				closed++;
			}
		}
	}
	int ok = 0;
	for (int i = 0; i < NCLIENTS; i++) {
		int st;
		waitpid(kids[i], &st, 0);
		ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	SAY("accepted %d closed %d clients ok %d rdhup %d echoed all %d\n", accepted, closed, ok,
	    hups, messages >= NCLIENTS * ROUNDS);
	close(ep);
	close(ls);
}

/* Data goes pipe -> server -> socketpair -> server -> pipe, level and edge
 * triggered by turns. */
static void relay(void)
{
	int in[2], out[2], sp[2];
	T(pipe(in));
	T(pipe(out));
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, sp));
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = 1};
	T(epoll_ctl(ep, EPOLL_CTL_ADD, in[0], &e));
	e.events = EPOLLIN | EPOLLET;
	e.data.u32 = 2;
	T(epoll_ctl(ep, EPOLL_CTL_ADD, sp[1], &e));
	pid_t w = fork();
	if (w == 0) {
		for (int i = 0; i < 50; i++) {
			char m[16];
			int n = snprintf(m, sizeof m, "%04d", i);
			write(in[1], m, (size_t)n);
			if (i % 10 == 0)
				usleep(2000);
		}
		_exit(0);
	}
	close(in[1]);
	int total = 0;
	for (bool in_open = true; in_open || total < 200;) {
		struct epoll_event ev[4];
		int n = epoll_wait(ep, ev, 4, 5000);
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++) {
			char buf[512];
			if (ev[i].data.u32 == 1) {
				int r = (int)read(in[0], buf, sizeof buf);
				if (r > 0)
					write(sp[0], buf, (size_t)r);
				if (r == 0) {
					epoll_ctl(ep, EPOLL_CTL_DEL, in[0], NULL);
					in_open = false;
				}
			} else {
				/* Edge triggered: drain it all. */
				int r;
				while ((r = (int)recv(sp[1], buf, sizeof buf, MSG_DONTWAIT)) > 0) {
					write(out[1], buf, (size_t)r);
					total += r;
				}
			}
		}
	}
	waitpid(w, NULL, 0);
	char all[256] = {0};
	int got = 0, r;
	while (got < total && (r = (int)read(out[0], all + got, sizeof all - 1 - (size_t)got)) > 0)
		got += r;
	SAY("relayed %d bytes, in order %d\n", got, !strncmp(all, "00000001000200030004", 20));
	close(ep);
}

/* Two epoll sets waiting on one socket with EPOLLEXCLUSIVE: each event is
 * seen, the item works like any other. */
static void exclusive(void)
{
	int sv[2];
	T(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	int e1 = epoll_create1(0), e2 = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.u32 = 1};
	T(epoll_ctl(e1, EPOLL_CTL_ADD, sv[1], &e));
	e.data.u32 = 2;
	T(epoll_ctl(e2, EPOLL_CTL_ADD, sv[1], &e));
	T(send(sv[0], "x", 1, 0));
	struct epoll_event ev;
	int n1 = epoll_wait(e1, &ev, 1, 1000);
	int n2 = epoll_wait(e2, &ev, 1, 1000);
	SAY("set 1 sees %d, set 2 sees %d\n", n1, n2);
	char c;
	T(read(sv[1], &c, 1));
	T(epoll_wait(e1, &ev, 1, 0));
}

/* EPOLLRDHUP and EPOLLHUP on sockets, as the peer shuts down and closes. */
static void hangups(void)
{
	int sv[2];
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.u32 = 9};
	T(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &e));
	struct epoll_event ev;
	T(epoll_wait(ep, &ev, 1, 0));
	SAY("events %#x\n", ev.events);
	T(epoll_wait(ep, &ev, 1, 0));
	T(shutdown(sv[1], SHUT_WR));
	T(epoll_wait(ep, &ev, 1, 0));
	SAY("events %#x\n", ev.events);
	T(close(sv[1]));
	T(epoll_wait(ep, &ev, 1, 0));
	SAY("events %#x\n", ev.events);
}

int main(void)
{
	const char *d = scratch("epoll_server");
	echo_server(d);
	relay();
	exclusive();
	hangups();
	return 0;
}
