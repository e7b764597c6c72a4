/*
 * The page cache of disk filesystems (include/pagemap.h): file pages in a
 * host memfd per inode, loaded from the disk on first use, written back by
 * writeback, sync and fsync, evicted under a budget from unmapped files.
 */
#include "kernel.h"
#include "host.h"
#include "fs.h"
#include "iov.h"
#include "mm.h"
#include "pagemap.h"

#define CHUNK (1 << 20)             /* the largest transfer to or from the disk */
#define READAHEAD (128 << 10)
#define FALLOC_PUNCH 3 /* FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE */

static LIST_HEAD(lru);
static uint64_t nr_cached; /* pages in every memfd */

static bool test(const uint64_t *map, uint64_t i)
{
	return map[i / 64] & (1ULL << (i % 64));
}

static void set(uint64_t *map, uint64_t i, bool on)
{
	if (on)
		map[i / 64] |= 1ULL << (i % 64);
	else
		map[i / 64] &= ~(1ULL << (i % 64));
}

static uint64_t pages_of(int64_t bytes)
{
	return (uint64_t)(bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

void mapping_init(struct address_space *m, struct inode *host,
		  const struct address_space_operations *a_ops)
{
	memset(m, 0, sizeof *m);
	m->host = host;
	m->a_ops = a_ops;
	m->memfd = -1;
	list_init(&m->lru);
}

void mapping_release(struct address_space *m)
{
	if (m->memfd >= 0)
		host_close(m->memfd);
	nr_cached -= m->cached;
	list_del(&m->lru);
	kfree(m->uptodate);
	kfree(m->dirty);
	m->memfd = -1;
	m->uptodate = m->dirty = NULL;
	m->nr_pages = m->cached = 0;
}

/* Room in the bitmaps for npages, and a memfd. */
static int grow(struct address_space *m, uint64_t npages)
{
	if (m->memfd < 0) {
		int fd = host_memfd("pagecache");
		if (fd < 0)
			return fd;
		m->memfd = fd;
		list_add_tail(&m->lru, &lru);
	}
	if (npages <= m->nr_pages)
		return 0;
	uint64_t cap = max(npages, m->nr_pages * 2), words = (cap + 63) / 64,
		 old = (m->nr_pages + 63) / 64;
	uint64_t *u = realloc(m->uptodate, words * 8);
	if (!u)
		return -ENOMEM;
	m->uptodate = u;
	uint64_t *d = realloc(m->dirty, words * 8);
	if (!d)
		return -ENOMEM;
	m->dirty = d;
	memset(u + old, 0, (words - old) * 8);
	memset(d + old, 0, (words - old) * 8);
	m->nr_pages = words * 64;
	return 0;
}

static int set_memfd_size(struct address_space *m, int64_t size)
{
	if (size == m->memfd_size)
		return 0;
	int err = host_ftruncate(m->memfd, size);
	if (!err)
		m->memfd_size = size;
	return err;
}

static void mark_uptodate(struct address_space *m, uint64_t first, uint64_t n)
{
	for (uint64_t p = first; p < first + n; p++) {
		if (!test(m->uptodate, p)) {
			set(m->uptodate, p, true);
			m->cached++;
			nr_cached++;
		}
	}
}

static void mark_dirty(struct address_space *m, uint64_t first, uint64_t n)
{
	for (uint64_t p = first; p < first + n && p < m->nr_pages; p++)
		set(m->dirty, p, true);
}

/* ---- Loading pages from the disk ---- */

static bool zero_page(const char *p, size_t len)
{
	const uint64_t *w = (const uint64_t *)p;
	for (size_t i = 0; i < len / 8; i++)
		if (w[i])
			return false;
	for (size_t i = len / 8 * 8; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* Copies buf into the memfd, leaving out zero pages: a page the memfd has
 * not got reads as zeros already, and a sparse file then costs nothing. */
static int fill_memfd(struct address_space *m, const char *buf, int64_t pos, size_t len)
{
	for (size_t off = 0; off < len;) {
		size_t n = min(len - off, (size_t)PAGE_SIZE);
		if (zero_page(buf + off, n)) {
			off += n;
			continue;
		}
		size_t run = n;
		while (off + run < len && !zero_page(buf + off + run, min(len - off - run, (size_t)PAGE_SIZE)))
			run += min(len - off - run, (size_t)PAGE_SIZE);
		if (host_pwrite(m->memfd, buf + off, run, pos + (int64_t)off) != (long)run)
			return -EIO;
		off += run;
	}
	return 0;
}

static int load_run(struct address_space *m, uint64_t first, uint64_t n, int64_t size, char *buf)
{
	while (n) {
		uint64_t k = min(n, (uint64_t)CHUNK / PAGE_SIZE);
		int64_t pos = (int64_t)(first * PAGE_SIZE);
		size_t len = (size_t)min((int64_t)(k * PAGE_SIZE), size - pos);
		int err = m->a_ops->readpage(m->host, buf, pos, len);
		if (!err)
			err = fill_memfd(m, buf, pos, len);
		if (err)
			return err;
		mark_uptodate(m, first, k);
		first += k;
		n -= k;
	}
	return 0;
}

/* Every page of [off, off + len) inside the file is in the memfd. */
static int load_range(struct address_space *m, int64_t off, int64_t len, int64_t size)
{
	if (off >= size || len <= 0)
		return 0;
	int err = grow(m, pages_of(size));
	if (!err)
		err = set_memfd_size(m, size);
	if (err)
		return err;
	uint64_t first = (uint64_t)off / PAGE_SIZE, end = pages_of(min(off + len, size));
	char *buf = NULL;
	for (uint64_t p = first; p < end && !err;) {
		if (test(m->uptodate, p)) {
			p++;
			continue;
		}
		uint64_t q = p + 1;
		while (q < end && !test(m->uptodate, q))
			q++;
		if (!buf && !(buf = kmalloc(CHUNK)))
			return -ENOMEM;
		err = load_run(m, p, q - p, size, buf);
		p = q;
	}
	kfree(buf);
	return err;
}

/* ---- Eviction ---- */

static void note_mapped(struct vma *v, void *ctx)
{
	(void)ctx;
	struct address_space *m = v->file->inode->i_mapping;
	if (m)
		m->mapped = true;
}

static void evict(struct address_space *m, int64_t size)
{
	if (filemap_writeback(m, size)) /* unmapped: no shared pages to collect */
		return; /* cannot write it back: keep it */
	if (host_fallocate(m->memfd, FALLOC_PUNCH, 0, m->memfd_size))
		return;
	nr_cached -= m->cached;
	m->cached = 0;
	memset(m->uptodate, 0, m->nr_pages / 8);
}

/* Over budget (half of mem=): drop the pages of the least recently used
 * files that no stub maps, down to three quarters of it. */
static void shrink(struct address_space *busy)
{
	uint64_t limit = totalram_bytes() / 2 / PAGE_SIZE;
	if (nr_cached <= limit)
		return;
	struct address_space *m, *n;
	list_for_each_entry(m, &lru, lru) m->mapped = false;
	mm_for_each_file_vma(note_mapped, NULL);
	list_for_each_entry_safe(m, n, &lru, lru)
	{
		if (nr_cached <= limit * 3 / 4)
			break;
		if (m != busy && !m->mapped && m->cached)
			evict(m, m->host->size);
	}
}

static void touch(struct address_space *m)
{
	list_del(&m->lru);
	list_add_tail(&m->lru, &lru);
}

/* ---- read, write, truncate ---- */

long filemap_read(struct address_space *m, struct iov_iter *to, loff_t *pos, int64_t size)
{
	if (*pos >= size || !to->count)
		return 0;
	size_t want = (size_t)min((int64_t)to->count, size - *pos), done = 0;
	int err = load_range(m, *pos, max((int64_t)want, (int64_t)READAHEAD), size);
	if (err)
		return err;
	touch(m);
	char *buf = kmalloc(min(want, (size_t)CHUNK));
	if (!buf)
		return -ENOMEM;
	while (done < want) {
		size_t chunk = min(want - done, (size_t)CHUNK);
		long n = host_pread(m->memfd, buf, chunk, *pos);
		if (n <= 0) {
			err = n < 0 ? (int)n : -EIO;
			break;
		}
		size_t c = copy_to_iter(buf, (size_t)n, to);
		*pos += (loff_t)c;
		done += c;
		if (c < (size_t)n) {
			err = -EFAULT;
			break;
		}
	}
	kfree(buf);
	shrink(m);
	return done ? (long)done : err;
}

long filemap_write(struct address_space *m, struct iov_iter *from, loff_t *pos, int64_t *size)
{
	int64_t start = *pos, end = start + (int64_t)from->count;
	/* Partial pages at the edges keep the rest of their bytes. */
	int err = grow(m, pages_of(max(end, *size)));
	if (!err && start % PAGE_SIZE)
		err = load_range(m, ALIGN_DOWN(start, PAGE_SIZE), 1, *size);
	if (!err && end % PAGE_SIZE)
		err = load_range(m, ALIGN_DOWN(end - 1, PAGE_SIZE), 1, *size);
	if (err)
		return err;
	touch(m);
	char *buf = kmalloc(min(from->count, (size_t)CHUNK));
	if (!buf)
		return -ENOMEM;
	size_t done = 0;
	while (from->count) {
		size_t chunk = copy_from_iter(buf, min(from->count, (size_t)CHUNK), from);
		if (!chunk) {
			err = -EFAULT;
			break;
		}
		long n = host_pwrite(m->memfd, buf, chunk, *pos);
		if (n <= 0) {
			err = n < 0 ? (int)n : -EIO;
			break;
		}
		*pos += n;
		done += (size_t)n;
	}
	kfree(buf);
	if (!done)
		return err;
	uint64_t first = (uint64_t)start / PAGE_SIZE, last = pages_of(*pos);
	/* Pages between the old end and the write are holes: zeros, clean. */
	mark_uptodate(m, pages_of(*size), first > pages_of(*size) ? first - pages_of(*size) : 0);
	mark_uptodate(m, first, last - first);
	mark_dirty(m, first, last - first);
	if (*pos > *size)
		*size = *pos;
	m->memfd_size = max(m->memfd_size, (int64_t)*pos);
	shrink(m);
	return (long)done;
}

int filemap_truncate(struct address_space *m, int64_t old, int64_t size)
{
	/* The page holding the new end keeps its head; its tail becomes zeros
	 * in the memfd, and must on the disk too: it turns dirty. */
	bool partial = size < old && size % PAGE_SIZE;
	int err = partial ? load_range(m, size - 1, 1, old) : 0;
	if (!err && m->memfd >= 0)
		err = set_memfd_size(m, size);
	if (err || m->memfd < 0)
		return err;
	uint64_t keep = pages_of(size);
	for (uint64_t p = keep; p < m->nr_pages; p++) {
		if (test(m->uptodate, p)) {
			m->cached--;
			nr_cached--;
		}
		set(m->uptodate, p, false);
		set(m->dirty, p, false);
	}
	if (partial)
		set(m->dirty, keep - 1, true);
	return 0;
}

int filemap_zero_range(struct address_space *m, int64_t off, int64_t len, int64_t size)
{
	if (m->memfd < 0 || off >= size)
		return 0;
	int64_t end = min(off + len, size);
	/* The partial pages at the edges: load them so the punch keeps the rest. */
	int err = load_range(m, off, 1, size);
	if (!err)
		err = load_range(m, end - 1, 1, size);
	if (!err)
		err = host_fallocate(m->memfd, FALLOC_PUNCH, off, end - off);
	if (err)
		return err;
	uint64_t first = (uint64_t)off / PAGE_SIZE, last = pages_of(end);
	/* Whole pages read as zeros now, like the disk's freed blocks. */
	mark_uptodate(m, first, last - first);
	for (uint64_t p = first; p < last; p++)
		set(m->dirty, p, false);
	if (off % PAGE_SIZE)
		set(m->dirty, first, true);
	if (end % PAGE_SIZE)
		set(m->dirty, last - 1, true);
	return 0;
}

int filemap_mmap(struct address_space *m, int64_t off, int64_t len, int64_t size)
{
	int err = grow(m, pages_of(size));
	if (!err)
		err = set_memfd_size(m, max(size, m->memfd_size));
	if (!err)
		err = load_range(m, off, len, size);
	if (err)
		return err;
	touch(m);
	return m->memfd;
}

/* ---- Writeback ---- */

static void dirty_shared_range(struct address_space *m, const struct vma *v, int64_t size)
{
	int64_t off = v->pgoff, end = min(off + (int64_t)(v->end - v->start), size);
	if (end > off)
		mark_dirty(m, (uint64_t)off / PAGE_SIZE, pages_of(end) - (uint64_t)off / PAGE_SIZE);
}

static void note_shared(struct vma *v, void *ctx)
{
	struct address_space *m = v->file->inode->i_mapping, *only = ctx;
	if (m && m->memfd >= 0 && (!only || m == only) && (v->vm_flags & VM_SHARED_WRITE))
		dirty_shared_range(m, v, m->host->size);
}

void filemap_collect_shared(struct address_space *only)
{
	mm_for_each_file_vma(note_shared, only);
}

void filemap_vma_closed(struct vma *v)
{
	note_shared(v, NULL);
}

bool filemap_dirty(struct address_space *m)
{
	for (uint64_t w = 0; m->memfd >= 0 && w < m->nr_pages / 64; w++)
		if (m->dirty[w])
			return true;
	return false;
}

/* Writes the dirty pages, whole: past the end of the file they hold zeros
 * (the memfd's), and the filesystem writes what is inside its last block. */
int filemap_writeback(struct address_space *m, int64_t size)
{
	uint64_t end = min(pages_of(size), m->nr_pages);
	char *buf = NULL;
	int err = 0;
	for (uint64_t p = 0; p < end && !err && m->memfd >= 0;) {
		if (!test(m->dirty, p) || !test(m->uptodate, p)) {
			p++;
			continue;
		}
		uint64_t q = p + 1;
		while (q < end && q - p < CHUNK / PAGE_SIZE && test(m->dirty, q) &&
		       test(m->uptodate, q))
			q++;
		if (!buf && !(buf = kmalloc(CHUNK)))
			return -ENOMEM;
		int64_t pos = (int64_t)(p * PAGE_SIZE);
		size_t len = (size_t)((q - p) * PAGE_SIZE), have = (size_t)min((int64_t)len, size - pos);
		if (host_pread(m->memfd, buf, have, pos) != (long)have)
			err = -EIO;
		memset(buf + have, 0, len - have);
		if (!err)
			err = m->a_ops->writepage(m->host, buf, pos, len);
		for (uint64_t k = p; k < q && !err; k++)
			set(m->dirty, k, false);
		p = q;
	}
	kfree(buf);
	return err;
}
