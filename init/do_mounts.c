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
	devpts_init();
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
