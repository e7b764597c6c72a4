/* Guest memory, read and written from ./linux, and memory calls in stubs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "platform.h"

int host_thread_pid(const struct host_thread *t)
{
	return t->tid;
}

static long vm_rw(const struct host_thread *t, uaddr_t addr, void *buf, size_t len, bool write)
{
	size_t done = 0;
	while (done < len) {
		struct iovec local = {(char *)buf + done, len - done};
		struct iovec remote = {(void *)(addr + done), len - done};
		ssize_t n = write ? process_vm_writev(host_thread_pid(t), &local, 1, &remote, 1, 0)
				  : process_vm_readv(host_thread_pid(t), &local, 1, &remote, 1, 0);
		if (n <= 0)
			return done ? (long)done : -EFAULT;
		done += (size_t)n;
	}
	return (long)done;
}

long host_vm_write(const struct host_thread *t, uaddr_t addr, const void *buf, size_t len)
{
	return vm_rw(t, addr, (void *)buf, len, true);
}

/* Guest memory crossing with the hand-off is settled before any access
 * of ./linux's own, so that every access sees the one before. */
static void sync_mem(void)
{
	if (platform->sync_mem)
		platform->sync_mem();
}

long host_mem_read(const struct host_thread *t, uaddr_t addr, void *buf, size_t len)
{
	sync_mem();
	return vm_rw(t, addr, buf, len, false);
}

long host_mem_write(const struct host_thread *t, uaddr_t addr, const void *buf, size_t len)
{
	sync_mem();
	return vm_rw(t, addr, (void *)buf, len, true);
}

long host_mem_write_behind(struct host_thread *t, uaddr_t addr, const void *buf, size_t len)
{
	if (platform->write_behind && platform->write_behind(t, addr, buf, len) == 0)
		return (long)len;
	return host_mem_write(t, addr, buf, len);
}

size_t host_mem_read_ahead(struct host_thread *t, uaddr_t addr, void *buf, size_t len)
{
	return platform->read_ahead ? platform->read_ahead(t, addr, buf, len) : 0;
}

int host_mem_open(const struct host_thread *t)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", host_thread_pid(t));
	int fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

long host_mem_poke(int mem_fd, uaddr_t addr, const void *buf, size_t len)
{
	sync_mem();
	ssize_t n = pwrite(mem_fd, buf, len, (off_t)addr);
	return n < 0 ? -EFAULT : n;
}

long host_mem_cmpxchg32(struct host_thread *t, uaddr_t addr, uint32_t old, uint32_t new)
{
	uint32_t cur;
	/* A word that is not there would fault in the stub: refuse it here. */
	if ((addr & 3) || host_mem_read(t, addr, &cur, sizeof cur) != sizeof cur)
		return -EFAULT;
	long r = platform->cmpxchg(t, addr, old, new);
	return r < 0 || r > UINT32_MAX ? -EFAULT : r;
}

static long stub_call(struct host_thread *t, long nr, long a, long b, long c, long d, long e,
		      long f)
{
	const long args[6] = {a, b, c, d, e, f};
	return platform->syscall(t, nr, args);
}

/*
 * The fd a stub gets for a file mapping gives no more than the mapping
 * needs: read-only unless it writes the file. (In the seccomp platform,
 * another guest thread could race to use the fd before it is closed.)
 */
long host_stub_mmap(struct host_thread *t, uaddr_t addr, size_t len, int prot, int flags, int fd,
		    int64_t off)
{
	const long args[6] = {(long)addr, (long)len, prot, flags, -1, off};
	if (fd < 0)
		return platform->syscall(t, SYS_mmap, args);
	bool writes = (flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE);
	if (writes || (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
		return platform->mmap_fd(t, args, fd);
	int ro = host_reopen(fd, O_RDONLY);
	if (ro < 0)
		return ro;
	long r = platform->mmap_fd(t, args, ro);
	close(ro);
	return r;
}

long host_stub_rseq(struct host_thread *t, uaddr_t area, uint32_t len, int flags, uint32_t sig)
{
	return stub_call(t, SYS_rseq, (long)area, len, flags, sig, 0, 0);
}

long host_stub_munmap(struct host_thread *t, uaddr_t addr, size_t len)
{
	return stub_call(t, SYS_munmap, (long)addr, (long)len, 0, 0, 0, 0);
}

long host_stub_mprotect(struct host_thread *t, uaddr_t addr, size_t len, int prot)
{
	return stub_call(t, SYS_mprotect, (long)addr, (long)len, prot, 0, 0, 0);
}

long host_stub_mremap(struct host_thread *t, uaddr_t old, size_t oldlen, size_t newlen, int flags,
		      uaddr_t newaddr)
{
	return stub_call(t, SYS_mremap, (long)old, (long)oldlen, (long)newlen, flags, (long)newaddr,
			 0);
}

long host_stub_madvise(struct host_thread *t, uaddr_t addr, size_t len, int advice)
{
	return stub_call(t, SYS_madvise, (long)addr, (long)len, advice, 0, 0, 0);
}
