/* AF_UNIX stream sockets: bind to paths and abstract names, listen, connect,
 * accept, addresses, credentials, data, peeking, shutdown, close, backlog,
 * nonblocking connect and accept, and their errnos. */
#include "t.h"
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/un.h>

static socklen_t path_addr(struct sockaddr_un *a, const char *dir, const char *name)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof a->sun_path, "%s/%s", dir, name);
	return offsetof(struct sockaddr_un, sun_path) + strlen(a->sun_path) + 1;
}

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, strlen(name));
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static void show_name(int fd, bool peer, const char *dir)
{
	struct sockaddr_un a;
	memset(&a, 'z', sizeof a);
	socklen_t len = sizeof a;
	int r = peer ? getpeername(fd, (struct sockaddr *)&a, &len)
		     : getsockname(fd, (struct sockaddr *)&a, &len);
	if (r < 0) {
		SAY("%s -> %s\n", peer ? "getpeername" : "getsockname", strerrorname_np(errno));
		return;
	}
	bool abstract = len > 2 && !a.sun_path[0];
	const char *p = a.sun_path + abstract;
	int plen = len > 2 ? (int)len - 2 - abstract : 0;
	if (plen && !abstract) {
		plen = (int)strnlen(p, (size_t)plen);
		if (!strncmp(p, dir, strlen(dir))) {
			p += strlen(dir);
			plen -= (int)strlen(dir);
		}
	}
	SAY("%s: len %u family %d path %s%.*s\n", peer ? "peer" : "name", len, a.sun_family,
	    abstract ? "@" : "", plen, p);
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
	const char *d = scratch("unix_stream");
	signal(SIGPIPE, on_pipe);
	umask(022);
	struct sockaddr_un a, b;
	socklen_t alen = path_addr(&a, d, "srv");

	int srv = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	show_name(srv, false, d);
	show_name(srv, true, d);
	T(listen(srv, 5));
	T(bind(srv, (struct sockaddr *)&a, 1));
	T(bind(srv, (struct sockaddr *)&a, sizeof a + 1));
	a.sun_family = AF_INET;
	T(bind(srv, (struct sockaddr *)&a, alen));
	a.sun_family = AF_UNIX;
	T(bind(srv, BADPTR, alen));
	T(bind(srv, (struct sockaddr *)&a, alen));
	struct stat st;
	T(stat(a.sun_path, &st));
	SAY("socket file mode %o\n", st.st_mode);
	show_name(srv, false, d);
	T(bind(srv, (struct sockaddr *)&a, alen));
	path_addr(&b, d, "other");
	T(bind(srv, (struct sockaddr *)&b, sizeof b));
	T(access(b.sun_path, F_OK));
	int s2 = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(bind(s2, (struct sockaddr *)&a, alen));
	path_addr(&b, d, "nodir/x");
	T(bind(s2, (struct sockaddr *)&b, sizeof b));

	/* Connecting before listen, to nothing, to the wrong kind. */
	int c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect(c, (struct sockaddr *)&a, alen));
	T(listen(srv, 2));
	int ds = OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	T(connect(ds, (struct sockaddr *)&a, alen));
	path_addr(&b, d, "missing");
	T(connect(c, (struct sockaddr *)&b, sizeof b));
	path_addr(&b, d, "plainfile");
	T(close(open(b.sun_path, O_CREAT | O_WRONLY, 0644)));
	T(connect(c, (struct sockaddr *)&b, sizeof b));
	T(connect(c, (struct sockaddr *)&a, 2));
	T(accept(c, NULL, NULL));
	T(listen(ds, 1));
	T(accept(ds, NULL, NULL));

	/* A connection: addresses, credentials, data both ways. */
	T(connect(c, (struct sockaddr *)&a, alen));
	T(connect(c, (struct sockaddr *)&a, alen));
	T(listen(c, 1));
	show_name(c, false, d);
	show_name(c, true, d);
	show_poll(srv);
	struct sockaddr_un peer;
	memset(&peer, 'z', sizeof peer);
	socklen_t plen = sizeof peer;
	int conn = OK(accept(srv, (struct sockaddr *)&peer, &plen));
	SAY("accepted peer len %u family %d\n", plen, peer.sun_family);
	show_poll(srv);
	show_name(conn, false, d);
	show_name(conn, true, d);
	struct ucred uc;
	socklen_t len = sizeof uc;
	T(getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	SAY("server sees client pid %d\n", uc.pid == getpid());
	T(getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	SAY("client sees server pid %d\n", uc.pid == getpid());
	int v, vl = sizeof v;
	T(getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &v, (socklen_t *)&vl));
	SAY("acceptconn %d\n", v);
	show_poll(conn);
	T(write(c, "hello ", 6));
	T(send(c, "world", 5, 0));
	show_poll(conn);
	char buf[64] = {0};
	T(recv(conn, buf, 3, MSG_PEEK));
	SAY("peek %.3s\n", buf);
	T(recv(conn, buf, sizeof buf, MSG_PEEK));
	SAY("peek %.11s\n", buf);
	T(read(conn, buf, 4));
	SAY("read %.4s\n", buf);
	int n = -1;
	T(ioctl(conn, FIONREAD, &n));
	SAY("inq %d\n", n);
	T(read(conn, buf, sizeof buf));
	SAY("read %.7s\n", buf);
	T(recv(conn, buf, sizeof buf, MSG_DONTWAIT));
	T(write(conn, "pong", 4));
	T(recv(c, buf, sizeof buf, 0));

	/* MSG_WAITALL collects several writes. */
	pid_t kid = fork();
	if (kid == 0) {
		for (int i = 0; i < 4; i++) {
			usleep(20000);
			write(c, "abcd", 4);
		}
		_exit(0);
	}
	T(recv(conn, buf, 16, MSG_WAITALL));
	SAY("waitall %.16s\n", buf);
	waitpid(kid, NULL, 0);

	/* Shutdown: EOF for the reader, EPIPE (and SIGPIPE) for the writer. */
	T(shutdown(c, SHUT_WR));
	show_poll(conn);
	T(read(conn, buf, sizeof buf));
	T(write(c, "x", 1));
	T(send(c, "x", 1, MSG_NOSIGNAL));
	T(write(conn, "still", 5));
	T(read(c, buf, sizeof buf));
	T(shutdown(conn, SHUT_RDWR));
	show_poll(c);
	show_poll(conn);
	T(read(c, buf, sizeof buf));
	T(close(c));
	T(close(conn));

	/* Closing with unread data resets the other end. */
	c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect(c, (struct sockaddr *)&a, alen));
	conn = OK(accept(srv, NULL, NULL));
	T(write(c, "unread", 6));
	T(close(conn));
	show_poll(c);
	T(read(c, buf, sizeof buf));
	T(read(c, buf, sizeof buf));
	T(write(c, "x", 1));
	T(close(c));

	/* Backlog 2 takes 3 pending connections; then nonblocking connect
	 * gives EAGAIN; closing the listener resets them. */
	int cs[4];
	for (int i = 0; i < 4; i++) {
		cs[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		SAY("connect %d: ", i);
		T(connect(cs[i], (struct sockaddr *)&a, alen));
	}
	T(write(cs[0], "early", 5));
	conn = OK(accept4(srv, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC));
	T(fcntl(conn, F_GETFL) & O_NONBLOCK);
	T(fcntl(conn, F_GETFD));
	T(read(conn, buf, sizeof buf));
	T(accept4(srv, NULL, NULL, 0x10));
	T(connect(cs[3], (struct sockaddr *)&a, alen));
	T(close(conn));
	T(close(srv));
	for (int i = 1; i < 4; i++) {
		SAY("pending %d: ", i);
		show_poll(cs[i]);
		T(read(cs[i], buf, sizeof buf));
		close(cs[i]);
	}
	T(close(cs[0]));
	/* The name stays until unlinked, but nobody listens. */
	c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect(c, (struct sockaddr *)&a, alen));
	T(unlink(a.sun_path));
	T(connect(c, (struct sockaddr *)&a, alen));

	/* Nonblocking accept, and accept woken by a connection. */
	srv = OK(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
	T(bind(srv, (struct sockaddr *)&a, alen));
	T(listen(srv, 1));
	T(accept(srv, NULL, NULL));
	kid = fork();
	if (kid == 0) {
		usleep(50000);
		int k = socket(AF_UNIX, SOCK_STREAM, 0);
		connect(k, (struct sockaddr *)&a, alen);
		write(k, "from child", 10);
		_exit(0);
	}
	struct pollfd pf = {srv, POLLIN, 0};
	T(poll(&pf, 1, 5000));
	conn = OK(accept(srv, NULL, NULL));
	T(read(conn, buf, sizeof buf));
	waitpid(kid, NULL, 0);
	T(read(conn, buf, sizeof buf));
	T(close(conn));
	T(close(srv));
	T(unlink(a.sun_path));

	/* A socket node on tmpfs works the same. */
	char tdir[4200];
	snprintf(tdir, sizeof tdir, "%s/tmpfs", d);
	T(mkdir(tdir, 0755));
	T(mount("tmpfs", tdir, "tmpfs", 0, NULL));
	socklen_t tlen = path_addr(&b, tdir, "sock");
	srv = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(bind(srv, (struct sockaddr *)&b, tlen));
	T(stat(b.sun_path, &st));
	SAY("socket file mode %o\n", st.st_mode);
	T(listen(srv, 1));
	c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect(c, (struct sockaddr *)&b, tlen));
	conn = OK(accept(srv, NULL, NULL));
	T(write(c, "over tmpfs", 10));
	T(read(conn, buf, sizeof buf));
	T(close(c));
	T(close(conn));
	T(close(srv));
	T(umount(tdir));

	/* Abstract names: no file; the name goes with the socket. */
	alen = abstract_addr(&a, "umk-test-abstract");
	srv = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(bind(srv, (struct sockaddr *)&a, alen));
	show_name(srv, false, d);
	s2 = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(bind(s2, (struct sockaddr *)&a, alen));
	T(listen(srv, 4));
	c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect(c, (struct sockaddr *)&a, alen - 1));
	T(connect(c, (struct sockaddr *)&a, alen));
	show_name(c, true, d);
	T(close(srv));
	T(bind(s2, (struct sockaddr *)&a, alen));
	/* Out of descriptors, accept fails and the connection stays queued. */
	srv = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	alen = abstract_addr(&a, "umk-test-emfile");
	T(bind(srv, (struct sockaddr *)&a, alen));
	T(listen(srv, 2));
	c = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	T(connect(c, (struct sockaddr *)&a, alen));
	pid_t k = fork();
	if (k == 0) {
		int top = -1, fd;
		while ((fd = dup(0)) >= 0)
			top = fd;
		T(accept(srv, NULL, NULL));
		close(top);
		T(accept(srv, NULL, NULL) == top);
		_exit(0);
	}
	waitpid(k, NULL, 0);
	T(close(srv));

	/* Autobind: an abstract name of five hex digits. */
	int ab = OK(socket(AF_UNIX, SOCK_STREAM, 0));
	struct sockaddr_un au = {AF_UNIX, ""};
	T(bind(ab, (struct sockaddr *)&au, 2));
	len = sizeof au;
	T(getsockname(ab, (struct sockaddr *)&au, &len));
	SAY("autobind len %u first byte %d\n", len, au.sun_path[0]);
	return 0;
}
