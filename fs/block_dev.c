/*
 * Block devices: the registry (by number and by name) and the files that
 * device nodes such as /dev/ubda open, for dd, mkfs, blkid and fsck.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "blkdev.h"
#include "uaccess.h"

LIST_HEAD(block_devices);

void register_blkdev(struct block_device *b)
{
	list_add_tail(&b->list, &block_devices);
}

struct block_device *blkdev_get(uint64_t dev)
{
	struct block_device *b;
	list_for_each_entry(b, &block_devices, list)
		if (b->dev == dev)
			return b;
	return NULL;
}

struct block_device *blkdev_by_name(const char *name)
{
	unsigned ma, mi;
	char end;
	if (sscanf(name, "%u:%u%c", &ma, &mi, &end) == 2)
		return blkdev_get(MKDEV(ma, mi));
	if (!strncmp(name, "/dev/", 5))
		name += 5;
	struct block_device *b;
	list_for_each_entry(b, &block_devices, list)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

static bool in_range(struct block_device *b, size_t len, uint64_t off)
{
	return off <= b->size && len <= b->size - off;
}

int blkdev_read(struct block_device *b, void *buf, size_t len, uint64_t off)
{
	if (!in_range(b, len, off))
		return -EIO;
	b->reads++;
	b->read_sectors += len / SECTOR_SIZE;
	return len ? b->ops->read(b, buf, len, off) : 0;
}

int blkdev_write(struct block_device *b, const void *buf, size_t len, uint64_t off)
{
	if (b->readonly)
		return -EROFS;
	if (!in_range(b, len, off))
		return -EIO;
	b->writes++;
	b->write_sectors += len / SECTOR_SIZE;
	return len ? b->ops->write(b, buf, len, off) : 0;
}

int blkdev_flush(struct block_device *b)
{
	return b->readonly ? 0 : b->ops->flush(b);
}

/* ---- Device node files ---- */

static struct block_device *BDEV(struct file *f)
{
	return f->private;
}

static int blkdev_open(struct inode *inode, struct file *f)
{
	struct block_device *b = blkdev_get(inode->rdev);
	if (!b)
		return -ENXIO;
	/* O_EXCL on a block device: only if no filesystem holds it. */
	if ((f->flags & O_EXCL) && b->holder)
		return -EBUSY;
	f->private = b;
	return 0;
}

#define BOUNCE 65536

static long blkdev_file_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct block_device *b = BDEV(f);
	if (*pos < 0)
		return -EINVAL;
	char *buf = kmalloc(BOUNCE);
	if (!buf)
		return -ENOMEM;
	size_t done = 0;
	while (to->count && (uint64_t)*pos < b->size) {
		size_t n =
		    (size_t)min((uint64_t)min(to->count, (size_t)BOUNCE), b->size - (uint64_t)*pos);
		int err = blkdev_read(b, buf, n, (uint64_t)*pos);
		if (err) {
			kfree(buf);
			return done ? (long)done : err;
		}
		size_t c = copy_to_iter(buf, n, to);
		*pos += (loff_t)c;
		done += c;
		if (c < n)
			break;
	}
	kfree(buf);
	return (long)done;
}

static long blkdev_file_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	struct block_device *b = BDEV(f);
	if (b->readonly)
		return -EPERM;
	if (*pos < 0)
		return -EINVAL;
	if (from->count && (uint64_t)*pos >= b->size)
		return -ENOSPC;
	char *buf = kmalloc(BOUNCE);
	if (!buf)
		return -ENOMEM;
	size_t done = 0;
	long err = 0;
	while (from->count && (uint64_t)*pos < b->size) {
		size_t want = (size_t)min((uint64_t)min(from->count, (size_t)BOUNCE),
					  b->size - (uint64_t)*pos);
		size_t n = copy_from_iter(buf, want, from);
		if (!n) {
			err = -EFAULT;
			break;
		}
		if ((err = blkdev_write(b, buf, n, (uint64_t)*pos)))
			break;
		*pos += (loff_t)n;
		done += n;
	}
	kfree(buf);
	return done ? (long)done : err;
}

