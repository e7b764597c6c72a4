/* SCM_RIGHTS and SCM_CREDENTIALS over AF_UNIX: passing files between
 * processes, MSG_CMSG_CLOEXEC, truncation (MSG_CTRUNC), peeking, stream
 * boundaries, SO_PASSCRED, and the errors. */
#include "t.h"
#include <sys/socket.h>
#include <sys/un.h>

static int send_fds(int s, const int *fds, int n, const char *data)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 300)];
	struct iovec iov = {(void *)data, strlen(data)};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	if (n) {
		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	}
	return (int)sendmsg(s, &m, 0);
}

/* Receives and describes the control messages; received fds in fds. */
static int recv_fds(int s, int *fds, size_t cspace, int flags)
{
	char data[64] = {0}, cbuf[4096];
	struct iovec iov = {data, sizeof data - 1};
	struct msghdr m = {.msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = cspace ? cbuf : NULL,
			   .msg_controllen = cspace};
	memset(cbuf, 0, sizeof cbuf);
	int r = (int)recvmsg(s, &m, flags);
	if (r < 0) {
		SAY("recvmsg -> %s\n", strerrorname_np(errno));
		return r;
	}
	SAY("recvmsg -> %d \"%s\" flags %#x controllen %zu\n", r, data, m.msg_flags,
	    (size_t)m.msg_controllen);
	int k = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		SAY("  cmsg level %d type %d len %zu\n", c->cmsg_level, c->cmsg_type,
		    (size_t)c->cmsg_len);
		if (c->cmsg_type == SCM_RIGHTS) {
			int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds + k, CMSG_DATA(c), sizeof(int) * (size_t)n);
			k += n;
		} else if (c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred uc;
			memcpy(&uc, CMSG_DATA(c), sizeof uc);
			SAY("  creds pid-is-self %d uid %d gid %d\n", uc.pid == getpid(),
			    (int)uc.uid, (int)uc.gid);
		}
	}
	return k;
}

static void describe(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		SAY("  fd: %s\n", strerrorname_np(errno));
		return;
	}
	SAY("  fd type %o cloexec %d\n", st.st_mode & S_IFMT, fcntl(fd, F_GETFD));
}

