/* The root filesystem: a host directory, or the embedded initramfs. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "filesystems.h"
#include "init.h"
#include "host.h"
#include "blkdev.h"
#include <stdio.h>

static struct vfsmount *rootmnt;

struct vfsmount *root_mount(void)
{
	return rootmnt;
}

void set_root_mount(struct vfsmount *m)
{
	rootmnt = m;
}

void vfs_init(void)
{
	tmpfs_init();
	hostfs_init();
	procfs_init();
	devtmpfs_init();
	devpts_init();
	ext4_init();
}

/* Mounts fstype on a directory of the root (a path like "dev/pts"), over
 * whatever is already mounted on its way, as the boot does for /dev. */
static void mount_on(const char *where, const char *fstype, const char *data)
{
	struct path p = {mntget(rootmnt), dget(rootmnt->root)};
	for (const char *c = where; *c;) {
		size_t len = strcspn(c, "/");
		struct dentry *d = lookup_one(&p, c, len);
		if (IS_ERR(d) || !d->inode || !S_ISDIR(d->inode->mode)) {
			if (!IS_ERR(d))
				dput(d);
			path_put(&p);
			return;
		}
		dput(p.dentry);
		p.dentry = d;
		struct vfsmount *m;
		while (p.dentry->mounted && (m = lookup_mnt(p.mnt, p.dentry))) {
			path_put(&p);
			p.mnt = mntget(m);
			p.dentry = dget(m->root);
		}
		c += len;
		while (*c == '/')
			c++;
	}
	struct vfsmount *m = vfs_kern_mount(fstype, 0, fstype, data);
	if (IS_ERR(m)) {
		pr_warn("umk: cannot mount %s on /%s (error %ld)\n", fstype, where, -PTR_ERR(m));
	} else {
		do_mount_at(m, &p);
		printk(KERN_INFO "umk: mounted %s on /%s\n", fstype, where);
	}
	path_put(&p);
}

/* The boot cannot go on: one line saying why, and exit status 2. */
static __attribute__((noreturn)) void root_failed(const char *fmt, const char *dev, const char *why)
{
	char msg[512];
	int n = snprintf(msg, sizeof msg, fmt, dev, why);
	host_console_write(msg, (size_t)min(n, (int)sizeof msg - 1));
	host_exit(2);
}

/* root=/dev/ubdX (default /dev/ubda when it exists), as ext2/3/4. */
static bool mount_block_root(int flags)
{
	const char *name = boot.root ? boot.root : "/dev/ubda";
	struct block_device *b = blkdev_by_name(name);
	if (!b) {
		if (boot.root)
			root_failed("linux: root=%s: no such device%s\n", name, "");
		return false;
	}
	char why[256];
	const char *type = boot.rootfstype ? boot.rootfstype : ext4_probe(b, why, sizeof why);
	if (!type)
		root_failed("linux: cannot mount the root filesystem from %s: %s\n", name, why);
	char devname[32];
	snprintf(devname, sizeof devname, "/dev/%s", b->name);
	rootmnt = vfs_kern_mount(type, flags, devname, NULL);
	if (IS_ERR(rootmnt))
		root_failed("linux: cannot mount the root filesystem from %s: %s\n", name,
			    mount_error());
	do_mount_at(rootmnt, NULL);
	boot.rootfstype = type; /* a disk root: no initramfs /init to try */
	printk(KERN_INFO "VFS: Mounted root (%s filesystem) %s on device %u:%u.\n", type,
	       boot.rw ? "read-write" : "readonly", MAJOR(b->dev), MINOR(b->dev));
	/* As Linux's CONFIG_DEVTMPFS_MOUNT: the init finds its /dev. */
	mount_on("dev", "devtmpfs", NULL);
	return true;
}

void mount_root_fs(void)
{
	int flags = boot.rw ? 0 : SB_RDONLY;
	if (boot.rootfstype && !strcmp(boot.rootfstype, "hostfs")) {
		const char *dir = boot.hostfs_dir ? boot.hostfs_dir : "/";
		rootmnt = vfs_kern_mount("hostfs", flags, dir, NULL);
		if (IS_ERR(rootmnt))
			panic("VFS: Unable to mount root fs on hostfs %s (error %ld)", dir,
			      -PTR_ERR(rootmnt));
		do_mount_at(rootmnt, NULL);
		printk(KERN_INFO "VFS: Mounted root (hostfs filesystem) %s on device 0:%u.\n",
		       boot.rw ? "read-write" : "readonly", MINOR(rootmnt->sb->dev));
		/* The host's /dev and /proc are never the guest's: ours go on top. */
		mount_on("dev", "devtmpfs", NULL);
		mount_on("dev/pts", "devpts", "gid=5,mode=620,ptmxmode=000");
		mount_on("proc", "proc", NULL);
		return;
	}
	if ((!boot.rootfstype || !strncmp(boot.rootfstype, "ext", 3)) && mount_block_root(flags))
		return;
	rootmnt = vfs_kern_mount("tmpfs", 0, "rootfs", NULL);
	if (IS_ERR(rootmnt))
		panic("cannot make the root filesystem");
	do_mount_at(rootmnt, NULL);
	int err =
	    unpack_initramfs(initramfs_image, (size_t)(initramfs_image_end - initramfs_image));
	if (err)
		panic("Initramfs unpacking failed: error %d", -err);
	printk(KERN_INFO "Unpacked the embedded initramfs (%zu bytes)\n",
	       (size_t)(initramfs_image_end - initramfs_image));
}
