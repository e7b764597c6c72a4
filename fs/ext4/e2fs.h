/*
 * The on-disk format of ext2, ext3 and ext4, as the rest of fs/ext4 sees
 * it: a small interface in plain C types.
 *
 * fs/ext4/e2fs.c implements it with e2fsprogs' libext2fs, the reference
 * implementation of the format. That file is the one place in the kernel
 * that includes libext2fs's headers, which pull in host libc headers, so it
 * is built apart (Makefile: E2FS_CFLAGS, without the kernel's include path)
 * and includes nothing of the kernel but this header. It makes no host
 * system call of its own: libext2fs's I/O goes through an I/O manager that
 * calls back into the kernel (e2fs_dev_*), and so to umk's block layer,
 * COW and flushes included (ARCHITECTURE.md, rule 1).
 *
 * Errors are negative errno values, as in the kernel. Inode numbers are
 * ext2's; directory entry types are the S_IFMT bits of a mode shifted
 * right by 12 (the DT_* values of getdents).
 */
#ifndef E2FS_H
#define E2FS_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

struct e2fs;

/* ---- The device below, provided by the kernel side ---- */

int e2fs_dev_read(void *dev, uint64_t off, void *buf, size_t len);
int e2fs_dev_write(void *dev, uint64_t off, const void *buf, size_t len);
int e2fs_dev_flush(void *dev);
/* One line in the kernel log. */
void e2fs_log(const char *msg);

/* ---- The filesystem ---- */

#define E2FS_ROOT_INO 2

/* Opens the filesystem on dev (size bytes). On failure, why tells the user
 * what is wrong, e.g. that the journal needs recovery. A read-write open
 * marks the filesystem not clean until e2fs_close(clean). */
int e2fs_open(void *dev, const char *name, bool rw, struct e2fs **out, char *why, size_t whylen);
/* Writes everything back, marks the filesystem clean if it was opened
 * read-write, and frees it. */
int e2fs_close(struct e2fs *fs);
/* Writes the allocation bitmaps, group descriptors and superblock. */
int e2fs_flush(struct e2fs *fs);
bool e2fs_dirty(struct e2fs *fs);
/* "ext2", "ext3" or "ext4", from the features. */
const char *e2fs_kind(struct e2fs *fs);
/* A feature that the given kind (mount -t) cannot mount: its name, or NULL. */
const char *e2fs_incompatible_with(struct e2fs *fs, const char *kind);
/* Switches between read-only and read-write (remount). */
int e2fs_remount(struct e2fs *fs, bool rw, char *why, size_t whylen);

struct e2fs_statfs {
	uint32_t block_size;
	uint64_t blocks, free_blocks, avail_blocks, inodes, free_inodes;
	uint64_t fsid;
	uint32_t max_name;
};
void e2fs_statfs(struct e2fs *fs, struct e2fs_statfs *st);
uint32_t e2fs_block_size(struct e2fs *fs);

/* ---- Inodes ---- */

struct e2fs_time {
	int64_t sec;
	uint32_t nsec;
};

/* What the VFS keeps of an inode; the block map stays on disk. */
struct e2fs_inode {
	uint32_t mode, uid, gid, nlink, flags, generation;
	uint64_t size, blocks; /* blocks: 512-byte units, read-only here */
	uint64_t rdev_major, rdev_minor;
	struct e2fs_time atime, mtime, ctime, crtime;
};

int e2fs_read_inode(struct e2fs *fs, uint32_t ino, struct e2fs_inode *out);
/* Writes mode, owner, links, times, device number and a regular file's
 * size; never the block map or the flags. Refreshes `blocks` and `size`
 * (a directory's grows as names are added). */
int e2fs_write_inode(struct e2fs *fs, uint32_t ino, struct e2fs_inode *in);
/* A new inode of in->mode's type near directory dir, with in's attributes:
 * a directory gets its "." and ".." block (dir is its parent), a symlink
 * its target (fast or in a block). */
int e2fs_create(struct e2fs *fs, uint32_t dir, struct e2fs_inode *in, const char *symlink,
		uint32_t *ino);
/* Gives back an inode whose last link and last user are gone. */
int e2fs_delete(struct e2fs *fs, uint32_t ino);
/* Copies a symlink's target; returns its length. */
long e2fs_readlink(struct e2fs *fs, uint32_t ino, char *buf, size_t len);

/* ---- Directories ---- */

/* Called per entry from byte position pos on; returning nonzero stops.
 * next is the position of the entry after. */
typedef int (*e2fs_filldir_t)(void *ctx, const char *name, size_t len, uint32_t ino, unsigned type,
			      uint64_t next);
int e2fs_dir_iterate(struct e2fs *fs, uint32_t dir, uint64_t pos, e2fs_filldir_t fn, void *ctx);
/* Adds name -> ino; a directory that outgrows one block becomes an htree. */
int e2fs_dir_add(struct e2fs *fs, uint32_t dir, const char *name, uint32_t ino, unsigned type);
int e2fs_dir_remove(struct e2fs *fs, uint32_t dir, const char *name);
/* Points an existing name at another inode (rename over, "..", exchange). */
int e2fs_dir_set(struct e2fs *fs, uint32_t dir, const char *name, uint32_t ino, unsigned type);

/* ---- File data ---- */

/* [off, off + len) of the file; holes and unwritten extents read as zeros. */
int e2fs_read(struct e2fs *fs, uint32_t ino, uint64_t off, void *buf, size_t len);
/* Writes, allocating blocks as needed; the size is the caller's. */
int e2fs_write(struct e2fs *fs, uint32_t ino, uint64_t off, const void *buf, size_t len);
/* Frees the blocks wholly inside [off, off + len) (len 0: to the end). */
int e2fs_punch(struct e2fs *fs, uint32_t ino, uint64_t off, uint64_t len);
/* Allocates blocks for [off, off + len) that read as zeros (unwritten
 * extents where the format has them). */
int e2fs_allocate(struct e2fs *fs, uint32_t ino, uint64_t off, uint64_t len);
/* The first data (or hole) at or after off, for SEEK_DATA/SEEK_HOLE:
 * returns the offset, or size when there is none. */
int64_t e2fs_seek(struct e2fs *fs, uint32_t ino, uint64_t off, uint64_t size, bool hole);

/* ---- Extended attributes, by full name ("user.x", "trusted.y", ...) ---- */

long e2fs_getxattr(struct e2fs *fs, uint32_t ino, const char *name, void *buf, size_t len);
/* flags: 1 create only, 2 replace only (XATTR_CREATE, XATTR_REPLACE) */
int e2fs_setxattr(struct e2fs *fs, uint32_t ino, const char *name, const void *val, size_t len,
		  int flags);
int e2fs_removexattr(struct e2fs *fs, uint32_t ino, const char *name);
long e2fs_listxattr(struct e2fs *fs, uint32_t ino, char *buf, size_t len);

#endif
