/* AF_UNIX datagram and seqpacket sockets: addresses, connect and
 * disconnect, truncation, queue limits, errors, EOF. */
#include "t.h"
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

static socklen_t path_addr(struct sockaddr_un *a, const char *dir, const char *name)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof a->sun_path, "%s/%s", dir, name);
	return offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1;
}

static void show_poll(int fd)
{
	struct pollfd p = {fd, POLLIN | POLLOUT | POLLRDHUP, 0};
	poll(&p, 1, 0);
	SAY("revents %#x\n", p.revents);
}

static void on_pipe(int sig)
{
	(void)sig;
	SAY("SIGPIPE\n");
}

int main(void)
{
	const char *d = scratch("unix_dgram");
	signal(SIGPIPE, on_pipe);
	struct sockaddr_un a, b, from;
	socklen_t alen = path_addr(&a, d, "rx"), blen = path_addr(&b, d, "tx"), flen;
	char buf[256];

	int rx = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	T(bind(rx, (struct sockaddr *)&a, alen));
	int tx = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	show_poll(tx);
	T(send(tx, "x", 1, 0));
	T(sendto(tx, "one", 3, 0, (struct sockaddr *)&a, alen));
	/* From an unbound sender: no address. */
	flen = sizeof from;
	memset(&from, 'z', sizeof from);
	T(recvfrom(rx, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
	SAY("from len %u\n", flen);
	T(bind(tx, (struct sockaddr *)&b, blen));
	T(sendto(tx, "two", 3, 0, (struct sockaddr *)&a, alen));
	T(sendto(tx, "", 0, 0, (struct sockaddr *)&a, alen));
	T(sendto(tx, "truncated", 9, 0, (struct sockaddr *)&a, alen));
	int n = -1;
	T(ioctl(rx, FIONREAD, &n));
	SAY("first datagram %d bytes\n", n);
	flen = sizeof from;
	T(recvfrom(rx, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen));
	SAY("from len %u is tx %d\n", flen, !strcmp(from.sun_path, b.sun_path));
	T(recv(rx, buf, sizeof buf, 0));
	T(recv(rx, buf, 4, MSG_PEEK));
	T(recv(rx, buf, 4, MSG_PEEK | MSG_TRUNC));
	struct iovec iov = {buf, 4};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	T(recvmsg(rx, &m, 0));
	SAY("flags %#x got %.4s\n", m.msg_flags, buf);
	T(recv(rx, buf, sizeof buf, MSG_DONTWAIT));

	/* Errors: too big, wrong kind of peer, nobody there. */
	int sndbuf = 0;
	socklen_t sl = sizeof sndbuf;
	getsockopt(tx, SOL_SOCKET, SO_SNDBUF, &sndbuf, &sl);
	char *big = calloc(1, (size_t)sndbuf);
	T(sendto(tx, big, (size_t)sndbuf - 31, 0, (struct sockaddr *)&a, alen));
	T(sendto(tx, big, (size_t)sndbuf - 32, 0, (struct sockaddr *)&a, alen));
	T(recv(rx, big, (size_t)sndbuf, 0));
	free(big);
	struct sockaddr_un missing;
	socklen_t mlen = path_addr(&missing, d, "missing");
	T(sendto(tx, "x", 1, 0, (struct sockaddr *)&missing, mlen));
	T(sendto(tx, "x", 1, 0, (struct sockaddr *)&a, 1));
	T(sendto(tx, "x", 1, MSG_OOB, (struct sockaddr *)&a, alen));
	int st = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	struct sockaddr_un sa;
	socklen_t salen = path_addr(&sa, d, "stream");
	T(bind(st, (struct sockaddr *)&sa, salen));
	T(sendto(tx, "x", 1, 0, (struct sockaddr *)&sa, salen));
	T(sendto(st, "x", 1, 0, (struct sockaddr *)&a, alen));

	/* A receiver that nobody connected to takes 11 datagrams from a
	 * stranger (net.unix.max_dgram_qlen is 10), then EAGAIN. */
	int i = 0;
	while (sendto(tx, "q", 1, MSG_DONTWAIT, (struct sockaddr *)&a, alen) == 1)
		i++;
	SAY("queued %d then %s\n", i, strerrorname_np(errno));
	T(recv(rx, buf, sizeof buf, 0));
	T(sendto(tx, "q", 1, MSG_DONTWAIT, (struct sockaddr *)&a, alen));
	while (recv(rx, buf, sizeof buf, MSG_DONTWAIT) > 0)
		;

	/* connect: a default destination; receiving only from it. */
	T(connect(tx, (struct sockaddr *)&a, alen));
	struct sockaddr_un pn;
	socklen_t pl = sizeof pn;
	T(getpeername(tx, (struct sockaddr *)&pn, &pl));
	SAY("peer is rx %d\n", !strcmp(pn.sun_path, a.sun_path));
	T(send(tx, "via connect", 11, 0));
	T(recv(rx, buf, sizeof buf, 0));
	T(connect(rx, (struct sockaddr *)&b, blen));
	int third = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	T(sendto(third, "x", 1, 0, (struct sockaddr *)&a, alen));
	T(connect(third, (struct sockaddr *)&a, alen));
	/* Disconnect with AF_UNSPEC. */
	struct sockaddr unspec = {AF_UNSPEC, {0}};
	T(connect(rx, &unspec, sizeof unspec));
	T(getpeername(rx, (struct sockaddr *)&pn, &pl));
	T(connect(rx, &unspec, 1));
	T(sendto(third, "x", 1, 0, (struct sockaddr *)&a, alen));
	T(recv(rx, buf, sizeof buf, 0));
	/* The peer closes: ECONNREFUSED once, then not connected. */
	T(close(rx));
	show_poll(tx);
	T(send(tx, "x", 1, 0));
	T(send(tx, "x", 1, 0));
	T(close(tx));
	T(close(third));

	/* socketpair: shutdown and close. */
	int sv[2];
	T(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	T(send(sv[0], "a", 1, 0));
	T(shutdown(sv[1], SHUT_RD));
	show_poll(sv[1]);
	T(send(sv[0], "b", 1, 0));
	T(recv(sv[1], buf, sizeof buf, 0));
	T(recv(sv[1], buf, sizeof buf, 0));
	T(shutdown(sv[0], SHUT_WR));
	T(send(sv[0], "c", 1, 0));
	show_poll(sv[0]);
	T(close(sv[1]));
	T(close(sv[0]));

	/* Seqpacket: connections with record boundaries. */
	struct sockaddr_un qa;
	socklen_t qlen = path_addr(&qa, d, "seq");
	int ls = OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	T(bind(ls, (struct sockaddr *)&qa, qlen));
	T(listen(ls, 2));
	int qc = OK(socket(AF_UNIX, SOCK_SEQPACKET, 0));
	T(send(qc, "x", 1, 0));
	T(recv(qc, buf, sizeof buf, 0));
	T(connect(qc, (struct sockaddr *)&qa, qlen));
	int qs = OK(accept(ls, NULL, NULL));
	T(send(qc, "record one", 10, 0));
	T(sendto(qc, "two", 3, 0, (struct sockaddr *)&a, alen));
	T(send(qc, "", 0, 0));
	iov.iov_len = 6;
	m.msg_flags = 0;
	T(recvmsg(qs, &m, 0));
	SAY("flags %#x got %.6s\n", m.msg_flags, buf);
	T(recv(qs, buf, sizeof buf, 0));
	T(recv(qs, buf, sizeof buf, 0));
	T(ioctl(qs, FIONREAD, &n));
	SAY("inq %d\n", n);
	T(close(qc));
	show_poll(qs);
	T(recv(qs, buf, sizeof buf, 0));
	T(recv(qs, buf, sizeof buf, MSG_DONTWAIT));
	T(send(qs, "x", 1, 0));
	T(send(qs, "x", 1, MSG_NOSIGNAL));
	T(close(qs));
	T(close(ls));
	return 0;
}