int main(void)
{
	const char *d = scratch("scm_rights");
	char path[4200];
	snprintf(path, sizeof path, "%s/file", d);
	int file = OK(open(path, O_CREAT | O_RDWR, 0600));
	T(write(file, "file contents", 13));
	int p[2];
	T(pipe(p));
	int sv[2];
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	int got[300];

	/* A file and a pipe end to a child, which reads and writes them. */
	int fds[2] = {file, p[1]};
	T(send_fds(sv[0], fds, 2, "take"));
	pid_t c = fork();
	if (c == 0) {
		close(sv[0]);
		int n = recv_fds(sv[1], got, CMSG_SPACE(sizeof(int) * 4), 0);
		char buf[32] = {0};
		pread(got[0], buf, 13, 0);
		write(got[1], buf, strlen(buf));
		_exit(n);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("child got %d fds\n", WEXITSTATUS(st));
	char buf[64] = {0};
	T(read(p[0], buf, sizeof buf));
	SAY("through the pipe: %s\n", buf);

	/* MSG_CMSG_CLOEXEC */
	T(send_fds(sv[0], &file, 1, "x"));
	T(recv_fds(sv[1], got, CMSG_SPACE(sizeof(int)), MSG_CMSG_CLOEXEC));
	describe(got[0]);
	close(got[0]);

	/* Truncation: room for one of three; no room at all; no buffer. */
	int three[3] = {file, p[0], p[1]};
	T(send_fds(sv[0], three, 3, "a"));
	int k = recv_fds(sv[1], got, CMSG_SPACE(sizeof(int)), 0);
	for (int i = 0; i < k; i++) {
		describe(got[i]);
		close(got[i]);
	}
	T(send_fds(sv[0], three, 3, "b"));
	T(recv_fds(sv[1], got, sizeof(struct cmsghdr), 0));
	T(send_fds(sv[0], three, 3, "c"));
	T(recv_fds(sv[1], got, 0, 0));
	T(send_fds(sv[0], three, 3, "d"));
	T(read(sv[1], buf, sizeof buf));
	/* A buffer 4 bytes short of the last fd. */
	T(send_fds(sv[0], three, 3, "e"));
	k = recv_fds(sv[1], got, CMSG_LEN(sizeof(int) * 3) - 4, 0);
	for (int i = 0; i < k; i++)
		close(got[i]);

	/* Peeking duplicates the files; the read takes them again. */
	T(send_fds(sv[0], &file, 1, "peek"));
	k = recv_fds(sv[1], got, CMSG_SPACE(sizeof(int)), MSG_PEEK);
	close(got[0]);
	k = recv_fds(sv[1], got, CMSG_SPACE(sizeof(int)), 0);
	close(got[0]);

	/* A stream read stops after a message with files. */
	T(write(sv[0], "plain", 5));
	T(send_fds(sv[0], &file, 1, "fds"));
	T(write(sv[0], "after", 5));
	k = recv_fds(sv[1], got, CMSG_SPACE(sizeof(int)), 0);
	close(got[0]);
	T(recv_fds(sv[1], got, CMSG_SPACE(sizeof(int)), 0));

	/* Errors. */
	int bad = 1000;
	T(send_fds(sv[0], &bad, 1, "x"));
	int many[254];
	for (int i = 0; i < 254; i++)
		many[i] = file;
	T(send_fds(sv[0], many, 254, "x"));
	T(send_fds(sv[0], many, 253, "x"));
	k = recv_fds(sv[1], got, CMSG_SPACE(sizeof(int) * 253), 0);
	for (int i = 0; i < k; i++)
		close(got[i]);
	struct iovec iov = {"x", 1};
	char cbuf[64] = {0};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf};
	struct cmsghdr *cm = (struct cmsghdr *)cbuf;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = 77;
	cm->cmsg_len = CMSG_LEN(4);
	m.msg_controllen = CMSG_SPACE(4);
	T(sendmsg(sv[0], &m, 0));
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = 100;
	T(sendmsg(sv[0], &m, 0));
	cm->cmsg_len = 8;
	T(sendmsg(sv[0], &m, 0));
	cm->cmsg_level = 99; /* other levels are skipped */
	cm->cmsg_len = CMSG_LEN(4);
	T(sendmsg(sv[0], &m, 0));
	m.msg_control = BADPTR;
	T(sendmsg(sv[0], &m, 0));
	T(read(sv[1], buf, sizeof buf));

	/* Zero bytes with files over a stream send nothing at all. */
	T(send_fds(sv[0], &file, 1, ""));
	T(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT));

	/* Datagrams carry files with empty messages too. */
	int dv[2];
	T(socketpair(AF_UNIX, SOCK_DGRAM, 0, dv));
	T(send_fds(dv[0], &file, 1, ""));
	k = recv_fds(dv[1], got, CMSG_SPACE(sizeof(int)), 0);
	describe(got[0]);

	/* SCM_CREDENTIALS: explicit, checked, and attached for SO_PASSCRED. */
	struct ucred uc = {getpid(), getuid(), getgid()};
	cm = (struct cmsghdr *)cbuf;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof uc);
	memcpy(CMSG_DATA(cm), &uc, sizeof uc);
	m.msg_control = cbuf;
	m.msg_controllen = CMSG_SPACE(sizeof uc);
	T(sendmsg(dv[0], &m, 0));
	T(recv_fds(dv[1], got, 64, 0));
	int on = 1;
	T(setsockopt(dv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
	T(sendmsg(dv[0], &m, 0));
	T(send(dv[0], "implicit", 8, 0));
	T(recv_fds(dv[1], got, 64, 0));
	T(recv_fds(dv[1], got, 64, 0));
	T(send(dv[0], "no room", 7, 0));
	T(recv_fds(dv[1], got, 0, 0));
	uc.pid = 999999;
	memcpy(CMSG_DATA(cm), &uc, sizeof uc);
	T(sendmsg(dv[0], &m, 0));
	uc.pid = getpid();
	uc.uid = (uid_t)-1;
	memcpy(CMSG_DATA(cm), &uc, sizeof uc);
	T(sendmsg(dv[0], &m, 0));
	cm->cmsg_len = CMSG_LEN(4);
	T(sendmsg(dv[0], &m, 0));
	/* Credentials and files in one message: credentials come first. */
	uc.uid = getuid();
	cm->cmsg_len = CMSG_LEN(sizeof uc);
	memcpy(CMSG_DATA(cm), &uc, sizeof uc);
	struct cmsghdr *c2 = (struct cmsghdr *)(cbuf + CMSG_SPACE(sizeof uc));
	c2->cmsg_level = SOL_SOCKET;
	c2->cmsg_type = SCM_RIGHTS;
	c2->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c2), &file, sizeof(int));
	m.msg_controllen = CMSG_SPACE(sizeof uc) + CMSG_SPACE(sizeof(int));
	T(sendmsg(dv[0], &m, 0));
	k = recv_fds(dv[1], got, 64, 0);
	describe(got[0]);
	/* A socket passed over itself; the kernel must not mind. */
	T(send_fds(dv[0], &dv[0], 1, "self"));
	T(close(dv[0]));
	T(close(dv[1]));
	/* Rings of sockets only their own messages hold, again and again:
	 * the garbage collector frees them. */
	int ok = 0;
	for (int i = 0; i < 20000; i++) {
		int r[2];
		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, r))
			break;
		ok += send_fds(r[0], r, 2, "") == 0;
		close(r[0]);
		close(r[1]);
	}
	SAY("rings sent %d\n", ok);
	T(socketpair(AF_UNIX, SOCK_DGRAM, 0, dv));
	return 0;
}
