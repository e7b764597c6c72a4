/*
 * File change notification: the VFS reports what happens to inodes and
 * names (fsnotify_*), on every filesystem alike; inotify instances watch
 * inodes and queue the events for read(2).
 */
#ifndef FSNOTIFY_H
#define FSNOTIFY_H
#include "kernel.h"

#define IN_ACCESS	 0x00000001
#define IN_MODIFY	 0x00000002
#define IN_ATTRIB	 0x00000004
#define IN_CLOSE_WRITE	 0x00000008
#define IN_CLOSE_NOWRITE 0x00000010
#define IN_OPEN		 0x00000020
#define IN_MOVED_FROM	 0x00000040
#define IN_MOVED_TO	 0x00000080
#define IN_CREATE	 0x00000100
#define IN_DELETE	 0x00000200
#define IN_DELETE_SELF	 0x00000400
#define IN_MOVE_SELF	 0x00000800
#define IN_UNMOUNT	 0x00002000
#define IN_Q_OVERFLOW	 0x00004000
#define IN_IGNORED	 0x00008000
#define IN_ISDIR	 0x40000000

struct inode;
struct dentry;
struct file;

/* A new name d in dir (create, mkdir, mknod, symlink, link). */
void fsnotify_create(struct inode *dir, struct dentry *d);
/* The name d went from dir; its inode, when it has no link left, is gone. */
void fsnotify_delete(struct inode *dir, struct dentry *d, struct inode *inode);
struct super_block;
/* The last mount of sb went: IN_UNMOUNT, and the watches end. */
void fsnotify_unmount(struct super_block *sb);
/* inode got another link (link(2)). */
void fsnotify_link(struct inode *inode);
/* setattr changed what valid (ATTR_*) says. */
void fsnotify_change(struct dentry *d, unsigned valid);
/* A rename replaced inode's name with another file. */
void fsnotify_replaced(struct inode *inode);
/* inode was renamed from olddir/oldname to newdir/newname. */
void fsnotify_move(struct inode *olddir, const char *oldname, struct inode *newdir,
		   const char *newname, struct inode *inode);
/* Events on a file that its directory's watchers hear too. */
void fsnotify_dentry(struct dentry *d, uint32_t mask);
void fsnotify_open(struct file *f);
void fsnotify_close(struct file *f);

#endif
