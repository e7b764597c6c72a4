/*
 * The socket system calls and socket files. A socket file's private data is
 * its struct sock; sockfs gives each one an inode (S_IFSOCK, "socket:[N]").
 * Families are looked up by number; AF_UNIX is the one umk has so far.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "capability.h"
#include "fs.h"
#include "ktime.h"
#include "net.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/misc.h"
#include "uapi/time.h"

#define SOCKFS_MAGIC	0x534F434B
#define SOCK_MIN_SNDBUF 4608
#define SOCK_MIN_RCVBUF 2304
#define SYSCTL_WMEM	212992 /* net.core.{w,r}mem_{default,max} */
#define UIO_MAXIOV	1024

/* ---- Socket objects ---- */

void sock_init(struct sock *sk, int family, int type, const struct proto_ops *ops)
{
	sk->family = family;
	sk->type = type;
	sk->ops = ops;
	sk->refcount = 1;
	wait_queue_init(&sk->wait);
	sk->state = SS_CLOSE;
	sk->sndbuf = sk->rcvbuf = SYSCTL_WMEM;
	sk->rcvlowat = 1;
	sk->rcvtimeo = sk->sndtimeo = MAX_SCHEDULE_TIMEOUT;
}

struct sock *sock_hold(struct sock *sk)
{
	sk->refcount++;
	return sk;
}

void sock_put(struct sock *sk)
{
	if (sk && --sk->refcount == 0)
		sk->destruct(sk);
}

int sock_error(struct sock *sk)
{
	int err = sk->err;
	sk->err = 0;
	return -err;
}

int64_t sock_rcvtimeo(struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->rcvtimeo;
}

int64_t sock_sndtimeo(struct sock *sk, bool noblock)
{
	return noblock ? 0 : sk->sndtimeo;
}

int64_t sock_timeo_deadline(int64_t timeo)
{
	const int64_t ns = NSEC_PER_SEC / SOCK_HZ;
	/* Beyond centuries a timeout is as good as none (and would overflow). */
	if (timeo == MAX_SCHEDULE_TIMEOUT || timeo > INT64_MAX / 4 / ns)
		return 0;
	return ktime_get_ns() + timeo * ns;
}

int64_t sock_timeo_left(int64_t deadline, int64_t timeo)
{
	if (!deadline)
		return timeo;
	int64_t left = deadline - ktime_get_ns();
	return left > 0 ? left / (NSEC_PER_SEC / SOCK_HZ) + 1 : 0;
}

int sock_intr_errno(int64_t timeo)
{
	return timeo == MAX_SCHEDULE_TIMEOUT ? -ERESTARTSYS : -EINTR;
}

struct sock_peer current_peer(void)
{
	const struct cred *c = &current->cred;
	struct sock_peer p = {true, {current->proc->pid, c->euid, c->egid}, c->ngroups, {0}};
	memcpy(p.groups, c->groups, sizeof p.groups[0] * (size_t)c->ngroups);
	return p;
}

/* ---- Socket files ---- */

static const struct file_operations socket_fops;
static struct super_block *sockfs_sb;

struct sock *sock_from_file(struct file *f)
{
	return f->f_op == &socket_fops ? f->private : NULL;
}

static long sock_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	struct sock *sk = f->private;
	if (!to->count)
		return 0;
	struct msghdr_k msg = {.iter = *to};
	long r = sk->ops->recvmsg(sk, &msg, to->count, (f->flags & O_NONBLOCK) ? MSG_DONTWAIT : 0);
	*to = msg.iter;
	return r;
}

static long sock_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)pos;
	struct sock *sk = f->private;
	struct msghdr_k msg = {.iter = *from};
	msg.flags = (f->flags & O_NONBLOCK) ? MSG_DONTWAIT : 0;
	if (sk->type == SOCK_SEQPACKET)
		msg.flags |= MSG_EOR;
	long r = sk->ops->sendmsg(sk, &msg, from->count);
	*from = msg.iter;
	return r;
}

