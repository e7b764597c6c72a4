/*
 * The kernel log: records (a sequence number, a time, a priority and a
 * line of text) in a ring buffer that keeps the newest. syslog(2) reads
 * them as "<prio>[seconds.micros] text" lines (what dmesg prints),
 * /dev/kmsg one record at a time (drivers/char/kmsg.c). A message whose
 * level is below console_loglevel goes to the console too.
 */
#include <stdio.h>
#include "kernel.h"
#include "host.h"
#include "syscall.h"
#include "uaccess.h"
#include "task.h"
#include "capability.h"

#define LOG_BUF_LEN (256 * 1024)

/* What precedes each record's text in the ring. */
struct log_head {
	uint64_t seq;
	int64_t ns;
	uint16_t len;
	uint16_t prio;
};

static char log_buf[LOG_BUF_LEN];
static uint64_t log_start, log_end; /* byte offsets: the records between */
static uint64_t first_seq, next_seq;
static uint64_t clear_seq;	    /* syslog(2)'s READ_ALL starts here (CLEAR moves it) */
static uint64_t syslog_seq;	    /* and its READ here, consuming */
static uint64_t hint_seq, hint_pos; /* where the last record looked up began */
static int64_t boot_ns;
struct wait_queue log_wait = WAIT_QUEUE_INIT(log_wait);
int console_loglevel = 7;
void (*printk_console_write)(const char *s, size_t len);

static void ring_write(uint64_t pos, const void *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(pos + i) % LOG_BUF_LEN] = ((const char *)src)[i];
}

static void ring_read(uint64_t pos, void *dst, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((char *)dst)[i] = log_buf[(pos + i) % LOG_BUF_LEN];
}

static void drop_oldest(void)
{
	struct log_head h;
	ring_read(log_start, &h, sizeof h);
	log_start += sizeof h + h.len;
	first_seq = h.seq + 1;
}

static void console_put(const char *s, size_t n)
{
	if (printk_console_write)
		printk_console_write(s, n);
	else
		host_console_write(s, n);
}

static int64_t log_time_ns(void)
{
	if (!boot_ns)
		boot_ns = host_monotonic_ns();
	return host_monotonic_ns() - boot_ns;
}

static int time_prefix(char *buf, size_t len, int64_t ns)
{
	return snprintf(buf, len, "[%5lld.%06lld] ", (long long)(ns / 1000000000),
			(long long)(ns % 1000000000 / 1000));
}

void log_emit(int prio, const char *text, size_t len)
{
	while (len && text[len - 1] == '\n')
		len--;
	if (len > LOG_LINE_MAX)
		len = LOG_LINE_MAX;
	struct log_head h = {next_seq, log_time_ns(), (uint16_t)len, (uint16_t)prio};
	while (log_end + sizeof h + len - log_start > LOG_BUF_LEN)
		drop_oldest();
	ring_write(log_end, &h, sizeof h);
	ring_write(log_end + sizeof h, text, len);
	log_end += sizeof h + len;
	next_seq++;
	wake_up(&log_wait);
	if ((prio & 7) < console_loglevel) {
		char head[32];
		console_put(head, (size_t)time_prefix(head, sizeof head, h.ns));
		console_put(text, len);
		console_put("\n", 1);
	}
}

