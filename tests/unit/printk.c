/* The kernel log: record format and the ring buffer keeping the newest. */
#include "unit.h"
#include "kernel.h"
#include "printk.h"

int main(void)
{
	unit_name = "printk";
	static char buf[1 << 20];
	console_loglevel = 0;
	printk(KERN_ERR "first %d\n", 1);
	size_t n = log_read_all(buf, sizeof buf);
	buf[n] = 0;
	CHECK(!strncmp(buf, "<3>[", 4));
	CHECK(strstr(buf, "] first 1\n") != NULL);
	printk("no level, no newline");
	n = log_read_all(buf, sizeof buf);
	buf[n] = 0;
	CHECK(strstr(buf, "<6>[") && strstr(buf, "no newline\n"));
	for (int i = 0; i < 20000; i++)
		printk(KERN_INFO "line %05d padding padding padding\n", i);
	n = log_read_all(buf, sizeof buf);
	buf[n] = 0;
	CHECK(n == log_size());
	CHECK(strstr(buf, "line 19999") != NULL);
	CHECK(strstr(buf, "first 1") == NULL); /* overwritten */
	size_t small = log_read_all(buf, 100); /* whole lines only */
	CHECK(small > 0 && small <= 100 && buf[small - 1] == '\n');
	CHECK(!strncmp(buf, "<6>[", 4) && strstr(buf, "line 19999"));
	CHECK(log_first_seq() > 0 && log_next_seq() == 20002);
	struct log_record r;
	char text[64];
	CHECK(log_record(log_next_seq() - 1, &r, text, sizeof text));
	CHECK(r.prio == 6 && r.len == 34 && !memcmp(text, "line 19999 padding", 18));
	CHECK(!log_record(0, &r, text, sizeof text)); /* overwritten */
	CHECK(!log_record(log_next_seq(), &r, text, sizeof text));
	log_emit(13, "user\n", 5);
	CHECK(log_record(log_next_seq() - 1, &r, text, sizeof text) && r.prio == 13 && r.len == 4);
	size_t unread = log_size();
	log_clear(); /* what READ_ALL shows starts again; READ's place stays */
	CHECK(log_read_all(buf, sizeof buf) == 0);
	CHECK(log_size() == unread);
	printk(KERN_WARNING "after clear\n");
	n = log_read_all(buf, sizeof buf);
	buf[n] = 0;
	CHECK(!strncmp(buf, "<4>[", 4) && strstr(buf, "] after clear\n") && n == strlen(buf));
	return unit_finish();
}