static unsigned sock_poll(struct file *f, struct poll_table *pt)
{
	struct sock *sk = f->private;
	return sk->ops->poll(sk, pt);
}

static long sock_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct sock *sk = f->private;
	return sk->ops->ioctl ? sk->ops->ioctl(sk, cmd, arg) : -ENOTTY;
}

static void sock_release(struct file *f)
{
	struct sock *sk = f->private;
	sk->file = NULL;
	sk->ops->release(sk);
	sock_put(sk);
}

static const struct file_operations socket_fops = {
    .read = sock_read,
    .write = sock_write,
    .poll = sock_poll,
    .ioctl = sock_ioctl,
    .release = sock_release,
};

/* A file for sk (taking the caller's reference); NULL if out of memory. */
static struct file *sock_alloc_file(struct sock *sk, unsigned flags)
{
	if (!sockfs_sb) {
		sockfs_sb = sb_alloc(NULL, SB_PSEUDO);
		if (!sockfs_sb)
			return NULL;
		sockfs_sb->magic = SOCKFS_MAGIC;
	}
	struct inode *inode = new_inode(sockfs_sb);
	if (!inode)
		return NULL;
	inode->ino = get_next_ino(sockfs_sb);
	inode->mode = S_IFSOCK | 0777;
	inode->uid = current->cred.fsuid;
	inode->gid = current->cred.fsgid;
	inode_init_times(inode);
	char name[32];
	snprintf(name, sizeof name, "socket:[%llu]", (unsigned long long)inode->ino);
	struct dentry *d = d_alloc_pseudo(sockfs_sb, inode, name);
	if (!d) {
		iput(inode);
		return NULL;
	}
	struct path path = {pseudo_mnt(), d};
	struct file *f = file_alloc(&path, O_RDWR | (flags & O_NONBLOCK));
	dput(d);
	mntput(path.mnt);
	if (!f)
		return NULL;
	f->f_op = &socket_fops;
	f->private = sk;
	sk->file = f;
	return f;
}

