/*
 * AF_UNIX sockets: stream, datagram and seqpacket, bound to filesystem
 * paths (a socket node made through the VFS's mknod, so any filesystem
 * works) or to abstract names, with SCM_RIGHTS and SCM_CREDENTIALS. The
 * semantics are Linux's af_unix.c: a message is a unix_skb queued on the
 * receiver and charged to the sender's send buffer until read; a connect
 * makes the server's end at once (an embryo queued on the listener until
 * accepted); datagram senders to a full receiver wait on its peer_wait.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "host.h"
#include "fs.h"
#include "ktime.h"
#include "net.h"
#include "signal.h"
#include "uaccess.h"
#include "uapi/misc.h"

#define UNIX_MAX_DGRAM_QLEN 10 /* net.unix.max_dgram_qlen */
#define SUN_PATH_OFFSET	    2  /* offsetof(struct sockaddr_un, sun_path) */

struct unix_address {
	int refcount;
	int len;
	struct linux_sockaddr_storage name;
};

/* One message (stream: one write's chunk) in a receive queue. */
struct unix_skb {
	struct list_head list;
	struct unix_sock *sender; /* counted: its address, its send buffer */
	size_t len, consumed, truesize;
	int64_t tstamp; /* arrival (wall clock), for SO_TIMESTAMP */
	struct scm_fp_list *fp;
	bool has_creds;
	struct linux_ucred creds;
	char data[];
};

struct unix_sock {
	struct sock sk;
	struct unix_address *addr;
	struct path path;	/* the socket node, when bound to a path */
	struct list_head bound; /* in unix_bound, or empty */
	struct unix_sock *peer; /* counted */
	struct list_head recvq;
	int qlen;		       /* messages queued, or connections waiting to be accepted */
	int recv_seq;		       /* bumped by every arrival, for waiters */
	size_t inq_len;		       /* stream bytes queued */
	size_t wmem;		       /* what our messages queued at receivers take */
	struct list_head accept_queue; /* embryos, for a listener */
	struct list_head accept_link;
	int max_ack_backlog;
	bool dead;		     /* released: no more messages in */
	struct wait_queue peer_wait; /* senders waiting for room, connectors for backlog */
	struct waiter peer_wake;     /* relays another socket's peer_wait to our poll */
	struct unix_sock *peer_wake_other;
	struct list_head all; /* in unix_all */
	int gc_inflight;      /* the garbage collector's counts */
	bool gc_candidate, gc_alive;
};

static LIST_HEAD(unix_bound);
static LIST_HEAD(unix_all);
static void unix_gc(void);
static int unix_inflight; /* files carried by messages */
#define UNIX_INFLIGHT_TRIGGER_GC 16000
static const struct proto_ops unix_stream_ops, unix_dgram_ops, unix_seqpacket_ops;

static struct unix_sock *unix_sk(struct sock *sk)
{
	return container_of(sk, struct unix_sock, sk);
}

static bool connection_based(const struct sock *sk)
{
	return sk->type == SOCK_STREAM || sk->type == SOCK_SEQPACKET;
}

/* Linux's skb truesize: the data plus the skb and its shared info. */
static size_t unix_truesize(size_t len)
{
	return max((size_t)768, ALIGN_UP(len + 576, 64));
}

static bool unix_recvq_full(const struct unix_sock *u)
{
	return u->qlen > u->max_ack_backlog;
}

static bool unix_writable(const struct unix_sock *u)
{
	return u->sk.state != SS_LISTEN && u->wmem * 4 <= (size_t)u->sk.sndbuf;
}

static void unix_wake_data(struct unix_sock *u)
{
	u->recv_seq++;
	wake_up_poll(&u->sk.wait, POLLIN | POLLRDNORM | POLLRDBAND);
}

/* State changes (shutdown, close, errors) wake everyone. */
static void unix_state_change(struct unix_sock *u)
{
	u->recv_seq++;
	wake_up(&u->sk.wait);
}

/* ---- Addresses and names ---- */

static void unix_release_addr(struct unix_address *addr)
{
	if (addr && --addr->refcount == 0)
		kfree(addr);
}

static struct unix_address *unix_create_addr(const struct linux_sockaddr_storage *name, int len)
{
	struct unix_address *addr = kzalloc(sizeof *addr);
	if (!addr)
		return NULL;
	addr->refcount = 1;
	addr->len = len;
	memcpy(&addr->name, name, (size_t)len);
	return addr;
}

static int unix_validate_addr(const struct linux_sockaddr_storage *a, int len)
{
	if (len <= SUN_PATH_OFFSET || (size_t)len > sizeof(struct linux_sockaddr_un))
		return -EINVAL;
	return a->ss_family == AF_UNIX ? 0 : -EINVAL;
}

/* Terminates a path name in place; its address length with the NUL. */
static int unix_mkname_bsd(struct linux_sockaddr_storage *a, int len)
{
	a->data[len - SUN_PATH_OFFSET] = 0;
	return (int)strlen(a->data) + SUN_PATH_OFFSET + 1;
}

static struct unix_sock *unix_find_abstract(const struct linux_sockaddr_storage *a, int len,
					    int type)
{
	struct unix_sock *u;
	list_for_each_entry(u, &unix_bound, bound) {
		if (!u->path.dentry && u->sk.type == type && u->addr->len == len &&
		    !memcmp(&u->addr->name, a, (size_t)len))
			return u;
	}
	return NULL;
}

