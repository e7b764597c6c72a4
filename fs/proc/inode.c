/*
 * procfs mechanics: inodes made per lookup from the entry tables (never
 * cached: every lookup revalidates), file text generated at open.
 */
#include <stdio.h>
#include <stdarg.h>
#include "kernel.h"
#include "task.h"
#include "fs.h"
#include "iov.h"
#include "filesystems.h"
#include "proc.h"

#define PROC_SUPER_MAGIC 0x9fa0

static const struct inode_operations proc_dir_iops, proc_magic_link_iops, proc_symlink_iops,
	proc_file_iops;
static const struct file_operations proc_dir_fops, proc_file_fops;

void seq_write(struct seq *s, const void *data, size_t len)
{
	if (s->len + len > s->cap) {
		size_t cap = max(s->cap * 2, s->len + len + 256);
		char *b = realloc(s->buf, cap);
		if (!b)
			return;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
}

void seq_printf(struct seq *s, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		seq_write(s, small, (size_t)n);
		return;
	}
	char *big = kmalloc((size_t)n + 1);
	if (!big)
		return;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	seq_write(s, big, (size_t)n);
	kfree(big);
}

/* The task a node stands for; for a process whose leader thread has
 * exited, its first remaining thread (Linux keeps /proc/PID while the
 * process lives). */
struct task *proc_task(const struct proc_node *n)
{
	struct task *t = find_task(n->pid);
	if (t && t->state == TASK_RUNNING)
		return t;
	struct process *p = find_process(n->pid);
	if (!p || p->state != PROCESS_ALIVE || list_empty(&p->threads))
		return NULL;
	return list_first_entry(&p->threads, struct task, thread_node);
}

static struct proc_node *PN(struct inode *i)
{
	return i->private;
}

static void proc_evict(struct inode *inode)
{
	kfree(inode->private);
}

/* Stable numbers: the entry's address mixed with pid and fd, the same in
 * stat and getdents (and never 0, which readdir(3) skips as a hole). The
 * superblock's fs_info is its root entry. */
static uint64_t proc_ino(struct super_block *sb, const struct proc_node *n)
{
	if (n->entry == sb->fs_info)
		return 1;
	return ((uint64_t)(uintptr_t)n->entry >> 3) ^ ((uint64_t)n->pid << 32) ^ (uint64_t)n->fd;
}

static struct inode *proc_inode(struct super_block *sb, const struct proc_node *n)
{
	struct inode *inode = new_inode(sb);
	struct proc_node *pn = kmalloc(sizeof *pn);
	if (!inode || !pn) {
		kfree(pn);
		iput(inode);
		return NULL;
	}
	*pn = *n;
	inode->private = pn;
	const struct proc_entry *e = n->entry;
	inode->mode = e->mode;
	inode->ino = proc_ino(sb, n);
	if (!e->write)
		inode->mode &= ~(mode_t_)0222;
	struct task *t = n->pid ? proc_task(n) : NULL;
	if (t) {
		inode->uid = t->cred.euid;
		inode->gid = t->cred.egid;
	}
	inode->nlink = S_ISDIR(e->mode) ? 2 : 1;
	inode_init_times(inode);
	if (S_ISDIR(e->mode)) {
		inode->i_op = &proc_dir_iops;
		inode->i_fop = &proc_dir_fops;
	} else if (S_ISLNK(e->mode)) {
		inode->i_op = e->link ? &proc_magic_link_iops : &proc_symlink_iops;
	} else {
		inode->i_op = &proc_file_iops;
		inode->i_fop = &proc_file_fops;
	}
	return inode;
}

static int proc_lookup(struct inode *dir, struct dentry *d)
{
	const struct proc_node *pn = PN(dir);
	const struct proc_entry *e = pn->entry;
	struct proc_node child = {NULL, pn->pid, pn->fd};
	if (pn->pid && !proc_task(pn))
		return -ENOENT;
	if (e->lookup && e->lookup(pn, d->name, &child) == 0)
		goto found;
	for (const struct proc_entry *c = e->children; c && c->name; c++) {
		if (!strcmp(c->name, d->name)) {
			child.entry = c;
			goto found;
		}
	}
	return 0;
found:;
	struct inode *inode = proc_inode(dir->sb, &child);
	if (!inode)
		return -ENOMEM;
	d_instantiate(d, inode);
	return 0;
}

/* Process entries vanish with their process. */
static bool proc_revalidate(struct dentry *d)
{
	(void)d;
	return false;
}

static int proc_iterate(struct file *f, struct dir_context *ctx)
{
	const struct proc_node *pn = PN(f->inode);
	const struct proc_entry *e = pn->entry;
	if (ctx->pos == 0 && !ctx->actor(ctx, ".", 1, 1, f->inode->ino, DT_DIR))
		return 0;
	if (ctx->pos == 1 &&
	    !ctx->actor(ctx, "..", 2, 2, f->path.dentry->parent->inode->ino, DT_DIR))
		return 0;
	int k = 2;
	for (const struct proc_entry *c = e->children; c && c->name; c++, k++) {
		if (ctx->pos > k)
			continue;
		struct proc_node cn = {c, pn->pid, pn->fd};
		if (!ctx->actor(ctx, c->name, strlen(c->name), k + 1, proc_ino(f->inode->sb, &cn),
				(c->mode >> 12) & 15))
			return 0;
	}
	/* Dynamic names (pids, fds) come after, at positions 1000 + id. */
	if (e->list) {
		int id = ctx->pos > 1000 ? (int)(ctx->pos - 1000) : -1, next;
		while (e->list(pn, id, &next) == 0) {
			char name[16];
			int n = snprintf(name, sizeof name, "%d", next);
			struct proc_node child;
			unsigned type = DT_DIR;
			uint64_t ino = (uint64_t)next + 1;
			if (e->lookup(pn, name, &child) == 0) {
				type = (child.entry->mode >> 12) & 15;
				ino = proc_ino(f->inode->sb, &child);
			}
			if (!ctx->actor(ctx, name, (size_t)n, 1000 + next + 1, ino, type))
				return 0;
			id = next + 1;
			if (ctx->pos < 1000 + id)
				ctx->pos = 1000 + id;
		}
	}
	return 0;
}

