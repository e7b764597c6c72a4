/*
 * timerfd: a timer whose expirations are read from a file. A kernel timer
 * counts expirations (catching up on intervals it was late for) and wakes
 * readers; read returns the count and clears it.
 *
 * An absolute wall-clock timer moves when the guest sets its clock
 * (clock=virtual); with TFD_TIMER_CANCEL_ON_SET, the next read then fails
 * with ECANCELED instead.
 */
#include "kernel.h"
#include "task.h"
#include "capability.h"
#include "fs.h"
#include "iov.h"
#include "ktime.h"
#include "syscall.h"
#include "timer.h"
#include "uaccess.h"
#include "uapi/misc.h"
#include "uapi/timerfd.h"

struct timerfd_ctx {
	struct ktimer t; /* pending while armed */
	int clockid;
	int64_t interval;
	uint64_t ticks;
	struct wait_queue wait;
	struct list_head cancel_link; /* in cancel_on_set, while armed so */
	bool canceled;		      /* the clock was set: the next read says so */
};

/* Armed with TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET on a wall clock. */
static LIST_HEAD(cancel_on_set);

void timerfd_clock_was_set(void)
{
	struct timerfd_ctx *ctx;
	list_for_each_entry(ctx, &cancel_on_set, cancel_link) {
		ctx->canceled = true;
		ctx->ticks++; /* readable, as in Linux */
		wake_up_poll(&ctx->wait, POLLIN);
	}
}

static bool is_wall_clock(int clockid)
{
	return clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM;
}

static const struct file_operations timerfd_fops;

/* The timer expired at t.expires: counts that and the intervals since, and
 * re-arms a periodic timer. */
static void timerfd_expired(struct timerfd_ctx *ctx)
{
	uint64_t n = 1;
	if (ctx->interval) {
		n += (uint64_t)((ktime_get_ns() - ctx->t.expires) / ctx->interval);
		timer_add(&ctx->t, ctx->t.expires + (int64_t)n * ctx->interval);
	}
	ctx->ticks += n;
	wake_up_poll(&ctx->wait, POLLIN);
}

static void timerfd_fire(struct ktimer *t)
{
	timerfd_expired(container_of(t, struct timerfd_ctx, t));
}

/* Before looking at the count: expirations the timer thread has not run. */
static void timerfd_advance(struct timerfd_ctx *ctx)
{
	if (ctx->t.pending && ctx->t.expires <= ktime_get_ns()) {
		timer_del(&ctx->t);
		timerfd_expired(ctx);
	}
}

static long timerfd_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	struct timerfd_ctx *ctx = f->private;
	if (to->count < sizeof(uint64_t))
		return -EINVAL;
	timerfd_advance(ctx);
	if (!ctx->ticks) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(ctx->wait, ctx->ticks);
		if (err)
			return err;
	}
	if (ctx->canceled) {
		ctx->canceled = false;
		ctx->ticks = 0;
		return -ECANCELED;
	}
	uint64_t n = ctx->ticks;
	if (copy_to_iter(&n, sizeof n, to) != sizeof n)
		return -EFAULT;
	ctx->ticks = 0;
	return sizeof n;
}

static unsigned timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd_ctx *ctx = f->private;
	poll_wait(f, &ctx->wait, pt);
	timerfd_advance(ctx);
	return ctx->ticks ? POLLIN | POLLRDNORM : 0;
}

static long timerfd_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct timerfd_ctx *ctx = f->private;
	uint64_t ticks;
	if (cmd != TFD_IOC_SET_TICKS)
		return -ENOTTY;
	if (get_user(ticks, arg))
		return -EFAULT;
	if (!ticks)
		return -EINVAL;
	ctx->ticks = ticks;
	wake_up_poll(&ctx->wait, POLLIN);
	return 0;
}

static void timerfd_release(struct file *f)
{
	struct timerfd_ctx *ctx = f->private;
	timer_del(&ctx->t);
	list_del(&ctx->cancel_link);
	kfree(ctx);
}

