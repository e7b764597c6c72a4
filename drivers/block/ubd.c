/*
 * ubd: block devices over host files, as UML's. The command line is UML's
 * (ubd<n><flags>=<file>[(,|:)<file2>][(,|:)<serial>]), and so is the
 * copy-on-write format, so Debian's uml_moo merges a umk COW file into its
 * backing image.
 */
#include <stdio.h>
#include "kernel.h"
#include "host.h"
#include "blkdev.h"
#include "uapi/stat.h"

#define MAX_DEV 16

/*
 * UML's COW file, version 3: a big-endian header, then at bitmap_offset a
 * bitmap of the sectors the COW file holds (sector i is bit i % 8, low bit
 * first, of byte i / 8), then the disk itself at data_offset, sparse: a
 * sector the bitmap lacks is read from the backing file. The header keeps
 * the backing file's size and mtime to notice that it changed.
 */
#define COW_MAGIC    0x4f4f4f4d /* "MOOO" */
#define COW_VERSION  3
#define COW_PATH_LEN 4096
#define COW_SECTOR   512
#define COW_ALIGN    4096

struct cow_header_v3 {
	uint32_t magic, version, mtime;
	uint64_t size;
	uint32_t sectorsize, alignment, cow_format;
	char backing_file[COW_PATH_LEN];
} __attribute__((packed));

struct cow {
	int fd; /* the backing file, read-only; -1 without COW */
	uint8_t *bitmap;
	uint64_t bitmap_len;
	uint64_t bitmap_offset, data_offset;
	uint32_t sectorsize;
};

struct ubd {
	struct block_device bdev;
	const char *file;    /* the image, or the COW file when there is a backing file */
	const char *backing; /* from the command line or the COW header */
	const char *serial;
	bool configured, readonly, sync, shared, no_cow, no_trim;
	int fd;
	struct cow cow;
};

static struct ubd ubd_devs[MAX_DEV];

/* ---- The command line ---- */

static int setup_error(char *why, size_t len, const char *msg)
{
	snprintf(why, len, "%s", msg);
	return -EINVAL;
}

/* arg is "ubd" then a unit (a digit number or a letter), flag letters,
 * '=', and the files: UML's ubd_setup_common. */
int ubd_setup(const char *arg, char *why, size_t whylen)
{
	const char *s = arg + 3;
	int n;
	if (*s >= '0' && *s <= '9') {
		char *end;
		n = (int)strtol(s, &end, 10);
		s = end;
	} else if (*s >= 'a' && *s <= 'z') {
		n = *s++ - 'a';
	} else {
		return setup_error(why, whylen, "Couldn't parse device number");
	}
	if (n < 0 || n >= MAX_DEV)
		return setup_error(why, whylen, "Device number out of range");
	struct ubd *u = &ubd_devs[n];
	if (u->configured)
		return setup_error(why, whylen, "Device is already configured");
	bool ro = false, sync = false, shared = false, no_cow = false, no_trim = false;
	for (;; s++) {
		if (*s == '=')
			break;
		switch (*s) {
		case 'r':
			ro = true;
			continue;
		case 's':
			sync = true;
			continue;
		case 'c':
			shared = true;
			continue;
		case 'd':
			no_cow = true;
			continue;
		case 't':
			no_trim = true;
			continue;
		}
		return setup_error(why, whylen,
				   *s ? "Expected '=' or flag letter (r, s, c, t or d)"
				      : "Missing '='");
	}
	char *spec = kstrdup(s + 1), *rest = spec;
	if (!spec)
		return -ENOMEM;
	char *file = strsep(&rest, ",:"), *backing = strsep(&rest, ",:");
	char *serial = strsep(&rest, ",:");
	if (!*file) {
		kfree(spec);
		return setup_error(why, whylen, "Missing file name");
	}
	if (backing && no_cow) {
		kfree(spec);
		return setup_error(why, whylen, "Can't specify both 'd' and a cow file");
	}
	*u = (struct ubd){.file = file,
			  .backing = backing && *backing ? backing : NULL,
			  .serial = serial && *serial ? serial : NULL,
			  .configured = true,
			  .readonly = ro,
			  .sync = sync,
			  .shared = shared,
			  .no_cow = no_cow,
			  .no_trim = no_trim,
			  .fd = -1,
			  .cow.fd = -1};
	return 0;
}

/* ---- The COW bitmap ---- */

static bool cow_test(const struct cow *c, uint64_t sector)
{
	return c->bitmap[sector / 8] & (1u << (sector % 8));
}

static uint64_t be64(uint64_t v)
{
	return __builtin_bswap64(v);
}

static uint32_t be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static uint64_t round_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

/* Sectors present per run: the number of sectors from `sector` on (at
 * most n) that are all in the COW file, or all in the backing file. */
