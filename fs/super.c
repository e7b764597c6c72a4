/* Filesystem types and superblocks. */
#include "kernel.h"
#include <stdio.h>
#include "fs.h"

static LIST_HEAD(fs_types);

void register_filesystem(struct file_system_type *fs)
{
	list_add_tail(&fs->list, &fs_types);
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *fs;
	list_for_each_entry(fs, &fs_types, list)
		if (!strcmp(fs->name, name))
			return fs;
	return NULL;
}

/* /proc/filesystems */
size_t list_filesystems(char *buf, size_t len)
{
	size_t n = 0;
	struct file_system_type *fs;
	list_for_each_entry(fs, &fs_types, list) {
		int k = snprintf(buf + n, len - n, "%s\t%s\n", fs->nodev ? "nodev" : "", fs->name);
		if (k < 0 || (size_t)k >= len - n)
			break;
		n += (size_t)k;
	}
	return n;
}

uint64_t new_anon_dev(void)
{
	static unsigned next_minor = 1;
	unsigned minor = next_minor++;
	return MKDEV(0, minor);
}

struct super_block *sb_alloc(struct file_system_type *type, int flags)
{
	struct super_block *sb = kzalloc(sizeof *sb);
	if (!sb)
		return NULL;
	sb->type = type;
	sb->flags = flags;
	sb->refcount = 1;
	sb->dev = new_anon_dev();
	list_init(&sb->inodes);
	return sb;
}

void sb_put(struct super_block *sb)
{
	if (--sb->refcount > 0)
		return;
	if (sb->s_op && sb->s_op->put_super)
		sb->s_op->put_super(sb);
	kfree(sb);
}
