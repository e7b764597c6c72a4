/* Pipes and FIFOs. */
#ifndef PIPE_H
#define PIPE_H
#include "kernel.h"
#include "wait.h"

struct file;
struct inode;

/* One page of a pipe's ring (Linux's pipe_buffer). */
struct pipe_buffer {
	char *page; /* kept for reuse once allocated */
	unsigned offset, len;
	bool packet; /* O_DIRECT: read whole, never merged into */
};

struct pipe {
	struct pipe_buffer *bufs;
	unsigned slots;     /* capacity in pages, a power of two */
	unsigned tail, head; /* the used buffers: tail <= i < head, mod slots */
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
