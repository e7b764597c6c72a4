/*
 * Code copies: the read-only executable file mappings the seccomp platform
 * patches are mapped from a copy of their file, one for all address spaces
 * (docs/seccomp.md). A site patched once is then patched in every process
 * that runs that code, and a fork copies none of it: the copy's pages are
 * a file's, not a process's own.
 *
 * A copy is a memfd holding the whole file. ./linux maps it shared and
 * writes the patches there; stubs map it privately, through a read-only fd.
 * It stands for its file (device and inode) while the file keeps the size
 * and times it was made with. Files changed too recently for their times
 * to tell a later change (COPY_MIN_AGE), and files something maps shared
 * and writable (which may change them without new times), get no copy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "seccomp.h"

#define COPY_MAX_FILE (16UL << 20)
/* The host stamps times from a clock that moves by ticks (ms), or by whole
 * seconds on filesystems without nanoseconds. */
#define COPY_MIN_AGE_NS	       (50 * 1000000LL)
#define COPY_MIN_AGE_COARSE_NS (2 * 1000000000LL)

/* Which file, and what tells its contents apart: its size and times. */
struct file_version {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

struct code_copy {
	struct file_version v;
	int ro;	   /* what stubs map */
	char *map; /* ./linux's mapping, where patches are written */
	size_t len;
	int refs; /* one while current, one per address-space range using it */
	struct code_copy *next;
};

struct host_mutex code_lock;
static struct code_copy *copies; /* the current ones */
static size_t copies_bytes;
/* A quarter of the guest's memory: beyond, copies no process maps go. */
static size_t copies_max;

struct file_id {
	dev_t dev;
	ino_t ino;
};
/* Files no copy may stand for: a hash set (open addressing, a power of two
 * of slots, at most half full; inode 0 marks a free slot), since a guest
 * may map any number of files shared and writable. */
static struct file_id *shared_writable;
static size_t nshared_writable, shared_writable_cap;
static bool forbid_failed; /* a file went unrecorded: no new copies */

void copies_init(const struct platform_config *cfg)
{
	copies_max = cfg->mem_bytes / 4;
}

static int64_t ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static bool old_enough(const struct stat *st)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t changed = ns(&st->st_mtim) > ns(&st->st_ctim) ? ns(&st->st_mtim) : ns(&st->st_ctim);
	bool coarse = !st->st_mtim.tv_nsec && !st->st_ctim.tv_nsec;
	return ns(&now) - changed >= (coarse ? COPY_MIN_AGE_COARSE_NS : COPY_MIN_AGE_NS);
}

static struct file_version version_of(const struct stat *st)
{
	return (struct file_version){st->st_dev, st->st_ino, st->st_size, st->st_mtim, st->st_ctim};
}

static bool same_version(const struct code_copy *c, const struct stat *st)
{
	return c->v.size == st->st_size && ns(&c->v.mtime) == ns(&st->st_mtim) &&
	       ns(&c->v.ctime) == ns(&st->st_ctim);
}

static struct file_id *id_slot(struct file_id *set, size_t cap, dev_t dev, ino_t ino)
{
	size_t i = (size_t)((ino ^ dev * 31) * 0x9e3779b97f4a7c15ULL);
	for (;; i++) {
		struct file_id *f = &set[i & (cap - 1)];
		if (!f->ino || (f->dev == dev && f->ino == ino))
			return f;
	}
}

static bool is_shared_writable(const struct stat *st)
{
	return shared_writable_cap &&
	       id_slot(shared_writable, shared_writable_cap, st->st_dev, st->st_ino)->ino;
}

static bool shared_writable_add(const struct stat *st)
{
	if (2 * (nshared_writable + 1) > shared_writable_cap) {
		size_t cap = shared_writable_cap ? 2 * shared_writable_cap : 64;
		struct file_id *set = calloc(cap, sizeof *set);
		if (!set)
			return false;
		for (size_t i = 0; i < shared_writable_cap; i++)
			if (shared_writable[i].ino)
				*id_slot(set, cap, shared_writable[i].dev, shared_writable[i].ino) =
				    shared_writable[i];
		free(shared_writable);
		shared_writable = set;
		shared_writable_cap = cap;
	}
	struct file_id *f = id_slot(shared_writable, shared_writable_cap, st->st_dev, st->st_ino);
	if (!f->ino) {
		*f = (struct file_id){st->st_dev, st->st_ino};
		nshared_writable++;
	}
	return true;
}

