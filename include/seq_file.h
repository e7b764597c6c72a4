/* Text built in memory, read back like a file: procfs files, fdinfo. */
#ifndef SEQ_FILE_H
#define SEQ_FILE_H
#include "kernel.h"

struct seq {
	char *buf;
	size_t len, cap;
};
void seq_printf(struct seq *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_write(struct seq *s, const void *data, size_t len);

#endif
