/* I/O vectors over guest memory or kernel buffers. */
#include "kernel.h"
#include "iov.h"
#include "uaccess.h"

void iov_iter_user(struct iov_iter *i, uaddr_t buf, size_t len)
{
	i->user = true;
	i->result = false;
	i->one.base = buf;
	i->one.len = len;
	i->vec = &i->one;
	i->nr_segs = 1;
	i->seg_off = 0;
	i->count = len;
}

void iov_iter_kernel(struct iov_iter *i, void *buf, size_t len)
{
	iov_iter_user(i, (uint64_t)(uintptr_t)buf, len);
	i->user = false;
}

long import_iovec(uaddr_t uvec, unsigned long nr, struct kvec **vec, struct iov_iter *i)
{
	if (nr > IOV_MAX)
		return -EINVAL;
	struct kvec *v = kmalloc(sizeof *v * (nr ? nr : 1));
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, uvec, sizeof *v * nr)) {
		kfree(v);
		return -EFAULT;
	}
	size_t total = 0;
	for (unsigned long k = 0; k < nr; k++) {
		if ((int64_t)v[k].len < 0 || v[k].len > 0x7ffff000 - total) {
			/* Linux caps the total at MAX_RW_COUNT; a negative length is EINVAL. */
			if ((int64_t)v[k].len < 0) {
				kfree(v);
				return -EINVAL;
			}
			v[k].len = 0x7ffff000 - total;
		}
		total += v[k].len;
	}
	i->user = true;
	i->result = false;
	i->vec = v;
	i->nr_segs = (unsigned)nr;
	i->seg_off = 0;
	i->count = total;
	*vec = v;
	return (long)total;
}

void iov_iter_advance(struct iov_iter *i, size_t n)
{
	n = min(n, i->count);
	i->count -= n;
	while (n && i->nr_segs) {
		size_t left = i->vec->len - i->seg_off;
		if (n < left) {
			i->seg_off += n;
			return;
		}
		n -= left;
		i->vec++;
		i->nr_segs--;
		i->seg_off = 0;
	}
	while (i->nr_segs && i->vec->len == i->seg_off) {
		i->vec++;
		i->nr_segs--;
		i->seg_off = 0;
	}
}

static size_t iter_copy(void *kbuf, size_t n, struct iov_iter *i, bool to_iter)
{
	size_t done = 0;
	n = min(n, i->count);
	while (done < n && i->nr_segs) {
		size_t chunk = min(n - done, i->vec->len - i->seg_off);
		uint64_t at = i->vec->base + i->seg_off;
		char *k = (char *)kbuf + done;
		long got = (long)chunk;
		if (!i->user) {
			void *p = (void *)(uintptr_t)at;
			memcpy(to_iter ? p : k, to_iter ? k : p, chunk);
		} else if (to_iter) {
			got = i->result ? copy_result_to_user_partial(at, k, chunk)
					: copy_to_user_partial(at, k, chunk);
		} else {
			got = copy_from_user_partial(k, at, chunk);
		}
		if (got < 0)
			got = 0;
		iov_iter_advance(i, (size_t)got);
		done += (size_t)got;
		if ((size_t)got < chunk)
			break;
	}
	return done;
}

size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i)
{
	return iter_copy((void *)src, n, i, true);
}

size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i)
{
	return iter_copy(dst, n, i, false);
}
