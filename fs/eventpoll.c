/*
 * epoll: an interest set of files and a ready list, as in Linux. Each watched
 * file gets callback waiters on the wait queues its poll() names; a wake-up
 * whose events the item wants puts the item on the ready list, and
 * epoll_wait re-polls ready items before reporting them. Level-triggered
 * items go back on the list after being reported, edge-triggered ones wait
 * for the next wake-up, one-shot ones are disabled until EPOLL_CTL_MOD.
 */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "ktime.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/eventpoll.h"
#include "uapi/misc.h"

#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLEXCLUSIVE_OK_BITS                                                                     \
	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)
#define EP_MAX_NESTS  4
#define EP_MAX_EVENTS (INT32_MAX / sizeof(struct linux_epoll_event))

struct eventpoll {
	struct wait_queue wq;	     /* tasks in epoll_wait */
	struct wait_queue poll_wait; /* poll() of the epoll file itself */
	struct list_head items;	     /* every epitem */
	struct list_head rdllist;    /* ready items, in the order they became ready */
	struct file *file;
};

struct epitem {
	struct list_head ep_link; /* in ep->items */
	struct list_head rdllink; /* in ep->rdllist, or empty */
	struct list_head f_link;  /* in file->f_ep_links */
	struct list_head pwqlist; /* its eppoll_entries */
	struct eventpoll *ep;
	struct file *file; /* not counted: the file leaves us when it dies */
	int fd;
	uint32_t events;
	uint64_t data;
};

/* One waiter of an item on one wait queue of its file. */
struct eppoll_entry {
	struct list_head link;
	struct waiter w;
	struct epitem *epi;
};

static const struct file_operations eventpoll_fops;

static bool is_file_epoll(const struct file *f)
{
	return f->f_op == &eventpoll_fops;
}

static bool ep_is_linked(const struct epitem *epi)
{
	return !list_empty(&epi->rdllink);
}

static void ep_wake_pollers(struct eventpoll *ep)
{
	if (waitqueue_active(&ep->poll_wait))
		wake_up_poll(&ep->poll_wait, POLLIN | POLLRDNORM);
}

/* A file this item watches had events (key; 0 when unspecified). */
static int ep_poll_callback(struct waiter *w, unsigned key)
{
	struct epitem *epi = container_of(w, struct eppoll_entry, w)->epi;
	struct eventpoll *ep = epi->ep;
	int ewake = 0;
	/* No events left: a one-shot item waiting for EPOLL_CTL_MOD. */
	if (!(epi->events & ~EP_PRIVATE_BITS) || (key && !(key & epi->events)))
		goto out;
	if (!ep_is_linked(epi))
		list_add_tail(&epi->rdllink, &ep->rdllist);
	if (waitqueue_active(&ep->wq)) {
		if (epi->events & EPOLLEXCLUSIVE) {
			unsigned inout = key & (EPOLLIN | EPOLLOUT);
			ewake = !inout || (inout != (EPOLLIN | EPOLLOUT) && (epi->events & inout));
		}
		wake_up(&ep->wq);
	}
	ep_wake_pollers(ep);
out:
	if (!(epi->events & EPOLLEXCLUSIVE))
		ewake = 1;
	if (key & POLLFREE)
		waiter_del(w); /* ep_remove's waiter_del is then a no-op */
	return ewake;
}

struct ep_pqueue {
	struct poll_table pt;
	struct epitem *epi;
	bool failed;
};

static void ep_ptable_queue_proc(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	(void)f;
	struct ep_pqueue *epq = container_of(pt, struct ep_pqueue, pt);
	struct eppoll_entry *pwq = kmalloc(sizeof *pwq);
	if (!pwq) {
		epq->failed = true;
		return;
	}
	pwq->epi = epq->epi;
	waiter_add_callback(wq, &pwq->w, ep_poll_callback, epq->epi->events & EPOLLEXCLUSIVE);
	list_add_tail(&pwq->link, &epq->epi->pwqlist);
}

static unsigned ep_eventpoll_poll_depth(struct eventpoll *ep, struct poll_table *pt, int depth);

