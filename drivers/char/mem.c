/* The memory devices: /dev/null, zero, full, random, urandom. */
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "mm.h"
#include "syscall.h"
#include "uaccess.h"
#include "uapi/misc.h"

static long null_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)f;
	(void)to;
	(void)pos;
	return 0;
}

static long null_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)f;
	(void)pos;
	size_t n = from->count;
	iov_iter_advance(from, n);
	return (long)n;
}

static loff_t null_llseek(struct file *f, loff_t off, int whence)
{
	(void)whence;
	f->pos = 0;
	(void)off;
	return 0;
}

static long fill_iter(struct iov_iter *to, bool random)
{
	char buf[4096];
	size_t done = 0;
	if (!random)
		memset(buf, 0, sizeof buf);
	while (to->count) {
		size_t chunk = min(to->count, sizeof buf);
		if (random)
			host_random(buf, chunk);
		size_t c = copy_to_iter(buf, chunk, to);
		done += c;
		if (c < chunk)
			return done ? (long)done : -EFAULT;
		if (done >= (1 << 25))
			break; /* return to the guest now and then */
	}
	return (long)done;
}

static long zero_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)f;
	(void)pos;
	return fill_iter(to, false);
}

/* A private mapping of /dev/zero is anonymous memory. */
static int zero_mmap(struct file *f, struct vma *v)
{
	(void)f;
	v->host_fd = -1;
	return 0;
}

static long full_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)f;
	(void)from;
	(void)pos;
	return -ENOSPC;
}

static long random_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)f;
	(void)pos;
	return fill_iter(to, true);
}

static const struct file_operations null_fops = {
    .read = null_read, .write = null_write, .llseek = null_llseek};
static const struct file_operations zero_fops = {
    .read = zero_read, .write = null_write, .llseek = null_llseek, .mmap = zero_mmap};
static const struct file_operations full_fops = {
    .read = zero_read, .write = full_write, .llseek = null_llseek};
static const struct file_operations random_fops = {
    .read = random_read, .write = null_write, .llseek = null_llseek};

SYSCALL_DEFINE3(getrandom, uaddr_t, ubuf, size_t, len, unsigned, flags)
{
	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	struct iov_iter it;
	iov_iter_user(&it, ubuf, min(len, (size_t)0x1ffffff));
	return fill_iter(&it, true);
}

void mem_devices_init(void)
{
	register_chrdev(1, 3, 3, &null_fops);
	register_chrdev(1, 5, 5, &zero_fops);
	register_chrdev(1, 7, 7, &full_fops);
	register_chrdev(1, 8, 9, &random_fops);
}
