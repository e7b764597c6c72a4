/* The root filesystem: a host directory, or the embedded initramfs. */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "filesystems.h"
#include "init.h"

static struct vfsmount *rootmnt;

struct vfsmount *root_mount(void)
{
	return rootmnt;
}

void vfs_init(void)
{
	tmpfs_init();
	hostfs_init();
	procfs_init();
	devtmpfs_init();
}

/* Mounts fstype on dir of the root, as the boot does for /dev and /proc. */
static void mount_on(const char *dir, const char *fstype)
{
	struct path p = {mntget(rootmnt), dget(rootmnt->root)};
	struct dentry *d = lookup_one(&p, dir, strlen(dir));
	path_put(&p);
	if (IS_ERR(d))
		return;
	if (!d->inode || !S_ISDIR(d->inode->mode)) {
		dput(d);
		return;
	}
	struct vfsmount *m = vfs_kern_mount(fstype, 0, fstype, NULL);
	if (IS_ERR(m)) {
		pr_warn("umk: cannot mount %s on /%s (error %ld)\n", fstype, dir, -PTR_ERR(m));
		dput(d);
		return;
	}
	struct path where = {rootmnt, d};
	do_mount_at(m, &where);
	dput(d);
	printk(KERN_INFO "devtmpfs: mounted %s on /%s\n", fstype, dir);
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
		mount_on("dev", "devtmpfs");
		mount_on("proc", "proc");
		return;
	}
	rootmnt = vfs_kern_mount("tmpfs", 0, "rootfs", NULL);
	if (IS_ERR(rootmnt))
		panic("cannot make the root filesystem");
	do_mount_at(rootmnt, NULL);
	int err = unpack_initramfs(initramfs_image, (size_t)(initramfs_image_end - initramfs_image));
	if (err)
		panic("Initramfs unpacking failed: error %d", -err);
	printk(KERN_INFO "Unpacked the embedded initramfs (%zu bytes)\n",
	       (size_t)(initramfs_image_end - initramfs_image));
}