static void copy_free(struct code_copy *c)
{
	sites_forget(c);
	copies_bytes -= c->len;
	munmap(c->map, c->len);
	close(c->ro);
	free(c);
}

void copy_hold_locked(struct code_copy *c)
{
	c->refs++;
}

void copy_hold(struct code_copy *c)
{
	host_mutex_lock(&code_lock);
	copy_hold_locked(c);
	host_mutex_unlock(&code_lock);
}

/* Called with code_lock held. */
void copy_put_locked(struct code_copy *c)
{
	if (--c->refs == 0)
		copy_free(c);
}

void copy_put(struct code_copy *c)
{
	host_mutex_lock(&code_lock);
	copy_put_locked(c);
	host_mutex_unlock(&code_lock);
}

/* The copy stops standing for its file; what maps it keeps it. */
static void retire(struct code_copy **link)
{
	struct code_copy *c = *link;
	*link = c->next;
	copy_put_locked(c);
}

/* Copies no address space maps go while more would be over budget. */
static void trim(size_t more)
{
	for (struct code_copy **l = &copies; *l && copies_bytes + more > copies_max;) {
		if ((*l)->refs == 1)
			retire(l);
		else
			l = &(*l)->next;
	}
}

/* The host copies the file's pages into the memfd's own: no page faults,
 * no trip through a buffer here. */
static bool fill(int memfd, int fd, off_t size)
{
	for (off_t at = 0; at < size;) {
		ssize_t n = sendfile(memfd, fd, &at, (size_t)(size - at));
		if (n <= 0)
			return false;
	}
	return true;
}

static struct code_copy *copy_make(int fd, const struct stat *st)
{
	size_t len = ((size_t)st->st_size + 4095) & ~4095UL;
	trim(len);
	if (copies_bytes + len > copies_max)
		return NULL;
	struct code_copy *c = calloc(1, sizeof *c);
	int mfd = host_memfd("umk-code");
	if (!c || mfd < 0 || ftruncate(mfd, st->st_size))
		goto fail;
	c->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (c->map == MAP_FAILED)
		goto fail;
	c->len = len;
	c->ro = host_reopen(mfd, O_RDONLY);
	if (c->ro < 0 || !fill(mfd, fd, st->st_size)) {
		munmap(c->map, len);
		if (c->ro >= 0)
			close(c->ro);
		goto fail;
	}
	close(mfd);
	c->v = version_of(st);
	c->refs = 1;
	c->next = copies;
	copies = c;
	copies_bytes += len;
	return c;
fail:
	if (mfd >= 0)
		close(mfd);
	free(c);
	return NULL;
}

/* A reference to the copy of fd's file, made if need be, or NULL. */
struct code_copy *copy_get(int fd)
{
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_ino || st.st_size <= 0 ||
	    (size_t)st.st_size > COPY_MAX_FILE)
		return NULL;
	host_mutex_lock(&code_lock);
	struct code_copy **l = &copies, *c = NULL;
	while (*l && ((*l)->v.dev != st.st_dev || (*l)->v.ino != st.st_ino))
		l = &(*l)->next;
	if (*l && same_version(*l, &st))
		c = *l;
	else if (*l)
		retire(l);
	if (!c && !forbid_failed && old_enough(&st) && !is_shared_writable(&st))
		c = copy_make(fd, &st);
	if (c)
		c->refs++;
	host_mutex_unlock(&code_lock);
	return c;
}

/* fd is mapped shared and writable: no copy stands for its file again. */
void copy_forbid(int fd)
{
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !st.st_ino)
		return;
	host_mutex_lock(&code_lock);
	if (!shared_writable_add(&st))
		forbid_failed = true;
	for (struct code_copy **l = &copies; *l; l = &(*l)->next)
		if ((*l)->v.dev == st.st_dev && (*l)->v.ino == st.st_ino) {
			retire(l);
			break;
		}
	host_mutex_unlock(&code_lock);
}

int copy_fd(const struct code_copy *c)
{
	return c->ro;
}

/* The copy's length: its file's, to a whole page. */
uint64_t copy_len(const struct code_copy *c)
{
	return c->len;
}

/* The copy's bytes at off, or NULL past its end. */
char *copy_at(const struct code_copy *c, uint64_t off, size_t len)
{
	return off <= (uint64_t)c->v.size && len <= (uint64_t)c->v.size - off ? c->map + off : NULL;
}
