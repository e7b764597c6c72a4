/* Pipes and FIFOs. */
#ifndef PIPE_H
#define PIPE_H
#include "kernel.h"
#include "wait.h"

struct file;
struct inode;

struct pipe {
	char *buf;
	size_t size; /* capacity */
	size_t head, len;
	int readers, writers;
	int r_counter, w_counter; /* opens so far, for FIFO open rendezvous */
	struct wait_queue wait;
};

extern const struct file_operations fifo_fops;
struct pipe *pipe_alloc(void);
void pipe_free(struct pipe *p);
long pipe_fcntl(struct file *f, int cmd, unsigned long arg);
/* Both ends of a new anonymous pipe. */
int create_pipe_files(struct file **res, int flags);

#endif