/* The item's current events; pt non-NULL registers its waiters. */
static unsigned ep_item_poll(struct epitem *epi, struct poll_table *pt, int depth)
{
	unsigned mask = is_file_epoll(epi->file)
			    ? ep_eventpoll_poll_depth(epi->file->private, pt, depth)
			    : vfs_poll(epi->file, pt);
	return mask & epi->events;
}

/* Readable when some ready item really has events; items that turn out not
 * to be ready leave the list. */
static unsigned ep_eventpoll_poll_depth(struct eventpoll *ep, struct poll_table *pt, int depth)
{
	poll_wait(ep->file, &ep->poll_wait, pt);
	if (depth > EP_MAX_NESTS)
		return 0; /* cannot happen: loops and deep nests are refused */
	struct epitem *epi, *n;
	list_for_each_entry_safe(epi, n, &ep->rdllist, rdllink) {
		if (ep_item_poll(epi, NULL, depth + 1))
			return POLLIN | POLLRDNORM;
		list_del(&epi->rdllink);
	}
	return 0;
}

static unsigned ep_eventpoll_poll(struct file *f, struct poll_table *pt)
{
	return ep_eventpoll_poll_depth(f->private, pt, 0);
}

static void ep_remove(struct epitem *epi)
{
	struct eppoll_entry *pwq, *n;
	list_for_each_entry_safe(pwq, n, &epi->pwqlist, link) {
		waiter_del(&pwq->w);
		list_del(&pwq->link);
		kfree(pwq);
	}
	list_del(&epi->f_link);
	list_del(&epi->ep_link);
	list_del(&epi->rdllink);
	kfree(epi);
}

void eventpoll_release(struct file *f)
{
	while (!list_empty(&f->f_ep_links))
		ep_remove(list_first_entry(&f->f_ep_links, struct epitem, f_link));
}

static void ep_eventpoll_release(struct file *f)
{
	struct eventpoll *ep = f->private;
	while (!list_empty(&ep->items))
		ep_remove(list_first_entry(&ep->items, struct epitem, ep_link));
	kfree(ep);
}

static const struct file_operations eventpoll_fops = {
    .poll = ep_eventpoll_poll,
    .llseek = noop_llseek,
    .release = ep_eventpoll_release,
};

static struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct epitem *epi;
	list_for_each_entry(epi, &ep->items, ep_link)
		if (epi->file == f && epi->fd == fd)
			return epi;
	return NULL;
}

/* ---- Nesting: no loops, and at most EP_MAX_NESTS levels ---- */

/* The longest chain of epoll sets below ep; > EP_MAX_NESTS if it reaches
 * target (a loop) or goes too deep. */
static int ep_depth_below(struct eventpoll *ep, struct eventpoll *target, int depth)
{
	int result = 0;
	struct epitem *epi;
	list_for_each_entry(epi, &ep->items, ep_link) {
		if (!is_file_epoll(epi->file))
			continue;
		struct eventpoll *sub = epi->file->private;
		if (sub == target || depth > EP_MAX_NESTS)
			return EP_MAX_NESTS + 1;
		int d = ep_depth_below(sub, target, depth + 1) + 1;
		result = max(result, d);
		if (result > EP_MAX_NESTS)
			break;
	}
	return result;
}

/* How deep ep itself sits inside other epoll sets. */
static int ep_depth_above(struct eventpoll *ep, int depth)
{
	int result = 0;
	struct epitem *epi;
	if (depth > EP_MAX_NESTS)
		return EP_MAX_NESTS + 1;
	list_for_each_entry(epi, &ep->file->f_ep_links, f_link) {
		int d = ep_depth_above(epi->ep, depth + 1) + 1;
		result = max(result, d);
	}
	return result;
}

static bool ep_loop_check(struct eventpoll *ep, struct eventpoll *to)
{
	int below = ep_depth_below(to, ep, 0);
	if (below > EP_MAX_NESTS)
		return false;
	return below + 1 + ep_depth_above(ep, 0) <= EP_MAX_NESTS;
}

/* ---- epoll_ctl ---- */

static void ep_make_ready(struct eventpoll *ep, struct epitem *epi)
{
	if (!ep_is_linked(epi))
		list_add_tail(&epi->rdllink, &ep->rdllist);
	if (waitqueue_active(&ep->wq))
		wake_up(&ep->wq);
	ep_wake_pollers(ep);
}

