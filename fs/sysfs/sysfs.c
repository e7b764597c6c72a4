/*
 * sysfs: what Debian's tools read under /sys, built from procfs's entry
 * tables. Block devices sit where UML puts them
 * (/sys/devices/platform/uml-blkdev.N/block/ubdX, with /sys/block,
 * /sys/class/block and /sys/dev/block linking there); the rest is the
 * skeleton of directories that init scripts mount things on.
 */
#include <stdio.h>
#include "kernel.h"
#include "fs.h"
#include "blkdev.h"
#include "filesystems.h"
#include "../proc/proc.h"

#define SYSFS_MAGIC 0x62656572

static struct block_device *BDEV(const struct proc_node *n)
{
	return (struct block_device *)n->entry->data;
}

static unsigned bdev_index(const struct block_device *b)
{
	return MINOR(b->dev) / 16;
}

static int show_dev(struct seq *s, const struct proc_node *n)
{
	seq_printf(s, "%u:%u\n", MAJOR(BDEV(n)->dev), MINOR(BDEV(n)->dev));
	return 0;
}

static int show_size(struct seq *s, const struct proc_node *n)
{
	seq_printf(s, "%llu\n", (unsigned long long)(BDEV(n)->size / SECTOR_SIZE));
	return 0;
}

static int show_ro(struct seq *s, const struct proc_node *n)
{
	seq_printf(s, "%d\n", BDEV(n)->readonly);
	return 0;
}

static int show_zero(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "0\n");
	return 0;
}

static int show_range(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "16\n");
	return 0;
}

/* The 17 fields of Documentation/block/stat.rst. */
static int show_stat(struct seq *s, const struct proc_node *n)
{
	struct block_device *b = BDEV(n);
	seq_printf(s,
		   "%8llu %8u %8llu %8u %8llu %8u %8llu %8u %8u %8u %8u %8u %8u %8u %8u %8u %8u\n",
		   (unsigned long long)b->reads, 0, (unsigned long long)b->read_sectors, 0,
		   (unsigned long long)b->writes, 0, (unsigned long long)b->write_sectors, 0, 0, 0,
		   0, 0, 0, 0, 0, 0, 0);
	return 0;
}

static int show_uevent(struct seq *s, const struct proc_node *n)
{
	struct block_device *b = BDEV(n);
	seq_printf(s, "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\nDEVTYPE=disk\n", MAJOR(b->dev),
		   MINOR(b->dev), b->name);
	return 0;
}

/* As UML's: the serial without a newline. */
static int show_serial(struct seq *s, const struct proc_node *n)
{
	seq_printf(s, "%s", BDEV(n)->serial);
	return 0;
}

static int show_sector(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "%d\n", SECTOR_SIZE);
	return 0;
}

static int show_max_sectors(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "1280\n");
	return 0;
}

static int show_read_ahead(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "128\n");
	return 0;
}

static int show_scheduler(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "[none]\n");
	return 0;
}

static int show_discard_max(struct seq *s, const struct proc_node *n)
{
	seq_printf(s, "%llu\n", BDEV(n)->ops->discard ? 1ULL << 30 : 0ULL);
	return 0;
}

/* Links: the target text is the entry's data. */
static long show_link(const struct proc_node *n, char *buf, size_t len)
{
	const char *t = n->entry->data;
	size_t k = min(strlen(t), len);
	memcpy(buf, t, k);
	return (long)k;
}

#define FILE_ENTRY(n, fn, b)                                                                       \
	{                                                                                          \
		.name = n, .mode = S_IFREG | 0444, .show = fn, .data = b                           \
	}
#define DIR_ENTRY(n, c)                                                                            \
	{                                                                                          \
		.name = n, .mode = S_IFDIR | 0755, .children = c                                   \
	}
#define LINK_ENTRY(n, t)                                                                           \
	{                                                                                          \
		.name = n, .mode = S_IFLNK | 0777, .readlink = show_link, .data = t                \
	}

static const struct proc_entry empty[] = {{0}};