/* Installs a file for sk; on failure sk is released. */
static int sock_map_fd(struct sock *sk, unsigned flags)
{
	struct file *f = sock_alloc_file(sk, flags);
	if (!f) {
		sk->ops->release(sk);
		sock_put(sk);
		return -ENOMEM;
	}
	int fd = fd_install(f, flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

static struct sock *sockfd_lookup(int fd, struct file **fp, int *err)
{
	struct file *f = fget(fd);
	*fp = f;
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	struct sock *sk = sock_from_file(f);
	if (!sk) {
		*err = -ENOTSOCK;
		fput(f);
	}
	return sk;
}

/* ---- socket, socketpair ---- */

static int sock_create(int family, int type, int protocol, struct sock **skp)
{
	static uint64_t warned;
	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	if (family == AF_UNIX)
		return unix_create(skp, type, protocol);
	if (!(warned & (1ULL << family))) {
		warned |= 1ULL << family;
		pr_warn("%s[%d]: sockets of address family %d not implemented\n", current->comm,
			current->tid, family);
	}
	return -EAFNOSUPPORT;
}

static int check_type_flags(int *type, unsigned *flags)
{
	*flags = (unsigned)*type & ~(unsigned)SOCK_TYPE_MASK;
	*type &= SOCK_TYPE_MASK;
	return (*flags & ~(unsigned)(SOCK_CLOEXEC | SOCK_NONBLOCK)) ? -EINVAL : 0;
}

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	unsigned flags;
	if (check_type_flags(&type, &flags))
		return -EINVAL;
	struct sock *sk;
	int err = sock_create(family, type, protocol, &sk);
	return err ? err : sock_map_fd(sk, flags);
}

SYSCALL_DEFINE4(socketpair, int, family, int, type, int, protocol, uaddr_t, usv)
{
	unsigned flags;
	if (check_type_flags(&type, &flags))
		return -EINVAL;
	struct sock *a, *b;
	int err = sock_create(family, type, protocol, &a);
	if (err)
		return err;
	err = sock_create(family, type, protocol, &b);
	if (err) {
		a->ops->release(a);
		sock_put(a);
		return err;
	}
	err = a->ops->socketpair ? a->ops->socketpair(a, b) : -EOPNOTSUPP;
	struct file *fa = err ? NULL : sock_alloc_file(a, flags);
	struct file *fb = err || !fa ? NULL : sock_alloc_file(b, flags);
	if (!fa || !fb) {
		if (fa) {
			fput(fa);
		} else {
			a->ops->release(a);
			sock_put(a);
		}
		b->ops->release(b);
		sock_put(b);
		return err ? err : -ENOMEM;
	}
	int fd[2] = {fd_install(fa, flags & O_CLOEXEC), -1};
	if (fd[0] >= 0)
		fd[1] = fd_install(fb, flags & O_CLOEXEC);
	if (fd[1] < 0) {
		if (fd[0] >= 0)
			fd_close(fd[0]);
		else
			fput(fa);
		fput(fb);
		return fd[0] < 0 ? fd[0] : fd[1];
	}
	if (copy_to_user(usv, fd, sizeof fd)) {
		fd_close(fd[0]);
		fd_close(fd[1]);
		return -EFAULT;
	}
	return 0;
}

/* ---- Addresses ---- */

static int move_addr_to_kernel(uaddr_t uaddr, int len, struct linux_sockaddr_storage *kaddr)
{
	if (len < 0 || (size_t)len > sizeof *kaddr)
		return -EINVAL;
	if (len && copy_from_user(kaddr, uaddr, (size_t)len))
		return -EFAULT;
	return 0;
}

/* Copies up to *ulen bytes of the address and stores its full length. */
static int move_addr_to_user(const struct linux_sockaddr_storage *kaddr, int klen, uaddr_t uaddr,
			     uaddr_t ulen)
{
	int len;
	if (get_user(len, ulen))
		return -EFAULT;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_user(uaddr, kaddr, (size_t)len))
		return -EFAULT;
	return put_user(klen, ulen) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(bind, int, fd, uaddr_t, uaddr, int, len)
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	struct linux_sockaddr_storage addr;
	err = move_addr_to_kernel(uaddr, len, &addr);
	if (!err)
		err = sk->ops->bind(sk, &addr, len);
	fput(f);
	return err;
}

SYSCALL_DEFINE3(connect, int, fd, uaddr_t, uaddr, int, len)
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	struct linux_sockaddr_storage addr;
	err = move_addr_to_kernel(uaddr, len, &addr);
	if (!err)
		err = sk->ops->connect(sk, &addr, len, (int)f->flags);
	fput(f);
	return err;
}

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	if ((unsigned)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	err = sk->ops->listen ? sk->ops->listen(sk, backlog) : -EOPNOTSUPP;
	fput(f);
	return err;
}

static long do_accept(int fd, uaddr_t uaddr, uaddr_t ulen, int flags)
{
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	/* Out of descriptors: the connection stays queued, as in Linux. */
	long r = fd_check_free();
	if (r) {
		fput(f);
		return r;
	}
	r = -EOPNOTSUPP;
	struct sock *newsk = sk->ops->accept ? sk->ops->accept(sk, (int)f->flags) : ERR_PTR(r);
	fput(f);
	if (IS_ERR(newsk))
		return PTR_ERR(newsk);
	struct file *nf = sock_alloc_file(newsk, (unsigned)flags);
	if (!nf) {
		newsk->ops->release(newsk);
		sock_put(newsk);
		return -ENOMEM;
	}
	if (uaddr) {
		struct linux_sockaddr_storage addr;
		int len = newsk->ops->getname(newsk, &addr, true);
		err = len < 0 ? -ECONNABORTED : move_addr_to_user(&addr, len, uaddr, ulen);
		if (err) {
			fput(nf);
			return err;
		}
	}
	r = fd_install(nf, (unsigned)flags & O_CLOEXEC);
	if (r < 0)
		fput(nf);
	return r;
}

