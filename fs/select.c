/* Waiting on several files: poll, ppoll, select, pselect6. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "signal.h"
#include "ktime.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/misc.h"

struct poll_entry {
	struct waiter w;
};

void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	if (!pt || pt->no_wait)
		return;
	if (pt->qproc) {
		pt->qproc(f, wq, pt);
		return;
	}
	if (pt->count == pt->cap) {
		int cap = pt->cap ? pt->cap * 2 : 8;
		struct poll_entry **n = realloc(pt->entries, sizeof *n * (size_t)cap);
		if (!n)
			return;
		pt->entries = n;
		pt->cap = cap;
	}
	struct poll_entry *e = kmalloc(sizeof *e);
	if (!e)
		return;
	waiter_add(wq, &e->w);
	pt->entries[pt->count++] = e;
}

static void poll_freewait(struct poll_table *pt)
{
	for (int i = 0; i < pt->count; i++) {
		struct poll_entry *e = pt->entries[i];
		waiter_del(&e->w);
		kfree(e);
	}
	kfree(pt->entries);
	pt->entries = NULL;
	pt->count = pt->cap = 0;
}

#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

unsigned vfs_poll(struct file *f, struct poll_table *pt)
{
	if (!f->f_op || !f->f_op->poll)
		return DEFAULT_POLLMASK;
	return f->f_op->poll(f, pt);
}

/* A deadline from a relative timeout in ns (< 0: none, 0: don't wait). */
static int64_t deadline_from(int64_t ns)
{
	if (ns < 0)
		return 0;
	return ktime_get_ns() + ns + (ns == 0);
}

static long do_poll(struct linux_pollfd *fds, unsigned n, int64_t deadline, bool no_wait)
{
	struct poll_table pt = {0};
	long count;
	for (;;) {
		count = 0;
		for (unsigned i = 0; i < n; i++) {
			struct linux_pollfd *p = &fds[i];
			p->revents = 0;
			if (p->fd < 0)
				continue;
			struct file *f = fget(p->fd);
			if (!f) {
				p->revents = POLLNVAL;
				count++;
				continue;
			}
			unsigned mask = vfs_poll(f, no_wait ? NULL : &pt);
			fput(f);
			mask &= (unsigned)(uint16_t)p->events | POLLERR | POLLHUP;
			if (mask) {
				p->revents = (int16_t)mask;
				count++;
			}
		}
		pt.no_wait = true;
		if (count || no_wait)
			break;
		if (signal_pending(current)) {
			count = -ERESTARTNOHAND;
			break;
		}
		if (schedule_deadline(deadline))
			break;
	}
	poll_freewait(&pt);
	return count;
}

static long poll_common(uaddr_t ufds, unsigned n, int64_t timeout_ns)
{
	if (n > (unsigned)current->proc->rlim[RLIMIT_NOFILE].rlim_cur && n > 256)
		return -EINVAL;
	struct linux_pollfd *fds = kmalloc(sizeof *fds * (n ? n : 1));
	if (!fds)
		return -ENOMEM;
	long r = -EFAULT;
	if (copy_from_user(fds, ufds, sizeof *fds * n))
		goto out;
	r = do_poll(fds, n, deadline_from(timeout_ns), timeout_ns == 0);
	if (r >= 0) {
		for (unsigned i = 0; i < n; i++)
			if (copy_result_to_user(ufds + i * sizeof *fds + 6, &fds[i].revents,
						sizeof fds[i].revents)) {
				r = -EFAULT;
				break;
			}
	}
out:
	kfree(fds);
	return r;
}

SYSCALL_DEFINE3(poll, uaddr_t, ufds, unsigned, n, int, timeout_ms)
{
	return poll_common(ufds, n, timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000000);
}

int set_user_sigmask(uaddr_t umask, size_t size)
{
	if (!umask)
		return 0;
	if (size != sizeof(linux_sigset_t))
		return -EINVAL;
	linux_sigset_t set;
	if (copy_from_user(&set, umask, sizeof set))
		return -EFAULT;
	current->saved_sigmask = current->blocked;
	current->restore_sigmask = true;
	current->blocked = set & ~SIG_KERNEL_ONLY_MASK;
	return 0;
}

void restore_saved_sigmask_unless(bool interrupted)
{
	if (!interrupted && current->restore_sigmask) {
		current->restore_sigmask = false;
		current->blocked = current->saved_sigmask;
	}
}

static int read_timespec_ns(uaddr_t uts, int64_t *ns)
{
	*ns = -1;
	if (!uts)
		return 0;
	struct linux_timespec ts;
	if (copy_from_user(&ts, uts, sizeof ts))
		return -EFAULT;
	if (!timespec_valid(&ts))
		return -EINVAL;
	*ns = timespec_to_ns(&ts);
	return 0;
}

/* ppoll and pselect6 write back the time left. */
static void write_remaining(uaddr_t uts, int64_t deadline)
{
	if (!uts || !deadline)
		return;
	int64_t left = deadline - ktime_get_ns();
	struct linux_timespec ts = ns_to_timespec(left > 0 ? left : 0);
	copy_to_user(uts, &ts, sizeof ts);
}

