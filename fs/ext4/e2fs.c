/*
 * ext2/3/4 on disk through e2fsprogs' libext2fs (see e2fs.h for why this
 * file stands apart). Everything here runs under the kernel lock, so
 * libext2fs, which is not thread-safe, is only ever entered by one thread.
 */
#include <ext2fs/ext2fs.h>
#include <stdio.h>
#include "e2fs.h"

struct e2fs {
	ext2_filsys fs;
	void *dev;
	bool rw;
};

/* ---- Errors: libext2fs's codes as the errno Linux's ext4 gives ---- */

static int err_of(errcode_t e)
{
	switch (e) {
	case 0:
		return 0;
	case EXT2_ET_NO_MEMORY:
		return -ENOMEM;
	case EXT2_ET_RO_FILSYS:
		return -EROFS;
	case EXT2_ET_BLOCK_ALLOC_FAIL:
	case EXT2_ET_INODE_ALLOC_FAIL:
	case EXT2_ET_DIR_NO_SPACE:
	case EXT2_ET_EA_NO_SPACE:
	case EXT2_ET_DIR_NO_SPACE_FOR_CSUM:
		return -ENOSPC;
	case EXT2_ET_FILE_NOT_FOUND:
		return -ENOENT;
	case EXT2_ET_DIR_EXISTS:
	case EXT2_ET_FILE_EXISTS:
		return -EEXIST;
	case EXT2_ET_FILE_TOO_BIG:
	case EXT2_ET_EXTENT_NOT_SUPPORTED:
		return -EFBIG;
	case EXT2_ET_EA_KEY_NOT_FOUND:
		return -ENODATA;
	case EXT2_ET_EA_BAD_NAME_LEN:
	case EXT2_ET_EA_BAD_VALUE_SIZE:
	case EXT2_ET_EA_INODE_CORRUPTED:
		return -ERANGE;
	case EXT2_ET_SHORT_READ:
	case EXT2_ET_SHORT_WRITE:
		return -EIO;
	case EXT2_ET_UNIMPLEMENTED:
	case EXT2_ET_OP_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	}
	if (e > 0 && e < 4096)
		return (int)-e; /* an errno, from the I/O manager or libc */
	char msg[200];
	snprintf(msg, sizeof msg, "ext4: %s", error_message(e));
	e2fs_log(msg);
	return -EUCLEAN; /* Linux's EFSCORRUPTED */
}

/* ---- The I/O manager: libext2fs's blocks are umk's block device ---- */

static void *opening_dev; /* the device e2fs_open is opening (kernel lock held) */
static struct struct_io_manager umk_io_manager;

static errcode_t umk_io_open(const char *name, int flags, io_channel *out)
{
	io_channel io;
	errcode_t e = ext2fs_get_memzero(sizeof *io, &io);
	if (e)
		return e;
	if ((e = ext2fs_get_mem(strlen(name) + 1, &io->name))) {
		ext2fs_free_mem(&io);
		return e;
	}
	strcpy(io->name, name);
	io->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	io->manager = &umk_io_manager;
	io->block_size = 1024;
	io->refcount = 1;
	io->private_data = opening_dev;
	(void)flags;
	*out = io;
	return 0;
}

static errcode_t umk_io_close(io_channel io)
{
	if (--io->refcount > 0)
		return 0;
	ext2fs_free_mem(&io->name);
	ext2fs_free_mem(&io);
	return 0;
}

static errcode_t umk_io_set_blksize(io_channel io, int blksize)
{
	io->block_size = blksize;
	return 0;
}

/* count < 0 means -count bytes, as in every libext2fs I/O manager. */
static size_t io_bytes(io_channel io, int count)
{
	return count < 0 ? (size_t)-count : (size_t)count * (size_t)io->block_size;
}

static errcode_t umk_io_read(io_channel io, unsigned long long block, int count, void *buf)
{
	int err = e2fs_dev_read(io->private_data, block * (uint64_t)io->block_size, buf,
				io_bytes(io, count));
	return err ? (errcode_t)-err : 0;
}

static errcode_t umk_io_write(io_channel io, unsigned long long block, int count, const void *buf)
{
	int err = e2fs_dev_write(io->private_data, block * (uint64_t)io->block_size, buf,
				 io_bytes(io, count));
	return err ? (errcode_t)-err : 0;
}

static errcode_t umk_io_read32(io_channel io, unsigned long block, int count, void *buf)
{
	return umk_io_read(io, block, count, buf);
}

static errcode_t umk_io_write32(io_channel io, unsigned long block, int count, const void *buf)
{
	return umk_io_write(io, block, count, buf);
}

static errcode_t umk_io_flush(io_channel io)
{
	int err = e2fs_dev_flush(io->private_data);
	return err ? (errcode_t)-err : 0;
}

static errcode_t umk_io_set_option(io_channel io, const char *option, const char *arg)
{
	(void)io, (void)option, (void)arg;
	return EXT2_ET_INVALID_ARGUMENT;
}

/* No write_byte: libext2fs would then write only the superblock bytes it
 * changed, into whatever else is on the disk (a guest's e2fsck may have
 * written there through /dev/ubdX); the whole superblock is ours. */
static struct struct_io_manager umk_io_manager = {
    .magic = EXT2_ET_MAGIC_IO_MANAGER,
    .name = "umk block device",
    .open = umk_io_open,
    .close = umk_io_close,
    .set_blksize = umk_io_set_blksize,
    .read_blk = umk_io_read32,
    .write_blk = umk_io_write32,
    .flush = umk_io_flush,
    .set_option = umk_io_set_option,
    .read_blk64 = umk_io_read,
    .write_blk64 = umk_io_write,
};

/* ---- Opening and closing ---- */

/* Features libext2fs can read but umk cannot keep consistent when writing:
 * quotas and verity would go stale, the rest are not written by umk. */
static const char *rw_unsupported(ext2_filsys fs)
{
	struct ext2_super_block *s = fs->super;
	if (ext2fs_has_feature_inline_data(s))
		return "inline_data";
	if (ext2fs_has_feature_quota(s))
		return "quota";
	if (ext2fs_has_feature_project(s))
		return "project";
	if (ext2fs_has_feature_bigalloc(s))
		return "bigalloc";
	if (ext2fs_has_feature_verity(s))
		return "verity";
	if (ext2fs_has_feature_readonly(s))
		return "read-only";
	return NULL;
}

/* Features umk never mounts with. */
static const char *unsupported(ext2_filsys fs)
{
	struct ext2_super_block *s = fs->super;
	if (ext2fs_has_feature_mmp(s))
		return "mmp";
	if (ext2fs_has_feature_encrypt(s))
		return "encrypt";
	if (ext2fs_has_feature_casefold(s))
		return "casefold";
	if (ext2fs_has_feature_journal_dev(s))
		return "journal_dev";
	return NULL;
}