int vprintk(const char *fmt, va_list ap)
{
	char text[LOG_LINE_MAX + 1];
	int level = 6;
	if (fmt[0] == '<' && fmt[1] >= '0' && fmt[1] <= '7' && fmt[2] == '>') {
		level = fmt[1] - '0';
		fmt += 3;
	}
	int n = vsnprintf(text, sizeof text, fmt, ap);
	if (n < 0)
		return n;
	log_emit(level, text, min((size_t)n, sizeof text - 1));
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

uint64_t log_first_seq(void)
{
	return first_seq;
}

uint64_t log_next_seq(void)
{
	return next_seq;
}

uint64_t log_clear_seq(void)
{
	return clear_seq > first_seq ? clear_seq : first_seq;
}

/* Record seq, while the ring holds it: its time, priority and up to cap
 * bytes of its text (its length is the text's full length). Readers go in
 * order, so the walk starts where the last one ended. */
bool log_record(uint64_t seq, struct log_record *r, char *text, size_t cap)
{
	if (seq < first_seq || seq >= next_seq)
		return false;
	bool hinted = hint_seq <= seq && hint_pos >= log_start && hint_seq >= first_seq;
	uint64_t pos = hinted ? hint_pos : log_start;
	struct log_head h;
	for (;;) {
		ring_read(pos, &h, sizeof h);
		if (h.seq == seq)
			break;
		pos += sizeof h + h.len;
	}
	hint_seq = seq;
	hint_pos = pos;
	*r = (struct log_record){h.ns, h.len, h.prio};
	if (text)
		ring_read(pos + sizeof h, text, min((size_t)h.len, cap));
	return true;
}

/* Record seq as syslog(2) shows it: its length, or 0 once the ring no
 * longer holds it; as much of it as fits in len bytes goes to buf. */
static size_t syslog_line(uint64_t seq, char *buf, size_t len)
{
	char line[48 + LOG_LINE_MAX + 1], text[LOG_LINE_MAX];
	struct log_record r;
	if (!log_record(seq, &r, text, sizeof text))
		return 0;
	int n = snprintf(line, 48, "<%u>", r.prio);
	n += time_prefix(line + n, 48 - (size_t)n, r.ns);
	memcpy(line + n, text, r.len);
	line[n + r.len] = '\n';
	size_t total = (size_t)n + r.len + 1;
	if (buf)
		memcpy(buf, line, min(total, len));
	return total;
}

size_t log_read_all(char *buf, size_t len)
{
	return log_read_from(log_clear_seq(), buf, len);
}

size_t log_read_from(uint64_t seq, char *buf, size_t len)
{
	size_t total = 0, n = 0;
	for (uint64_t s = seq; s < next_seq; s++)
		total += syslog_line(s, NULL, 0);
	if (!buf)
		return total;
	uint64_t s = seq;
	for (; s < next_seq && total > len; s++)
		total -= syslog_line(s, NULL, 0);
	for (; s < next_seq; s++)
		n += syslog_line(s, buf + n, len - n);
	return n;
}

size_t log_size(void)
{
	return log_read_from(syslog_seq > first_seq ? syslog_seq : first_seq, NULL, 0);
}

void log_clear(void)
{
	clear_seq = next_seq;
}

void panic(const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", text);
	host_exit(1);
}

#define SYSLOG_ACTION_CLOSE	    0
#define SYSLOG_ACTION_OPEN	    1
#define SYSLOG_ACTION_READ	    2
#define SYSLOG_ACTION_READ_ALL	    3
#define SYSLOG_ACTION_READ_CLEAR    4
#define SYSLOG_ACTION_CLEAR	    5
#define SYSLOG_ACTION_CONSOLE_OFF   6
#define SYSLOG_ACTION_CONSOLE_ON    7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD   9
#define SYSLOG_ACTION_SIZE_BUFFER   10

/* Reading everything and the buffer's size are open to all
 * (kernel.dmesg_restrict 0); the rest takes CAP_SYSLOG, or CAP_SYS_ADMIN. */
static int syslog_permitted(int type)
{
	if (type == SYSLOG_ACTION_READ_ALL || type == SYSLOG_ACTION_SIZE_BUFFER)
		return 0;
	return capable(CAP_SYSLOG) || capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

/* SYSLOG_ACTION_READ: waits for unread lines, then hands over (and
 * consumes) the whole lines that fit. */
static long syslog_read(uaddr_t ubuf, size_t len, char *buf)
{
	int err = wait_event_interruptible(log_wait, syslog_seq < next_seq);
	if (err)
		return err;
	if (syslog_seq < first_seq)
		syslog_seq = first_seq;
	size_t n = 0;
	while (syslog_seq < next_seq && n < len) {
		size_t k = syslog_line(syslog_seq, buf + n, len - n);
		if (k > len - n && n) /* the first line alone may be cut */
			break;
		n += min(k, len - n);
		syslog_seq++;
	}
	return copy_to_user(ubuf, buf, n) ?: (long)n;
}

SYSCALL_DEFINE3(syslog, int, type, uaddr_t, ubuf, int, len)
{
	int err = syslog_permitted(type);
	if (err)
		return err;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR: {
		if (!ubuf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		/* The log's lines take less than twice the ring: a longer
		 * buffer reads no more. */
		if (len > 2 * LOG_BUF_LEN)
			len = 2 * LOG_BUF_LEN;
		char *buf = kmalloc((size_t)len);
		if (!buf)
			return -ENOMEM;
		long n = type == SYSLOG_ACTION_READ ? syslog_read(ubuf, (size_t)len, buf)
						    : (long)log_read_all(buf, (size_t)len);
		if (type != SYSLOG_ACTION_READ && (err = copy_to_user(ubuf, buf, (size_t)n)))
			n = err;
		kfree(buf);
		if (type == SYSLOG_ACTION_READ_CLEAR && n >= 0)
			log_clear();
		return n;
	}
	case SYSLOG_ACTION_CLEAR:
		log_clear();
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		console_loglevel = 1;
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		console_loglevel = 7;
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		console_loglevel = len;
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)log_size();
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_BUF_LEN;
	}
	return -EINVAL;
}
