/*
 * The page cache of filesystems on block devices: each cached inode's pages
 * live in a host memfd, so read, write and mmap (MAP_SHARED included: the
 * memfd itself is mapped into the stubs) see the same bytes. The kernel
 * keeps which pages hold the file (uptodate) and which the disk lacks
 * (dirty); a page written through a shared writable mapping is invisible
 * to it, so such mappings count dirty at writeback and when they go.
 * Pages are evicted, when the cache is over its budget, only from files
 * that no stub maps.
 */
#ifndef PAGEMAP_H
#define PAGEMAP_H
#include "kernel.h"

struct inode;
struct iov_iter;
struct vma;

struct address_space_operations {
	/* Reads file bytes [pos, pos + len) from the disk; holes are zeros. */
	int (*readpage)(struct inode *inode, void *buf, int64_t pos, size_t len);
	/* Writes them to the disk (allocating); the size is not changed. */
	int (*writepage)(struct inode *inode, const void *buf, int64_t pos, size_t len);
};

/* A bit per page, in 32 KiB leaves (1 GiB of file each) made when first
 * set, so a huge sparse file costs nothing. */
struct page_bits {
	uint64_t **leaf;
	uint64_t nleaves;
};

struct address_space {
	struct inode *host;
	const struct address_space_operations *a_ops;
	int memfd;		   /* -1 until first used */
	struct page_bits uptodate; /* the page holds the file's bytes */
	struct page_bits dirty;	   /* the page is newer than the disk */
	uint64_t cached;	   /* pages uptodate */
	int64_t memfd_size;
	bool mapped; /* some VMA maps it (as of the last scan) */
	struct list_head lru;
};

void mapping_init(struct address_space *m, struct inode *host,
		  const struct address_space_operations *a_ops);
/* Drops everything; the caller wrote back what it needed. */
void mapping_release(struct address_space *m);

/* read(2) of a file of `size` bytes through the cache. */
long filemap_read(struct address_space *m, struct iov_iter *to, loff_t *pos, int64_t size);
/* write(2): *size grows if the write goes past it. */
long filemap_write(struct address_space *m, struct iov_iter *from, loff_t *pos, int64_t *size);
/* A new file size: pages past it go; the page holding the new end turns
 * dirty so that the disk gets its zeroed tail. */
int filemap_truncate(struct address_space *m, int64_t old, int64_t size);
/* [off, off + len) reads as zeros; partial pages at the edges turn dirty. */
int filemap_zero_range(struct address_space *m, int64_t off, int64_t len, int64_t size);
/* The memfd for a mapping of [off, off + len), every page of it loaded. */
int filemap_mmap(struct address_space *m, int64_t off, int64_t len, int64_t size);
/* Marks dirty the pages that shared writable mappings may have written:
 * of one file, or of all (only NULL) before syncing many. */
void filemap_collect_shared(struct address_space *only);
/* Writes the dirty pages back. */
int filemap_writeback(struct address_space *m, int64_t size);
bool filemap_dirty(struct address_space *m);
/* The bytes the page cache holds, for /proc/meminfo. */
uint64_t filemap_cached_bytes(void);
/* A shared writable VMA goes away: the pages it may have written are dirty. */
void filemap_vma_closed(struct vma *v);

#endif
