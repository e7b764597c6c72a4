/*
 * I/O vectors over guest memory or kernel buffers (Linux's iov_iter), so one
 * read or write implementation serves read, readv, pread, sendfile and the
 * kernel's own reads.
 */
#ifndef IOV_H
#define IOV_H
#include "kernel.h"

struct kvec {
	uint64_t base; /* a uaddr_t, or a kernel pointer for kernel iters */
	size_t len;
};

struct iov_iter {
	bool user;
	bool result; /* what it receives is the call's result (copy_result_to_user) */
	const struct kvec *vec;
	unsigned nr_segs;
	size_t seg_off; /* offset within vec[0] */
	size_t count;	/* bytes left in all */
	struct kvec one;
};

void iov_iter_user(struct iov_iter *i, uaddr_t buf, size_t len);
void iov_iter_kernel(struct iov_iter *i, void *buf, size_t len);
/* Imports a guest iovec array into vec (caller frees *vec). */
long import_iovec(uaddr_t uvec, unsigned long nr, struct kvec **vec, struct iov_iter *i);

/* Both return bytes copied; short if guest memory faults. */
size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i);
size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i);
void iov_iter_advance(struct iov_iter *i, size_t n);

#define IOV_MAX 1024

#endif
