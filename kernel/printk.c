/*
 * The kernel log. Each message is stored as "<level>[seconds.micros] text\n"
 * in a ring buffer that syslog(2) reads (what dmesg prints), and goes to the
 * console when its level is below console_loglevel.
 */
#include <stdio.h>
#include "kernel.h"
#include "host.h"
#include "syscall.h"
#include "uaccess.h"
#include "task.h"

#define LOG_BUF_LEN (256 * 1024)

static char log_buf[LOG_BUF_LEN];
static size_t log_start, log_end; /* log_end - log_start <= LOG_BUF_LEN */
static int64_t boot_ns;
int console_loglevel = 7;
void (*printk_console_write)(const char *s, size_t len);

static void log_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		log_buf[log_end % LOG_BUF_LEN] = s[i];
		log_end++;
		if (log_end - log_start > LOG_BUF_LEN)
			log_start++;
	}
}

static void console_put(const char *s, size_t n)
{
	if (printk_console_write)
		printk_console_write(s, n);
	else
		host_console_write(s, n);
}

int vprintk(const char *fmt, va_list ap)
{
	char text[1024];
	int level = 6;
	if (fmt[0] == '<' && fmt[1] >= '0' && fmt[1] <= '7' && fmt[2] == '>') {
		level = fmt[1] - '0';
		fmt += 3;
	}
	int n = vsnprintf(text, sizeof text, fmt, ap);
	if (n < 0)
		return n;
	size_t len = min((size_t)n, sizeof text - 1);
	if (!boot_ns)
		boot_ns = host_monotonic_ns();
	int64_t t = host_monotonic_ns() - boot_ns;
	char head[40];
	int hn = snprintf(head, sizeof head, "<%d>[%5lld.%06lld] ", level,
			  (long long)(t / 1000000000), (long long)(t % 1000000000 / 1000));
	log_put(head, (size_t)hn);
	log_put(text, len);
	if (!len || text[len - 1] != '\n')
		log_put("\n", 1);
	if (level < console_loglevel) {
		console_put(head + 3, (size_t)hn - 3);
		console_put(text, len);
		if (!len || text[len - 1] != '\n')
			console_put("\n", 1);
	}
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

size_t log_size(void)
{
	return log_end - log_start;
}

size_t log_read_all(char *buf, size_t len)
{
	size_t avail = log_size(), skip = avail > len ? avail - len : 0, n = 0;
	for (size_t i = log_start + skip; i < log_end; i++)
		buf[n++] = log_buf[i % LOG_BUF_LEN];
	return n;
}

void log_clear(void)
{
	log_start = log_end;
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

SYSCALL_DEFINE3(syslog, int, type, uaddr_t, ubuf, int, len)
{
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR: {
		if (len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		char *buf = kmalloc((size_t)len);
		if (!buf)
			return -ENOMEM;
		size_t n = log_read_all(buf, (size_t)len);
		int err = copy_to_user(ubuf, buf, n);
		kfree(buf);
		if (err)
			return err;
		if (type != SYSLOG_ACTION_READ_ALL)
			log_clear();
		return (long)n;
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
