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
	unsigned slots;	     /* capacity in pages, a power of two */
	unsigned tail, head; /* the used buffers: tail <= i < head, mod slots */
	int readers, writers;
	int r_counter, w_counter; /* opens so far, for FIFO open rendezvous */
	struct wait_queue wait;
};

extern const struct file_operations fifo_fops;
struct pipe *pipe_alloc(void);
void pipe_free(struct pipe *p);
long pipe_fcntl(struct file *f, int cmd, unsigned long arg);
/* For splice, tee and vmsplice (fs/splice.c). Waiting for data: 0 when
 * there is some, 1 at end of file (no writers), or an error (-EAGAIN when
 * nonblock). Waiting for room: 0, or an error (-EPIPE with SIGPIPE when
 * no one reads). */
int pipe_wait_readable(struct pipe *p, bool nonblock);
int pipe_wait_writable(struct pipe *p, bool nonblock);
/* Bytes a write can surely add without waiting. */
size_t pipe_room(struct pipe *p);
/* Copies up to len bytes from the pipe's start, leaving them there. */
size_t pipe_peek(struct pipe *p, void *buf, size_t len);
/* Drops n bytes from the pipe's start. */
void pipe_consume(struct pipe *p, size_t n);
/* Both ends of a new anonymous pipe. */
int create_pipe_files(struct file **res, int flags);

#endif