/* Entries made at boot for each block device, kept for the machine's life. */
static struct proc_entry *queue_entries(struct block_device *b)
{
	const struct proc_entry q[] = {
	    FILE_ENTRY("logical_block_size", show_sector, b),
	    FILE_ENTRY("physical_block_size", show_sector, b),
	    FILE_ENTRY("hw_sector_size", show_sector, b),
	    FILE_ENTRY("minimum_io_size", show_sector, b),
	    FILE_ENTRY("optimal_io_size", show_zero, b),
	    FILE_ENTRY("rotational", show_zero, b),
	    FILE_ENTRY("discard_max_bytes", show_discard_max, b),
	    FILE_ENTRY("discard_granularity", show_sector, b),
	    FILE_ENTRY("max_sectors_kb", show_max_sectors, b),
	    FILE_ENTRY("read_ahead_kb", show_read_ahead, b),
	    FILE_ENTRY("scheduler", show_scheduler, b),
	    {0},
	};
	struct proc_entry *e = kmalloc(sizeof q);
	if (e)
		memcpy(e, q, sizeof q);
	return e;
}

static struct proc_entry *disk_entries(struct block_device *b)
{
	struct proc_entry *queue = queue_entries(b);
	char *device = kasprintf("../../../uml-blkdev.%u", bdev_index(b));
	const struct proc_entry d[] = {
	    FILE_ENTRY("dev", show_dev, b),
	    FILE_ENTRY("size", show_size, b),
	    FILE_ENTRY("ro", show_ro, b),
	    FILE_ENTRY("removable", show_zero, b),
	    FILE_ENTRY("range", show_range, b),
	    FILE_ENTRY("ext_range", show_range, b),
	    FILE_ENTRY("hidden", show_zero, b),
	    FILE_ENTRY("alignment_offset", show_zero, b),
	    FILE_ENTRY("discard_alignment", show_zero, b),
	    FILE_ENTRY("stat", show_stat, b),
	    FILE_ENTRY("uevent", show_uevent, b),
	    DIR_ENTRY("queue", queue),
	    DIR_ENTRY("holders", empty),
	    DIR_ENTRY("slaves", empty),
	    LINK_ENTRY("device", device),
	    LINK_ENTRY("subsystem", "../../../../../class/block"),
	    b->serial ? (struct proc_entry)FILE_ENTRY("serial", show_serial, b)
		      : (struct proc_entry){0},
	    {0},
	};
	struct proc_entry *e = kmalloc(sizeof d);
	if (!e || !queue || !device) {
		kfree(e);
		kfree(queue);
		kfree(device);
		return NULL;
	}
	memcpy(e, d, sizeof d);
	return e;
}

/* Per device: /sys/devices/platform/uml-blkdev.N/block/NAME and the links
 * to it from /sys/block, /sys/class/block and /sys/dev/block. */
static struct proc_entry *platform_devs, *block_links, *class_links, *dev_links;

static int add_block_device(struct block_device *b, int i)
{
	struct proc_entry *disk = disk_entries(b), *blockdir = kzalloc(2 * sizeof *blockdir),
			  *pdev = kzalloc(3 * sizeof *pdev);
	if (!disk || !blockdir || !pdev) {
		kfree(disk);
		kfree(blockdir);
		kfree(pdev);
		return -ENOMEM;
	}
	unsigned n = bdev_index(b);
	blockdir[0] = (struct proc_entry)DIR_ENTRY(b->name, disk);
	pdev[0] = (struct proc_entry)DIR_ENTRY("block", blockdir);
	platform_devs[i] = (struct proc_entry)DIR_ENTRY(kasprintf("uml-blkdev.%u", n), pdev);
	block_links[i] = (struct proc_entry)LINK_ENTRY(
	    b->name, kasprintf("../devices/platform/uml-blkdev.%u/block/%s", n, b->name));
	class_links[i] = (struct proc_entry)LINK_ENTRY(
	    b->name, kasprintf("../../devices/platform/uml-blkdev.%u/block/%s", n, b->name));
	dev_links[i] = (struct proc_entry)LINK_ENTRY(
	    kasprintf("%u:%u", MAJOR(b->dev), MINOR(b->dev)),
	    kasprintf("../../devices/platform/uml-blkdev.%u/block/%s", n, b->name));
	return 0;
}

