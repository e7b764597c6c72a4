/* Extended attributes: the get/set/list/remove calls in their path, link
 * and fd forms. */
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "fs.h"
#include "syscall.h"
#include "uaccess.h"
#include "fsnotify.h"

#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_CREATE   1
#define XATTR_REPLACE  2

enum xop { XGET, XSET, XLIST, XREMOVE };

static int xattr_name(uaddr_t uname, char *name)
{
	long n = strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);
	if (n == -ENAMETOOLONG)
		return -ERANGE;
	if (n < 0)
		return (int)n;
	if (!n)
		return -ERANGE;
	/* Only the namespaces Linux knows, and a name after the prefix. */
	static const char *const prefixes[] = {"user.", "trusted.", "security.", "system."};
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		size_t k = strlen(prefixes[i]);
		if (!strncmp(name, prefixes[i], k))
			return name[k] ? 0 : -EINVAL;
	}
	return -EOPNOTSUPP;
}

static long xattr_op(const struct path *p, enum xop op, uaddr_t uname, uaddr_t uval, size_t size,
		     int flags)
{
	struct dentry *d = p->dentry;
	const struct inode_operations *iop = d->inode->i_op;
	char name[XATTR_NAME_MAX + 1];
	long r;
	if (op != XLIST && (r = xattr_name(uname, name)))
		return r;
	if (op == XSET || op == XREMOVE) {
		if (IS_RDONLY_PATH(p))
			return -EROFS;
		if (!strncmp(name, "trusted.", 8) && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		/* File capabilities take CAP_SETFCAP, other security labels
		 * CAP_SYS_ADMIN (Linux's cap_inode_setxattr). */
		bool fcaps = !strcmp(name, "security.capability");
		if (fcaps && !capable(CAP_SETFCAP))
			return -EPERM;
		if (!fcaps && !strncmp(name, "security.", 9) && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (!strncmp(name, "user.", 5) &&
		    (S_ISLNK(d->inode->mode) ||
		     (!S_ISREG(d->inode->mode) && !S_ISDIR(d->inode->mode))))
			return -EPERM;
		if (current->cred.fsuid != d->inode->uid && !capable(CAP_FOWNER))
			return -EPERM;
	}
	if (op == XSET && (flags & ~(XATTR_CREATE | XATTR_REPLACE)))
		return -EINVAL;
	size_t cap = min(size, (size_t)XATTR_SIZE_MAX);
	if (op == XSET && size > XATTR_SIZE_MAX)
		return -E2BIG;
	char *buf = kmalloc(cap ? cap : 1);
	if (!buf)
		return -ENOMEM;
	switch (op) {
	case XGET:
		if (!strncmp(name, "trusted.", 8) && !capable(CAP_SYS_ADMIN)) {
			r = -ENODATA;
			break;
		}
		r = iop && iop->getxattr ? iop->getxattr(d, name, size ? buf : NULL, cap)
					 : -EOPNOTSUPP;
		if (r > 0 && size && copy_to_user(uval, buf, (size_t)r))
			r = -EFAULT;
		break;
	case XSET:
		if (copy_from_user(buf, uval, size)) {
			r = -EFAULT;
			break;
		}
		r = iop && iop->setxattr ? iop->setxattr(d, name, buf, size, flags) : -EOPNOTSUPP;
		break;
	case XLIST:
		r = iop && iop->listxattr ? iop->listxattr(d, size ? buf : NULL, cap) : 0;
		if (r > 0 && size && copy_to_user(uval, buf, (size_t)r))
			r = -EFAULT;
		break;
	case XREMOVE:
		r = iop && iop->removexattr ? iop->removexattr(d, name) : -EOPNOTSUPP;
		break;
	}
	if (!r && (op == XSET || op == XREMOVE)) {
		d->inode->no_fcaps = false;
		fsnotify_dentry(d, IN_ATTRIB);
	}
	kfree(buf);
	return r;
}

/* Linux's killpriv: writing to, truncating or chowning a file takes its
 * file capabilities away, whoever does it. A file found to have none is
 * not asked again until its extended attributes change. */
int remove_file_caps(const struct path *p)
{
	struct dentry *d = p->dentry;
	struct inode *inode = d->inode;
	const struct inode_operations *iop = inode->i_op;
	if (inode->no_fcaps || !S_ISREG(inode->mode) || !iop || !iop->getxattr)
		return 0;
	if (iop->getxattr(d, "security.capability", NULL, 0) >= 0) {
		int err = iop->removexattr ? iop->removexattr(d, "security.capability") : -EPERM;
		if (err)
			return err;
		fsnotify_dentry(d, IN_ATTRIB);
	}
	inode->no_fcaps = true;
	return 0;
}

static long xattr_path(uaddr_t upath, bool follow, enum xop op, uaddr_t uname, uaddr_t uval,
		       size_t size, int flags)
{
	struct path p;
	int err = user_path_at(AT_FDCWD, upath, follow ? LOOKUP_FOLLOW : 0, &p);
	if (err)
		return err;
	long r = xattr_op(&p, op, uname, uval, size, flags);
	path_put(&p);
	return r;
}

static long xattr_fd(int fd, enum xop op, uaddr_t uname, uaddr_t uval, size_t size, int flags)
{
	struct file *f = fget(fd);
	if (!f)
		return -EBADF;
	long r = (f->mode & FMODE_PATH) ? -EBADF : xattr_op(&f->path, op, uname, uval, size, flags);
	fput(f);
	return r;
}

SYSCALL_DEFINE4(getxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value, size_t, size)
{
	return xattr_path(path, true, XGET, name, value, size, 0);
}

SYSCALL_DEFINE4(lgetxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value, size_t, size)
{
	return xattr_path(path, false, XGET, name, value, size, 0);
}

SYSCALL_DEFINE4(fgetxattr, int, fd, uaddr_t, name, uaddr_t, value, size_t, size)
{
	return xattr_fd(fd, XGET, name, value, size, 0);
}

SYSCALL_DEFINE5(setxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value, size_t, size, int, flags)
{
	return xattr_path(path, true, XSET, name, value, size, flags);
}

SYSCALL_DEFINE5(lsetxattr, uaddr_t, path, uaddr_t, name, uaddr_t, value, size_t, size, int, flags)
{
	return xattr_path(path, false, XSET, name, value, size, flags);
}

SYSCALL_DEFINE5(fsetxattr, int, fd, uaddr_t, name, uaddr_t, value, size_t, size, int, flags)
{
	return xattr_fd(fd, XSET, name, value, size, flags);
}

SYSCALL_DEFINE3(listxattr, uaddr_t, path, uaddr_t, list, size_t, size)
{
	return xattr_path(path, true, XLIST, 0, list, size, 0);
}

SYSCALL_DEFINE3(llistxattr, uaddr_t, path, uaddr_t, list, size_t, size)
{
	return xattr_path(path, false, XLIST, 0, list, size, 0);
}

SYSCALL_DEFINE3(flistxattr, int, fd, uaddr_t, list, size_t, size)
{
	return xattr_fd(fd, XLIST, 0, list, size, 0);
}

SYSCALL_DEFINE2(removexattr, uaddr_t, path, uaddr_t, name)
{
	return xattr_path(path, true, XREMOVE, name, 0, 0, 0);
}

SYSCALL_DEFINE2(lremovexattr, uaddr_t, path, uaddr_t, name)
{
	return xattr_path(path, false, XREMOVE, name, 0, 0, 0);
}

SYSCALL_DEFINE2(fremovexattr, int, fd, uaddr_t, name)
{
	return xattr_fd(fd, XREMOVE, name, 0, 0, 0);
}