static uint64_t cow_run(const struct cow *c, uint64_t sector, uint64_t n, bool *in_cow)
{
	*in_cow = cow_test(c, sector);
	uint64_t k = 1;
	while (k < n && cow_test(c, sector + k) == *in_cow)
		k++;
	return k;
}

/* ---- I/O ---- */

static int pread_all(int fd, void *buf, size_t len, int64_t off)
{
	while (len) {
		long n = host_pread(fd, buf, len, off);
		if (n < 0)
			return (int)n;
		if (n == 0) {
			memset(buf, 0, len); /* past the end of a short image: zeros */
			return 0;
		}
		buf = (char *)buf + n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t len, int64_t off)
{
	while (len) {
		long n = host_pwrite(fd, buf, len, off);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -EIO;
		buf = (const char *)buf + n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static struct ubd *UBD(struct block_device *b)
{
	return b->private;
}

static int ubd_read(struct block_device *b, void *buf, size_t len, uint64_t off)
{
	struct ubd *u = UBD(b);
	struct cow *c = &u->cow;
	if (c->fd < 0)
		return pread_all(u->fd, buf, len, (int64_t)off);
	while (len) {
		uint64_t sector = off / c->sectorsize, skip = off % c->sectorsize;
		uint64_t sectors = (skip + len + c->sectorsize - 1) / c->sectorsize;
		bool in_cow;
		uint64_t run = cow_run(c, sector, sectors, &in_cow);
		size_t n = (size_t)min(run * c->sectorsize - skip, (uint64_t)len);
		int err = in_cow ? pread_all(u->fd, buf, n, (int64_t)(c->data_offset + off))
				 : pread_all(c->fd, buf, n, (int64_t)off);
		if (err)
			return err;
		buf = (char *)buf + n;
		len -= n;
		off += n;
	}
	return 0;
}

/* Copies a sector the COW file lacks from the backing file before part of
 * it is written. */
static int cow_copy_up(struct ubd *u, uint64_t sector)
{
	struct cow *c = &u->cow;
	if (cow_test(c, sector))
		return 0;
	char buf[4096];
	int64_t off = (int64_t)(sector * c->sectorsize);
	int err = pread_all(c->fd, buf, c->sectorsize, off);
	if (!err)
		err = pwrite_all(u->fd, buf, c->sectorsize, (int64_t)c->data_offset + off);
	return err;
}

/* Sets the bits of [first, last] and writes the bitmap bytes that hold them
 * (after the data, as UML does: a crash leaves old data, never garbage). */
static int cow_mark(struct ubd *u, uint64_t first, uint64_t last)
{
	struct cow *c = &u->cow;
	for (uint64_t s = first; s <= last; s++)
		c->bitmap[s / 8] |= (uint8_t)(1u << (s % 8));
	uint64_t lo = first / 8, hi = last / 8;
	return pwrite_all(u->fd, c->bitmap + lo, hi - lo + 1, (int64_t)(c->bitmap_offset + lo));
}

static int ubd_write(struct block_device *b, const void *buf, size_t len, uint64_t off)
{
	struct ubd *u = UBD(b);
	struct cow *c = &u->cow;
	if (c->fd < 0)
		return pwrite_all(u->fd, buf, len, (int64_t)off);
	uint64_t first = off / c->sectorsize, last = (off + len - 1) / c->sectorsize;
	int err = 0;
	if (off % c->sectorsize)
		err = cow_copy_up(u, first);
	if (!err && (off + len) % c->sectorsize)
		err = cow_copy_up(u, last);
	if (!err)
		err = pwrite_all(u->fd, buf, len, (int64_t)(c->data_offset + off));
	if (!err)
		err = cow_mark(u, first, last);
	return err;
}

static int ubd_flush(struct block_device *b)
{
	return host_fsync(UBD(b)->fd, false);
}

/* A COW file cannot forget a sector (its bitmap bit stays), so only plain
 * images give space back. */
static int ubd_discard(struct block_device *b, uint64_t off, uint64_t len)
{
	struct ubd *u = UBD(b);
	if (u->no_trim || u->cow.fd >= 0)
		return -EOPNOTSUPP;
	return host_fallocate(u->fd, 3 /* FALLOC_FL_PUNCH_HOLE | KEEP_SIZE */, (int64_t)off,
			      (int64_t)len);
}

static const struct block_device_operations ubd_ops = {
    .read = ubd_read,
    .write = ubd_write,
    .flush = ubd_flush,
    .discard = ubd_discard,
};

/* ---- Opening the files at boot ---- */

static int fail(char *why, size_t len, int err, const char *fmt, const char *file)
{
	char msg[256];
	snprintf(msg, sizeof msg, fmt, file);
	if (err)
		snprintf(why, len, "%s: %s", msg, strerror(-err));
	else
		snprintf(why, len, "%s", msg);
	return err ? err : -EINVAL;
}

/* Opens file read-write unless asked read-only; a file the host lets us
 * only read is used read-only, as UML does. Locks it unless shared. */
static int open_locked(struct ubd *u, const char *file, bool write, char *why, size_t len)
{
	int flags = (write ? HOST_IMAGE_WRITE : 0) | (u->sync ? HOST_IMAGE_SYNC : 0);
	int fd = host_open_image(file, flags);
	if (write && (fd == -EACCES || fd == -EROFS || fd == -EPERM)) {
		pr_warn("ubd: %s is read-only on the host: %s is read-only\n", file, u->bdev.name);
		u->readonly = true;
		fd = host_open_image(file, flags & ~HOST_IMAGE_WRITE);
	}
	if (fd < 0)
		return fail(why, len, fd, "cannot open %s", file);
	if (!u->shared) {
		int err = host_lock_image(fd, write && !u->readonly);
		if (err) {
			host_close(fd);
			if (err != -EBUSY)
				return fail(why, len, err, "cannot lock %s", file);
			snprintf(why, len, "%s is in use by another instance (locked on the host)",
				 file);
			return err;
		}
	}
	return fd;
}

/* The header of fd if it is a COW file: 1, or 0 if it is not one. */
static int read_cow_header(int fd, struct cow_header_v3 *h)
{
	long n = host_pread(fd, h, sizeof *h, 0);
	if (n < 0)
		return (int)n;
	if ((size_t)n < sizeof *h || be32(h->magic) != COW_MAGIC)
		return 0;
	return 1;
}

static bool pow2_between(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

/* Checks a header read from a file that may be hostile, and derives the
 * layout (UML's cow_sizes for version 3). */
static int cow_layout(struct ubd *u, const struct cow_header_v3 *h, char *why, size_t len)
{
	struct cow *c = &u->cow;
	uint32_t align = be32(h->alignment);
	uint64_t size = be64(h->size);
	c->sectorsize = be32(h->sectorsize);
	if (be32(h->version) != COW_VERSION)
		return fail(why, len, 0, "%s: only version 3 COW files are supported", u->file);
	if (!pow2_between(c->sectorsize, 512, 4096) || !pow2_between(align, 512, 1 << 20) ||
	    be32(h->cow_format) != 0 || size > (1ULL << 50) ||
	    !memchr(h->backing_file, 0, sizeof h->backing_file))
		return fail(why, len, 0, "%s: corrupt COW header", u->file);
	c->bitmap_offset = round_up(sizeof *h, align);
	c->bitmap_len = (size + c->sectorsize - 1) / c->sectorsize;
	c->bitmap_len = (c->bitmap_len + 7) / 8;
	c->data_offset = round_up(c->bitmap_offset + c->bitmap_len, align);
	u->bdev.size = size;
	return 0;
}

/* Writes a new COW header for backing into fd, as UML's write_cow_header. */
static int write_cow_header(int fd, const char *backing, const struct host_stat *st)
{
	struct cow_header_v3 *h = kzalloc(sizeof *h);
	if (!h)
		return -ENOMEM;
	int err = host_realpath(backing, h->backing_file, sizeof h->backing_file);
	if (!err) {
		h->magic = be32(COW_MAGIC);
		h->version = be32(COW_VERSION);
		h->mtime = be32((uint32_t)st->mtime_sec);
		h->size = be64((uint64_t)st->size);
		h->sectorsize = be32(COW_SECTOR);
		h->alignment = be32(COW_ALIGN);
		err = pwrite_all(fd, h, sizeof *h, 0);
	}
	kfree(h);
	return err;
}

/* A missing COW file is made from its backing file, as UML does: a header,
 * then an empty bitmap and data, as a sparse file. */
static int create_cow(struct ubd *u, char *why, size_t len)
{
	struct host_stat st;
	int bfd = host_open_image(u->backing, 0);
	if (bfd < 0)
		return fail(why, len, bfd, "cannot open backing file %s", u->backing);
	int err = host_fstatat(bfd, "", &st);
	host_close(bfd);
	if (err)
		return fail(why, len, err, "cannot stat %s", u->backing);
	int fd = host_open_image(u->file, HOST_IMAGE_WRITE | HOST_IMAGE_CREATE);
	if (fd < 0)
		return fail(why, len, fd, "cannot create COW file %s", u->file);
	err = write_cow_header(fd, u->backing, &st);
	struct cow_header_v3 h;
	if (!err && read_cow_header(fd, &h) == 1 && !(err = cow_layout(u, &h, why, len)))
		err = host_ftruncate(fd, (int64_t)(u->cow.data_offset + u->bdev.size));
	host_close(fd);
	if (err)
		return fail(why, len, err, "cannot create COW file %s", u->file);
	printk(KERN_INFO "ubd: created COW file %s over %s\n", u->file, u->backing);
	return 0;
}

/* Is the backing file the one named in the header? Either the same host
 * file, or one with the recorded size and mtime (then the header is
 * rewritten to name it, as UML switches backing files). */
static int check_backing(struct ubd *u, int cowfd, const struct cow_header_v3 *h,
			 struct host_stat *st, char *why, size_t len)
{
	const char *recorded = h->backing_file;
	bool same =
	    be64(h->size) == (uint64_t)st->size && be32(h->mtime) == (uint32_t)st->mtime_sec;
	if (u->backing && strcmp(u->backing, recorded)) {
		char a[COW_PATH_LEN], b[COW_PATH_LEN];
		bool same_file = host_realpath(u->backing, a, sizeof a) == 0 &&
				 host_realpath(recorded, b, sizeof b) == 0 && !strcmp(a, b);
		if (!same_file && same && !u->readonly) {
			pr_warn("ubd: %s: switching backing file from %s to %s\n", u->file,
				recorded, u->backing);
			int err = write_cow_header(cowfd, u->backing, st);
			if (err)
				return fail(why, len, err, "cannot rewrite the header of %s",
					    u->file);
			return 0;
		}
	}
	if (!same)
		return fail(why, len, 0,
			    "the backing file of COW file %s changed since the COW file was made "
			    "(size or mtime differs): refusing to use it",
			    u->file);
	return 0;
}

static int open_cow(struct ubd *u, const struct cow_header_v3 *h, char *why, size_t len)
{
	int err = cow_layout(u, h, why, len);
	if (err)
		return err;
	if (!u->backing)
		u->backing = kstrdup(h->backing_file);
	if (!u->backing)
		return -ENOMEM;
	struct cow *c = &u->cow;
	c->fd = open_locked(u, u->backing, false, why, len);
	if (c->fd < 0)
		return c->fd;
	struct host_stat st;
	err = host_fstatat(c->fd, "", &st);
	if (err)
		return fail(why, len, err, "cannot stat %s", u->backing);
	err = check_backing(u, u->fd, h, &st, why, len);
	if (err)
		return err;
	c->bitmap = kzalloc(c->bitmap_len ? c->bitmap_len : 1);
	if (!c->bitmap)
		return -ENOMEM;
	err = pread_all(u->fd, c->bitmap, c->bitmap_len, (int64_t)c->bitmap_offset);
	return err ? fail(why, len, err, "cannot read the COW bitmap of %s", u->file) : 0;
}

static int ubd_open_dev(struct ubd *u, char *why, size_t len)
{
	if (u->backing) {
		int fd = host_open_image(u->file, 0);
		if (fd >= 0)
			host_close(fd);
		if (fd == -ENOENT) {
			int err = create_cow(u, why, len);
			if (err)
				return err;
		}
	}
	u->fd = open_locked(u, u->file, !u->readonly, why, len);
	if (u->fd < 0)
		return u->fd;
	struct cow_header_v3 *h = kmalloc(sizeof *h);
	if (!h)
		return -ENOMEM;
	int err = 0, is_cow = u->no_cow ? 0 : read_cow_header(u->fd, h);
	if (is_cow < 0)
		err = fail(why, len, is_cow, "cannot read %s", u->file);
	else if (is_cow)
		err = open_cow(u, h, why, len);
	else if (u->backing)
		err = fail(why, len, 0, "%s is not a COW file, but a backing file was given",
			   u->file);
	kfree(h);
	if (err || is_cow)
		return err;
	struct host_stat st;
	err = host_fstatat(u->fd, "", &st);
	if (err)
		return fail(why, len, err, "cannot stat %s", u->file);
	u->bdev.size = (uint64_t)st.size;
	return 0;
}

/* Opens every configured device; an error is reported as "why" and stops
 * the boot. */
int ubd_init(char *why, size_t len)
{
	for (int n = 0; n < MAX_DEV; n++) {
		struct ubd *u = &ubd_devs[n];
		if (!u->configured || u->bdev.ops)
			continue;
		struct block_device *b = &u->bdev;
		snprintf(b->name, sizeof b->name, "ubd%c", 'a' + n);
		b->dev = MKDEV(UBD_MAJOR, n * 16);
		int err = ubd_open_dev(u, why, len);
		if (err) {
			u->configured = false;
			return err;
		}
		b->readonly = u->readonly;
		b->serial = u->serial;
		b->ops = &ubd_ops;
		b->private = u;
		register_blkdev(b);
		printk(KERN_INFO "ubd: %s: %s%s%s, %llu bytes%s\n", b->name, u->file,
		       u->cow.fd >= 0 ? " over " : "", u->cow.fd >= 0 ? u->backing : "",
		       (unsigned long long)b->size, b->readonly ? ", read-only" : "");
	}
	return 0;
}
