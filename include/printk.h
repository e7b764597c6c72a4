/* The kernel log: a ring buffer read by syslog(2)/dmesg, echoed to the
 * console during boot unless `quiet`. */
#ifndef PRINTK_H
#define PRINTK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

/* The longest text a record keeps. */
#define LOG_LINE_MAX 1024

/* A record of the log (its text apart). */
struct log_record {
	int64_t ns; /* since boot */
	uint16_t len;
	uint16_t prio; /* facility << 3 | level */
};

/* Stores a record (a trailing newline dropped) and echoes it to the console
 * when its level is below console_loglevel. */
void log_emit(int prio, const char *text, size_t len);
/* Records are numbered from 0; the ring holds [first, next). */
uint64_t log_first_seq(void);
uint64_t log_next_seq(void);
uint64_t log_clear_seq(void); /* the first since syslog(2)'s last CLEAR */
bool log_record(uint64_t seq, struct log_record *r, char *text, size_t cap);
/* Woken at each new record. */
struct wait_queue;
extern struct wait_queue log_wait;

/* syslog(2)'s lines ("<prio>[time] text"): the newest whole ones that fit
 * in len bytes, from the last CLEAR on (log_read_all) or from seq on; with
 * buf NULL, the length of them all. */
size_t log_read_all(char *buf, size_t len);
size_t log_read_from(uint64_t seq, char *buf, size_t len);
size_t log_size(void); /* what syslog(2)'s READ has not consumed */
void log_clear(void);

#endif