static const struct file_operations timerfd_fops = {
    .read = timerfd_read,
    .poll = timerfd_poll,
    .ioctl = timerfd_ioctl,
    .llseek = noop_llseek,
    .release = timerfd_release,
};

static bool timerfd_clock_valid(int clockid)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return true;
	}
	return false;
}

SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
{
	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	if (!timerfd_clock_valid(clockid))
		return -EINVAL;
	if ((clockid == CLOCK_REALTIME_ALARM || clockid == CLOCK_BOOTTIME_ALARM) &&
	    !capable(CAP_WAKE_ALARM))
		return -EPERM;
	struct timerfd_ctx *ctx = kzalloc(sizeof *ctx);
	if (!ctx)
		return -ENOMEM;
	ctx->clockid = clockid;
	ctx->t.fn = timerfd_fire;
	wait_queue_init(&ctx->wait);
	list_init(&ctx->cancel_link);
	struct file *f = anon_inode_getfile("[timerfd]", &timerfd_fops, ctx,
					    O_RDWR | ((unsigned)flags & O_NONBLOCK));
	if (!f) {
		kfree(ctx);
		return -ENOMEM;
	}
	int fd = fd_install(f, (unsigned)flags & O_CLOEXEC);
	if (fd < 0)
		fput(f);
	return fd;
}

static struct timerfd_ctx *timerfd_fget(int fd, struct file **fp)
{
	struct file *f = fget(fd);
	*fp = f;
	if (!f)
		return ERR_PTR(-EBADF);
	if (f->f_op != &timerfd_fops)
		return ERR_PTR(-EINVAL);
	return f->private;
}

static struct linux_itimerspec timerfd_get(struct timerfd_ctx *ctx)
{
	struct linux_itimerspec v = {ns_to_timespec(ctx->interval), {0, 0}};
	timerfd_advance(ctx);
	if (ctx->t.pending) {
		int64_t left = ctx->t.expires - ktime_get_ns();
		v.it_value = ns_to_timespec(left > 0 ? left : 1);
	}
	return v;
}

SYSCALL_DEFINE4(timerfd_settime, int, fd, int, flags, uaddr_t, unew, uaddr_t, uold)
{
	struct linux_itimerspec nv;
	if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	if (copy_from_user(&nv, unew, sizeof nv))
		return -EFAULT;
	if (!timespec_valid(&nv.it_value) || !timespec_valid(&nv.it_interval))
		return -EINVAL;
	struct file *f;
	struct timerfd_ctx *ctx = timerfd_fget(fd, &f);
	long r = PTR_ERR(ctx);
	if (IS_ERR(ctx))
		goto out;
	struct linux_itimerspec old = timerfd_get(ctx);
	timer_del(&ctx->t);
	ctx->ticks = 0;
	ctx->canceled = false;
	list_del(&ctx->cancel_link);
	ctx->t.wall = (flags & TFD_TIMER_ABSTIME) && is_wall_clock(ctx->clockid);
	if (ctx->t.wall && (flags & TFD_TIMER_CANCEL_ON_SET))
		list_add_tail(&ctx->cancel_link, &cancel_on_set);
	ctx->interval = timespec_to_ns(&nv.it_interval);
	int64_t value = timespec_to_ns(&nv.it_value);
	if (value) {
		int64_t expires = (flags & TFD_TIMER_ABSTIME)
				      ? clock_to_host_ns(ctx->clockid, value)
				      : ktime_get_ns() + value;
		timer_add(&ctx->t, expires);
	}
	r = uold && copy_to_user(uold, &old, sizeof old) ? -EFAULT : 0;
out:
	fput(f);
	return r;
}

SYSCALL_DEFINE2(timerfd_gettime, int, fd, uaddr_t, ucur)
{
	struct file *f;
	struct timerfd_ctx *ctx = timerfd_fget(fd, &f);
	long r = PTR_ERR(ctx);
	if (!IS_ERR(ctx)) {
		struct linux_itimerspec v = timerfd_get(ctx);
		r = copy_to_user(ucur, &v, sizeof v) ? -EFAULT : 0;
	}
	fput(f);
	return r;
}