SYSCALL_DEFINE3(accept, int, fd, uaddr_t, uaddr, uaddr_t, ulen)
{
	return do_accept(fd, uaddr, ulen, 0);
}

SYSCALL_DEFINE4(accept4, int, fd, uaddr_t, uaddr, uaddr_t, ulen, int, flags)
{
	return do_accept(fd, uaddr, ulen, flags);
}

static long do_getname(int fd, uaddr_t uaddr, uaddr_t ulen, bool peer)
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	struct linux_sockaddr_storage addr;
	int len = sk->ops->getname(sk, &addr, peer);
	err = len < 0 ? len : move_addr_to_user(&addr, len, uaddr, ulen);
	fput(f);
	return err;
}

SYSCALL_DEFINE3(getsockname, int, fd, uaddr_t, uaddr, uaddr_t, ulen)
{
	return do_getname(fd, uaddr, ulen, false);
}

SYSCALL_DEFINE3(getpeername, int, fd, uaddr_t, uaddr, uaddr_t, ulen)
{
	return do_getname(fd, uaddr, ulen, true);
}

SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	err = how < SHUT_RD || how > SHUT_RDWR ? -EINVAL : sk->ops->shutdown(sk, how);
	fput(f);
	return err;
}

/* ---- Sending and receiving ---- */

static long sock_sendmsg(struct file *f, struct sock *sk, struct msghdr_k *msg, uaddr_t control,
			 size_t controllen)
{
	if (f->flags & O_NONBLOCK)
		msg->flags |= MSG_DONTWAIT;
	long r = scm_send(sk, msg, control, controllen);
	if (!r)
		r = sk->ops->sendmsg(sk, msg, msg->iter.count);
	scm_destroy(&msg->scm);
	return r;
}

SYSCALL_DEFINE6(sendto, int, fd, uaddr_t, ubuf, size_t, len, unsigned, flags, uaddr_t, uaddr, int,
		addrlen)
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	struct linux_sockaddr_storage addr;
	struct msghdr_k msg = {.flags = flags};
	iov_iter_user(&msg.iter, ubuf, min(len, (size_t)INT32_MAX));
	long r = 0;
	if (uaddr) {
		r = move_addr_to_kernel(uaddr, addrlen, &addr);
		msg.name = &addr;
		msg.namelen = addrlen;
	}
	if (!r)
		r = sock_sendmsg(f, sk, &msg, 0, 0);
	fput(f);
	return r;
}

SYSCALL_DEFINE6(recvfrom, int, fd, uaddr_t, ubuf, size_t, len, unsigned, flags, uaddr_t, uaddr,
		uaddr_t, ulen)
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	struct linux_sockaddr_storage addr;
	struct msghdr_k msg = {.name = &addr};
	iov_iter_user(&msg.iter, ubuf, min(len, (size_t)INT32_MAX));
	if (f->flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	long r = sk->ops->recvmsg(sk, &msg, msg.iter.count, (int)flags);
	if (r >= 0 && uaddr) {
		err = move_addr_to_user(&addr, msg.namelen, uaddr, ulen);
		if (err)
			r = err;
	}
	fput(f);
	return r;
}

/* A guest msghdr into msg: the address copied in (send) or pointed at a
 * kernel buffer (receive), the iovec imported (*iov to free). */
