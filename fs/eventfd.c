/*
 * eventfd: a 64-bit counter as a file. write adds, read takes the whole
 * count (or one, with EFD_SEMAPHORE); both block at the limits unless the
 * file is nonblocking.
 */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "syscall.h"
#include "uapi/eventfd.h"
#include "uapi/misc.h"

struct eventfd_ctx {
	uint64_t count;
	unsigned flags;
	struct wait_queue wait;
};

static long eventfd_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	struct eventfd_ctx *ctx = f->private;
	if (to->count < sizeof(uint64_t))
		return -EINVAL;
	if (!ctx->count) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(ctx->wait, ctx->count);
		if (err)
			return err;
	}
	uint64_t n = (ctx->flags & EFD_SEMAPHORE) ? 1 : ctx->count;
	if (copy_to_iter(&n, sizeof n, to) != sizeof n)
		return -EFAULT;
	ctx->count -= n;
	wake_up_poll(&ctx->wait, POLLOUT);
	return sizeof n;
}

static long eventfd_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)pos;
	struct eventfd_ctx *ctx = f->private;
	uint64_t n;
	if (from->count < sizeof n)
		return -EINVAL;
	if (copy_from_iter(&n, sizeof n, from) != sizeof n)
		return -EFAULT;
	if (n == UINT64_MAX)
		return -EINVAL;
	if (UINT64_MAX - ctx->count <= n) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(ctx->wait, UINT64_MAX - ctx->count > n);
		if (err)
			return err;
	}
	ctx->count += n;
	wake_up_poll(&ctx->wait, POLLIN);
	return sizeof n;
}

static unsigned eventfd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd_ctx *ctx = f->private;
	poll_wait(f, &ctx->wait, pt);
	unsigned mask = 0;
	if (ctx->count)
		mask |= POLLIN;
	if (ctx->count == UINT64_MAX)
		mask |= POLLERR;
	if (UINT64_MAX - 1 > ctx->count)
		mask |= POLLOUT;
	return mask;
}

static void eventfd_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_operations eventfd_fops = {
    .read = eventfd_read,
    .write = eventfd_write,
    .poll = eventfd_poll,
    .llseek = noop_llseek,
    .release = eventfd_release,
};

static long do_eventfd(unsigned count, int flags)
{
	if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))
		return -EINVAL;
	struct eventfd_ctx *ctx = kzalloc(sizeof *ctx);
	if (!ctx)
		return -ENOMEM;
	ctx->count = count;
	ctx->flags = (unsigned)flags;
	wait_queue_init(&ctx->wait);
	struct file *f = anon_inode_getfile("[eventfd]", &eventfd_fops, ctx,
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

SYSCALL_DEFINE2(eventfd2, unsigned, count, int, flags)
{
	return do_eventfd(count, flags);
}

SYSCALL_DEFINE1(eventfd, unsigned, count)
{
	return do_eventfd(count, 0);
}
