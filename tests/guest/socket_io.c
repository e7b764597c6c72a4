/* Socket I/O: vectored sendmsg/recvmsg, sendmmsg/recvmmsg, readv/writev,
 * bulk transfer between processes, send and receive timeouts, signals
 * (restart unless a timeout is set), bad buffers. */
#include "t.h"
#include <stdint.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

static volatile int got;
static void handler(int sig)
{
	got = sig;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(void)
{
	int sv[2], dv[2];
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	T(socketpair(AF_UNIX, SOCK_DGRAM, 0, dv));
	char a[] = "scatter", b[] = "-gather", in1[5] = {0}, in2[32] = {0};

	/* Vectors. */
	struct iovec out[2] = {{a, 7}, {b, 7}};
	struct msghdr m = {.msg_iov = out, .msg_iovlen = 2};
	T(sendmsg(sv[0], &m, 0));
	struct iovec inv[2] = {{in1, 4}, {in2, sizeof in2 - 1}};
	struct msghdr r = {.msg_iov = inv, .msg_iovlen = 2};
	T(recvmsg(sv[1], &r, 0));
	SAY("%.4s|%s\n", in1, in2);
	T(writev(dv[0], out, 2));
	memset(in2, 0, sizeof in2);
	T(readv(dv[1], inv, 2));
	SAY("%.4s|%s\n", in1, in2);
	m.msg_iovlen = 1025;
	T(sendmsg(sv[0], &m, 0));
	m.msg_iovlen = 2;
	m.msg_namelen = -1;
	m.msg_name = a;
	T(sendmsg(sv[0], &m, 0));
	m.msg_name = NULL;
	T(sendmsg(sv[0], BADPTR, 0));
	T(recvmsg(sv[1], BADPTR, 0));
	out[1].iov_base = BADPTR;
	T(sendmsg(sv[0], &m, 0));
	out[1].iov_base = b;
	T(write(sv[0], "x", 1));
	T(recv(sv[1], BADPTR, 1, 0));
	T(recv(sv[1], in2, 1, MSG_DONTWAIT));

	/* sendmmsg / recvmmsg */
	char bufs[4][16];
	struct iovec iovs[4];
	struct mmsghdr mm[4];
	memset(mm, 0, sizeof mm);
	for (int i = 0; i < 3; i++) {
		snprintf(bufs[i], sizeof bufs[i], "dgram %d", i);
		iovs[i].iov_base = bufs[i];
		iovs[i].iov_len = strlen(bufs[i]) + 1;
		mm[i].msg_hdr.msg_iov = &iovs[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	T(sendmmsg(dv[0], mm, 3, 0));
	SAY("lens %u %u %u\n", mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
	memset(bufs, 0, sizeof bufs);
	for (int i = 0; i < 4; i++) {
		iovs[i].iov_base = bufs[i];
		iovs[i].iov_len = sizeof bufs[i];
		mm[i].msg_hdr.msg_iov = &iovs[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	T(recvmmsg(dv[1], mm, 4, MSG_WAITFORONE, NULL));
	SAY("%s %s %s lens %u %u %u\n", bufs[0], bufs[1], bufs[2], mm[0].msg_len, mm[1].msg_len,
	    mm[2].msg_len);
	T(recvmmsg(dv[1], mm, 4, MSG_DONTWAIT, NULL));
	struct timespec ts = {0, -1};
	T(recvmmsg(dv[1], mm, 4, 0, &ts));
	T(sendmmsg(dv[0], mm, 0, 0));

	/* 1 MiB through a stream to a child that sums it. */
	pid_t c = fork();
	if (c == 0) {
		close(sv[0]);
		uint64_t sum = 0;
		unsigned char buf[8192];
		long n, total = 0;
		while ((n = read(sv[1], buf, sizeof buf)) > 0) {
			for (long i = 0; i < n; i++)
				sum += buf[i];
			total += n;
		}
		SAY("child read %ld sum %llu\n", total, (unsigned long long)sum);
		_exit(0);
	}
	close(sv[1]);
	static unsigned char big[1 << 20];
	uint64_t sum = 0;
	for (size_t i = 0; i < sizeof big; i++) {
		big[i] = (unsigned char)(i * 7);
		sum += big[i];
	}
	long wrote = write(sv[0], big, sizeof big);
	close(sv[0]);
	waitpid(c, NULL, 0);
	SAY("wrote %ld sum %llu\n", wrote, (unsigned long long)sum);

	/* Timeouts: SO_RCVTIMEO ends a read with EAGAIN, never early. */
	T(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	struct timeval tv = {0, 100000};
	T(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T(read(sv[1], in2, 1));
	long ms = ms_since(&t0);
	SAY("waited enough %d\n", ms >= 100 && ms < 2000);
	/* SO_SNDTIMEO ends a write to a full socket. */
	T(setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
	long sent = 0, n;
	while ((n = send(sv[0], big, 65536, 0)) > 0)
		sent += n;
	SAY("filled %d then %s\n", sent > 0, strerrorname_np(errno));

	/* A handled signal: restarted (SA_RESTART) without a timeout, EINTR
	 * with one. */
	struct sigaction sa = {0};
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	tv.tv_sec = 3;
	tv.tv_usec = 0;
	T(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	int dd[2];
	T(socketpair(AF_UNIX, SOCK_DGRAM, 0, dd));
	c = fork();
	if (c == 0) {
		usleep(400000);
		send(dd[0], "late", 4, 0);
		_exit(0);
	}
	ualarm(100000, 0);
	T(recv(dd[1], in2, sizeof in2, 0));
	SAY("restarted, got %d\n", got);
	waitpid(c, NULL, 0);
	char drain[65536];
	while (recv(sv[1], drain, sizeof drain, MSG_DONTWAIT) > 0)
		;
	got = 0;
	ualarm(100000, 0);
	T(recv(sv[1], in2, sizeof in2, 0));
	SAY("got %d\n", got);
	/* Without SA_RESTART: EINTR. */
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	ualarm(100000, 0);
	T(recv(dd[1], in2, sizeof in2, 0));
	return 0;
}