static long copy_msghdr(const struct linux_msghdr *um, struct msghdr_k *msg,
			struct linux_sockaddr_storage *addr, bool send, struct kvec **iov)
{
	int namelen = um->msg_name ? um->msg_namelen : 0;
	if (namelen < 0)
		return -EINVAL;
	namelen = min(namelen, (int)sizeof *addr);
	msg->name = addr;
	msg->namelen = 0;
	if (send && namelen) {
		long err = move_addr_to_kernel(um->msg_name, namelen, addr);
		if (err)
			return err;
		msg->namelen = namelen;
	}
	if (um->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	long r = import_iovec(um->msg_iov, um->msg_iovlen, iov, &msg->iter);
	return r < 0 ? r : 0;
}

static long sys_sendmsg_one(struct file *f, struct sock *sk, uaddr_t umsg, unsigned flags)
{
	struct linux_msghdr um;
	if (copy_from_user(&um, umsg, sizeof um))
		return -EFAULT;
	struct linux_sockaddr_storage addr;
	struct msghdr_k msg = {.flags = flags};
	struct kvec *iov = NULL;
	long r = copy_msghdr(&um, &msg, &addr, true, &iov);
	if (!r)
		r = um.msg_controllen > INT32_MAX
			? -ENOBUFS
			: sock_sendmsg(f, sk, &msg, um.msg_control, um.msg_controllen);
	kfree(iov);
	return r;
}

static long sys_recvmsg_one(struct file *f, struct sock *sk, uaddr_t umsg, unsigned flags)
{
	struct linux_msghdr um;
	if (copy_from_user(&um, umsg, sizeof um))
		return -EFAULT;
	struct linux_sockaddr_storage addr;
	struct msghdr_k msg = {0};
	struct kvec *iov = NULL;
	long r = copy_msghdr(&um, &msg, &addr, false, &iov);
	if (r)
		goto out;
	msg.control = um.msg_control;
	msg.controllen = um.msg_controllen;
	msg.flags = flags & MSG_CMSG_CLOEXEC; /* reported back, as Linux does */
	if (f->flags & O_NONBLOCK)
		flags |= MSG_DONTWAIT;
	r = sk->ops->recvmsg(sk, &msg, msg.iter.count, (int)flags);
	if (r < 0)
		goto out;
	long err = 0;
	if (um.msg_name)
		err = move_addr_to_user(&addr, msg.namelen, um.msg_name,
					umsg + offsetof(struct linux_msghdr, msg_namelen));
	if (!err &&
	    (put_user((int32_t)msg.flags, umsg + offsetof(struct linux_msghdr, msg_flags)) ||
	     put_user((uint64_t)(msg.control - um.msg_control),
		      umsg + offsetof(struct linux_msghdr, msg_controllen))))
		err = -EFAULT;
	if (err)
		r = err;
out:
	kfree(iov);
	return r;
}

/* sendmsg and recvmsg: one message on the socket fd. */
static long one_msg(int fd, uaddr_t umsg, unsigned flags,
		    long (*one)(struct file *f, struct sock *sk, uaddr_t umsg, unsigned flags))
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	long r = one(f, sk, umsg, flags);
	fput(f);
	return r;
}

SYSCALL_DEFINE3(sendmsg, int, fd, uaddr_t, umsg, unsigned, flags)
{
	return one_msg(fd, umsg, flags, sys_sendmsg_one);
}

SYSCALL_DEFINE3(recvmsg, int, fd, uaddr_t, umsg, unsigned, flags)
{
	return one_msg(fd, umsg, flags, sys_recvmsg_one);
}

SYSCALL_DEFINE4(sendmmsg, int, fd, uaddr_t, umsgs, unsigned, vlen, unsigned, flags)
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	vlen = min(vlen, (unsigned)UIO_MAXIOV);
	long sent = 0, r = 0;
	for (; (unsigned)sent < vlen; sent++) {
		uaddr_t entry = umsgs + (uaddr_t)sent * sizeof(struct linux_mmsghdr);
		r = sys_sendmsg_one(f, sk, entry,
				    flags | ((unsigned)sent + 1 < vlen ? MSG_BATCH : 0));
		if (r < 0)
			break;
		if (put_user((uint32_t)r, entry + offsetof(struct linux_mmsghdr, msg_len))) {
			r = -EFAULT;
			break;
		}
	}
	fput(f);
	return sent ? sent : r;
}

