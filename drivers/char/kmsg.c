/*
 * /dev/kmsg: the kernel log one record per read, as
 * "prio,seq,microseconds,-;text\n" with unprintable bytes escaped; a write
 * adds a record ("<prio>" first sets its priority, the user facility
 * otherwise). Each reader has its own place: SEEK_SET goes to the oldest
 * record, SEEK_DATA to the first since syslog(2)'s CLEAR, SEEK_END past
 * the newest; a reader the ring overtook gets EPIPE once and goes on from
 * the oldest. Writes are not rate-limited (printk.devkmsg=on).
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "uapi/misc.h"

#define KMSG_DEFAULT_LEVEL 4 /* Linux's default_message_loglevel */
#define LOG_USER_FACILITY  1

struct kmsg_user {
	uint64_t seq;
};

static int kmsg_open(struct inode *inode, struct file *f)
{
	(void)inode;
	struct kmsg_user *u = kzalloc(sizeof *u);
	if (!u)
		return -ENOMEM;
	u->seq = log_first_seq();
	f->private = u;
	return 0;
}

static void kmsg_release(struct file *f)
{
	kfree(f->private);
}

/* Record r and its text as a read returns it; its length. */
static size_t format_record(char *out, size_t cap, uint64_t seq, const struct log_record *r,
			    const char *text)
{
	size_t n = (size_t)snprintf(out, cap, "%u,%llu,%lld,-;", r->prio, (unsigned long long)seq,
				    (long long)(r->ns / 1000));
	for (size_t i = 0; i < r->len && n + 5 < cap; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < ' ' || c >= 127 || c == '\\')
			n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n++] = '\n';
	return n;
}

static long kmsg_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	(void)pos;
	struct kmsg_user *u = f->private;
	if (u->seq >= log_next_seq()) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		int err = wait_event_interruptible(log_wait, u->seq < log_next_seq());
		if (err)
			return err;
	}
	if (u->seq < log_first_seq()) {
		u->seq = log_first_seq();
		return -EPIPE;
	}
	char text[LOG_LINE_MAX];
	const size_t cap = 64 + 4 * LOG_LINE_MAX + 1;
	char *out = kmalloc(cap);
	if (!out)
		return -ENOMEM;
	struct log_record r;
	log_record(u->seq, &r, text, sizeof text);
	size_t n = format_record(out, cap, u->seq, &r, text);
	long ret = n > to->count ? -EINVAL : copy_to_iter(out, n, to) != n ? -EFAULT : (long)n;
	kfree(out);
	if (ret > 0)
		u->seq++;
	return ret;
}

/* "<N>" in front sets the priority; a kernel facility becomes the user's. */
static int parse_prio(const char **text, size_t *len)
{
	int prio = LOG_USER_FACILITY << 3 | KMSG_DEFAULT_LEVEL;
	const char *s = *text, *end = s + *len;
	if (s == end || *s != '<')
		return prio;
	unsigned long v = 0;
	const char *p = s + 1;
	for (; p < end && *p >= '0' && *p <= '9' && v < 1024; p++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (p == s + 1 || p == end || *p != '>' || v >= 1024)
		return prio;
	*len -= (size_t)(p + 1 - s);
	*text = p + 1;
	return (int)((v >> 3 ? v >> 3 : LOG_USER_FACILITY) << 3 | (v & 7));
}

static long kmsg_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	(void)f;
	(void)pos;
	char buf[LOG_LINE_MAX];
	size_t len = from->count;
	if (len > LOG_LINE_MAX)
		return -EINVAL;
	if (copy_from_iter(buf, len, from) != len)
		return -EFAULT;
	const char *text = buf;
	size_t n = len;
	int prio = parse_prio(&text, &n);
	log_emit(prio, text, n);
	return (long)len;
}

static loff_t kmsg_llseek(struct file *f, loff_t off, int whence)
{
	struct kmsg_user *u = f->private;
	if (off)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		u->seq = log_first_seq();
		return 0;
	case SEEK_DATA:
		u->seq = log_clear_seq();
		return 0;
	case SEEK_END:
		u->seq = log_next_seq();
		return 0;
	}
	return -EINVAL;
}

static unsigned kmsg_poll(struct file *f, struct poll_table *pt)
{
	struct kmsg_user *u = f->private;
	poll_wait(f, &log_wait, pt);
	if (u->seq >= log_next_seq())
		return 0;
	return POLLIN | POLLRDNORM | (u->seq < log_first_seq() ? POLLERR | POLLPRI : 0);
}

static const struct file_operations kmsg_fops = {
    .open = kmsg_open,
    .release = kmsg_release,
    .read = kmsg_read,
    .write = kmsg_write,
    .llseek = kmsg_llseek,
    .poll = kmsg_poll,
};

void kmsg_init(void)
{
	register_chrdev(1, 11, 11, &kmsg_fops);
}