static int set_clean(struct e2fs *f, bool clean)
{
	struct ext2_super_block *s = f->fs->super;
	if (clean) {
		s->s_state |= EXT2_VALID_FS;
	} else {
		s->s_state &= (__u16)~EXT2_VALID_FS;
		s->s_mnt_count++;
		s->s_mtime = (__u32)time(NULL);
	}
	ext2fs_mark_super_dirty(f->fs);
	return err_of(ext2fs_flush2(f->fs, 0));
}

static int open_rw(struct e2fs *f, char *why, size_t len)
{
	const char *feat = rw_unsupported(f->fs);
	if (feat) {
		snprintf(why, len, "umk cannot write ext4 feature '%s': mount it read-only", feat);
		return -EROFS;
	}
	if (ext2fs_has_feature_orphan_present(f->fs->super) || f->fs->super->s_last_orphan) {
		snprintf(why, len, "it has orphan inodes to release: run e2fsck -p on the image");
		return -EUCLEAN;
	}
	f->fs->flags |= EXT2_FLAG_RW;
	int err = err_of(ext2fs_read_bitmaps(f->fs));
	if (!err)
		err = set_clean(f, false);
	if (err) {
		f->fs->flags &= ~EXT2_FLAG_RW;
		snprintf(why, len, "cannot read its allocation bitmaps (error %d)", -err);
	}
	return err;
}

/* Reads the superblock and group descriptors from the disk. */
static int load(struct e2fs *f, const char *name, char *why, size_t len)
{
	opening_dev = f->dev;
	int flags = EXT2_FLAG_64BITS | EXT2_FLAG_MASTER_SB_ONLY;
	errcode_t e = ext2fs_open2(name, NULL, flags, 0, 0, &umk_io_manager, &f->fs);
	opening_dev = NULL;
	if (e) {
		snprintf(why, len, "no ext2/3/4 filesystem (%s)", error_message(e));
		f->fs = NULL;
		return e == EXT2_ET_UNSUPP_FEATURE || e == EXT2_ET_RO_UNSUPP_FEATURE ? -EOPNOTSUPP
										     : -EINVAL;
	}
	const char *feat = unsupported(f->fs);
	int err = 0;
	if (feat) {
		snprintf(why, len, "umk does not support ext4 feature '%s'", feat);
		err = -EOPNOTSUPP;
	} else if (ext2fs_has_feature_journal_needs_recovery(f->fs->super)) {
		/* libext2fs cannot replay a journal; e2fsck can. */
		snprintf(why, len, "its journal needs recovery: run e2fsck -p on the image");
		err = -EUCLEAN;
	}
	if (err) {
		ext2fs_free(f->fs);
		f->fs = NULL;
	}
	return err;
}

int e2fs_open(void *dev, const char *name, bool rw, struct e2fs **out, char *why, size_t len)
{
	struct e2fs *f = calloc(1, sizeof *f);
	if (!f)
		return -ENOMEM;
	f->dev = dev;
	int err = load(f, name, why, len);
	if (!err && rw) {
		err = open_rw(f, why, len);
		f->rw = !err;
		if (err)
			ext2fs_free(f->fs);
	}
	if (err) {
		free(f);
		return err;
	}
	*out = f;
	return 0;
}

/* Read-only to read-write reads the disk afresh: while read-only, the
 * guest may have written it through the block device (e2fsck at boot). */
int e2fs_remount(struct e2fs *f, bool rw, char *why, size_t len)
{
	if (rw == f->rw)
		return 0;
	if (!rw) {
		int err = set_clean(f, true);
		f->fs->flags &= ~EXT2_FLAG_RW;
		f->rw = false;
		return err;
	}
	char *name = strdup(f->fs->device_name);
	if (!name)
		return -ENOMEM;
	ext2_filsys old = f->fs;
	int err = load(f, name, why, len);
	free(name);
	if (err) {
		f->fs = old;
		return err;
	}
	ext2fs_free(old);
	err = open_rw(f, why, len);
	f->rw = !err;
	return err;
}

int e2fs_flush(struct e2fs *f)
{
	if (!f->rw)
		return 0;
	return err_of(ext2fs_flush2(f->fs, EXT2_FLAG_FLUSH_NO_SYNC));
}

bool e2fs_dirty(struct e2fs *f)
{
	return f->rw &&
	       (f->fs->flags & (EXT2_FLAG_DIRTY | EXT2_FLAG_IB_DIRTY | EXT2_FLAG_BB_DIRTY));
}

int e2fs_close(struct e2fs *f)
{
	int err = f->rw ? set_clean(f, true) : 0;
	ext2fs_free(f->fs);
	free(f);
	return err;
}

const char *e2fs_kind(struct e2fs *f)
{
	struct ext2_super_block *s = f->fs->super;
	if (ext2fs_has_feature_extents(s) || ext2fs_has_feature_64bit(s) ||
	    ext2fs_has_feature_flex_bg(s) || ext2fs_has_feature_huge_file(s) ||
	    ext2fs_has_feature_metadata_csum(s) || ext2fs_has_feature_gdt_csum(s) ||
	    ext2fs_has_feature_dir_nlink(s) || ext2fs_has_feature_extra_isize(s))
		return "ext4";
	return ext2fs_has_feature_journal(s) ? "ext3" : "ext2";
}

const char *e2fs_incompatible_with(struct e2fs *f, const char *kind)
{
	struct ext2_super_block *s = f->fs->super;
	if (!strcmp(kind, "ext4"))
		return NULL;
	if (ext2fs_has_feature_extents(s))
		return "extent";
	if (ext2fs_has_feature_64bit(s))
		return "64bit";
	if (ext2fs_has_feature_flex_bg(s))
		return "flex_bg";
	if (ext2fs_has_feature_metadata_csum(s))
		return "metadata_csum";
	if (!strcmp(kind, "ext3") && !ext2fs_has_feature_journal(s))
		return "no has_journal";
	return NULL;
}

uint32_t e2fs_block_size(struct e2fs *f)
{
	return f->fs->blocksize;
}