static struct unix_sock *unix_find_bsd(struct linux_sockaddr_storage *a, int len, int type,
				       int *err)
{
	unix_mkname_bsd(a, len);
	struct path p;
	*err = path_lookupat(AT_FDCWD, a->data, LOOKUP_FOLLOW, &p);
	if (*err)
		return NULL;
	struct inode *inode = p.dentry->inode;
	struct unix_sock *u, *found = NULL;
	*err = inode_permission(inode, MAY_WRITE);
	if (!*err && S_ISSOCK(inode->mode)) {
		list_for_each_entry(u, &unix_bound, bound)
			if (u->path.dentry && u->path.dentry->inode == inode) {
				found = u;
				break;
			}
	}
	path_put(&p);
	if (*err)
		return NULL;
	if (!found || found->sk.type != type)
		*err = found ? -EPROTOTYPE : -ECONNREFUSED;
	return *err ? NULL : found;
}

/* The socket an address names (counted), or an ERR_PTR. */
static struct unix_sock *unix_find_other(struct linux_sockaddr_storage *a, int len, int type)
{
	int err = -ECONNREFUSED;
	struct unix_sock *u =
	    a->data[0] ? unix_find_bsd(a, len, type, &err) : unix_find_abstract(a, len, type);
	if (!u)
		return ERR_PTR(err);
	sock_hold(&u->sk);
	return u;
}

static int unix_autobind(struct unix_sock *u)
{
	if (u->addr)
		return 0;
	struct linux_sockaddr_storage a = {AF_UNIX, {0}};
	int len = SUN_PATH_OFFSET + 6;
	uint32_t order;
	host_random(&order, sizeof order);
	for (int tries = 0; tries < 0x100000; tries++) {
		order = (order + 1) & 0xfffff;
		snprintf(a.data + 1, 6, "%05x", order);
		if (unix_find_abstract(&a, len, u->sk.type))
			continue;
		u->addr = unix_create_addr(&a, len);
		if (!u->addr)
			return -ENOMEM;
		list_add(&u->bound, &unix_bound);
		return 0;
	}
	return -ENOSPC;
}

static int unix_bind_bsd(struct unix_sock *u, struct linux_sockaddr_storage *a, int len)
{
	len = unix_mkname_bsd(a, len);
	struct path p;
	int err = kern_mknod(a->data, S_IFSOCK | 0777, &p);
	if (err)
		return err == -EEXIST ? -EADDRINUSE : err;
	if (u->addr) {
		kern_unlink(&p);
		path_put(&p);
		return -EINVAL;
	}
	u->addr = unix_create_addr(a, len);
	if (!u->addr) {
		kern_unlink(&p);
		path_put(&p);
		return -ENOMEM;
	}
	u->path = p;
	list_add(&u->bound, &unix_bound);
	return 0;
}

static int unix_bind_abstract(struct unix_sock *u, struct linux_sockaddr_storage *a, int len)
{
	if (u->addr)
		return -EINVAL;
	if (unix_find_abstract(a, len, u->sk.type))
		return -EADDRINUSE;
	u->addr = unix_create_addr(a, len);
	if (!u->addr)
		return -ENOMEM;
	list_add(&u->bound, &unix_bound);
	return 0;
}

static int unix_bind(struct sock *sk, struct linux_sockaddr_storage *a, int len)
{
	struct unix_sock *u = unix_sk(sk);
	if (len == SUN_PATH_OFFSET && a->ss_family == AF_UNIX)
		return unix_autobind(u);
	int err = unix_validate_addr(a, len);
	if (err)
		return err;
	return a->data[0] ? unix_bind_bsd(u, a, len) : unix_bind_abstract(u, a, len);
}

static int unix_getname(struct sock *sk, struct linux_sockaddr_storage *a, bool peer)
{
	struct unix_sock *u = unix_sk(sk);
	if (peer) {
		u = u->peer;
		if (!u)
			return -ENOTCONN;
	}
	if (!u->addr) {
		a->ss_family = AF_UNIX;
		a->data[0] = 0;
		return SUN_PATH_OFFSET;
	}
	memcpy(a, &u->addr->name, (size_t)u->addr->len);
	return u->addr->len;
}

/* ---- Messages ---- */

static struct unix_skb *unix_skb_alloc(struct unix_sock *sender, size_t len)
{
	struct unix_skb *skb = kzalloc(sizeof *skb + len);
	if (!skb)
		return NULL;
	skb->sender = unix_sk(sock_hold(&sender->sk));
	skb->len = len;
	skb->truesize = unix_truesize(len);
	sender->wmem += skb->truesize;
	return skb;
}

/* The files a message carries, now the caller's. */
static struct scm_fp_list *unix_skb_take_fp(struct unix_skb *skb)
{
	struct scm_fp_list *fp = skb->fp;
	skb->fp = NULL;
	if (fp)
		unix_inflight -= fp->count;
	return fp;
}

/* A message is gone: its sender's buffer has room again. */
static void unix_skb_free(struct unix_skb *skb)
{
	struct unix_sock *s = skb->sender;
	s->wmem -= skb->truesize;
	if (unix_writable(s))
		wake_up_poll(&s->sk.wait, POLLOUT | POLLWRNORM | POLLWRBAND);
	struct scm_cookie scm = {.fp = unix_skb_take_fp(skb)};
	scm_destroy(&scm);
	kfree(skb);
	sock_put(&s->sk);
}

static void unix_skb_unlink(struct unix_sock *u, struct unix_skb *skb)
{
	list_del(&skb->list);
	u->qlen--;
	u->inq_len -= skb->len - skb->consumed;
}

static void unix_purge_queue(struct unix_sock *u)
{
	while (!list_empty(&u->recvq)) {
		struct unix_skb *skb = list_first_entry(&u->recvq, struct unix_skb, list);
		unix_skb_unlink(u, skb);
		unix_skb_free(skb);
	}
}

