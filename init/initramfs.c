/*
 * Unpacking the initramfs: a cpio archive in the "newc" format, as Linux's
 * init/initramfs.c reads it, into the rootfs.
 */
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "filesystems.h"
#include "init.h"

struct cpio_header {
	uint64_t ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor,
	    rdevminor, namesize;
};

static bool hex8(const char *p, uint64_t *out)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return true;
}

static bool parse_header(const char *p, struct cpio_header *h)
{
	if (memcmp(p, "070701", 6) && memcmp(p, "070702", 6))
		return false;
	uint64_t *f = &h->ino;
	for (int i = 0; i < 12; i++)
		if (!hex8(p + 6 + 8 * i, &f[i]))
			return false;
	return true;
}

/* The parent directory of a path inside the rootfs (no symlinks followed). */
static int parent_of(const char *path, struct path *out, const char **last)
{
	struct vfsmount *root = root_mount();
	struct path p = {mntget(root), dget(root->root)};
	while (*path == '/')
		path++;
	for (;;) {
		const char *slash = strchr(path, '/');
		if (!slash || !slash[1]) {
			*last = path;
			*out = p;
			return 0;
		}
		struct dentry *d = lookup_one(&p, path, (size_t)(slash - path));
		if (IS_ERR(d) || !d->inode || !S_ISDIR(d->inode->mode)) {
			if (!IS_ERR(d))
				dput(d);
			path_put(&p);
			return -ENOENT;
		}
		dput(p.dentry);
		p.dentry = d;
		path = slash + 1;
	}
}

static void set_owner_times(struct path *dir, const char *name, const struct cpio_header *h)
{
	struct dentry *d = lookup_one(dir, name, strlen(name));
	if (IS_ERR(d))
		return;
	if (d->inode && d->inode->i_op->setattr) {
		struct iattr a = {.valid = ATTR_UID | ATTR_GID | ATTR_MTIME | ATTR_ATIME,
				  .uid = (uid_t_)h->uid,
				  .gid = (gid_t_)h->gid};
		a.mtime.tv_sec = a.atime.tv_sec = (int64_t)h->mtime;
		if (!S_ISLNK(h->mode)) {
			a.valid |= ATTR_MODE;
			a.mode = (mode_t_)h->mode;
		}
		d->inode->i_op->setattr(d, &a);
	}
	dput(d);
}

static int write_file(struct path *dir, const char *name, const struct cpio_header *h,
		      const char *data)
{
	int err = vfs_mknod_at(dir, name, S_IFREG | (h->mode & 07777), 0);
	if (err && err != -EEXIST)
		return err;
	struct dentry *d = lookup_one(dir, name, strlen(name));
	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	struct path p = {dir->mnt, d};
	struct file *f = vfs_open_path(&p, O_WRONLY);
	dput(d);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	loff_t pos = 0;
	long n = kernel_write(f, data, h->filesize, &pos);
	fput(f);
	return n == (long)h->filesize ? 0 : -EIO;
}

static int unpack_one(const struct cpio_header *h, const char *name, const char *data)
{
	if (!strcmp(name, ".") || !*name)
		return 0;
	struct path dir;
	const char *last;
	int err = parent_of(name, &dir, &last);
	if (err)
		return err;
	mode_t_ mode = (mode_t_)h->mode;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		err = vfs_mknod_at(&dir, last, mode, 0);
		break;
	case S_IFREG:
		err = write_file(&dir, last, h, data);
		break;
	case S_IFLNK: {
		char *target = kstrndup(data, h->filesize);
		struct dentry *d = lookup_one(&dir, last, strlen(last));
		err = IS_ERR(d) ? (int)PTR_ERR(d) : 0;
		if (!err && !d->inode)
			err = tmpfs_symlink(dir.dentry->inode, d, target ? target : "");
		if (!IS_ERR(d))
			dput(d);
		kfree(target);
		break;
	}
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		err = vfs_mknod_at(&dir, last, mode, MKDEV(h->rdevmajor, h->rdevminor));
		break;
	default:
		err = -EINVAL;
	}
	if (err == -EEXIST)
		err = 0;
	if (!err)
		set_owner_times(&dir, last, h);
	path_put(&dir);
	return err;
}

int unpack_initramfs(const void *image, size_t len)
{
	const char *p = image, *end = p + len;
	while (p + 110 <= end) {
		struct cpio_header h;
		if (!parse_header(p, &h))
			return -EINVAL;
		const char *name = p + 110;
		if (name + h.namesize > end || !h.namesize || name[h.namesize - 1])
			return -EINVAL;
		const char *data = p + ALIGN_UP(110 + h.namesize, 4);
		if (data + h.filesize > end)
			return -EINVAL;
		if (!strcmp(name, "TRAILER!!!"))
			return 0;
		int err = unpack_one(&h, name, data);
		if (err) {
			pr_err("initramfs: %s: error %d\n", name, -err);
			return err;
		}
		p = data + ALIGN_UP(h.filesize, 4);
	}
	return -EINVAL;
}