void e2fs_statfs(struct e2fs *f, struct e2fs_statfs *st)
{
	struct ext2_super_block *s = f->fs->super;
	uint64_t overhead = s->s_first_data_block; /* Linux's minixdf-less count */
	st->block_size = f->fs->blocksize;
	st->blocks = ext2fs_blocks_count(s) - overhead;
	st->free_blocks = ext2fs_free_blocks_count(s);
	uint64_t reserved = ext2fs_r_blocks_count(s);
	st->avail_blocks = st->free_blocks > reserved ? st->free_blocks - reserved : 0;
	st->inodes = s->s_inodes_count;
	st->free_inodes = s->s_free_inodes_count;
	uint32_t u[4];
	memcpy(u, s->s_uuid, 16);
	st->fsid = (uint64_t)(u[0] ^ u[2]) | (uint64_t)(u[1] ^ u[3]) << 32;
	st->max_name = EXT2_NAME_LEN;
}

/* ---- Inodes ---- */

static bool fits(const struct ext2_inode_large *in, size_t end)
{
	return end <= (size_t)EXT2_GOOD_OLD_INODE_SIZE + in->i_extra_isize;
}

#define FITS(in, field) fits(in, offsetof(struct ext2_inode_large, field) + sizeof((in)->field))

/* Linux's ext4_{en,de}code_extra_time: 2 epoch bits above the signed
 * 32-bit seconds, then the nanoseconds. */
static struct e2fs_time get_time(__u32 sec, __u32 extra, bool has_extra)
{
	struct e2fs_time t = {(int32_t)sec, 0};
	if (has_extra) {
		t.sec += (int64_t)(extra & EXT4_EPOCH_MASK) << 32;
		t.nsec = (uint32_t)((extra & EXT4_NSEC_MASK) >> EXT4_EPOCH_BITS);
	}
	return t;
}

static void set_time(struct e2fs_time t, __u32 *sec, __u32 *extra, bool has_extra)
{
	*sec = (__u32)t.sec;
	if (has_extra)
		*extra = (__u32)(((t.sec - (int32_t)t.sec) >> 32) & EXT4_EPOCH_MASK) |
			 (t.nsec << EXT4_EPOCH_BITS);
}

static bool is_device(uint32_t mode)
{
	return LINUX_S_ISCHR(mode) || LINUX_S_ISBLK(mode);
}

static int read_large(struct e2fs *f, uint32_t ino, struct ext2_inode_large *in)
{
	if (ino < 1 || ino > f->fs->super->s_inodes_count)
		return -EUCLEAN;
	memset(in, 0, sizeof *in);
	return err_of(ext2fs_read_inode_full(f->fs, ino, (struct ext2_inode *)in, sizeof *in));
}

static int write_large(struct e2fs *f, uint32_t ino, struct ext2_inode_large *in)
{
	return err_of(ext2fs_write_inode_full(f->fs, ino, (struct ext2_inode *)in, sizeof *in));
}

int e2fs_read_inode(struct e2fs *f, uint32_t ino, struct e2fs_inode *out)
{
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	if (err)
		return err;
	struct ext2_inode *i = (struct ext2_inode *)&in;
	out->mode = in.i_mode;
	out->uid = inode_uid(in);
	out->gid = inode_gid(in);
	out->nlink = in.i_links_count;
	out->flags = in.i_flags;
	out->generation = in.i_generation;
	out->size = EXT2_I_SIZE(&in);
	out->blocks = ext2fs_get_stat_i_blocks(f->fs, i);
	out->atime = get_time(in.i_atime, in.i_atime_extra, FITS(&in, i_atime_extra));
	out->mtime = get_time(in.i_mtime, in.i_mtime_extra, FITS(&in, i_mtime_extra));
	out->ctime = get_time(in.i_ctime, in.i_ctime_extra, FITS(&in, i_ctime_extra));
	out->crtime = FITS(&in, i_crtime_extra) ? get_time(in.i_crtime, in.i_crtime_extra, true)
						: (struct e2fs_time){0, 0};
	out->rdev_major = out->rdev_minor = 0;
	if (is_device(in.i_mode)) {
		/* Linux's old (8:8) or new (12:20) encoding in i_block. */
		uint32_t old = in.i_block[0], dev = in.i_block[1];
		if (old) {
			out->rdev_major = (old >> 8) & 0xff;
			out->rdev_minor = old & 0xff;
		} else {
			out->rdev_major = (dev & 0xfff00) >> 8;
			out->rdev_minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
		}
	}
	return 0;
}

static void set_rdev(struct ext2_inode_large *in, uint64_t ma, uint64_t mi)
{
	if (ma < 256 && mi < 256) {
		in->i_block[0] = (__u32)(ma << 8 | mi);
		in->i_block[1] = 0;
	} else {
		in->i_block[0] = 0;
		in->i_block[1] = (__u32)((mi & 0xff) | (ma << 8) | ((mi & ~0xffULL) << 12));
		in->i_block[2] = 0;
	}
}

static void fill_large(struct e2fs *f, struct ext2_inode_large *in, const struct e2fs_inode *a)
{
	in->i_mode = (__u16)a->mode;
	in->i_uid = (__u16)a->uid;
	ext2fs_set_i_uid_high(*in, a->uid >> 16);
	in->i_gid = (__u16)a->gid;
	ext2fs_set_i_gid_high(*in, a->gid >> 16);
	/* dir_nlink: a directory past the 16-bit count keeps 1 ("many"). */
	in->i_links_count =
	    a->nlink > EXT2_LINK_MAX && LINUX_S_ISDIR(a->mode) ? 1 : (__u16)a->nlink;
	/* Only a regular file's size is the VFS's; a directory grows here. */
	if (LINUX_S_ISREG(a->mode))
		ext2fs_inode_size_set(f->fs, (struct ext2_inode *)in, a->size);
	set_time(a->atime, &in->i_atime, &in->i_atime_extra, FITS(in, i_atime_extra));
	set_time(a->mtime, &in->i_mtime, &in->i_mtime_extra, FITS(in, i_mtime_extra));
	set_time(a->ctime, &in->i_ctime, &in->i_ctime_extra, FITS(in, i_ctime_extra));
	if (FITS(in, i_crtime_extra))
		set_time(a->crtime, &in->i_crtime, &in->i_crtime_extra, true);
	if (is_device(a->mode))
		set_rdev(in, a->rdev_major, a->rdev_minor);
}

int e2fs_write_inode(struct e2fs *f, uint32_t ino, struct e2fs_inode *a)
{
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	if (err)
		return err;
	fill_large(f, &in, a);
	err = write_large(f, ino, &in);
	a->blocks = ext2fs_get_stat_i_blocks(f->fs, (struct ext2_inode *)&in);
	a->size = EXT2_I_SIZE(&in);
	return err;
}

