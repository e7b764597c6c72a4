/* The kernel log: a ring buffer read by syslog(2)/dmesg, echoed to the
 * console during boot unless `quiet`. */
#ifndef PRINTK_H
#define PRINTK_H
#include <stddef.h>
#include <stdarg.h>

#define KERN_EMERG   "<0>"
#define KERN_ALERT   "<1>"
#define KERN_CRIT    "<2>"
#define KERN_ERR     "<3>"
#define KERN_WARNING "<4>"
#define KERN_NOTICE  "<5>"
#define KERN_INFO    "<6>"
#define KERN_DEBUG   "<7>"

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
#define pr_err(...)    printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...)   printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...)   printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...)  printk(KERN_DEBUG __VA_ARGS__)

/* Messages at a level below this go to the console too. */
extern int console_loglevel;
/* Writes console output (the console driver installs it). */
extern void (*printk_console_write)(const char *s, size_t len);

/* Copies up to len bytes of the log, oldest first, from sequence `from`. */
size_t log_read_all(char *buf, size_t len);
size_t log_size(void);
void log_clear(void);

#endif
