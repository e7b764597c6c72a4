/*
 * devpts: the slave ends of pseudo-terminals as /dev/pts/N, and pts/ptmx.
 * Every mount is its own instance with its own numbers (Linux >= 4.7);
 * /dev/ptmx opens the instance mounted on the pts beside it.
 */
#include <stdio.h>
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "filesystems.h"
#include "devpts.h"
#include "tty.h"

#define DEVPTS_SUPER_MAGIC 0x1cd1

struct devpts {
	struct super_block *sb;
	struct vfsmount *mnt; /* a mount of it, for the paths of its files */
	struct pty *ptys[PTY_MAX];
	uint32_t gid, mode, ptmxmode;
	bool gid_set;
};

static const struct inode_operations devpts_dir_iops, devpts_node_iops;
static const struct file_operations devpts_dir_fops;
static struct file_system_type devpts_type;

static struct devpts *DP(struct super_block *sb)
{
	return sb->fs_info;
}

int devpts_new_index(struct devpts *dp, struct pty *pty)
{
	for (int i = 0; i < PTY_MAX; i++) {
		if (!dp->ptys[i]) {
			dp->ptys[i] = pty;
			return i;
		}
	}
	return -ENOSPC;
}

void devpts_kill_index(struct devpts *dp, int index)
{
	dp->ptys[index] = NULL;
}

struct pty *devpts_get_pty(struct devpts *dp, int index)
{
	return index >= 0 && index < PTY_MAX ? dp->ptys[index] : NULL;
}

void devpts_slave_owner(struct devpts *dp, uint32_t *gid, uint32_t *mode)
{
	*gid = dp->gid_set ? dp->gid : current->cred.fsgid;
	*mode = dp->mode;
}

/* ---- Finding an instance ---- */

static struct devpts *instance_of(struct vfsmount *m)
{
	if (!m || !m->sb || m->sb->type != &devpts_type)
		return NULL;
	DP(m->sb)->mnt = m;
	return DP(m->sb);
}

/* /dev/ptmx: the devpts mounted on "pts" in the same directory. */
struct devpts *devpts_for_ptmx(struct file *f)
{
	struct devpts *dp = instance_of(f->path.mnt);
	if (dp)
		return dp;
	struct path dir = {f->path.mnt, f->path.dentry->parent};
	struct dentry *pts = lookup_one(&dir, "pts", 3);
	if (IS_ERR(pts))
		return NULL;
	struct vfsmount *m = pts->mounted ? lookup_mnt(f->path.mnt, pts) : NULL;
	dput(pts);
	return instance_of(m);
}

/* A slave node outside devpts (mknod c 136 N) opens in the /dev/pts
 * instance, as in Linux. */
struct devpts *devpts_for_inode(struct inode *inode)
{
	if (inode->sb && inode->sb->type == &devpts_type)
		return DP(inode->sb);
	struct vfsmount *m;
	list_for_each_entry(m, &mounts, list) {
		struct devpts *dp = instance_of(m);
		if (dp)
			return dp;
	}
	return NULL;
}

struct file *devpts_open_slave(struct devpts *dp, int index, unsigned flags)
{
	char name[16];
	snprintf(name, sizeof name, "%d", index);
	if (!dp->mnt)
		return ERR_PTR(-ENODEV);
	struct path root = {dp->mnt, dp->sb->root};
	struct dentry *d = lookup_one(&root, name, strlen(name));
	if (IS_ERR(d))
		return (struct file *)d;
	struct file *f = d->inode ? NULL : ERR_PTR(-EIO);
	if (!f) {
		struct path p = {dp->mnt, d};
		f = vfs_open_path(&p, flags);
	}
	dput(d);
	return f;
}

/* ---- The filesystem: "ptmx" and one node per pty ---- */

static struct inode *node_inode(struct super_block *sb, const char *name)
{
	struct devpts *dp = DP(sb);
	struct inode *inode = new_inode(sb);
	if (!inode)
		return NULL;
	inode_init_times(inode);
	inode->i_op = &devpts_node_iops;
	if (!strcmp(name, "ptmx")) {
		inode->ino = 2;
		inode->mode = S_IFCHR | dp->ptmxmode;
		inode->rdev = MKDEV(5, 2);
		return inode;
	}
	char *end;
	long index = strtol(name, &end, 10);
	struct pty *pty = *end || end == name || (name[0] == '0' && name[1])
			      ? NULL
			      : devpts_get_pty(dp, (int)index);
	/* The node goes with the master, as Linux's devpts_pty_kill. */
	if (!pty || !pty_master_open(pty)) {
		iput(inode);
		return NULL;
	}
	struct tty *tty = pty_slave_tty(pty);
	inode->ino = (uint64_t)index + 3;
	inode->rdev = tty->rdev;
	inode->uid = tty->owner_uid;
	inode->gid = tty->owner_gid;
	inode->mode = S_IFCHR | tty->owner_mode;
	return inode;
}

static int devpts_lookup(struct inode *dir, struct dentry *d)
{
	struct inode *inode = node_inode(dir->sb, d->name);
	if (inode)
		d_instantiate(d, inode);
	return 0;
}

/* Slaves come and go with their ptys: never trust a cached dentry. */
static bool devpts_revalidate(struct dentry *d)
{
	(void)d;
	return false;
}