/* A directory's first block: "." and "..". */
static int make_dir_block(struct e2fs *f, uint32_t ino, uint32_t parent)
{
	char *block = NULL;
	blk64_t pblk = 0;
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	if (!err)
		err = err_of(ext2fs_new_dir_block(f->fs, ino, parent, &block));
	if (!err)
		err = err_of(ext2fs_bmap2(f->fs, ino, (struct ext2_inode *)&in, NULL, BMAP_ALLOC, 0,
					  NULL, &pblk));
	if (!err)
		err = err_of(ext2fs_write_dir_block4(f->fs, pblk, block, 0, ino));
	if (!err) {
		err = read_large(f, ino, &in);
		if (!err) {
			ext2fs_inode_size_set(f->fs, (struct ext2_inode *)&in, f->fs->blocksize);
			err = write_large(f, ino, &in);
		}
	}
	ext2fs_free_mem(&block);
	return err;
}

/* An empty extent tree in i_block (opening one on an inode that has none
 * makes it, as mke2fs -d does). */
static int init_extents(struct e2fs *f, uint32_t ino)
{
	struct ext2_inode_large in;
	ext2_extent_handle_t h;
	int err = read_large(f, ino, &in);
	if (!err)
		err = err_of(ext2fs_extent_open2(f->fs, ino, (struct ext2_inode *)&in, &h));
	if (err)
		return err;
	ext2fs_extent_free(h);
	return write_large(f, ino, &in);
}

int e2fs_create(struct e2fs *f, uint32_t dir, struct e2fs_inode *a, const char *symlink,
		uint32_t *out)
{
	ext2_ino_t ino;
	int err = err_of(ext2fs_new_inode(f->fs, dir, (int)a->mode, NULL, &ino));
	if (err)
		return err;
	if (LINUX_S_ISLNK(a->mode)) {
		if (strlen(symlink) >= f->fs->blocksize)
			return -ENAMETOOLONG;
		/* Marks the inode in use itself. */
		err = err_of(ext2fs_symlink(f->fs, dir, ino, NULL, (char *)symlink));
		if (err)
			return err;
	} else {
		struct ext2_inode in = {0};
		in.i_mode = (__u16)a->mode;
		in.i_links_count = 1;
		err = err_of(ext2fs_write_new_inode(f->fs, ino, &in));
		if (err)
			return err;
		ext2fs_inode_alloc_stats2(f->fs, ino, +1, LINUX_S_ISDIR(a->mode));
		if (ext2fs_has_feature_extents(f->fs->super) &&
		    (LINUX_S_ISREG(a->mode) || LINUX_S_ISDIR(a->mode)) &&
		    (err = init_extents(f, ino))) {
			e2fs_delete(f, ino);
			return err;
		}
		if (LINUX_S_ISDIR(a->mode) && (err = make_dir_block(f, ino, dir))) {
			e2fs_delete(f, ino);
			return err;
		}
	}
	struct ext2_inode_large in;
	err = read_large(f, ino, &in);
	if (!err) {
		a->size = EXT2_I_SIZE(&in);
		fill_large(f, &in, a);
		err = write_large(f, ino, &in);
		a->blocks = ext2fs_get_stat_i_blocks(f->fs, (struct ext2_inode *)&in);
		a->generation = in.i_generation;
	}
	if (err) {
		e2fs_delete(f, ino);
		return err;
	}
	*out = ino;
	return 0;
}

int e2fs_delete(struct e2fs *f, uint32_t ino)
{
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	if (err)
		return err;
	struct ext2_inode *i = (struct ext2_inode *)&in;
	/* Fast symlinks and devices keep text or numbers in i_block, not blocks. */
	if (ext2fs_inode_has_valid_blocks2(f->fs, i))
		err = err_of(ext2fs_punch(f->fs, ino, i, NULL, 0, ~0ULL));
	if (!err)
		err = err_of(ext2fs_free_ext_attr(f->fs, ino, &in));
	if (err)
		return err;
	in.i_links_count = 0;
	in.i_dtime = (__u32)time(NULL);
	ext2fs_inode_size_set(f->fs, i, 0);
	err = write_large(f, ino, &in);
	if (!err)
		ext2fs_inode_alloc_stats2(f->fs, ino, -1, LINUX_S_ISDIR(in.i_mode));
	return err;
}

long e2fs_readlink(struct e2fs *f, uint32_t ino, char *buf, size_t len)
{
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	if (err)
		return err;
	uint64_t size = EXT2_I_SIZE(&in);
	if (size > f->fs->blocksize || size == 0)
		return -EUCLEAN;
	size_t n = size < len ? (size_t)size : len;
	struct ext2_inode *i = (struct ext2_inode *)&in;
	if (ext2fs_is_fast_symlink(i)) {
		if (size >= sizeof in.i_block)
			return -EUCLEAN;
		memcpy(buf, in.i_block, n);
		return (long)n;
	}
	if (in.i_flags & EXT4_INLINE_DATA_FL) {
		char tmp[4096];
		size_t got = sizeof tmp;
		err = err_of(ext2fs_inline_data_get(f->fs, ino, i, tmp, &got));
		if (err)
			return err;
		n = got < n ? got : n;
		memcpy(buf, tmp, n);
		return (long)n;
	}
	char *block = malloc(f->fs->blocksize);
	if (!block)
		return -ENOMEM;
	err = e2fs_read(f, ino, 0, block, f->fs->blocksize);
	if (!err)
		memcpy(buf, block, n);
	free(block);
	return err ? err : (long)n;
}

/* ---- Block runs ---- */

/* A run of logical blocks from lblk (at most max) mapped alike: to
 * consecutive blocks from *pblk, or a hole (*pblk 0), initialized or
 * not (*uninit). Returns its length, or a negative errno. */
static int64_t map_run(struct e2fs *f, uint32_t ino, struct ext2_inode *in, ext2_extent_handle_t h,
		       blk64_t lblk, blk64_t max, blk64_t *pblk, bool *uninit)
{
	*uninit = false;
	*pblk = 0;
	if (!h) {
		int flags = 0;
		int err = err_of(ext2fs_bmap2(f->fs, ino, in, NULL, 0, lblk, &flags, pblk));
		*uninit = flags & BMAP_RET_UNINIT;
		return err ? err : 1;
	}
	struct ext2fs_extent e;
	errcode_t ec = ext2fs_extent_goto(h, lblk);
	if (!ec) {
		if ((ec = ext2fs_extent_get(h, EXT2_EXTENT_CURRENT, &e)))
			return err_of(ec);
		if (e.e_lblk > lblk || e.e_lblk + e.e_len <= lblk)
			return -EUCLEAN;
		*pblk = e.e_pblk + (lblk - e.e_lblk);
		*uninit = e.e_flags & EXT2_EXTENT_FLAGS_UNINIT;
		blk64_t n = e.e_lblk + e.e_len - lblk;
		return (int64_t)(n < max ? n : max);
	}
	if (ec != EXT2_ET_EXTENT_NOT_FOUND)
		return err_of(ec);
	/* A hole: it ends where the next extent begins. */
	if (ext2fs_extent_get(h, EXT2_EXTENT_CURRENT, &e) == 0 && e.e_lblk > lblk)
		return (int64_t)(e.e_lblk - lblk < max ? e.e_lblk - lblk : max);
	while (ext2fs_extent_get(h, EXT2_EXTENT_NEXT_LEAF, &e) == 0) {
		if (e.e_lblk > lblk)
			return (int64_t)(e.e_lblk - lblk < max ? e.e_lblk - lblk : max);
	}
	return (int64_t)max;
}