static loff_t blkdev_llseek(struct file *f, loff_t off, int whence)
{
	loff_t base = whence == SEEK_SET   ? 0
		      : whence == SEEK_CUR ? f->pos
		      : whence == SEEK_END ? (loff_t)BDEV(f)->size
					   : -1;
	if (base < 0 || base + off < 0 || base + off > (loff_t)BDEV(f)->size)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

static int blkdev_fsync(struct file *f, bool datasync)
{
	(void)datasync;
	return blkdev_flush(BDEV(f));
}

#define BLKROGET	 0x125e
#define BLKRRPART	 0x125f
#define BLKGETSIZE	 0x1260
#define BLKFLSBUF	 0x1261
#define BLKSSZGET	 0x1268
#define BLKDISCARD	 0x1277
#define BLKIOMIN	 0x1278
#define BLKIOOPT	 0x1279
#define BLKALIGNOFF	 0x127a
#define BLKPBSZGET	 0x127b
#define BLKDISCARDZEROES 0x127c
#define BLKBSZGET	 0x80081270
#define BLKGETSIZE64	 0x80081272
#define HDIO_GETGEO	 0x0301

struct hd_geometry {
	uint8_t heads, sectors;
	uint16_t cylinders;
	uint64_t start;
};

static long put_int(uaddr_t arg, int v)
{
	return copy_to_user(arg, &v, sizeof v) ? -EFAULT : 0;
}

static long blkdev_discard_ioctl(struct block_device *b, uaddr_t arg)
{
	uint64_t range[2];
	if (copy_from_user(range, arg, sizeof range))
		return -EFAULT;
	if ((range[0] | range[1]) % SECTOR_SIZE || !in_range(b, range[1], range[0]))
		return -EINVAL;
	if (b->readonly)
		return -EPERM;
	return b->ops->discard ? b->ops->discard(b, range[0], range[1]) : -EOPNOTSUPP;
}

static long blkdev_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct block_device *b = BDEV(f);
	uint64_t v64;
	switch (cmd) {
	case BLKGETSIZE64:
		v64 = b->size;
		return copy_to_user(arg, &v64, sizeof v64) ? -EFAULT : 0;
	case BLKGETSIZE:
		v64 = b->size / SECTOR_SIZE;
		return copy_to_user(arg, &v64, sizeof v64) ? -EFAULT : 0;
	case BLKSSZGET:
	case BLKIOMIN:
		return put_int(arg, SECTOR_SIZE);
	case BLKPBSZGET:
	case BLKBSZGET:
		return put_int(arg, 4096);
	case BLKIOOPT:
	case BLKALIGNOFF:
	case BLKDISCARDZEROES:
		return put_int(arg, 0);
	case BLKROGET:
		return put_int(arg, b->readonly);
	case BLKFLSBUF:
		return blkdev_flush(b);
	case BLKDISCARD:
		return blkdev_discard_ioctl(b, arg);
	case BLKRRPART:
		return -EINVAL; /* whole disks only: no partitions to scan */
	case HDIO_GETGEO: {
		/* UML's made-up geometry: 128 heads, 32 sectors. */
		struct hd_geometry g = {128, 32, (uint16_t)(b->size / (128 * 32 * SECTOR_SIZE)), 0};
		return copy_to_user(arg, &g, sizeof g) ? -EFAULT : 0;
	}
	}
	return -ENOTTY;
}

const struct file_operations blkdev_fops = {
    .open = blkdev_open,
    .read = blkdev_file_read,
    .write = blkdev_file_write,
    .llseek = blkdev_llseek,
    .fsync = blkdev_fsync,
    .ioctl = blkdev_ioctl,
};