SYSCALL_DEFINE5(recvmmsg, int, fd, uaddr_t, umsgs, unsigned, vlen, unsigned, flags, uaddr_t,
		utimeout)
{
	int64_t end = 0;
	struct linux_timespec ts;
	if (utimeout) {
		if (copy_from_user(&ts, utimeout, sizeof ts))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
			return -EINVAL;
		end = ktime_get_ns() + timespec_to_ns(&ts);
	}
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	long got = 0, r = sock_error(sk);
	/* The timeout is only looked at between datagrams, as in Linux. */
	while (!r && (unsigned)got < vlen) {
		uaddr_t entry = umsgs + (uaddr_t)got * sizeof(struct linux_mmsghdr);
		r = sys_recvmsg_one(f, sk, entry, flags & ~(unsigned)MSG_WAITFORONE);
		if (r < 0)
			break;
		if (put_user((uint32_t)r, entry + offsetof(struct linux_mmsghdr, msg_len))) {
			r = -EFAULT;
			break;
		}
		got++;
		r = 0;
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (utimeout && ktime_get_ns() >= end)
			break;
	}
	fput(f);
	if (got && r && r != -EAGAIN)
		sk->err = (int)-r; /* for the next call, as Linux keeps it */
	if (!got)
		return r;
	if (utimeout) {
		int64_t left = end - ktime_get_ns();
		ts = ns_to_timespec(left > 0 ? left : 0);
		if (copy_to_user(utimeout, &ts, sizeof ts))
			return -EFAULT;
	}
	return got;
}

/* ---- Options ---- */

static int64_t timeval_to_jiffies(const struct linux_timeval *tv)
{
	if (!tv->tv_sec && !tv->tv_usec)
		return MAX_SCHEDULE_TIMEOUT;
	if (tv->tv_sec >= INT64_MAX / SOCK_HZ - 1)
		return MAX_SCHEDULE_TIMEOUT;
	int64_t per = 1000000 / SOCK_HZ;
	return tv->tv_sec * SOCK_HZ + (tv->tv_usec + per - 1) / per;
}

static int sock_set_timeout(int64_t *timeo, const void *val, int len)
{
	struct linux_timeval tv;
	if ((size_t)len < sizeof tv)
		return -EINVAL;
	memcpy(&tv, val, sizeof tv);
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	/* A negative time means no waiting at all, as in Linux. */
	*timeo = tv.tv_sec < 0 ? 0 : timeval_to_jiffies(&tv);
	return 0;
}

static void sock_get_timeout(int64_t timeo, struct linux_timeval *tv)
{
	if (timeo == MAX_SCHEDULE_TIMEOUT)
		timeo = 0;
	tv->tv_sec = timeo / SOCK_HZ;
	tv->tv_usec = timeo % SOCK_HZ * (1000000 / SOCK_HZ);
}

