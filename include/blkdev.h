/*
 * Block devices: disks addressed by byte offset (ubd). Filesystems reach
 * them through blkdev_read/blkdev_write/blkdev_flush; the guest through
 * device nodes (/dev/ubda) whose opens get blkdev_fops.
 */
#ifndef BLKDEV_H
#define BLKDEV_H
#include "kernel.h"

#define UBD_MAJOR   98
#define SECTOR_SIZE 512

struct block_device;

struct block_device_operations {
	/* Whole transfers inside the device: 0 or -errno. */
	int (*read)(struct block_device *b, void *buf, size_t len, uint64_t off);
	int (*write)(struct block_device *b, const void *buf, size_t len, uint64_t off);
	/* Makes every write so far durable on the host. */
	int (*flush)(struct block_device *b);
	/* Frees [off, off + len): it reads back as zeros. */
	int (*discard)(struct block_device *b, uint64_t off, uint64_t len);
};

struct block_device {
	char name[16]; /* "ubda" */
	uint64_t dev;  /* MKDEV(UBD_MAJOR, 16 * n) */
	uint64_t size; /* bytes */
	bool readonly;
	const char *serial; /* /sys/block/NAME/device/serial, or NULL */
	const struct block_device_operations *ops;
	void *private;
	void *holder; /* the superblock mounted from it, or NULL */
	/* /sys/block/NAME/stat and /proc/diskstats */
	uint64_t reads, read_sectors, writes, write_sectors;
	struct list_head list;
};

extern struct list_head block_devices;
void register_blkdev(struct block_device *b);
struct block_device *blkdev_get(uint64_t dev);
/* "ubda", "/dev/ubda" or "98:0", as root= and mount sources name them. */
struct block_device *blkdev_by_name(const char *name);

int blkdev_read(struct block_device *b, void *buf, size_t len, uint64_t off);
int blkdev_write(struct block_device *b, const void *buf, size_t len, uint64_t off);
int blkdev_flush(struct block_device *b);

struct file_operations;
extern const struct file_operations blkdev_fops;

/* The ubd driver: ubdN= options, then the devices opened at boot. */
int ubd_setup(const char *arg, char *why, size_t whylen);
int ubd_init(char *why, size_t whylen);

#endif