static void unix_queue_skb(struct unix_sock *other, struct unix_skb *skb)
{
	if (other->sk.rcvtstamp)
		skb->tstamp = clock_read_ns(CLOCK_REALTIME);
	list_add_tail(&skb->list, &other->recvq);
	other->qlen++;
	other->inq_len += skb->len;
	unix_wake_data(other);
}

/* Credentials go with a message when either end asked for them (or the
 * receiver is not accepted yet and may ask later), as in Linux. */
static void unix_maybe_add_creds(struct unix_skb *skb, struct unix_sock *u, struct unix_sock *other)
{
	if (skb->has_creds)
		return;
	if (u->sk.passcred || other->sk.passcred || !other->sk.file) {
		skb->has_creds = true;
		skb->creds = scm_current_creds();
	}
}

/* A message from the data in msg; fds and explicit credentials move in. */
static struct unix_skb *unix_skb_from_msg(struct unix_sock *u, struct msghdr_k *msg, size_t size,
					  bool with_scm, int *err)
{
	struct unix_skb *skb = unix_skb_alloc(u, size);
	if (!skb) {
		*err = -ENOMEM;
		return NULL;
	}
	if (copy_from_iter(skb->data, size, &msg->iter) != size) {
		unix_skb_free(skb);
		*err = -EFAULT;
		return NULL;
	}
	if (with_scm && msg->scm.fp) {
		skb->fp = msg->scm.fp;
		msg->scm.fp = NULL;
		unix_inflight += skb->fp->count;
	}
	skb->has_creds = msg->scm.has_creds;
	skb->creds = msg->scm.creds;
	return skb;
}

/* Waits for room in our send buffer (Linux's sock_alloc_send_pskb). */
static int unix_wait_for_wmem(struct unix_sock *u, bool noblock)
{
	struct sock *sk = &u->sk;
	int64_t timeo = sock_sndtimeo(sk, noblock);
	for (;;) {
		int err = sock_error(sk);
		if (err)
			return err;
		if (sk->shutdown & SEND_SHUTDOWN)
			return -EPIPE;
		if (u->wmem < (size_t)sk->sndbuf)
			return 0;
		if (!timeo)
			return -EAGAIN;
		int64_t t0 = timeo;
		if (sock_wait_event(sk,
				    u->wmem < (size_t)sk->sndbuf || sk->err ||
					(sk->shutdown & SEND_SHUTDOWN),
				    &timeo) == -ERESTARTSYS)
			return sock_intr_errno(t0);
	}
}

/* ---- Release ---- */

static void unix_peer_wake_disconnect(struct unix_sock *u, struct unix_sock *other)
{
	if (u->peer_wake_other != other)
		return;
	waiter_del(&u->peer_wake);
	u->peer_wake_other = NULL;
}

static void unix_release_sock(struct unix_sock *u, bool embryo)
{
	struct sock *sk = &u->sk;
	list_del(&u->bound);
	u->dead = true;
	sk->shutdown = SHUTDOWN_MASK;
	enum sock_state state = sk->state;
	sk->state = SS_CLOSE;
	struct unix_sock *pair = u->peer;
	u->peer = NULL;
	wake_up(&u->peer_wait);
	if (pair) {
		if (connection_based(sk)) {
			pair->sk.shutdown = SHUTDOWN_MASK;
			if (!list_empty(&u->recvq) || embryo)
				pair->sk.err = ECONNRESET;
			unix_state_change(pair);
		}
		unix_peer_wake_disconnect(u, pair);
		sock_put(&pair->sk);
	}
	unix_purge_queue(u);
	if (state == SS_LISTEN) {
		while (!list_empty(&u->accept_queue)) {
			struct unix_sock *e =
			    list_first_entry(&u->accept_queue, struct unix_sock, accept_link);
			list_del(&e->accept_link);
			unix_release_sock(e, true);
			sock_put(&e->sk);
		}
		u->qlen = 0;
	}
	if (u->path.dentry)
		path_put(&u->path);
}

/* ---- Garbage collection of sockets that only messages in flight keep ---- */

/* Calls fn on every unix socket a message queued at u (or at one of its
 * embryos) carries. */
static void unix_scan_inflight(struct unix_sock *u, void (*fn)(struct unix_sock *x))
{
	struct unix_skb *skb;
	list_for_each_entry(skb, &u->recvq, list) {
		for (int i = 0; skb->fp && i < skb->fp->count; i++) {
			struct sock *x = sock_from_file(skb->fp->fp[i]);
			if (x && x->family == AF_UNIX)
				fn(unix_sk(x));
		}
	}
	struct unix_sock *e;
	list_for_each_entry(e, &u->accept_queue, accept_link)
		unix_scan_inflight(e, fn);
}

static void gc_count(struct unix_sock *x)
{
	x->gc_inflight++;
}

static void gc_dec(struct unix_sock *x)
{
	if (x->gc_candidate)
		x->gc_inflight--;
}

static void gc_mark_alive(struct unix_sock *x)
{
	if (x->gc_candidate && !x->gc_alive) {
		x->gc_alive = true;
		unix_scan_inflight(x, gc_mark_alive);
	}
}

/* Moves u's messages (and its embryos') to list, to be freed. */
static void unix_gc_collect(struct unix_sock *u, struct list_head *list)
{
	struct unix_skb *skb, *next;
	list_for_each_entry_safe(skb, next, &u->recvq, list) {
		unix_skb_unlink(u, skb);
		list_add_tail(&skb->list, list);
	}
	struct unix_sock *e;
	list_for_each_entry(e, &u->accept_queue, accept_link)
		unix_gc_collect(e, list);
}

/*
 * Linux's unix_gc: a socket whose file is referenced only by messages in
 * flight, each queued at another such socket, is unreachable (a socket sent
 * over itself, or a ring of them); dropping those messages frees them all.
 */