/* optlen >= sizeof(int) */
static int sock_setsockopt(struct sock *sk, int opt, const void *optval, int optlen)
{
	int val;
	memcpy(&val, optval, sizeof val);
	bool on = val != 0;
	switch (opt) {
	case SO_DEBUG:
		return on && !capable(CAP_NET_ADMIN) ? -EACCES : 0;
	case SO_REUSEADDR:
		sk->reuseaddr = on;
		return 0;
	case SO_REUSEPORT:
		return on ? -EOPNOTSUPP : 0; /* inet only */
	case SO_DONTROUTE:
		sk->dontroute = on;
		return 0;
	case SO_BROADCAST:
		sk->broadcast = on;
		return 0;
	case SO_SNDBUFFORCE:
	case SO_SNDBUF:
		if (opt == SO_SNDBUFFORCE && !capable(CAP_NET_ADMIN))
			return -EPERM;
		if (opt == SO_SNDBUF)
			val = (int)min((unsigned)val, (unsigned)SYSCTL_WMEM);
		val = max(min(val, INT32_MAX / 2), 0);
		sk->sndbuf = max(val * 2, SOCK_MIN_SNDBUF);
		wake_up_poll(&sk->wait, POLLOUT | POLLWRNORM | POLLWRBAND);
		return 0;
	case SO_RCVBUFFORCE:
	case SO_RCVBUF:
		if (opt == SO_RCVBUFFORCE && !capable(CAP_NET_ADMIN))
			return -EPERM;
		if (opt == SO_RCVBUF)
			val = (int)min((unsigned)val, (unsigned)SYSCTL_WMEM);
		val = max(min(val, INT32_MAX / 2), 0);
		sk->rcvbuf = max(val * 2, SOCK_MIN_RCVBUF);
		return 0;
	case SO_KEEPALIVE:
		sk->keepalive = on;
		return 0;
	case SO_OOBINLINE:
		sk->oobinline = on;
		return 0;
	case SO_NO_CHECK:
	case SO_BSDCOMPAT:
		return 0;
	case SO_PRIORITY:
		if ((val < 0 || val > 6) && !capable(CAP_NET_ADMIN) && !capable(CAP_NET_RAW))
			return -EPERM;
		sk->priority = val;
		return 0;
	case SO_LINGER: {
		struct linux_linger l;
		if ((size_t)optlen < sizeof l)
			return -EINVAL;
		memcpy(&l, optval, sizeof l);
		sk->linger.l_onoff = l.l_onoff != 0;
		sk->linger.l_linger = l.l_onoff ? l.l_linger : sk->linger.l_linger;
		return 0;
	}
	case SO_PASSCRED:
		sk->passcred = on;
		return 0;
	case SO_PASSSEC: /* no security module: nothing to pass */
		sk->passsec = on;
		return 0;
	case SO_TIMESTAMP_OLD:
	case SO_TIMESTAMPNS_OLD:
		sk->rcvtstamp = on;
		sk->rcvtstampns = on && opt == SO_TIMESTAMPNS_OLD;
		return 0;
	case SO_MARK:
		if (!capable(CAP_NET_ADMIN) && !capable(CAP_NET_RAW))
			return -EPERM;
		sk->mark = (uint32_t)val;
		return 0;
	case SO_RCVLOWAT:
		sk->rcvlowat = val < 0 ? INT32_MAX : val ? val : 1;
		return 0;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		return sock_set_timeout(&sk->rcvtimeo, optval, optlen);
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		return sock_set_timeout(&sk->sndtimeo, optval, optlen);
	case SO_TYPE:
	case SO_PROTOCOL:
	case SO_DOMAIN:
	case SO_ERROR:
	case SO_PEERCRED:
	case SO_PEERGROUPS:
	case SO_ACCEPTCONN:
		return -ENOPROTOOPT;
	}
	pr_warn("%s[%d]: socket option %d not implemented\n", current->comm, current->tid, opt);
	return -ENOPROTOOPT;
}

SYSCALL_DEFINE5(setsockopt, int, fd, int, level, int, opt, uaddr_t, uval, int, optlen)
{
	char val[64];
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	if (level != SOL_SOCKET)
		err = -EOPNOTSUPP;
	else if (optlen < (int)sizeof(int))
		err = -EINVAL;
	else if (copy_from_user(val, uval, min((size_t)optlen, sizeof val)))
		err = -EFAULT;
	else
		err = sock_setsockopt(sk, opt, val, optlen);
	fput(f);
	return err;
}

