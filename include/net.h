/*
 * The socket layer: a socket file holds a struct sock (Linux's struct sock
 * and struct socket in one), whose proto_ops are its address family's.
 * The generic code here does the system calls, socket files, SOL_SOCKET
 * options and control messages; a family (net/unix.c) does the rest.
 */
#ifndef NET_H
#define NET_H
#include "kernel.h"
#include "task.h"
#include "wait.h"
#include "iov.h"
#include "uapi/socket.h"

struct file;
struct sock;
struct poll_table;

/* Connection states (Linux reuses TCP's names for every family). */
enum sock_state { SS_CLOSE, SS_LISTEN, SS_ESTABLISHED };

#define RCV_SHUTDOWN  1
#define SEND_SHUTDOWN 2
#define SHUTDOWN_MASK 3

/* Files passed with SCM_RIGHTS: counted references while in flight. */
struct scm_fp_list {
	int count;
	struct file *fp[SCM_MAX_FD];
};

/* A message's ancillary data, parsed (send) or to deliver (receive). */
struct scm_cookie {
	struct scm_fp_list *fp;
	bool has_creds; /* SCM_CREDENTIALS given, or attached by the family */
	struct linux_ucred creds;
};

/* A message inside the kernel; the address is a kernel copy, the control
 * buffer stays the guest's and is filled as control messages go out. */
struct msghdr_k {
	struct linux_sockaddr_storage *name;
	int namelen;
	struct iov_iter iter;
	uaddr_t control;
	size_t controllen;
	unsigned flags; /* send: MSG_*; receive: the msg_flags to return */
	struct scm_cookie scm;
};

struct proto_ops {
	int family;
	/* The file is gone; the sock lives on while referenced. */
	void (*release)(struct sock *sk);
	int (*bind)(struct sock *sk, struct linux_sockaddr_storage *addr, int len);
	int (*connect)(struct sock *sk, struct linux_sockaddr_storage *addr, int len, int fflags);
	int (*socketpair)(struct sock *a, struct sock *b);
	/* The connection accepted, or an ERR_PTR. */
	struct sock *(*accept)(struct sock *sk, int fflags);
	/* The length of the address written (peer: the peer's, or -ENOTCONN). */
	int (*getname)(struct sock *sk, struct linux_sockaddr_storage *addr, bool peer);
	unsigned (*poll)(struct sock *sk, struct poll_table *pt);
	long (*ioctl)(struct sock *sk, unsigned cmd, uaddr_t arg);
	int (*listen)(struct sock *sk, int backlog);
	int (*shutdown)(struct sock *sk, int how);
	long (*sendmsg)(struct sock *sk, struct msghdr_k *msg, size_t len);
	long (*recvmsg)(struct sock *sk, struct msghdr_k *msg, size_t len, int flags);
};

/* Who the peer was when the connection was made: SO_PEERCRED (pid, euid,
 * egid) and SO_PEERGROUPS. */
struct sock_peer {
	bool set;
	struct linux_ucred cred;
	int ngroups;
	gid_t_ groups[64];
};

/* Socket timeouts are jiffies of a 250 Hz clock (Debian's kernels), so
 * SO_RCVTIMEO reads back rounded as it does there. */
#define SOCK_HZ		     250
#define MAX_SCHEDULE_TIMEOUT INT64_MAX

struct sock {
	int family, type, protocol;
	const struct proto_ops *ops;
	int refcount;
	struct file *file;	/* NULL once released, or before accept */
	struct wait_queue wait; /* readers, writers and pollers, woken with poll keys */
	enum sock_state state;
	unsigned shutdown; /* RCV_SHUTDOWN | SEND_SHUTDOWN */
	int err;	   /* SO_ERROR */
	int sndbuf, rcvbuf, rcvlowat, priority;
	int64_t rcvtimeo, sndtimeo; /* jiffies; MAX_SCHEDULE_TIMEOUT: none */
	struct linux_linger linger;
	bool passcred, passsec, reuseaddr, keepalive, broadcast, dontroute, oobinline;
	bool rcvtstamp, rcvtstampns; /* SO_TIMESTAMP, SO_TIMESTAMPNS */
	uint32_t mark;
	struct sock_peer peer;
	void (*destruct)(struct sock *sk);
};

/* socket.c */
void sock_init(struct sock *sk, int family, int type, const struct proto_ops *ops);
struct sock *sock_hold(struct sock *sk);
void sock_put(struct sock *sk);
/* The socket open in file f, or NULL. */
struct sock *sock_from_file(struct file *f);
int sock_error(struct sock *sk); /* -err, and clears it */
int64_t sock_rcvtimeo(struct sock *sk, bool noblock);
int64_t sock_sndtimeo(struct sock *sk, bool noblock);
/* What an interrupted wait returns: restartable unless it had a timeout. */
int sock_intr_errno(int64_t timeo);
/* A wait of timeo jiffies: its host-monotonic deadline (0: none), and what
 * is left of it at the end. */
int64_t sock_timeo_deadline(int64_t timeo);
int64_t sock_timeo_left(int64_t deadline, int64_t timeo);
/* Sleeps on wq until cond, a signal or *timeo jiffies (updated): 0,
 * -ERESTARTSYS, or -ETIMEDOUT. */
#define sock_wait_queue(wq, cond, timeo)                                                           \
	({                                                                                         \
		int64_t deadline_ = sock_timeo_deadline(*(timeo));                                 \
		int r_ = wait_event_deadline(wq, cond, deadline_);                                 \
		*(timeo) = sock_timeo_left(deadline_, *(timeo));                                   \
		r_;                                                                                \
	})
#define sock_wait_event(sk, cond, timeo) sock_wait_queue((sk)->wait, cond, timeo)
/* The current task, as its peer will see it. */
struct sock_peer current_peer(void);

/* scm.c: control messages */
int scm_send(struct sock *sk, struct msghdr_k *msg, uaddr_t control, size_t controllen);
void scm_destroy(struct scm_cookie *scm);
struct scm_fp_list *scm_fp_dup(const struct scm_fp_list *fpl);
/* Writes the cookie's credentials (if passcred) and files to msg's control
 * buffer, installing the files; consumes the cookie. */
void scm_recv(struct sock *sk, struct msghdr_k *msg, struct scm_cookie *scm, int flags);
/* Appends one control message to msg's buffer (MSG_CTRUNC if cut). */
void put_cmsg(struct msghdr_k *msg, int level, int type, const void *data, size_t len);
/* The credentials of current, as SCM_CREDENTIALS carries them. */
struct linux_ucred scm_current_creds(void);

/* unix.c */
int unix_create(struct sock **skp, int type, int protocol);

#endif