static void unix_gc(void)
{
	static bool running;
	struct unix_sock *u;
	if (running || !unix_inflight)
		return;
	running = true;
	list_for_each_entry(u, &unix_all, all)
		u->gc_inflight = 0;
	list_for_each_entry(u, &unix_all, all)
		unix_scan_inflight(u, gc_count);
	list_for_each_entry(u, &unix_all, all) {
		u->gc_candidate = u->sk.file && u->gc_inflight == u->sk.file->refcount;
		u->gc_alive = false;
	}
	/* What is left after the candidates' references to each other is a
	 * reference from outside: those live, and all they carry. */
	list_for_each_entry(u, &unix_all, all)
		if (u->gc_candidate)
			unix_scan_inflight(u, gc_dec);
	list_for_each_entry(u, &unix_all, all)
		if (u->gc_candidate && u->gc_inflight > 0)
			gc_mark_alive(u);
	LIST_HEAD(garbage);
	list_for_each_entry(u, &unix_all, all)
		if (u->gc_candidate && !u->gc_alive)
			unix_gc_collect(u, &garbage);
	struct unix_skb *skb, *next;
	list_for_each_entry_safe(skb, next, &garbage, list) {
		list_del(&skb->list);
		unix_skb_free(skb);
	}
	running = false;
}

static void unix_release(struct sock *sk)
{
	unix_release_sock(unix_sk(sk), false);
	unix_gc();
}

static void unix_destruct(struct sock *sk)
{
	struct unix_sock *u = unix_sk(sk);
	list_del(&u->all);
	unix_release_addr(u->addr);
	kfree(u);
}

static struct unix_sock *unix_create1(int type, const struct proto_ops *ops)
{
	struct unix_sock *u = kzalloc(sizeof *u);
	if (!u)
		return NULL;
	sock_init(&u->sk, AF_UNIX, type, ops);
	u->sk.destruct = unix_destruct;
	list_init(&u->bound);
	list_init(&u->recvq);
	list_init(&u->accept_queue);
	list_init(&u->accept_link);
	list_add(&u->all, &unix_all);
	wait_queue_init(&u->peer_wait);
	u->max_ack_backlog = UNIX_MAX_DGRAM_QLEN;
	return u;
}

