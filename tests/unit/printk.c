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
	size_t small = log_read_all(buf, 100);
	CHECK(small == 100);
	log_clear();
	CHECK(log_size() == 0);
	return unit_finish();
}
