/* socket and socketpair: families, types, flags; socket files (fstat,
 * /proc/self/fd, lseek, ioctl); SOL_SOCKET options and their errors. */
#include "t.h"
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <grp.h>
#include <sys/time.h>
#include <termios.h>

static void opt(int fd, int name, const char *what)
{
	int v = -7;
	socklen_t len = sizeof v;
	int r = getsockopt(fd, SOL_SOCKET, name, &v, &len);
	if (r < 0)
		SAY("%s -> %s\n", what, strerrorname_np(errno));
	else
		SAY("%s = %d (len %u)\n", what, v, len);
}

int main(void)
{
	T(socket(46, SOCK_STREAM, 0));
	T(socket(-1, SOCK_STREAM, 0));
	T(socket(AF_UNIX, 11, 0));
	T(socket(AF_UNIX, SOCK_RDM, 0));
	T(socket(AF_UNIX, SOCK_STREAM, 7));
	T(socket(AF_UNIX, SOCK_STREAM | 0x100, 0));
	int s = OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, AF_UNIX));
	T(fcntl(s, F_GETFD));
	T(fcntl(s, F_GETFL));
	int raw = OK(socket(AF_UNIX, SOCK_RAW, 0));
	opt(raw, SO_TYPE, "raw SO_TYPE");
	T(close(raw));

	struct stat st;
	T(fstat(s, &st));
	SAY("mode %o size %lld nlink %ld\n", st.st_mode, (long long)st.st_size, (long)st.st_nlink);
	char path[64], link[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", s);
	ssize_t n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	SAY("link starts socket:[ %d\n", !strncmp(link, "socket:[", 8));
	T(lseek(s, 0, SEEK_SET));
	char buf[8];
	T(pread(s, buf, 1, 0));
	int v;
	T(ioctl(s, FIONREAD, &v));
	T(ioctl(s, TIOCOUTQ, &v));
	struct termios tio;
	T(ioctl(s, TCGETS, &tio));
	T(read(s, buf, 1));
	T(write(s, "x", 1));

	/* Options. */
	opt(s, SO_TYPE, "SO_TYPE");
	opt(s, SO_DOMAIN, "SO_DOMAIN");
	opt(s, SO_PROTOCOL, "SO_PROTOCOL");
	opt(s, SO_ACCEPTCONN, "SO_ACCEPTCONN");
	opt(s, SO_ERROR, "SO_ERROR");
	opt(s, SO_SNDBUF, "SO_SNDBUF");
	opt(s, SO_RCVBUF, "SO_RCVBUF");
	opt(s, SO_PASSCRED, "SO_PASSCRED");
	opt(s, SO_REUSEADDR, "SO_REUSEADDR");
	opt(s, SO_KEEPALIVE, "SO_KEEPALIVE");
	opt(s, SO_RCVLOWAT, "SO_RCVLOWAT");
	opt(s, SO_SNDLOWAT, "SO_SNDLOWAT");
	opt(s, 9999, "option 9999");
	struct ucred uc;
	socklen_t len = sizeof uc;
	T(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	SAY("peercred %d %d %d len %u\n", uc.pid, (int)uc.uid, (int)uc.gid, len);
	v = 1;
	T(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, sizeof v));
	opt(s, SO_PASSCRED, "SO_PASSCRED");
	T(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, sizeof v));
	opt(s, SO_REUSEADDR, "SO_REUSEADDR");
	v = 10000;
	T(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
	opt(s, SO_SNDBUF, "SO_SNDBUF");
	v = 1;
	T(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
	opt(s, SO_SNDBUF, "SO_SNDBUF");
	T(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v));
	opt(s, SO_RCVBUF, "SO_RCVBUF");
	v = 0;
	T(setsockopt(s, SOL_SOCKET, SO_RCVLOWAT, &v, sizeof v));
	opt(s, SO_RCVLOWAT, "SO_RCVLOWAT");
	T(setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof v));
	T(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &v, 2));
	T(setsockopt(s, SOL_SOCKET, SO_PASSCRED, BADPTR, sizeof v));
	T(setsockopt(s, SOL_SOCKET, 9999, &v, sizeof v));
	T(setsockopt(s, 6 /* SOL_TCP */, 1, &v, sizeof v));
	len = sizeof v;
	T(getsockopt(s, 6, 1, &v, &len));
	len = (socklen_t)-1;
	T(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
	len = 2;
	v = 0;
	T(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
	SAY("short read %d len %u\n", v, len);
	T(getsockopt(s, SOL_SOCKET, SO_TYPE, &v, BADPTR));
	struct linger lg = {1, 5};
	T(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
	T(setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, 4));
	memset(&lg, 0, sizeof lg);
	len = sizeof lg;
	T(getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len));
	SAY("linger %d %d\n", lg.l_onoff, lg.l_linger);
	struct timeval tv = {1, 500000};
	T(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	len = sizeof tv;
	memset(&tv, 0, sizeof tv);
	T(getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
	SAY("rcvtimeo %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
	tv.tv_usec = 1000000;
	T(setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
	T(setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, 8));
	T(close(s));

	/* Not sockets, bad descriptors. */
	int p[2];
	T(pipe(p));
	struct sockaddr_un a = {AF_UNIX, "x"};
	T(bind(p[0], (struct sockaddr *)&a, sizeof a));
	T(listen(p[0], 1));
	T(getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &len));
	T(shutdown(p[0], SHUT_RD));
	T(send(p[1], "x", 1, 0));
	T(bind(99, (struct sockaddr *)&a, sizeof a));
	T(accept(99, NULL, NULL));

	/* socketpair */
	int sv[2];
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, BADPTR));
	T(socketpair(46, SOCK_STREAM, 0, sv));
	T(socketpair(AF_UNIX, SOCK_STREAM | 0x100, 0, sv));
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	opt(sv[0], SO_ACCEPTCONN, "pair SO_ACCEPTCONN");
	len = sizeof uc;
	T(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &len));
	SAY("peercred is self %d uid %d gid %d\n", uc.pid == getpid(), (int)uc.uid, (int)uc.gid);
	T(shutdown(sv[0], 3));
	T(shutdown(sv[0], -1));

	/* SO_PEERGROUPS: the peer's supplementary groups when it connected. */
	gid_t groups[2] = {5, 7}, got[8];
	T(setgroups(2, groups));
	int gp[2];
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, gp));
	len = 4;
	T(getsockopt(gp[0], SOL_SOCKET, SO_PEERGROUPS, got, &len));
	SAY("needs %u\n", len);
	len = sizeof got;
	T(getsockopt(gp[0], SOL_SOCKET, SO_PEERGROUPS, got, &len));
	SAY("groups %u: %u %u\n", len, got[0], got[1]);
	int lone = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(getsockopt(lone, SOL_SOCKET, SO_PEERGROUPS, got, &len));

	/* SO_TIMESTAMP(NS): datagrams say when they arrived. */
	int dg[2];
	T(socketpair(AF_UNIX, SOCK_DGRAM, 0, dg));
	for (int ns = 0; ns < 2; ns++) {
		v = 1;
		T(setsockopt(dg[1], SOL_SOCKET, ns ? SO_TIMESTAMPNS : SO_TIMESTAMP, &v, sizeof v));
		opt(dg[1], SO_TIMESTAMP, "SO_TIMESTAMP");
		opt(dg[1], SO_TIMESTAMPNS, "SO_TIMESTAMPNS");
		struct timeval before;
		gettimeofday(&before, NULL);
		T(send(dg[0], "t", 1, 0));
		char data[4], cbuf[64];
		struct iovec iov = {data, sizeof data};
		struct msghdr m = {.msg_iov = &iov,
				   .msg_iovlen = 1,
				   .msg_control = cbuf,
				   .msg_controllen = sizeof cbuf};
		T(recvmsg(dg[1], &m, 0));
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		long sec = c ? ((long *)CMSG_DATA(c))[0] : 0;
		SAY("cmsg type %d len %zu plausible %d\n", c ? c->cmsg_type : -1,
		    c ? (size_t)c->cmsg_len : 0, sec >= before.tv_sec && sec <= before.tv_sec + 5);
	}
	v = 1;
	T(setsockopt(dg[1], SOL_SOCKET, SO_PASSSEC, &v, sizeof v));
	opt(dg[1], SO_PASSSEC, "SO_PASSSEC");
	v = 42;
	T(setsockopt(dg[1], SOL_SOCKET, SO_MARK, &v, sizeof v));
	opt(dg[1], SO_MARK, "SO_MARK");
	return 0;
}