SYSCALL_DEFINE5(ppoll, uaddr_t, ufds, unsigned, n, uaddr_t, uts, uaddr_t, umask, size_t, size)
{
	int64_t ns;
	int err = read_timespec_ns(uts, &ns);
	if (!err)
		err = set_user_sigmask(umask, size);
	if (err)
		return err;
	int64_t deadline = deadline_from(ns);
	long r = poll_common(ufds, n, ns);
	write_remaining(uts, deadline);
	restore_saved_sigmask_unless(r == -ERESTARTNOHAND);
	return r;
}

#define POLLIN_SET  (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET  (POLLPRI)

static long do_select(int n, uaddr_t uin, uaddr_t uout, uaddr_t uex, int64_t ns)
{
	if (n < 0)
		return -EINVAL;
	int max = current->files->max_fds;
	if (n > max)
		n = max;
	size_t words = (size_t)(n + 63) / 64, bytes = words * 8;
	uint64_t *in = kzalloc(bytes + 8), *out = kzalloc(bytes + 8), *ex = kzalloc(bytes + 8);
	struct linux_pollfd *fds = kmalloc(sizeof *fds * (size_t)(n ? n : 1));
	long r = -ENOMEM;
	if (!in || !out || !ex || !fds)
		goto out;
	r = -EFAULT;
	size_t ubytes = (size_t)(n + 7) / 8;
	if ((uin && copy_from_user(in, uin, ubytes)) ||
	    (uout && copy_from_user(out, uout, ubytes)) || (uex && copy_from_user(ex, uex, ubytes)))
		goto out;
	unsigned count = 0;
	for (int fd = 0; fd < n; fd++) {
		uint64_t bit = 1ULL << (fd % 64);
		bool i = in[fd / 64] & bit, o = out[fd / 64] & bit, e = ex[fd / 64] & bit;
		if (!i && !o && !e)
			continue;
		if (!current->files->fd[fd]) {
			r = -EBADF;
			goto out;
		}
		fds[count].fd = fd;
		fds[count].events =
		    (int16_t)((i ? POLLIN_SET : 0) | (o ? POLLOUT_SET : 0) | (e ? POLLEX_SET : 0));
		count++;
	}
	r = do_poll(fds, count, deadline_from(ns), ns == 0);
	if (r < 0)
		goto out;
	memset(in, 0, bytes);
	memset(out, 0, bytes);
	memset(ex, 0, bytes);
	r = 0;
	for (unsigned k = 0; k < count; k++) {
		int fd = fds[k].fd;
		unsigned rev = (uint16_t)fds[k].revents, ev = (uint16_t)fds[k].events;
		uint64_t bit = 1ULL << (fd % 64);
		if ((rev & POLLIN_SET) && (ev & POLLIN)) {
			in[fd / 64] |= bit;
			r++;
		}
		if ((rev & POLLOUT_SET) && (ev & POLLOUT)) {
			out[fd / 64] |= bit;
			r++;
		}
		if ((rev & POLLEX_SET) && (ev & POLLPRI)) {
			ex[fd / 64] |= bit;
			r++;
		}
	}
	if ((uin && copy_result_to_user(uin, in, ubytes)) ||
	    (uout && copy_result_to_user(uout, out, ubytes)) ||
	    (uex && copy_result_to_user(uex, ex, ubytes)))
		r = -EFAULT;
out:
	kfree(in);
	kfree(out);
	kfree(ex);
	kfree(fds);
	return r;
}

SYSCALL_DEFINE5(select, int, n, uaddr_t, uin, uaddr_t, uout, uaddr_t, uex, uaddr_t, utv)
{
	int64_t ns = -1;
	if (utv) {
		struct linux_timeval tv;
		if (copy_from_user(&tv, utv, sizeof tv))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		ns = timeval_to_ns(&tv);
	}
	int64_t deadline = deadline_from(ns);
	long r = do_select(n, uin, uout, uex, ns);
	if (utv && deadline) {
		int64_t left = deadline - ktime_get_ns();
		if (left < 0)
			left = 0;
		struct linux_timeval tv = {left / NSEC_PER_SEC, left % NSEC_PER_SEC / 1000};
		copy_to_user(utv, &tv, sizeof tv);
	}
	return r;
}

SYSCALL_DEFINE6(pselect6, int, n, uaddr_t, uin, uaddr_t, uout, uaddr_t, uex, uaddr_t, uts, uaddr_t,
		usig)
{
	int64_t ns;
	int err = read_timespec_ns(uts, &ns);
	if (err)
		return err;
	uaddr_t umask = 0;
	size_t size = 0;
	if (usig) {
		struct {
			uint64_t ss;
			uint64_t len;
		} s;
		if (copy_from_user(&s, usig, sizeof s))
			return -EFAULT;
		umask = s.ss;
		size = s.len;
	}
	if ((err = set_user_sigmask(umask, size)))
		return err;
	int64_t deadline = deadline_from(ns);
	long r = do_select(n, uin, uout, uex, ns);
	write_remaining(uts, deadline);
	restore_saved_sigmask_unless(r == -ERESTARTNOHAND);
	return r;
}