/* Calls fn for each run of [lblk, lblk + n). */
typedef int (*run_fn)(struct e2fs *f, void *ctx, blk64_t lblk, blk64_t pblk, blk64_t n,
		      bool uninit);

static int for_each_run(struct e2fs *f, uint32_t ino, blk64_t lblk, blk64_t n, run_fn fn, void *ctx)
{
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	if (err)
		return err;
	struct ext2_inode *i = (struct ext2_inode *)&in;
	ext2_extent_handle_t h = NULL;
	if ((in.i_flags & EXT4_EXTENTS_FL) &&
	    (err = err_of(ext2fs_extent_open2(f->fs, ino, i, &h))))
		return err;
	while (n && !err) {
		blk64_t pblk;
		bool uninit;
		int64_t k = map_run(f, ino, i, h, lblk, n, &pblk, &uninit);
		if (k < 0) {
			err = (int)k;
			break;
		}
		if (k == 0)
			k = 1;
		/* Block-mapped files come one block at a time: join them. */
		while (!h && (blk64_t)k < n && pblk) {
			blk64_t next;
			bool u;
			if (map_run(f, ino, i, h, lblk + (blk64_t)k, 1, &next, &u) != 1 ||
			    next != pblk + (blk64_t)k)
				break;
			k++;
		}
		err = fn(f, ctx, lblk, pblk, (blk64_t)k, uninit);
		lblk += (blk64_t)k;
		n -= (blk64_t)k;
	}
	if (h)
		ext2fs_extent_free(h);
	return err;
}

/* ---- File data ---- */

struct rw_ctx {
	char *buf; /* for byte offset base */
	uint64_t base, off, len;
	int inited; /* runs that were unwritten and now hold data */
};

static int read_run(struct e2fs *f, void *arg, blk64_t lblk, blk64_t pblk, blk64_t n, bool uninit)
{
	struct rw_ctx *c = arg;
	uint64_t bs = f->fs->blocksize, start = lblk * bs, end = (lblk + n) * bs;
	if (start < c->off)
		start = c->off;
	if (end > c->off + c->len)
		end = c->off + c->len;
	char *dst = c->buf + (start - c->base);
	if (!pblk || uninit) {
		memset(dst, 0, end - start);
		return 0;
	}
	return e2fs_dev_read(f->dev, pblk * bs + (start - lblk * bs), dst, end - start);
}

int e2fs_read(struct e2fs *f, uint32_t ino, uint64_t off, void *buf, size_t len)
{
	if (!len)
		return 0;
	uint64_t bs = f->fs->blocksize;
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	if (err)
		return err;
	if (in.i_flags & EXT4_INLINE_DATA_FL) {
		char tmp[4096];
		size_t got = sizeof tmp;
		err =
		    err_of(ext2fs_inline_data_get(f->fs, ino, (struct ext2_inode *)&in, tmp, &got));
		if (err)
			return err;
		memset(buf, 0, len);
		if (off < got)
			memcpy(buf, tmp + off, got - off < len ? got - off : len);
		return 0;
	}
	struct rw_ctx c = {buf, off, off, len, 0};
	return for_each_run(f, ino, off / bs, (off + len + bs - 1) / bs - off / bs, read_run, &c);
}

static int write_run(struct e2fs *f, void *arg, blk64_t lblk, blk64_t pblk, blk64_t n, bool uninit)
{
	struct rw_ctx *c = arg;
	uint64_t bs = f->fs->blocksize, start = lblk * bs, end = (lblk + n) * bs;
	if (!pblk)
		return -EIO; /* allocated just before: cannot be a hole */
	if (start < c->off)
		start = c->off;
	if (end > c->off + c->len)
		end = c->off + c->len;
	c->inited += uninit;
	return e2fs_dev_write(f->dev, pblk * bs + (start - lblk * bs), c->buf + (start - c->base),
			      end - start);
}

/* Blocks of [lblk, lblk + n) that have none get one. */
static int allocate_blocks(struct e2fs *f, uint32_t ino, blk64_t lblk, blk64_t n, int flags)
{
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	if (err)
		return err;
	if (in.i_flags & EXT4_EXTENTS_FL)
		return err_of(ext2fs_fallocate(f->fs, flags | EXT2_FALLOCATE_INIT_BEYOND_EOF, ino,
					       NULL, ~0ULL, lblk, n));
	/* Block-mapped files have no unwritten blocks: allocate one by one
	 * (ext2fs_fallocate would zero each block first). */
	for (blk64_t b = lblk; b < lblk + n && !err; b++) {
		blk64_t pblk;
		err = err_of(ext2fs_bmap2(f->fs, ino, (struct ext2_inode *)&in, NULL, BMAP_ALLOC, b,
					  NULL, &pblk));
	}
	return err;
}

/* Marks the written blocks of unwritten extents as holding data. */
static int mark_written(struct e2fs *f, uint32_t ino, blk64_t lblk, blk64_t n)
{
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	for (blk64_t b = lblk; b < lblk + n && !err; b++) {
		int flags = 0;
		blk64_t pblk;
		err = err_of(
		    ext2fs_bmap2(f->fs, ino, (struct ext2_inode *)&in, NULL, 0, b, &flags, &pblk));
		if (!err && (flags & BMAP_RET_UNINIT))
			err = err_of(ext2fs_bmap2(f->fs, ino, (struct ext2_inode *)&in, NULL,
						  BMAP_SET, b, NULL, &pblk));
	}
	return err;
}