/* ---- The skeleton ---- */

static int show_cpus(struct seq *s, const struct proc_node *n)
{
	(void)n;
	if (cpu_count() > 1)
		seq_printf(s, "0-%d\n", cpu_count() - 1);
	else
		seq_printf(s, "0\n");
	return 0;
}

static const struct proc_entry cpu_children[] = {
    FILE_ENTRY("online", show_cpus, NULL),
    FILE_ENTRY("possible", show_cpus, NULL),
    FILE_ENTRY("present", show_cpus, NULL),
    {0},
};

static const struct proc_entry system_children[] = {DIR_ENTRY("cpu", cpu_children), {0}};

static struct proc_entry devices_children[] = {
    DIR_ENTRY("platform", NULL),
    DIR_ENTRY("system", system_children),
    DIR_ENTRY("virtual", empty),
    {0},
};

static struct proc_entry class_children[] = {
    DIR_ENTRY("block", NULL),
    DIR_ENTRY("net", empty),
    {0},
};

static struct proc_entry dev_children[] = {
    DIR_ENTRY("block", NULL),
    DIR_ENTRY("char", empty),
    {0},
};

static const struct proc_entry fs_children[] = {
    DIR_ENTRY("cgroup", empty),
    DIR_ENTRY("ext4", empty),
    DIR_ENTRY("fuse", empty),
    DIR_ENTRY("pstore", empty),
    {0},
};

static const struct proc_entry kernel_children[] = {
    DIR_ENTRY("config", empty),
    DIR_ENTRY("debug", empty),
    DIR_ENTRY("mm", empty),
    DIR_ENTRY("security", empty),
    DIR_ENTRY("tracing", empty),
    FILE_ENTRY("uevent_seqnum", show_zero, NULL),
    {0},
};

static struct proc_entry root_children[] = {
    DIR_ENTRY("block", NULL),
    DIR_ENTRY("bus", empty),
    DIR_ENTRY("class", class_children),
    DIR_ENTRY("dev", dev_children),
    DIR_ENTRY("devices", devices_children),
    DIR_ENTRY("firmware", empty),
    DIR_ENTRY("fs", fs_children),
    DIR_ENTRY("kernel", kernel_children),
    DIR_ENTRY("module", empty),
    DIR_ENTRY("power", empty),
    {0},
};

static const struct proc_entry sysfs_root = DIR_ENTRY("/", root_children);

static struct super_block *sysfs_mount(struct file_system_type *type, int flags, const char *dev,
				       const char *data)
{
	(void)dev;
	(void)data;
	return proc_tree_mount(type, flags, &sysfs_root, SYSFS_MAGIC);
}

static struct file_system_type sysfs_type = {.name = "sysfs", .mount = sysfs_mount, .nodev = true};

/* After the block devices are known (ubd_init). */
void sysfs_init(void)
{
	int n = 0, i = 0;
	struct block_device *b;
	list_for_each_entry(b, &block_devices, list)
		n++;
	platform_devs = kzalloc((size_t)(n + 1) * sizeof *platform_devs);
	block_links = kzalloc((size_t)(n + 1) * sizeof *block_links);
	class_links = kzalloc((size_t)(n + 1) * sizeof *class_links);
	dev_links = kzalloc((size_t)(n + 1) * sizeof *dev_links);
	if (!platform_devs || !block_links || !class_links || !dev_links)
		panic("out of memory for sysfs");
	list_for_each_entry(b, &block_devices, list)
		if (add_block_device(b, i++))
			panic("out of memory for sysfs");
	devices_children[0].children = platform_devs;
	root_children[0].children = block_links;
	class_children[0].children = class_links;
	dev_children[0].children = dev_links;
	register_filesystem(&sysfs_type);
}
