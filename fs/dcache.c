/*
 * The dentry cache: names in directories, hashed by (parent, name). Unused
 * dentries stay cached on an LRU list until pruned; filesystems whose
 * dentries are their data (tmpfs) pin them.
 */
#include "kernel.h"
#include "fs.h"

#define HASH_BITS 14
static struct list_head hash_table[1 << HASH_BITS];
static LIST_HEAD(lru);
static size_t nr_unused;
#define MAX_UNUSED 4096

static unsigned name_hash(const struct dentry *parent, const char *name, size_t len)
{
	unsigned h = (unsigned)((uintptr_t)parent >> 4) * 2654435761u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h & ((1 << HASH_BITS) - 1);
}

static struct list_head *bucket(const struct dentry *parent, const char *name, size_t len)
{
	struct list_head *b = &hash_table[name_hash(parent, name, len)];
	if (!b->next)
		list_init(b);
	return b;
}

struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = kzalloc(sizeof *d);
	if (!d)
		return NULL;
	d->name = kstrndup(name, len);
	if (!d->name) {
		kfree(d);
		return NULL;
	}
	d->refcount = 1;
	list_init(&d->children);
	list_init(&d->sibling);
	list_init(&d->hash);
	list_init(&d->lru);
	if (parent) {
		d->parent = dget(parent);
		d->sb = parent->sb;
		list_add_tail(&d->sibling, &parent->children);
		list_add(&d->hash, bucket(parent, name, len));
	} else {
		d->parent = d;
	}
	return d;
}

struct dentry *d_alloc_root(struct super_block *sb, struct inode *inode)
{
	struct dentry *d = d_alloc(NULL, "/", 1);
	if (!d)
		return NULL;
	d->sb = sb;
	d->inode = inode;
	return d;
}

struct dentry *d_alloc_pseudo(struct super_block *sb, struct inode *inode, const char *name)
{
	struct dentry *d = d_alloc(NULL, name, strlen(name));
	if (!d)
		return NULL;
	d->sb = sb;
	d->inode = inode;
	return d;
}

struct dentry *d_lookup_cached(struct dentry *parent, const char *name, size_t len)
{
	struct list_head *b = bucket(parent, name, len);
	struct dentry *d;
	list_for_each_entry(d, b, hash) {
		if (d->parent == parent && !strncmp(d->name, name, len) && !d->name[len] &&
		    !d->deleted)
			return dget(d);
	}
	return NULL;
}

struct dentry *dget(struct dentry *d)
{
	if (d->refcount++ == 0 && !list_empty(&d->lru)) {
		list_del(&d->lru);
		nr_unused--;
	}
	return d;
}

static void d_free(struct dentry *d)
{
	struct dentry *parent = d->parent;
	list_del(&d->hash);
	list_del(&d->sibling);
	if (d->inode)
		iput(d->inode);
	kfree(d->name);
	kfree(d);
	if (parent != d)
		dput(parent);
}

/* A dentry with no users is freed if it is negative, unhashed or deleted,
 * or kept on the LRU list otherwise. */
void dput(struct dentry *d)
{
	if (!d || --d->refcount > 0)
		return;
	if (d->parent == d) {
		if (d->sb && (d->sb->flags & SB_PSEUDO))
			d_free(d);
		return; /* roots live as long as their superblock */
	}
	bool keep = d->inode && !d->deleted && !list_empty(&d->hash) &&
		    !(d->inode->i_op && d->inode->i_op->revalidate);
	if (!keep) {
		d_free(d);
		return;
	}
	list_add_tail(&d->lru, &lru);
	if (++nr_unused > MAX_UNUSED)
		d_prune_unused(MAX_UNUSED / 2);
}

void d_prune_unused(size_t keep)
{
	while (nr_unused > keep && !list_empty(&lru)) {
		struct dentry *d = list_first_entry(&lru, struct dentry, lru);
		list_del(&d->lru);
		nr_unused--;
		if (!list_empty(&d->children) || d->mounted || d->pinned) {
			continue; /* in use underneath: stays until its children go */
		}
		d_free(d);
	}
}

void d_instantiate(struct dentry *d, struct inode *inode)
{
	d->inode = inode;
}

/* The name is gone (unlink, rmdir): later lookups miss it; holders keep
 * their reference to the inode. */
void d_delete(struct dentry *d)
{
	d->deleted = true;
	list_del(&d->hash);
	if (d->pinned) {
		d->pinned = false;
		dput(d);
	}
}

void d_drop(struct dentry *d)
{
	list_del(&d->hash);
}

void d_move(struct dentry *d, struct dentry *newparent, const char *name, size_t len)
{
	char *n = kstrndup(name, len);
	if (!n)
		return;
	kfree(d->name);
	d->name = n;
	list_del(&d->hash);
	list_add(&d->hash, bucket(newparent, name, len));
	if (newparent != d->parent) {
		struct dentry *old = d->parent;
		list_del(&d->sibling);
		d->parent = dget(newparent);
		list_add_tail(&d->sibling, &newparent->children);
		dput(old);
	}
}

/* Children go before their parents, so repeat until nothing moves. */
void shrink_dcache_sb(struct super_block *sb)
{
	for (bool progress = true; progress;) {
		progress = false;
		struct dentry *d, *n;
		list_for_each_entry_safe(d, n, &lru, lru) {
			if (d->sb != sb || !list_empty(&d->children) || d->mounted || d->pinned)
				continue;
			list_del(&d->lru);
			nr_unused--;
			d_free(d);
			progress = true;
			break; /* d_free may have put the parent on the list: start over */
		}
	}
	struct dentry *root = sb->root;
	if (root && root->refcount == 1 && list_empty(&root->children)) {
		sb->root = NULL;
		d_free(root);
	}
}