int e2fs_write(struct e2fs *f, uint32_t ino, uint64_t off, const void *buf, size_t len)
{
	if (!f->rw)
		return -EROFS;
	if (!len)
		return 0;
	uint64_t bs = f->fs->blocksize;
	blk64_t lblk = off / bs, n = (off + len + bs - 1) / bs - lblk;
	int err = allocate_blocks(f, ino, lblk, n, EXT2_FALLOCATE_FORCE_INIT);
	struct rw_ctx c = {(char *)buf, off, off, len, 0};
	if (!err)
		err = for_each_run(f, ino, lblk, n, write_run, &c);
	if (!err && c.inited)
		err = mark_written(f, ino, lblk, n);
	return err;
}

int e2fs_punch(struct e2fs *f, uint32_t ino, uint64_t off, uint64_t len)
{
	if (!f->rw)
		return -EROFS;
	uint64_t bs = f->fs->blocksize;
	blk64_t first = (off + bs - 1) / bs, end = len ? (off + len) / bs : ~0ULL;
	if (len && end <= first)
		return 0;
	struct ext2_inode_large in;
	int err = read_large(f, ino, &in);
	if (err || !ext2fs_inode_has_valid_blocks2(f->fs, (struct ext2_inode *)&in))
		return err;
	return err_of(ext2fs_punch(f->fs, ino, NULL, NULL, first, len ? end - 1 : ~0ULL));
}

int e2fs_allocate(struct e2fs *f, uint32_t ino, uint64_t off, uint64_t len)
{
	if (!f->rw)
		return -EROFS;
	uint64_t bs = f->fs->blocksize;
	blk64_t lblk = off / bs, n = (off + len + bs - 1) / bs - lblk;
	return allocate_blocks(f, ino, lblk, n, EXT2_FALLOCATE_FORCE_UNINIT);
}

struct seek_ctx {
	bool hole, found;
	uint64_t at;
};

static int seek_run(struct e2fs *f, void *arg, blk64_t lblk, blk64_t pblk, blk64_t n, bool uninit)
{
	struct seek_ctx *c = arg;
	bool data = pblk && !uninit;
	(void)n;
	if (data != c->hole) {
		c->found = true;
		uint64_t at = lblk * f->fs->blocksize;
		c->at = at > c->at ? at : c->at;
		return 1; /* stop */
	}
	return 0;
}

int64_t e2fs_seek(struct e2fs *f, uint32_t ino, uint64_t off, uint64_t size, bool hole)
{
	uint64_t bs = f->fs->blocksize;
	struct seek_ctx c = {hole, false, off};
	blk64_t first = off / bs, last = (size + bs - 1) / bs;
	int err = last > first ? for_each_run(f, ino, first, last - first, seek_run, &c) : 0;
	if (err < 0)
		return err;
	if (!c.found)
		return hole ? (int64_t)size : -ENXIO;
	return (int64_t)(c.at < size ? c.at : size);
}

/* ---- Directories ---- */

static const unsigned char ft_to_type[] = {
    [EXT2_FT_REG_FILE] = 8, [EXT2_FT_DIR] = 4,	 [EXT2_FT_CHRDEV] = 2,	 [EXT2_FT_BLKDEV] = 6,
    [EXT2_FT_FIFO] = 1,	    [EXT2_FT_SOCK] = 12, [EXT2_FT_SYMLINK] = 10,
};

static int type_to_ft(unsigned type)
{
	for (int ft = 1; ft < (int)sizeof ft_to_type; ft++)
		if (ft_to_type[ft] == type)
			return ft;
	return EXT2_FT_UNKNOWN;
}

struct iter_ctx {
	ext2_filsys fs;
	uint64_t pos, block_pos;
	unsigned blocksize;
	e2fs_filldir_t fn;
	void *ctx;
	bool stopped;
};

/* ext2fs_dir_iterate2 gives offsets within each block: the entry at
 * offset 0 starts the next block (empty entries are included for that). */
static int iter_one(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset, int blocksize,
		    char *buf, void *arg)
{
	struct iter_ctx *c = arg;
	(void)dir, (void)entry, (void)buf;
	if (offset == 0 && c->blocksize)
		c->block_pos += (uint64_t)c->blocksize;
	c->blocksize = (unsigned)blocksize;
	unsigned rec_len;
	if (ext2fs_get_rec_len(c->fs, de, &rec_len) || rec_len == 0)
		return DIRENT_ABORT;
	uint64_t here = c->block_pos + (uint64_t)offset, next = here + rec_len;
	if (here < c->pos || !de->inode)
		return 0;
	int ft = ext2fs_dirent_file_type(de);
	unsigned type = ft > 0 && ft < (int)sizeof ft_to_type ? ft_to_type[ft] : 0;
	if (c->fn(c->ctx, de->name, (size_t)ext2fs_dirent_name_len(de), de->inode, type, next)) {
		c->stopped = true;
		return DIRENT_ABORT;
	}
	return 0;
}

int e2fs_dir_iterate(struct e2fs *f, uint32_t dir, uint64_t pos, e2fs_filldir_t fn, void *ctx)
{
	struct iter_ctx c = {f->fs, pos, 0, 0, fn, ctx, false};
	errcode_t e =
	    ext2fs_dir_iterate2(f->fs, dir, DIRENT_FLAG_INCLUDE_EMPTY, NULL, iter_one, &c);
	return err_of(e);
}

/*
 * A directory that outgrows its one block becomes an htree (as Linux's
 * make_indexed_dir does), so that adding names stays logarithmic: block 0
 * turns into the root, whose one index entry points at a new block 1 that
 * takes the names; libext2fs's ext2fs_link then splits leaves as they fill.
 */
