/* Guest memory access for the kernel: copies through the host. */
#include "kernel.h"
#include "host.h"
#include "mm.h"
#include "task.h"
#include "uaccess.h"
#include "uapi/dirent.h"

/* Addresses beyond the guest's part of the address space fault, even where
 * the stub has something mapped. */
static bool range_ok(uaddr_t a, size_t n)
{
	return a < HOST_STUB_START && n <= HOST_STUB_START - a;
}

long copy_from_user_partial(void *dst, uaddr_t src, size_t n)
{
	if (!n)
		return 0;
	if (!range_ok(src, n))
		return -EFAULT;
	if (host_mem_read_ahead(current->host, src, dst, n) == n)
		return (long)n;
	return host_mem_read(current->host, src, dst, n);
}

long copy_to_user_partial(uaddr_t dst, const void *src, size_t n)
{
	if (!n)
		return 0;
	if (!range_ok(dst, n))
		return -EFAULT;
	return host_mem_write(current->host, dst, src, n);
}

/* Whether every byte of [dst, dst + n) is in one writable anonymous
 * mapping, which takes a write without fault or SIGBUS. */
static bool takes_write(uaddr_t dst, size_t n)
{
	struct vma *v = current->mm ? find_vma(current->mm, dst) : NULL;
	return v && v->start <= dst && n <= v->end - dst && (v->prot & PROT_WRITE) && !v->file;
}

long copy_result_to_user_partial(uaddr_t dst, const void *src, size_t n)
{
	if (!n)
		return 0;
	if (!range_ok(dst, n))
		return -EFAULT;
	if (!takes_write(dst, n))
		return host_mem_write(current->host, dst, src, n);
	return host_mem_write_behind(current->host, dst, src, n);
}

int copy_result_to_user(uaddr_t dst, const void *src, size_t n)
{
	return copy_result_to_user_partial(dst, src, n) == (long)n ? 0 : -EFAULT;
}

int copy_from_user(void *dst, uaddr_t src, size_t n)
{
	return copy_from_user_partial(dst, src, n) == (long)n ? 0 : -EFAULT;
}

int copy_to_user(uaddr_t dst, const void *src, size_t n)
{
	return copy_to_user_partial(dst, src, n) == (long)n ? 0 : -EFAULT;
}

int copy_from_task(struct task *t, void *dst, uaddr_t src, size_t n)
{
	if (!range_ok(src, n) || !t->host)
		return -EFAULT;
	return host_mem_read(t->host, src, dst, n) == (long)n ? 0 : -EFAULT;
}

int copy_to_task(struct task *t, uaddr_t dst, const void *src, size_t n)
{
	if (!range_ok(dst, n) || !t->host)
		return -EFAULT;
	return host_mem_write(t->host, dst, src, n) == (long)n ? 0 : -EFAULT;
}

int clear_user(uaddr_t dst, size_t n)
{
	static const char zero[4096];
	while (n) {
		size_t k = min(n, sizeof zero);
		if (copy_to_user(dst, zero, k))
			return -EFAULT;
		dst += k;
		n -= k;
	}
	return 0;
}

void user_pages_init(struct user_pages *c)
{
	c->base = 1; /* no page's address */
	c->len = 0;
}

/* Bytes of [src, src + n), which lie in one page, read through c's page
 * (c NULL: straight from the guest). */
static long read_in_page(struct user_pages *c, void *dst, uaddr_t src, size_t n)
{
	if (!c)
		return copy_from_user_partial(dst, src, n);
	uaddr_t base = src & ~(uaddr_t)4095;
	if (c->base != base) {
		long got = copy_from_user_partial(c->page, base, sizeof c->page);
		c->base = base;
		c->len = got > 0 ? (size_t)got : 0;
	}
	size_t off = (size_t)(src - base);
	if (off >= c->len)
		return -EFAULT;
	n = min(n, c->len - off);
	memcpy(dst, c->page + off, n);
	return (long)n;
}

int copy_from_user_pages(struct user_pages *c, void *dst, uaddr_t src, size_t n)
{
	for (size_t done = 0; done < n;) {
		size_t chunk = min(n - done, 4096 - ((src + done) & 4095));
		if (read_in_page(c, (char *)dst + done, src + done, chunk) != (long)chunk)
			return -EFAULT;
		done += chunk;
	}
	return 0;
}

/* Reads page by page so that a string ending just before an unmapped page
 * is still read whole. */
long strncpy_from_user_pages(struct user_pages *c, char *dst, uaddr_t src, size_t n)
{
	size_t done = 0;
	while (done < n) {
		size_t chunk = min(n - done, 4096 - ((src + done) & 4095));
		long got = read_in_page(c, dst + done, src + done, chunk);
		if (got <= 0)
			return -EFAULT;
		char *nul = memchr(dst + done, 0, (size_t)got);
		if (nul)
			return nul - dst;
		done += (size_t)got;
		if ((size_t)got < chunk)
			return -EFAULT;
	}
	return -ENAMETOOLONG;
}

long strncpy_from_user(char *dst, uaddr_t src, size_t n)
{
	size_t ahead = range_ok(src, n) ? host_mem_read_ahead(current->host, src, dst, n) : 0;
	const char *end = memchr(dst, 0, ahead);
	if (end)
		return end - dst;
	return strncpy_from_user_pages(NULL, dst, src, n);
}

char *getname_empty_ok(uaddr_t upath, bool *empty)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	long n = strncpy_from_user(buf, upath, PATH_MAX);
	if (n < 0) {
		kfree(buf);
		return ERR_PTR(n);
	}
	if (empty)
		*empty = n == 0;
	return buf;
}

char *getname(uaddr_t upath)
{
	bool empty = false;
	char *s = getname_empty_ok(upath, &empty);
	if (!IS_ERR(s) && empty) {
		kfree(s);
		return ERR_PTR(-ENOENT);
	}
	return s;
}