static loff_t proc_dir_llseek(struct file *f, loff_t off, int whence)
{
	if (whence != SEEK_SET || off < 0)
		return -EINVAL;
	f->pos = off;
	return off;
}

static int proc_get_link(struct dentry *d, struct path *out)
{
	const struct proc_node *pn = PN(d->inode);
	return pn->entry->link(pn, out);
}

static long proc_readlink(struct dentry *d, char *buf, size_t len)
{
	const struct proc_node *pn = PN(d->inode);
	if (pn->entry->readlink)
		return pn->entry->readlink(pn, buf, len);
	struct path p;
	int err = pn->entry->link(pn, &p);
	if (err)
		return err;
	char *tmp = kmalloc(PATH_MAX);
	long r = -ENOMEM;
	if (tmp) {
		char *s = d_path(&p, tmp, PATH_MAX);
		if (IS_ERR(s)) {
			r = PTR_ERR(s);
		} else {
			r = (long)min(strlen(s), len);
			memcpy(buf, s, (size_t)r);
		}
		kfree(tmp);
	}
	path_put(&p);
	return r;
}

static int proc_open(struct inode *inode, struct file *f)
{
	const struct proc_node *pn = PN(inode);
	struct seq *s = kzalloc(sizeof *s);
	if (!s)
		return -ENOMEM;
	int err = pn->entry->show ? pn->entry->show(s, pn) : 0;
	if (err) {
		kfree(s->buf);
		kfree(s);
		return err;
	}
	f->private = s;
	return 0;
}

static void proc_release(struct file *f)
{
	struct seq *s = f->private;
	if (s) {
		kfree(s->buf);
		kfree(s);
	}
}

static long proc_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	struct seq *s = f->private;
	return simple_read_from_buffer(to, pos, s->buf, s->len);
}

static long proc_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	const struct proc_node *pn = PN(f->inode);
	if (!pn->entry->write)
		return -EINVAL;
	char buf[4096];
	size_t n = copy_from_iter(buf, min(from->count, sizeof buf - 1), from);
	buf[n] = 0;
	int err = pn->entry->write(pn, buf, n);
	if (err)
		return err;
	*pos += (loff_t)n;
	return (long)n;
}

/* `echo x > /proc/...` opens with O_TRUNC: sizes are nothing here; modes
 * and owners are fixed, as in Linux. */
static int proc_setattr(struct dentry *d, struct iattr *a)
{
	(void)d;
	return (a->valid & (ATTR_MODE | ATTR_UID | ATTR_GID)) ? -EPERM : 0;
}

static const struct inode_operations proc_dir_iops = {.lookup = proc_lookup,
						      .revalidate = proc_revalidate};
static const struct inode_operations proc_file_iops = {.revalidate = proc_revalidate,
						       .setattr = proc_setattr};
static const struct inode_operations proc_magic_link_iops = {
	.readlink = proc_readlink, .get_link_path = proc_get_link, .revalidate = proc_revalidate};
static const struct inode_operations proc_symlink_iops = {.readlink = proc_readlink,
							  .revalidate = proc_revalidate};
static const struct file_operations proc_dir_fops = {.iterate = proc_iterate,
						     .llseek = proc_dir_llseek};
static const struct file_operations proc_file_fops = {
	.open = proc_open,
	.release = proc_release,
	.read = proc_read,
	.write = proc_write,
	.llseek = generic_file_llseek,
};

static int proc_statfs(struct dentry *d, struct linux_statfs *st)
{
	st->f_type = d->sb->magic;
	st->f_bsize = st->f_frsize = 4096;
	st->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_operations proc_sops = {.evict_inode = proc_evict,
						  .statfs = proc_statfs};

/* A filesystem of entry tables: procfs, and sysfs with its own root. */
struct super_block *proc_tree_mount(struct file_system_type *type, int flags,
				    const struct proc_entry *root_entry, int64_t magic)
{
	struct super_block *sb = sb_alloc(type, flags);
	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_op = &proc_sops;
	sb->magic = magic;
	sb->fs_info = (void *)root_entry;
	struct proc_node root = {root_entry, 0, 0};
	struct inode *inode = proc_inode(sb, &root);
	if (!inode) {
		sb_put(sb);
		return ERR_PTR(-ENOMEM);
	}
	inode->i_op = &proc_dir_iops;
	sb->root = d_alloc_root(sb, inode);
	return sb;
}

static struct super_block *proc_mount(struct file_system_type *type, int flags, const char *dev,
				      const char *data)
{
	(void)dev;
	(void)data;
	return proc_tree_mount(type, flags, &proc_root_entry, PROC_SUPER_MAGIC);
}

static struct file_system_type proc_type = {.name = "proc", .mount = proc_mount, .nodev = true};

void procfs_init(void)
{
	register_filesystem(&proc_type);
}