static int make_indexed(struct e2fs *f, uint32_t dir)
{
	ext2_filsys fs = f->fs;
	unsigned bs = fs->blocksize, csum = ext2fs_has_feature_metadata_csum(fs->super) ? 8 : 0;
	struct ext2_inode_large in;
	blk64_t root, leaf;
	int err = read_large(f, dir, &in);
	if (err)
		return err;
	struct ext2_inode *i = (struct ext2_inode *)&in;
	char *buf = malloc(bs), *lbuf = malloc(bs);
	if (!buf || !lbuf) {
		err = -ENOMEM;
		goto out;
	}
	if ((err = err_of(ext2fs_bmap2(fs, dir, i, NULL, 0, 0, NULL, &root))) ||
	    (err = err_of(ext2fs_read_dir_block4(fs, root, buf, 0, dir))))
		goto out;
	/* The leaf: the same entries, "." and ".." turned into one empty one. */
	struct ext2_dir_entry *dot = (void *)buf, *dotdot;
	unsigned l1, l2;
	if (ext2fs_get_rec_len(fs, dot, &l1) || l1 < 12 || l1 + 12 > bs - csum ||
	    (dotdot = (void *)(buf + l1), ext2fs_get_rec_len(fs, dotdot, &l2)) || l2 < 12 ||
	    l1 + l2 > bs - csum || ext2fs_dirent_name_len(dot) != 1 ||
	    ext2fs_dirent_name_len(dotdot) != 2) {
		err = -EUCLEAN;
		goto out;
	}
	memcpy(lbuf, buf, bs);
	struct ext2_dir_entry *empty = (void *)lbuf;
	empty->inode = 0;
	ext2fs_dirent_set_name_len(empty, 0);
	ext2fs_dirent_set_file_type(empty, 0);
	ext2fs_set_rec_len(fs, l1 + l2, empty);
	if ((err = err_of(ext2fs_bmap2(fs, dir, i, NULL, BMAP_ALLOC, 1, NULL, &leaf))) ||
	    (err = err_of(ext2fs_write_dir_block4(fs, leaf, lbuf, 0, dir))))
		goto out;
	/* The root: ".", ".." to the end of the block, the root info and one
	 * index entry (its count and limit in place of the first hash). */
	ext2_ino_t parent = dotdot->inode;
	memset(buf, 0, bs);
	dot = (void *)buf;
	dot->inode = dir;
	ext2fs_dirent_set_name_len(dot, 1);
	ext2fs_dirent_set_file_type(dot, EXT2_FT_DIR);
	ext2fs_set_rec_len(fs, 12, dot);
	dot->name[0] = '.';
	dotdot = (void *)(buf + 12);
	dotdot->inode = parent;
	ext2fs_dirent_set_name_len(dotdot, 2);
	ext2fs_dirent_set_file_type(dotdot, EXT2_FT_DIR);
	ext2fs_set_rec_len(fs, bs - 12, dotdot);
	dotdot->name[0] = dotdot->name[1] = '.';
	struct ext2_dx_root_info *info = (void *)(buf + 24);
	info->hash_version = fs->super->s_def_hash_version;
	info->info_length = 8;
	struct ext2_dx_countlimit *cl = (void *)(buf + 32);
	cl->limit = ext2fs_cpu_to_le16((__u16)((bs - 32 - csum) / sizeof(struct ext2_dx_entry)));
	cl->count = ext2fs_cpu_to_le16(1);
	((struct ext2_dx_entry *)cl)->block = ext2fs_cpu_to_le32(1);
	if ((err = err_of(ext2fs_write_dir_block4(fs, root, buf, 0, dir))))
		goto out;
	if ((err = read_large(f, dir, &in)))
		goto out;
	in.i_flags |= EXT2_INDEX_FL;
	ext2fs_inode_size_set(fs, i, 2 * (uint64_t)bs);
	err = write_large(f, dir, &in);
out:
	free(buf);
	free(lbuf);
	return err;
}

static int dir_blocks(struct e2fs *f, uint32_t dir, uint64_t *n, bool *indexed)
{
	struct ext2_inode_large in;
	int err = read_large(f, dir, &in);
	*n = EXT2_I_SIZE(&in) / f->fs->blocksize;
	*indexed = in.i_flags & EXT2_INDEX_FL;
	return err;
}