int unix_create(struct sock **skp, int type, int protocol)
{
	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	const struct proto_ops *ops;
	switch (type) {
	case SOCK_STREAM:
		ops = &unix_stream_ops;
		break;
	case SOCK_RAW: /* BSD has it; it is a datagram socket */
		type = SOCK_DGRAM;
		/* fallthrough */
	case SOCK_DGRAM:
		ops = &unix_dgram_ops;
		break;
	case SOCK_SEQPACKET:
		ops = &unix_seqpacket_ops;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	struct unix_sock *u = unix_create1(type, ops);
	if (!u)
		return -ENOMEM;
	*skp = &u->sk;
	return 0;
}

/* ---- Connections ---- */

static int unix_socketpair(struct sock *a, struct sock *b)
{
	unix_sk(a)->peer = unix_sk(sock_hold(b));
	unix_sk(b)->peer = unix_sk(sock_hold(a));
	a->peer = b->peer = current_peer();
	a->state = b->state = SS_ESTABLISHED;
	return 0;
}

static int unix_listen(struct sock *sk, int backlog)
{
	struct unix_sock *u = unix_sk(sk);
	if (!connection_based(sk))
		return -EOPNOTSUPP;
	if (!u->addr)
		return -EINVAL;
	if (sk->state != SS_CLOSE && sk->state != SS_LISTEN)
		return -EINVAL;
	if (backlog > u->max_ack_backlog)
		wake_up(&u->peer_wait);
	u->max_ack_backlog = backlog;
	sk->state = SS_LISTEN;
	sk->peer = current_peer();
	return 0;
}

/* Sleeps until other's queue has room (or it goes away); *timeo updated. */
static int unix_wait_for_peer(struct unix_sock *other, int64_t *timeo)
{
	int err = sock_wait_queue(
	    other->peer_wait,
	    other->dead || (other->sk.shutdown & RCV_SHUTDOWN) || !unix_recvq_full(other), timeo);
	return err == -ERESTARTSYS ? err : 0;
}

static int unix_stream_connect(struct sock *sk, struct linux_sockaddr_storage *a, int len,
			       int fflags)
{
	struct unix_sock *u = unix_sk(sk);
	int err = unix_validate_addr(a, len);
	if (err)
		return err;
	if (sk->passcred && (err = unix_autobind(u)))
		return err;
	int64_t timeo = sock_sndtimeo(sk, fflags & O_NONBLOCK);
	struct unix_sock *other;
	for (;;) {
		other = unix_find_other(a, len, sk->type);
		if (IS_ERR(other))
			return (int)PTR_ERR(other);
		if (other->sk.state != SS_LISTEN || (other->sk.shutdown & RCV_SHUTDOWN)) {
			err = -ECONNREFUSED;
			goto out;
		}
		if (!unix_recvq_full(other))
			break;
		if (!timeo) {
			err = -EAGAIN;
			goto out;
		}
		int64_t t0 = timeo;
		err = unix_wait_for_peer(other, &timeo);
		sock_put(&other->sk);
		if (err)
			return sock_intr_errno(t0);
	}
	if (sk->state != SS_CLOSE) {
		err = sk->state == SS_ESTABLISHED ? -EISCONN : -EINVAL;
		goto out;
	}
	struct unix_sock *newu = unix_create1(sk->type, sk->ops);
	if (!newu) {
		err = -ENOMEM;
		goto out;
	}
	/* The server's end, connected already, waits in the listener's queue. */
	newu->peer = unix_sk(sock_hold(sk));
	newu->sk.state = SS_ESTABLISHED;
	newu->sk.peer = current_peer();
	newu->sk.passcred = other->sk.passcred;
	newu->addr = other->addr;
	newu->addr->refcount++;
	if (other->path.dentry)
		path_copy(&newu->path, &other->path);
	sk->peer = other->sk.peer;
	sk->state = SS_ESTABLISHED;
	u->peer = unix_sk(sock_hold(&newu->sk));
	list_add_tail(&newu->accept_link, &other->accept_queue);
	other->qlen++;
	unix_wake_data(other);
	err = 0;
out:
	sock_put(&other->sk);
	return err;
}

static struct sock *unix_accept(struct sock *sk, int fflags)
{
	struct unix_sock *u = unix_sk(sk);
	if (!connection_based(sk))
		return ERR_PTR(-EOPNOTSUPP);
	if (sk->state != SS_LISTEN)
		return ERR_PTR(-EINVAL);
	int64_t timeo = sock_rcvtimeo(sk, fflags & O_NONBLOCK);
	while (list_empty(&u->accept_queue)) {
		int err = sock_error(sk);
		if (err)
			return ERR_PTR(err);
		if (sk->shutdown & RCV_SHUTDOWN)
			return ERR_PTR(-EINVAL);
		if (!timeo)
			return ERR_PTR(-EAGAIN);
		int64_t t0 = timeo;
		if (sock_wait_event(sk,
				    !list_empty(&u->accept_queue) || sk->err ||
					(sk->shutdown & RCV_SHUTDOWN),
				    &timeo) == -ERESTARTSYS)
			return ERR_PTR(sock_intr_errno(t0));
	}
	struct unix_sock *newu = list_first_entry(&u->accept_queue, struct unix_sock, accept_link);
	list_del(&newu->accept_link);
	u->qlen--;
	wake_up(&u->peer_wait);
	return &newu->sk;
}

/* Is sk allowed to send to other (not connected to somebody else)? */
static bool unix_may_send(struct unix_sock *u, struct unix_sock *other)
{
	return !other->peer || other->peer == u;
}

/* A datagram socket leaving a peer drops what that peer sent it; the peer,
 * if connected back, learns of it (ECONNRESET). */
static void unix_dgram_disconnected(struct unix_sock *u, struct unix_sock *other)
{
	if (list_empty(&u->recvq))
		return;
	unix_purge_queue(u);
	wake_up(&u->peer_wait);
	if (!other->dead && other->peer == u) {
		other->sk.err = ECONNRESET;
		unix_state_change(other);
	}
}

static int unix_dgram_connect(struct sock *sk, struct linux_sockaddr_storage *a, int len,
			      int fflags)
{
	(void)fflags;
	struct unix_sock *u = unix_sk(sk), *other = NULL;
	if (len < (int)sizeof(a->ss_family))
		return -EINVAL;
	if (a->ss_family != AF_UNSPEC) {
		int err = unix_validate_addr(a, len);
		if (!err && sk->passcred)
			err = unix_autobind(u);
		if (err)
			return err;
		other = unix_find_other(a, len, sk->type);
		if (IS_ERR(other))
			return (int)PTR_ERR(other);
		if (!unix_may_send(u, other)) {
			sock_put(&other->sk);
			return -EPERM;
		}
		sk->state = other->sk.state = SS_ESTABLISHED;
	}
	struct unix_sock *old = u->peer;
	u->peer = other;
	if (!old)
		return 0;
	if (!other)
		sk->state = SS_CLOSE;
	unix_peer_wake_disconnect(u, old);
	wake_up_poll(&sk->wait, POLLOUT | POLLWRNORM | POLLWRBAND);
	if (other != old) {
		unix_dgram_disconnected(u, old);
		if (!old->peer)
			old->sk.state = SS_CLOSE;
	}
	sock_put(&old->sk);
	return 0;
}

static int unix_shutdown(struct sock *sk, int how)
{
	struct unix_sock *u = unix_sk(sk);
	int mode = how + 1; /* SHUT_RD -> RCV_SHUTDOWN, ... */
	sk->shutdown |= (unsigned)mode;
	unix_state_change(u);
	struct unix_sock *other = u->peer;
	if (other && connection_based(sk)) {
		unsigned peer_mode = ((mode & RCV_SHUTDOWN) ? SEND_SHUTDOWN : 0) |
				     ((mode & SEND_SHUTDOWN) ? RCV_SHUTDOWN : 0);
		other->sk.shutdown |= peer_mode;
		unix_state_change(other);
	}
	return 0;
}

/* ---- Datagram flow control: a connected sender polls a full receiver ---- */

/* Relays the receiver's "room again" to the sender's pollers, once. */
static int unix_peer_wake_relay(struct waiter *w, unsigned key)
{
	struct unix_sock *u = container_of(w, struct unix_sock, peer_wake);
	waiter_del(w);
	u->peer_wake_other = NULL;
	wake_up_poll(&u->sk.wait, key);
	return 1;
}

/* True when other is full: then we are told when it has room. */
static bool unix_dgram_peer_wake_me(struct unix_sock *u, struct unix_sock *other)
{
	bool connected = false;
	if (!u->peer_wake_other) {
		u->peer_wake_other = other;
		waiter_add_callback(&other->peer_wait, &u->peer_wake, unix_peer_wake_relay, false);
		connected = true;
	}
	if (unix_recvq_full(other) && !other->dead)
		return true;
	if (connected)
		unix_peer_wake_disconnect(u, other);
	return false;
}

/* ---- Datagrams and seqpackets ---- */

/* Many files in flight: collect unreachable ones before sending more (Linux's
 * wait_for_unix_gc). */
static void unix_gc_if_needed(const struct msghdr_k *msg)
{
	if (msg->scm.fp && unix_inflight > UNIX_INFLIGHT_TRIGGER_GC)
		unix_gc();
}

static long unix_dgram_sendmsg(struct sock *sk, struct msghdr_k *msg, size_t len)
{
	struct unix_sock *u = unix_sk(sk), *other;
	bool noblock = msg->flags & MSG_DONTWAIT;
	int err;
	unix_gc_if_needed(msg);
	if (msg->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (msg->namelen && (err = unix_validate_addr(msg->name, msg->namelen)))
		return err;
	if (sk->passcred && (err = unix_autobind(u)))
		return err;
	if (len > (size_t)sk->sndbuf - 32)
		return -EMSGSIZE;
	if ((err = unix_wait_for_wmem(u, noblock)))
		return err;
	struct unix_skb *skb = unix_skb_from_msg(u, msg, len, true, &err);
	if (!skb)
		return err;
	int64_t timeo = sock_sndtimeo(sk, noblock);
lookup:
	if (msg->namelen) {
		other = unix_find_other(msg->name, msg->namelen, sk->type);
		if (IS_ERR(other)) {
			err = (int)PTR_ERR(other);
			goto out_free;
		}
	} else if (u->peer) {
		other = unix_sk(sock_hold(&u->peer->sk));
	} else {
		err = -ENOTCONN;
		goto out_free;
	}
	unix_maybe_add_creds(skb, u, other);
restart:
	if (!unix_may_send(u, other)) {
		err = -EPERM;
		goto out_put;
	}
	if (other->dead) {
		if (sk->type == SOCK_SEQPACKET) {
			err = -EPIPE;
			goto out_put;
		}
		if (u->peer == other) {
			/* A connected peer went away: disconnected, once. */
			u->peer = NULL;
			unix_peer_wake_disconnect(u, other);
			wake_up_poll(&sk->wait, POLLOUT | POLLWRNORM | POLLWRBAND);
			sk->state = SS_CLOSE;
			unix_dgram_disconnected(u, other);
			sock_put(&other->sk);
			err = -ECONNREFUSED;
			goto out_put;
		}
		if (!msg->namelen) {
			err = -ECONNRESET;
			goto out_put;
		}
		sock_put(&other->sk);
		goto lookup;
	}
	if (other->sk.shutdown & RCV_SHUTDOWN) {
		err = -EPIPE;
		goto out_put;
	}
	if (other != u && other->peer != u && unix_recvq_full(other)) {
		if (timeo) {
			int64_t t0 = timeo;
			if (unix_wait_for_peer(other, &timeo)) {
				err = sock_intr_errno(t0);
				goto out_put;
			}
			goto restart;
		}
		if (u->peer != other || unix_dgram_peer_wake_me(u, other)) {
			err = -EAGAIN;
			goto out_put;
		}
	}
	unix_queue_skb(other, skb);
	sock_put(&other->sk);
	return (long)len;
out_put:
	sock_put(&other->sk);
out_free:
	unix_skb_free(skb);
	return err;
}

static long unix_seqpacket_sendmsg(struct sock *sk, struct msghdr_k *msg, size_t len)
{
	int err = sock_error(sk);
	if (err)
		return err;
	if (sk->state != SS_ESTABLISHED)
		return -ENOTCONN;
	msg->namelen = 0;
	return unix_dgram_sendmsg(sk, msg, len);
}

static void unix_copy_addr(struct msghdr_k *msg, struct unix_sock *from)
{
	if (msg->name && from->addr) {
		msg->namelen = from->addr->len;
		memcpy(msg->name, &from->addr->name, (size_t)from->addr->len);
	}
}

/* SO_TIMESTAMP(NS): when the datagram arrived (or now, if it came before). */
static void unix_recv_timestamp(struct sock *sk, struct msghdr_k *msg, struct unix_skb *skb)
{
	int64_t ns = skb->tstamp ? skb->tstamp : clock_read_ns(CLOCK_REALTIME);
	struct linux_timespec ts = ns_to_timespec(ns);
	if (sk->rcvtstampns) {
		put_cmsg(msg, SOL_SOCKET, SCM_TIMESTAMPNS, &ts, sizeof ts);
	} else {
		struct linux_timeval tv = {ts.tv_sec, ts.tv_nsec / 1000};
		put_cmsg(msg, SOL_SOCKET, SCM_TIMESTAMP, &tv, sizeof tv);
	}
}

/* Passes the message's files and credentials on (a copy when peeking). */
static void unix_skb_to_scm(struct unix_skb *skb, struct scm_cookie *scm, bool peek)
{
	scm->has_creds = skb->has_creds;
	scm->creds = skb->creds;
	if (!skb->fp)
		return;
	scm->fp = peek ? scm_fp_dup(skb->fp) : unix_skb_take_fp(skb);
}

/* Waits for a datagram (Linux's __skb_wait_for_more_packets): 0 to look
 * again, 1 at end of input, or an error. */
static int unix_wait_for_datagram(struct unix_sock *u, int64_t *timeo)
{
	struct sock *sk = &u->sk;
	int seq = u->recv_seq;
	for (;;) {
		int err = sock_error(sk);
		if (err)
			return err;
		if (u->recv_seq != seq || !*timeo)
			return 0;
		if (sk->shutdown & RCV_SHUTDOWN)
			return 1;
		if (connection_based(sk) && sk->state != SS_ESTABLISHED && sk->state != SS_LISTEN)
			return -ENOTCONN;
		int64_t t0 = *timeo;
		if (sock_wait_event(sk,
				    u->recv_seq != seq || sk->err || (sk->shutdown & RCV_SHUTDOWN),
				    timeo) == -ERESTARTSYS)
			return sock_intr_errno(t0);
	}
}

static long unix_dgram_recvmsg(struct sock *sk, struct msghdr_k *msg, size_t size, int flags)
{
	struct unix_sock *u = unix_sk(sk);
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	int64_t timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	struct unix_skb *skb = NULL;
	int err;
	for (;;) {
		err = sock_error(sk);
		if (err)
			return err;
		if (!list_empty(&u->recvq)) {
			skb = list_first_entry(&u->recvq, struct unix_skb, list);
			break;
		}
		err = -EAGAIN;
		if (!timeo)
			break;
		int w = unix_wait_for_datagram(u, &timeo);
		if (w) {
			err = w < 0 ? w : 0;
			break;
		}
	}
	if (!skb) {
		if (sk->type == SOCK_SEQPACKET && err == -EAGAIN && (sk->shutdown & RCV_SHUTDOWN))
			err = 0;
		return err;
	}
	bool peek = flags & MSG_PEEK;
	if (!peek)
		unix_skb_unlink(u, skb);
	if (waitqueue_active(&u->peer_wait))
		wake_up_poll(&u->peer_wait, POLLOUT | POLLWRNORM | POLLWRBAND);
	unix_copy_addr(msg, skb->sender);
	if (size > skb->len)
		size = skb->len;
	else if (size < skb->len)
		msg->flags |= MSG_TRUNC;
	long r = -EFAULT;
	if (copy_to_iter(skb->data, size, &msg->iter) == size) {
		if (sk->rcvtstamp)
			unix_recv_timestamp(sk, msg, skb);
		struct scm_cookie scm = {0};
		unix_skb_to_scm(skb, &scm, peek);
		r = (flags & MSG_TRUNC) ? (long)skb->len : (long)size;
		scm_recv(sk, msg, &scm, flags);
	}
	if (!peek)
		unix_skb_free(skb);
	return r;
}

static long unix_seqpacket_recvmsg(struct sock *sk, struct msghdr_k *msg, size_t size, int flags)
{
	if (sk->state != SS_ESTABLISHED)
		return -ENOTCONN;
	return unix_dgram_recvmsg(sk, msg, size, flags);
}

/* ---- Streams ---- */

static long unix_stream_sendmsg(struct sock *sk, struct msghdr_k *msg, size_t len)
{
	struct unix_sock *u = unix_sk(sk), *other;
	size_t sent = 0;
	int err;
	unix_gc_if_needed(msg);
	if (msg->flags & MSG_OOB) {
		pr_warn("%s[%d]: out-of-band data on AF_UNIX sockets not implemented\n",
			current->comm, current->tid);
		return -EOPNOTSUPP;
	}
	if (msg->namelen)
		return sk->state == SS_ESTABLISHED ? -EISCONN : -EOPNOTSUPP;
	other = u->peer;
	if (!other)
		return -ENOTCONN;
	if (sk->shutdown & SEND_SHUTDOWN)
		goto pipe_err;
	while (sent < len) {
		/* Keep two messages in the pipe, as Linux does. */
		size_t size = min(len - sent, (size_t)(sk->sndbuf / 2 - 64));
		if ((err = unix_wait_for_wmem(u, msg->flags & MSG_DONTWAIT)))
			goto out_err;
		/* The files go with the first message only. */
		struct unix_skb *skb = unix_skb_from_msg(u, msg, size, sent == 0, &err);
		if (!skb)
			goto out_err;
		unix_maybe_add_creds(skb, u, other);
		if (other->dead || (other->sk.shutdown & RCV_SHUTDOWN)) {
			unix_skb_free(skb);
			goto pipe_err;
		}
		unix_queue_skb(other, skb);
		sent += size;
	}
	return (long)sent;
pipe_err:
	if (!sent && !(msg->flags & MSG_NOSIGNAL))
		send_signal(SIGPIPE, NULL, current, false);
	err = -EPIPE;
out_err:
	return sent ? (long)sent : err;
}

static bool unix_skb_scm_eq(const struct unix_skb *skb, const struct scm_cookie *scm)
{
	return skb->has_creds == scm->has_creds &&
	       (!skb->has_creds || !memcmp(&skb->creds, &scm->creds, sizeof skb->creds));
}

/* Waits for the queue to grow (Linux's unix_stream_data_wait). */
static int unix_stream_data_wait(struct unix_sock *u, int64_t *timeo)
{
	struct sock *sk = &u->sk;
	int seq = u->recv_seq;
	return sock_wait_event(sk, u->recv_seq != seq || sk->err || (sk->shutdown & RCV_SHUTDOWN),
			       timeo);
}

/* The next message to look at: the first, or when peeking the one after. */
static struct unix_skb *unix_next_skb(struct unix_sock *u, struct unix_skb *last)
{
	struct list_head *n = last ? last->list.next : u->recvq.next;
	return n == &u->recvq ? NULL : list_entry(n, struct unix_skb, list);
}

static long unix_stream_recvmsg(struct sock *sk, struct msghdr_k *msg, size_t size, int flags)
{
	struct unix_sock *u = unix_sk(sk);
	if (sk->state != SS_ESTABLISHED)
		return -EINVAL;
	if (flags & MSG_OOB) {
		pr_warn("%s[%d]: out-of-band data on AF_UNIX sockets not implemented\n",
			current->comm, current->tid);
		return -EOPNOTSUPP;
	}
	bool peek = flags & MSG_PEEK;
	size_t target = (flags & MSG_WAITALL) ? size : min((size_t)sk->rcvlowat, size);
	if (!target)
		target = 1;
	int64_t timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	struct scm_cookie scm = {0};
	struct unix_skb *last = NULL; /* peeking: the last message copied */
	bool check_creds = false, have_addr = false;
	long copied = 0, err = 0;
	while (size) {
		struct unix_skb *skb = unix_next_skb(u, last);
		if (!skb) {
			if (last || (size_t)copied >= target)
				break;
			if ((err = sock_error(sk)) || (sk->shutdown & RCV_SHUTDOWN))
				break;
			if (!timeo) {
				err = -EAGAIN;
				break;
			}
			int64_t t0 = timeo;
			if (unix_stream_data_wait(u, &timeo) == -ERESTARTSYS) {
				err = sock_intr_errno(t0);
				scm_destroy(&scm);
				return copied ? copied : err;
			}
			continue;
		}
		if (check_creds) {
			/* Never glue messages from different writers. */
			if (!unix_skb_scm_eq(skb, &scm))
				break;
		} else if (sk->passcred) {
			scm.has_creds = skb->has_creds;
			scm.creds = skb->creds;
			check_creds = true;
		}
		if (!have_addr) {
			unix_copy_addr(msg, skb->sender);
			have_addr = true;
		}
		size_t chunk = min(skb->len - skb->consumed, size);
		if (copy_to_iter(skb->data + skb->consumed, chunk, &msg->iter) != chunk) {
			if (!copied)
				copied = -EFAULT;
			break;
		}
		copied += (long)chunk;
		size -= chunk;
		if (peek) {
			if (skb->fp) {
				scm.fp = scm_fp_dup(skb->fp);
				break;
			}
			last = skb;
			continue;
		}
		skb->consumed += chunk;
		u->inq_len -= chunk;
		if (skb->fp)
			scm.fp = unix_skb_take_fp(skb);
		if (skb->consumed < skb->len)
			break;
		list_del(&skb->list);
		u->qlen--;
		unix_skb_free(skb);
		/* A message with files ends the read. */
		if (scm.fp)
			break;
	}
	scm_recv(sk, msg, &scm, flags);
	return copied ? copied : err;
}

/* ---- poll and ioctl ---- */

static unsigned unix_poll(struct sock *sk, struct poll_table *pt)
{
	struct unix_sock *u = unix_sk(sk);
	poll_wait(sk->file, &sk->wait, pt);
	unsigned mask = 0;
	if (sk->err)
		mask |= POLLERR;
	if (sk->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (sk->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->qlen)
		mask |= POLLIN | POLLRDNORM;
	if (sk->state == SS_CLOSE)
		mask |= POLLHUP;
	if (unix_writable(u))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

static unsigned unix_dgram_poll(struct sock *sk, struct poll_table *pt)
{
	struct unix_sock *u = unix_sk(sk);
	poll_wait(sk->file, &sk->wait, pt);
	unsigned mask = 0;
	if (sk->err)
		mask |= POLLERR;
	if (sk->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (sk->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (u->qlen)
		mask |= POLLIN | POLLRDNORM;
	if (sk->type == SOCK_SEQPACKET && sk->state == SS_CLOSE)
		mask |= POLLHUP;
	bool writable = unix_writable(u);
	struct unix_sock *other = u->peer;
	if (writable && other && other->peer != u && unix_recvq_full(other) &&
	    unix_dgram_peer_wake_me(u, other))
		writable = false;
	if (writable)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

static long unix_inq_len(struct unix_sock *u)
{
	if (u->sk.state == SS_LISTEN)
		return -EINVAL;
	if (u->sk.type == SOCK_STREAM)
		return (long)u->inq_len;
	if (list_empty(&u->recvq))
		return 0;
	if (u->sk.type == SOCK_DGRAM)
		return (long)list_first_entry(&u->recvq, struct unix_skb, list)->len;
	long n = 0;
	struct unix_skb *skb;
	list_for_each_entry(skb, &u->recvq, list)
		n += (long)skb->len;
	return n;
}

static long unix_ioctl(struct sock *sk, unsigned cmd, uaddr_t arg)
{
	struct unix_sock *u = unix_sk(sk);
	long n;
	switch (cmd) {
	case SIOCOUTQ:
		n = (long)u->wmem;
		break;
	case SIOCINQ:
		n = unix_inq_len(u);
		if (n < 0)
			return n;
		break;
	default:
		return -ENOTTY;
	}
	return put_user((int)n, arg) ? -EFAULT : 0;
}

static const struct proto_ops unix_stream_ops = {
    .family = AF_UNIX,
    .release = unix_release,
    .bind = unix_bind,
    .connect = unix_stream_connect,
    .socketpair = unix_socketpair,
    .accept = unix_accept,
    .getname = unix_getname,
    .poll = unix_poll,
    .ioctl = unix_ioctl,
    .listen = unix_listen,
    .shutdown = unix_shutdown,
    .sendmsg = unix_stream_sendmsg,
    .recvmsg = unix_stream_recvmsg,
};

static const struct proto_ops unix_dgram_ops = {
    .family = AF_UNIX,
    .release = unix_release,
    .bind = unix_bind,
    .connect = unix_dgram_connect,
    .socketpair = unix_socketpair,
    .getname = unix_getname,
    .poll = unix_dgram_poll,
    .ioctl = unix_ioctl,
    .shutdown = unix_shutdown,
    .sendmsg = unix_dgram_sendmsg,
    .recvmsg = unix_dgram_recvmsg,
};

static const struct proto_ops unix_seqpacket_ops = {
    .family = AF_UNIX,
    .release = unix_release,
    .bind = unix_bind,
    .connect = unix_stream_connect,
    .socketpair = unix_socketpair,
    .accept = unix_accept,
    .getname = unix_getname,
    .poll = unix_dgram_poll,
    .ioctl = unix_ioctl,
    .listen = unix_listen,
    .shutdown = unix_shutdown,
    .sendmsg = unix_seqpacket_sendmsg,
    .recvmsg = unix_seqpacket_recvmsg,
};