static int ep_insert(struct eventpoll *ep, uint32_t events, uint64_t data, struct file *tf, int fd)
{
	struct epitem *epi = kzalloc(sizeof *epi);
	if (!epi)
		return -ENOMEM;
	list_init(&epi->rdllink);
	list_init(&epi->pwqlist);
	epi->ep = ep;
	epi->file = tf;
	epi->fd = fd;
	epi->events = events;
	epi->data = data;
	list_add_tail(&epi->f_link, &tf->f_ep_links);
	list_add_tail(&epi->ep_link, &ep->items);
	struct ep_pqueue epq = {.pt = {.qproc = ep_ptable_queue_proc}, .epi = epi};
	unsigned revents = ep_item_poll(epi, &epq.pt, 1);
	if (epq.failed) {
		ep_remove(epi);
		return -ENOMEM;
	}
	if (revents)
		ep_make_ready(ep, epi);
	return 0;
}

static int ep_modify(struct eventpoll *ep, struct epitem *epi, uint32_t events, uint64_t data)
{
	epi->events = events;
	epi->data = data;
	if (ep_item_poll(epi, NULL, 1))
		ep_make_ready(ep, epi);
	return 0;
}

static bool ep_op_has_event(int op)
{
	return op != EPOLL_CTL_DEL;
}

