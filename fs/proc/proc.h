/* procfs internals: a tree of entries, some static, some per process. */
#ifndef PROC_H
#define PROC_H
#include "kernel.h"
#include "fs.h"
#include "seq_file.h"

struct task;

/* What a proc inode stands for. */
struct proc_node {
	const struct proc_entry *entry;
	int pid; /* 0 outside /proc/PID */
	int fd;	 /* /proc/PID/fd/N */
};

struct proc_entry {
	const char *name;
	mode_t_ mode;
	int (*show)(struct seq *s, const struct proc_node *n);
	const struct proc_entry *children;			  /* static subdirectory */
	int (*link)(const struct proc_node *n, struct path *out); /* magic link */
	long (*readlink)(const struct proc_node *n, char *buf, size_t len);
	/* Dynamic directories: list and look up names like "123". */
	int (*list)(const struct proc_node *n, int after, int *next);
	int (*lookup)(const struct proc_node *n, const char *name, struct proc_node *child);
	/* Writable files: the whole text written at once. */
	int (*write)(const struct proc_node *n, const char *buf, size_t len);
	const void *data; /* the object the entry shows (a block device, ...) */
};

extern const struct proc_entry proc_root_entry, proc_pid_entry, proc_tid_entry;
int show_mounts(struct seq *s);
int show_mountinfo_all(struct seq *s);
struct task *proc_task(const struct proc_node *n);
/* A zombie process a node stands for (its /proc/PID, until reaped), or NULL. */
struct process *proc_zombie(const struct proc_node *n);
struct super_block *proc_tree_mount(struct file_system_type *type, int flags,
				    const struct proc_entry *root_entry, int64_t magic);

#endif