/* The option's value in v and its length, or -errno. */
static int sock_getsockopt(struct sock *sk, int opt, void *v)
{
	int val;
	switch (opt) {
	case SO_DEBUG:
		val = 0;
		break;
	case SO_REUSEADDR:
		val = sk->reuseaddr;
		break;
	case SO_REUSEPORT:
		val = 0;
		break;
	case SO_DONTROUTE:
		val = sk->dontroute;
		break;
	case SO_BROADCAST:
		val = sk->broadcast;
		break;
	case SO_SNDBUF:
		val = sk->sndbuf;
		break;
	case SO_RCVBUF:
		val = sk->rcvbuf;
		break;
	case SO_KEEPALIVE:
		val = sk->keepalive;
		break;
	case SO_OOBINLINE:
		val = sk->oobinline;
		break;
	case SO_NO_CHECK:
		val = 0;
		break;
	case SO_PRIORITY:
		val = sk->priority;
		break;
	case SO_TYPE:
		val = sk->type;
		break;
	case SO_PROTOCOL:
		val = sk->protocol;
		break;
	case SO_DOMAIN:
		val = sk->family;
		break;
	case SO_ERROR:
		val = -sock_error(sk);
		break;
	case SO_PASSCRED:
		val = sk->passcred;
		break;
	case SO_RCVLOWAT:
		val = sk->rcvlowat;
		break;
	case SO_SNDLOWAT:
		val = 1;
		break;
	case SO_ACCEPTCONN:
		val = sk->state == SS_LISTEN;
		break;
	case SO_PASSSEC:
		val = sk->passsec;
		break;
	case SO_MARK:
		val = (int)sk->mark;
		break;
	case SO_TIMESTAMP_OLD:
		val = sk->rcvtstamp && !sk->rcvtstampns;
		break;
	case SO_TIMESTAMPNS_OLD:
		val = sk->rcvtstampns;
		break;
	case SO_BSDCOMPAT:
		val = 0;
		break;
	case SO_LINGER:
		memcpy(v, &sk->linger, sizeof sk->linger);
		return sizeof sk->linger;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW: {
		struct linux_timeval tv;
		bool rcv = opt == SO_RCVTIMEO_OLD || opt == SO_RCVTIMEO_NEW;
		sock_get_timeout(rcv ? sk->rcvtimeo : sk->sndtimeo, &tv);
		memcpy(v, &tv, sizeof tv);
		return sizeof tv;
	}
	case SO_PEERCRED: {
		struct linux_ucred none = {0, (uint32_t)-1, (uint32_t)-1};
		memcpy(v, sk->peer.set ? &sk->peer.cred : &none, sizeof none);
		return sizeof none;
	}
	case SO_PEERSEC:
		return -ENOPROTOOPT; /* no security module */
	default:
		pr_warn("%s[%d]: socket option %d not implemented\n", current->comm, current->tid,
			opt);
		return -ENOPROTOOPT;
	}
	memcpy(v, &val, sizeof val);
	return sizeof val;
}

/* The peer's supplementary groups; ERANGE (and the length needed) if they
 * do not fit. */
static int sock_getpeergroups(struct sock *sk, uaddr_t uval, uaddr_t ulen, int len)
{
	if (!sk->peer.set)
		return -ENODATA;
	int n = sk->peer.ngroups * (int)sizeof(gid_t_);
	if (len < n)
		return put_user(n, ulen) ? -EFAULT : -ERANGE;
	if (copy_to_user(uval, sk->peer.groups, (size_t)n) || put_user(n, ulen))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE5(getsockopt, int, fd, int, level, int, opt, uaddr_t, uval, uaddr_t, ulen)
{
	struct file *f;
	int err;
	struct sock *sk = sockfd_lookup(fd, &f, &err);
	if (!sk)
		return err;
	int len;
	char v[64];
	err = 0;
	if (level != SOL_SOCKET)
		err = -EOPNOTSUPP;
	else if (get_user(len, ulen))
		err = -EFAULT;
	else if (len < 0)
		err = -EINVAL;
	if (err)
		goto out;
	if (opt == SO_PEERGROUPS) {
		err = sock_getpeergroups(sk, uval, ulen, len);
		goto out;
	}
	int lv = sock_getsockopt(sk, opt, v);
	if (lv < 0) {
		err = lv;
		goto out;
	}
	len = min(len, lv);
	if (copy_to_user(uval, v, (size_t)len) || put_user(len, ulen))
		err = -EFAULT;
out:
	fput(f);
	return err;
}