int e2fs_dir_add(struct e2fs *f, uint32_t dir, const char *name, uint32_t ino, unsigned type)
{
	if (!f->rw)
		return -EROFS;
	if (strlen(name) > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	int ft = type_to_ft(type);
	errcode_t e = ext2fs_link(f->fs, dir, name, ino, ft);
	if (e != EXT2_ET_DIR_NO_SPACE)
		return err_of(e);
	uint64_t blocks;
	bool indexed;
	int err = dir_blocks(f, dir, &blocks, &indexed);
	if (err)
		return err;
	if (!indexed && blocks == 1 && ext2fs_has_feature_dir_index(f->fs->super))
		err = make_indexed(f, dir);
	else if (!indexed)
		err = err_of(ext2fs_expand_dir(f->fs, dir));
	else
		return -ENOSPC; /* the htree is at its deepest */
	return err ? err : err_of(ext2fs_link(f->fs, dir, name, ino, ft));
}

/* The leaf block that holds name in an htree directory, found through the
 * index (ext2fs_lookup and ext2fs_unlink would read every block). */
static int dx_leaf(struct e2fs *f, uint32_t dir, const char *name, blk64_t *lblk)
{
	ext2_filsys fs = f->fs;
	struct ext2_inode_large in;
	int err = read_large(f, dir, &in);
	if (err)
		return err;
	struct ext2_inode *i = (struct ext2_inode *)&in;
	char *buf = malloc(fs->blocksize);
	if (!buf)
		return -ENOMEM;
	blk64_t b = 0, pblk;
	unsigned levels = 0;
	ext2_dirhash_t hash = 0, minor;
	for (unsigned level = 0;; level++) {
		if (!(err = err_of(ext2fs_bmap2(fs, dir, i, NULL, 0, b, NULL, &pblk))) && !pblk)
			err = -EUCLEAN;
		if (err || (err = err_of(ext2fs_read_dir_block4(fs, pblk, buf, 0, dir))))
			break;
		if (level == 0) {
			struct ext2_dx_root_info *info = (void *)(buf + 24);
			int alg = info->hash_version;
			if (info->reserved_zero || info->info_length != 8 || alg > EXT2_HASH_TEA ||
			    info->indirect_levels >= ext2_dir_htree_level(fs)) {
				err = -EUCLEAN;
				break;
			}
			if (fs->super->s_flags & EXT2_FLAGS_UNSIGNED_HASH)
				alg += 3;
			levels = info->indirect_levels;
			err = err_of(ext2fs_dirhash2(alg, name, (int)strlen(name), fs->encoding, 0,
						     fs->super->s_hash_seed, &hash, &minor));
			if (err)
				break;
		}
		struct ext2_dx_countlimit *cl;
		if ((err = err_of(ext2fs_get_dx_countlimit(fs, (void *)buf, &cl, NULL))))
			break;
		unsigned count = ext2fs_le16_to_cpu(cl->count),
			 limit = ext2fs_le16_to_cpu(cl->limit);
		struct ext2_dx_entry *ent = (void *)cl;
		if (!count || count > limit) {
			err = -EUCLEAN;
			break;
		}
		unsigned k = 0; /* the last entry whose hash <= hash; entry 0 has none */
		for (unsigned lo = 1, hi = count; lo < hi;) {
			unsigned mid = (lo + hi) / 2;
			if (ext2fs_le32_to_cpu(ent[mid].hash) > hash)
				hi = mid;
			else
				lo = mid + 1, k = mid;
		}
		b = ext2fs_le32_to_cpu(ent[k].block) & 0x0fffffff;
		if (level == levels) {
			*lblk = b;
			break;
		}
	}
	free(buf);
	return err;
}

/* What to do with the entry named `name` in one block. */
struct entry_op {
	const char *name;
	size_t len;
	uint32_t ino; /* 0: remove it; else point it here */
	int ft;
	bool done;
};

static int entry_proc(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset,
		      int blocksize, char *buf, void *arg)
{
	struct entry_op *op = arg;
	(void)dir, (void)entry, (void)offset, (void)blocksize, (void)buf;
	if (!de->inode || (size_t)ext2fs_dirent_name_len(de) != op->len ||
	    memcmp(de->name, op->name, op->len))
		return 0;
	de->inode = op->ino;
	if (op->ino)
		ext2fs_dirent_set_file_type(de, op->ft);
	op->done = true;
	return DIRENT_CHANGED | DIRENT_ABORT;
}

/* Runs op on the one block lblk of dir, through a one-block list. */
static int entry_in_block(struct e2fs *f, uint32_t dir, blk64_t lblk, struct entry_op *op)
{
	ext2_filsys fs = f->fs;
	struct ext2_inode_large in;
	blk64_t pblk;
	int err = read_large(f, dir, &in);
	if (!err)
		err = err_of(
		    ext2fs_bmap2(fs, dir, (struct ext2_inode *)&in, NULL, 0, lblk, NULL, &pblk));
	if (err || !pblk)
		return err ? err : -EUCLEAN;
	ext2_dblist list;
	if ((err = err_of(ext2fs_init_dblist(fs, &list))))
		return err;
	err = err_of(ext2fs_add_dir_block2(list, dir, pblk, (e2_blkcnt_t)lblk));
	if (!err)
		err = err_of(ext2fs_dblist_dir_iterate(list, 0, NULL, entry_proc, op));
	ext2fs_free_dblist(list);
	return err;
}

/* Finds name's block through the htree if dir has one, else every block. */
static int change_entry(struct e2fs *f, uint32_t dir, struct entry_op *op)
{
	uint64_t blocks;
	bool indexed;
	blk64_t lblk = 0;
	int err = dir_blocks(f, dir, &blocks, &indexed);
	if (!err && indexed && !(op->len <= 2 && op->name[0] == '.') &&
	    dx_leaf(f, dir, op->name, &lblk) == 0)
		err = entry_in_block(f, dir, lblk, op);
	if (!err && !op->done)
		err = err_of(ext2fs_dir_iterate2(f->fs, dir, 0, NULL, entry_proc, op));
	if (!err && !op->done)
		err = -ENOENT;
	return err;
}

int e2fs_dir_set(struct e2fs *f, uint32_t dir, const char *name, uint32_t ino, unsigned type)
{
	if (!f->rw)
		return -EROFS;
	struct entry_op op = {name, strlen(name), ino, type_to_ft(type), false};
	return change_entry(f, dir, &op);
}

/* An entry with inode 0 is free space that ext2fs_link reuses; libext2fs's
 * own unlink merges it into the entry before, which Linux does too but
 * needs not: e2fsck accepts both. */
int e2fs_dir_remove(struct e2fs *f, uint32_t dir, const char *name)
{
	if (!f->rw)
		return -EROFS;
	struct entry_op op = {name, strlen(name), 0, 0, false};
	return change_entry(f, dir, &op);
}

/* ---- Extended attributes ---- */

static int xattrs_open(struct e2fs *f, uint32_t ino, struct ext2_xattr_handle **h)
{
	int err = err_of(ext2fs_xattrs_open(f->fs, ino, h));
	if (!err && (err = err_of(ext2fs_xattrs_read(*h))))
		ext2fs_xattrs_close(h);
	return err;
}

long e2fs_getxattr(struct e2fs *f, uint32_t ino, const char *name, void *buf, size_t len)
{
	struct ext2_xattr_handle *h;
	int err = xattrs_open(f, ino, &h);
	if (err)
		return err;
	void *val = NULL;
	size_t n = 0;
	long r = err_of(ext2fs_xattr_get(h, name, &val, &n));
	if (!r) {
		r = (long)n;
		if (buf && n > len)
			r = -ERANGE;
		else if (buf)
			memcpy(buf, val, n);
		ext2fs_free_mem(&val);
	}
	ext2fs_xattrs_close(&h);
	return r;
}

int e2fs_setxattr(struct e2fs *f, uint32_t ino, const char *name, const void *val, size_t len,
		  int flags)
{
	if (!f->rw)
		return -EROFS;
	struct ext2_xattr_handle *h;
	int err = xattrs_open(f, ino, &h);
	if (err)
		return err;
	void *old = NULL;
	size_t n;
	errcode_t e = ext2fs_xattr_get(h, name, &old, &n);
	ext2fs_free_mem(&old);
	if ((flags & 1) && !e)
		err = -EEXIST;
	else if ((flags & 2) && e == EXT2_ET_EA_KEY_NOT_FOUND)
		err = -ENODATA;
	else
		err = err_of(ext2fs_xattr_set(h, name, val, len));
	int cerr = err_of(ext2fs_xattrs_close(&h));
	return err ? err : cerr;
}

int e2fs_removexattr(struct e2fs *f, uint32_t ino, const char *name)
{
	if (!f->rw)
		return -EROFS;
	struct ext2_xattr_handle *h;
	int err = xattrs_open(f, ino, &h);
	if (err)
		return err;
	void *old = NULL;
	size_t n;
	errcode_t e = ext2fs_xattr_get(h, name, &old, &n);
	ext2fs_free_mem(&old);
	err = e ? err_of(e) : err_of(ext2fs_xattr_remove(h, name));
	int cerr = err_of(ext2fs_xattrs_close(&h));
	return err ? err : cerr;
}

struct list_ctx {
	char *buf;
	size_t len, used;
	bool range;
};

static int list_one(char *name, char *value, size_t value_len, void *arg)
{
	struct list_ctx *c = arg;
	size_t k = strlen(name) + 1;
	(void)value, (void)value_len;
	if (c->buf && c->used + k > c->len)
		c->range = true;
	else if (c->buf)
		memcpy(c->buf + c->used, name, k);
	c->used += k;
	return 0;
}

long e2fs_listxattr(struct e2fs *f, uint32_t ino, char *buf, size_t len)
{
	struct ext2_xattr_handle *h;
	int err = xattrs_open(f, ino, &h);
	if (err)
		return err;
	struct list_ctx c = {buf, len, 0, false};
	err = err_of(ext2fs_xattrs_iterate(h, list_one, &c));
	ext2fs_xattrs_close(&h);
	if (err)
		return err;
	return c.range ? -ERANGE : (long)c.used;
}
