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

#define CHUNK	     (1 << 20) /* the largest transfer to or from the disk */
#define READAHEAD    (128 << 10)
#define FALLOC_PUNCH 3 /* FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE */

static LIST_HEAD(lru);
static uint64_t nr_cached; /* pages in every memfd */

/* ---- Page bits ---- */

#define LEAF_PAGES (1ULL << 18)
#define LEAF_WORDS (LEAF_PAGES / 64)

static bool test(const struct page_bits *b, uint64_t p)
{
	uint64_t l = p / LEAF_PAGES;
	return l < b->nleaves && b->leaf[l] && (b->leaf[l][p % LEAF_PAGES / 64] >> (p % 64) & 1);
}

static int set(struct page_bits *b, uint64_t p)
{
	uint64_t l = p / LEAF_PAGES;
	if (l >= b->nleaves) {
		uint64_t n = max(l + 1, b->nleaves * 2);
		uint64_t **leaf = realloc(b->leaf, n * sizeof *leaf);
		if (!leaf)
			return -ENOMEM;
		memset(leaf + b->nleaves, 0, (n - b->nleaves) * sizeof *leaf);
		b->leaf = leaf;
		b->nleaves = n;
	}
	if (!b->leaf[l] && !(b->leaf[l] = kzalloc(LEAF_WORDS * 8)))
		return -ENOMEM;
	b->leaf[l][p % LEAF_PAGES / 64] |= 1ULL << (p % 64);
	return 0;
}

static void clear(struct page_bits *b, uint64_t p)
{
	uint64_t l = p / LEAF_PAGES;
	if (l < b->nleaves && b->leaf[l])
		b->leaf[l][p % LEAF_PAGES / 64] &= ~(1ULL << (p % 64));
}

/* The first page of [p, end) whose bit is (or with want false: is not) set. */
static uint64_t next(const struct page_bits *b, uint64_t p, uint64_t end, bool want)
{
	while (p < end) {
		uint64_t l = p / LEAF_PAGES;
		if (l >= b->nleaves || !b->leaf[l]) {
			if (!want)
				return p;
			if (l >= b->nleaves)
				return end;
			p = (l + 1) * LEAF_PAGES;
			continue;
		}
		uint64_t w = b->leaf[l][p % LEAF_PAGES / 64];
		w = (want ? w : ~w) >> (p % 64);
		if (w)
			return min(p + (uint64_t)__builtin_ctzll(w), end);
		p = ALIGN_DOWN(p, 64) + 64;
	}
	return end;
}

/* Clears the bits of [p, end); returns how many were set. */
static uint64_t clear_range(struct page_bits *b, uint64_t p, uint64_t end)
{
	uint64_t n = 0;
	for (p = next(b, p, end, true); p < end; p = next(b, p, end, true)) {
		clear(b, p);
		n++;
	}
	return n;
}

static void bits_free(struct page_bits *b)
{
	for (uint64_t l = 0; l < b->nleaves; l++)
		kfree(b->leaf[l]);
	kfree(b->leaf);
	b->leaf = NULL;
	b->nleaves = 0;
}