static int devpts_iterate(struct file *f, struct dir_context *ctx)
{
	struct devpts *dp = DP(f->inode->sb);
	if (ctx->pos == 0 && !ctx->actor(ctx, ".", 1, 1, 1, DT_DIR))
		return 0;
	if (ctx->pos <= 1 && !ctx->actor(ctx, "..", 2, 2, 1, DT_DIR))
		return 0;
	if (ctx->pos <= 2 && !ctx->actor(ctx, "ptmx", 4, 3, 2, DT_CHR))
		return 0;
	for (int i = (int)max(ctx->pos - 3, 0); i < PTY_MAX; i++) {
		if (!dp->ptys[i])
			continue;
		char name[16];
		int n = snprintf(name, sizeof name, "%d", i);
		if (!ctx->actor(ctx, name, (size_t)n, i + 4, (uint64_t)i + 3, DT_CHR))
			return 0;
	}
	return 0;
}

/* chown and chmod of a slave (grantpt) stick to the pty. */
static int devpts_setattr(struct dentry *d, struct iattr *a)
{
	struct inode *inode = d->inode;
	struct devpts *dp = DP(inode->sb);
	if (inode->ino < 3)
		return a->valid & (ATTR_UID | ATTR_GID | ATTR_MODE) ? -EPERM : 0;
	struct pty *pty = devpts_get_pty(dp, (int)inode->ino - 3);
	if (!pty)
		return -ENOENT;
	struct tty *tty = pty_slave_tty(pty);
	if (a->valid & ATTR_UID)
		tty->owner_uid = inode->uid = a->uid;
	if (a->valid & ATTR_GID)
		tty->owner_gid = inode->gid = a->gid;
	if (a->valid & ATTR_MODE) {
		tty->owner_mode = a->mode & 07777;
		inode->mode = S_IFCHR | tty->owner_mode;
	}
	return 0;
}

static const struct inode_operations devpts_dir_iops = {.lookup = devpts_lookup};
static const struct inode_operations devpts_node_iops = {.revalidate = devpts_revalidate,
							 .setattr = devpts_setattr};
static const struct file_operations devpts_dir_fops = {.iterate = devpts_iterate};

static int devpts_statfs(struct dentry *d, struct linux_statfs *st)
{
	(void)d;
	st->f_type = DEVPTS_SUPER_MAGIC;
	st->f_bsize = st->f_frsize = 4096;
	st->f_namelen = NAME_MAX;
	return 0;
}

static int devpts_show_options(struct super_block *sb, char *buf, size_t len)
{
	struct devpts *dp = DP(sb);
	if (dp->gid_set)
		return snprintf(buf, len, "gid=%u,mode=%03o,ptmxmode=%03o", dp->gid, dp->mode,
				dp->ptmxmode);
	return snprintf(buf, len, "mode=%03o,ptmxmode=%03o", dp->mode, dp->ptmxmode);
}

static const struct super_operations devpts_sops = {.statfs = devpts_statfs,
						    .show_options = devpts_show_options};

static int parse_options(struct devpts *dp, const char *data)
{
	if (!data)
		return 0;
	char *opts = kstrdup(data), *save = NULL;
	int err = 0;
	for (char *o = strtok_r(opts, ",", &save); o && !err; o = strtok_r(NULL, ",", &save)) {
		char *v = strchr(o, '=');
		if (v)
			*v++ = 0;
		if (!strcmp(o, "gid") && v) {
			dp->gid = (uint32_t)strtoul(v, NULL, 10);
			dp->gid_set = true;
		} else if (!strcmp(o, "mode") && v) {
			dp->mode = (uint32_t)strtoul(v, NULL, 8) & 0777;
		} else if (!strcmp(o, "ptmxmode") && v) {
			dp->ptmxmode = (uint32_t)strtoul(v, NULL, 8) & 0777;
		} else if (strcmp(o, "newinstance") && strcmp(o, "rw") && strcmp(o, "ro") &&
			   strcmp(o, "nosuid") && strcmp(o, "noexec") && strcmp(o, "relatime") &&
			   strcmp(o, "uid") && strcmp(o, "max")) {
			err = -EINVAL;
		}
	}
	kfree(opts);
	return err;
}

static struct super_block *devpts_mount(struct file_system_type *type, int flags, const char *dev,
					const char *data)
{
	(void)dev;
	struct super_block *sb = sb_alloc(type, flags);
	struct devpts *dp = kzalloc(sizeof *dp);
	if (!sb || !dp) {
		kfree(sb);
		kfree(dp);
		return ERR_PTR(-ENOMEM);
	}
	dp->mode = 0600;
	dp->ptmxmode = 0000;
	int err = parse_options(dp, data);
	if (err) {
		kfree(sb);
		kfree(dp);
		return ERR_PTR(err);
	}
	dp->sb = sb;
	sb->fs_info = dp;
	sb->s_op = &devpts_sops;
	sb->magic = DEVPTS_SUPER_MAGIC;
	struct inode *root = new_inode(sb);
	if (!root) {
		sb_put(sb);
		return ERR_PTR(-ENOMEM);
	}
	root->ino = 1;
	root->mode = S_IFDIR | 0755;
	root->nlink = 2;
	root->i_op = &devpts_dir_iops;
	root->i_fop = &devpts_dir_fops;
	inode_init_times(root);
	sb->root = d_alloc_root(sb, root);
	return sb;
}

static struct file_system_type devpts_type = {
    .name = "devpts", .mount = devpts_mount, .nodev = true};

void devpts_init(void)
{
	register_filesystem(&devpts_type);
}