static long do_epoll_ctl(struct file *epf, int op, struct file *tf, int fd,
			 struct linux_epoll_event *epds)
{
	if (!tf->f_op || !tf->f_op->poll)
		return -EPERM;
	if (epf == tf || !is_file_epoll(epf))
		return -EINVAL;
	struct eventpoll *ep = epf->private;
	if (ep_op_has_event(op) && (epds->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    (is_file_epoll(tf) || (epds->events & ~EPOLLEXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	if (op == EPOLL_CTL_ADD && is_file_epoll(tf) && !ep_loop_check(ep, tf->private))
		return -ELOOP;
	struct epitem *epi = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (epi)
			return -EEXIST;
		return ep_insert(ep, epds->events | EPOLLERR | EPOLLHUP, epds->data, tf, fd);
	case EPOLL_CTL_DEL:
		if (!epi)
			return -ENOENT;
		ep_remove(epi);
		return 0;
	case EPOLL_CTL_MOD:
		if (!epi)
			return -ENOENT;
		if (epi->events & EPOLLEXCLUSIVE)
			return -EINVAL;
		return ep_modify(ep, epi, epds->events | EPOLLERR | EPOLLHUP, epds->data);
	}
	return -EINVAL;
}

SYSCALL_DEFINE4(epoll_ctl, int, epfd, int, op, int, fd, uaddr_t, uevent)
{
	struct linux_epoll_event epds = {0, 0};
	if (ep_op_has_event(op) && copy_from_user(&epds, uevent, sizeof epds))
		return -EFAULT;
	struct file *epf = fget(epfd);
	if (!epf)
		return -EBADF;
	struct file *tf = fget(fd);
	long r = tf ? do_epoll_ctl(epf, op, tf, fd, &epds) : -EBADF;
	fput(tf);
	fput(epf);
	return r;
}

/* ---- epoll_create ---- */

static long do_epoll_create(int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct eventpoll *ep = kzalloc(sizeof *ep);
	if (!ep)
		return -ENOMEM;
	wait_queue_init(&ep->wq);
	wait_queue_init(&ep->poll_wait);
	list_init(&ep->items);
	list_init(&ep->rdllist);
	struct file *f = anon_inode_getfile("[eventpoll]", &eventpoll_fops, ep, O_RDWR);
	if (!f) {
		kfree(ep);
		return -ENOMEM;
	}
	ep->file = f;
	int fd = fd_install(f, (unsigned)flags);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE1(epoll_create1, int, flags)
{
	return do_epoll_create(flags);
}

SYSCALL_DEFINE1(epoll_create, int, size)
{
	if (size <= 0)
		return -EINVAL;
	return do_epoll_create(0);
}

/* ---- epoll_wait ---- */

/* Reports up to maxevents ready items; the number reported, or -EFAULT. */
static long ep_send_events(struct eventpoll *ep, uaddr_t uevents, int maxevents)
{
	LIST_HEAD(txlist);
	long res = 0;
	/* Move the ready list aside: level-triggered items requeue behind it. */
	list_splice_init(&ep->rdllist, &txlist);
	struct epitem *epi, *n;
	list_for_each_entry_safe(epi, n, &txlist, rdllink) {
		if (res >= maxevents)
			break;
		list_del(&epi->rdllink);
		unsigned revents = ep_item_poll(epi, NULL, 1);
		if (!revents)
			continue;
		struct linux_epoll_event ev = {revents, epi->data};
		if (copy_to_user(uevents + (uaddr_t)res * sizeof ev, &ev, sizeof ev)) {
			list_add(&epi->rdllink, &txlist);
			if (!res)
				res = -EFAULT;
			break;
		}
		res++;
		if (epi->events & EPOLLONESHOT)
			epi->events &= EP_PRIVATE_BITS;
		else if (!(epi->events & EPOLLET))
			list_add_tail(&epi->rdllink, &ep->rdllist);
	}
	/* What was not reported goes back in front; another waiter may take
	 * what is still ready (epoll_wait waiters are woken one at a time). */
	list_splice_init(&txlist, &ep->rdllist);
	if (!list_empty(&ep->rdllist) && waitqueue_active(&ep->wq))
		wake_up(&ep->wq);
	return res;
}

/* timeout_ns < 0: forever. Interrupted waits are never restarted: -EINTR. */
static long ep_poll(struct eventpoll *ep, uaddr_t uevents, int maxevents, int64_t timeout_ns)
{
	int64_t deadline = timeout_ns > 0 ? ktime_get_ns() + timeout_ns : 0;
	bool timed_out = timeout_ns == 0;
	for (;;) {
		long res = ep_send_events(ep, uevents, maxevents);
		if (res)
			return res;
		if (timed_out)
			return 0;
		if (signal_pending(current))
			return -EINTR;
		struct waiter w;
		waiter_add_callback(&ep->wq, &w, NULL, true);
		if (list_empty(&ep->rdllist) && !signal_pending(current))
			timed_out = schedule_deadline(deadline) && list_empty(&ep->rdllist);
		waiter_del(&w);
	}
}

static long do_epoll_wait(int epfd, uaddr_t uevents, int maxevents, int64_t timeout_ns)
{
	if (maxevents <= 0 || (size_t)maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	struct file *f = fget(epfd);
	if (!f)
		return -EBADF;
	long r = is_file_epoll(f) ? ep_poll(f->private, uevents, maxevents, timeout_ns) : -EINVAL;
	fput(f);
	return r;
}

static int64_t ms_to_timeout(int ms)
{
	return ms < 0 ? -1 : (int64_t)ms * 1000000;
}

SYSCALL_DEFINE4(epoll_wait, int, epfd, uaddr_t, uevents, int, maxevents, int, timeout)
{
	return do_epoll_wait(epfd, uevents, maxevents, ms_to_timeout(timeout));
}

static long do_epoll_pwait(int epfd, uaddr_t uevents, int maxevents, int64_t timeout_ns,
			   uaddr_t usigmask, size_t sigsetsize)
{
	int err = set_user_sigmask(usigmask, sigsetsize);
	if (err)
		return err;
	long r = do_epoll_wait(epfd, uevents, maxevents, timeout_ns);
	restore_saved_sigmask_unless(r == -EINTR);
	return r;
}

SYSCALL_DEFINE6(epoll_pwait, int, epfd, uaddr_t, uevents, int, maxevents, int, timeout, uaddr_t,
		usigmask, size_t, sigsetsize)
{
	return do_epoll_pwait(epfd, uevents, maxevents, ms_to_timeout(timeout), usigmask,
			      sigsetsize);
}

SYSCALL_DEFINE6(epoll_pwait2, int, epfd, uaddr_t, uevents, int, maxevents, uaddr_t, utimeout,
		uaddr_t, usigmask, size_t, sigsetsize)
{
	int64_t timeout_ns = -1;
	if (utimeout) {
		struct linux_timespec ts;
		if (copy_from_user(&ts, utimeout, sizeof ts))
			return -EFAULT;
		if (!timespec_valid(&ts))
			return -EINVAL;
		timeout_ns = timespec_to_ns(&ts);
	}
	return do_epoll_pwait(epfd, uevents, maxevents, timeout_ns, usigmask, sigsetsize);
}