static uint64_t pages_of(int64_t bytes)
{
	return (uint64_t)(bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* ---- The memfd ---- */

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
	bits_free(&m->uptodate);
	bits_free(&m->dirty);
	m->memfd = -1;
	m->cached = 0;
}

/* The memfd, made when first needed. */
static int need_memfd(struct address_space *m)
{
	if (m->memfd >= 0)
		return 0;
	int fd = host_memfd("pagecache");
	if (fd < 0)
		return fd;
	m->memfd = fd;
	m->memfd_size = 0;
	list_add_tail(&m->lru, &lru);
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

static int mark_uptodate(struct address_space *m, uint64_t first, uint64_t n)
{
	for (uint64_t p = first; p < first + n; p++) {
		if (test(&m->uptodate, p))
			continue;
		if (set(&m->uptodate, p))
			return -ENOMEM;
		m->cached++;
		nr_cached++;
	}
	return 0;
}

static int mark_dirty(struct address_space *m, uint64_t first, uint64_t n)
{
	for (uint64_t p = first; p < first + n; p++)
		if (set(&m->dirty, p))
			return -ENOMEM;
	return 0;
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
 * not got reads as zeros already, and a sparse file then costs nothing.
 * (A page not uptodate is always a hole of the memfd.) */
static int fill_memfd(struct address_space *m, const char *buf, int64_t pos, size_t len)
{
	for (size_t off = 0; off < len;) {
		size_t n = min(len - off, (size_t)PAGE_SIZE);
		if (zero_page(buf + off, n)) {
			off += n;
			continue;
		}
		size_t run = n;
		while (off + run < len &&
		       !zero_page(buf + off + run, min(len - off - run, (size_t)PAGE_SIZE)))
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
		if (!err)
			err = mark_uptodate(m, first, k);
		if (err)
			return err;
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
	int err = need_memfd(m);
	if (!err)
		err = set_memfd_size(m, max(size, m->memfd_size));
	if (err)
		return err;
	uint64_t p = (uint64_t)off / PAGE_SIZE, end = pages_of(min(off + len, size));
	char *buf = NULL;
	while (!err && (p = next(&m->uptodate, p, end, false)) < end) {
		uint64_t q = next(&m->uptodate, p, end, true);
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
		return;			/* cannot write it back: keep it */
	if (host_fallocate(m->memfd, FALLOC_PUNCH, 0, m->memfd_size))
		return;
	nr_cached -= m->cached;
	m->cached = 0;
	bits_free(&m->uptodate);
}

/* Over budget (half of mem=): drop the pages of the least recently used
 * files that no stub maps, down to three quarters of it. The file being
 * read or written is the most recent, so it goes last, and only once its
 * bytes have been copied (callers shrink at the end). */
static void shrink(void)
{
	uint64_t limit = totalram_bytes() / 2 / PAGE_SIZE;
	if (nr_cached <= limit)
		return;
	struct address_space *m, *n;
	list_for_each_entry(m, &lru, lru)
		m->mapped = false;
	mm_for_each_file_vma(note_mapped, NULL);
	list_for_each_entry_safe(m, n, &lru, lru) {
		if (nr_cached <= limit * 3 / 4)
			break;
		if (!m->mapped && m->cached)
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
	shrink();
	return done ? (long)done : err;
}

long filemap_write(struct address_space *m, struct iov_iter *from, loff_t *pos, int64_t *size)
{
	int64_t start = *pos, end = start + (int64_t)from->count;
	/* Partial pages at the edges keep the rest of their bytes. */
	int err = need_memfd(m);
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
	err = mark_uptodate(m, first, last - first);
	if (!err)
		err = mark_dirty(m, first, last - first);
	if (*pos > *size)
		*size = *pos;
	m->memfd_size = max(m->memfd_size, (int64_t)*pos);
	shrink();
	return err ? err : (long)done;
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
	uint64_t keep = pages_of(size), gone = clear_range(&m->uptodate, keep, UINT64_MAX);
	m->cached -= gone;
	nr_cached -= gone;
	clear_range(&m->dirty, keep, UINT64_MAX);
	return partial ? mark_dirty(m, keep - 1, 1) : 0;
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
	/* Whole pages are holes of the memfd and (once the filesystem frees
	 * them) of the disk: not cached, not dirty. The partial pages at the
	 * edges are both, for the disk to get their zeros. */
	uint64_t first = pages_of(off), last = (uint64_t)end / PAGE_SIZE;
	if (first < last) {
		uint64_t gone = clear_range(&m->uptodate, first, last);
		m->cached -= gone;
		nr_cached -= gone;
		clear_range(&m->dirty, first, last);
	}
	if (off % PAGE_SIZE)
		err = mark_dirty(m, (uint64_t)off / PAGE_SIZE, 1);
	if (!err && end % PAGE_SIZE)
		err = mark_dirty(m, (uint64_t)end / PAGE_SIZE, 1);
	return err;
}

int filemap_mmap(struct address_space *m, int64_t off, int64_t len, int64_t size)
{
	int err = need_memfd(m);
	if (!err)
		err = set_memfd_size(m, max(size, m->memfd_size));
	if (!err)
		err = load_range(m, off, len, size);
	if (err)
		return err;
	touch(m);
	return m->memfd;
}

uint64_t filemap_cached_bytes(void)
{
	return nr_cached * PAGE_SIZE;
}

/* ---- Writeback ---- */

static void dirty_shared_range(struct address_space *m, const struct vma *v, int64_t size)
{
	int64_t off = v->pgoff, end = min(off + (int64_t)(v->end - v->start), size);
	if (end > off &&
	    mark_dirty(m, (uint64_t)off / PAGE_SIZE, pages_of(end) - (uint64_t)off / PAGE_SIZE))
		pr_err("pagecache: out of memory marking shared pages dirty\n");
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
	return m->memfd >= 0 && next(&m->dirty, 0, UINT64_MAX, true) != UINT64_MAX;
}

/* Writes the dirty pages, whole: past the end of the file they hold zeros
 * (the memfd's), and the filesystem writes what is inside its last block. */
int filemap_writeback(struct address_space *m, int64_t size)
{
	uint64_t end = pages_of(size), p = 0;
	char *buf = NULL;
	int err = 0;
	while (!err && m->memfd >= 0 && (p = next(&m->dirty, p, end, true)) < end) {
		uint64_t q = min(next(&m->dirty, p, end, false), p + CHUNK / PAGE_SIZE);
		q = min(q, next(&m->uptodate, p, q, false));
		if (q == p) { /* dirty but not uptodate cannot be: drop the bit */
			clear(&m->dirty, p++);
			continue;
		}
		if (!buf && !(buf = kmalloc(CHUNK)))
			return -ENOMEM;
		int64_t pos = (int64_t)(p * PAGE_SIZE);
		size_t len = (size_t)((q - p) * PAGE_SIZE),
		       have = (size_t)min((int64_t)len, size - pos);
		if (host_pread(m->memfd, buf, have, pos) != (long)have)
			err = -EIO;
		memset(buf + have, 0, len - have);
		if (!err)
			err = m->a_ops->writepage(m->host, buf, pos, len);
		for (uint64_t k = p; k < q && !err; k++)
			clear(&m->dirty, k);
		p = q;
	}
	kfree(buf);
	return err;
}
