/* devpts instances and the pseudo-terminals they number. */
#ifndef DEVPTS_H
#define DEVPTS_H
#include "kernel.h"

struct devpts;
struct pty;
struct inode;
struct file;
struct tty;

#define PTY_SLAVE_MAJOR 136 /* 136..143 for up to 2048 ptys */
#define PTY_MAX		2048

/* The instance an open /dev/ptmx or /dev/pts/ptmx belongs to. */
struct devpts *devpts_for_ptmx(struct file *f);
/* The instance a slave device node opens in (its own, or /dev/pts's). */
struct devpts *devpts_for_inode(struct inode *inode);
int devpts_new_index(struct devpts *dp, struct pty *pty);
void devpts_kill_index(struct devpts *dp, int index);
struct pty *devpts_get_pty(struct devpts *dp, int index);
/* A new open file of slave number index (TIOCGPTPEER). */
struct file *devpts_open_slave(struct devpts *dp, int index, unsigned flags);
/* Owner and mode of new slaves (gid=, mode= mount options). */
void devpts_slave_owner(struct devpts *dp, uint32_t *gid, uint32_t *mode);

/* pty.c */
extern const struct file_operations ptmx_fops;
struct tty *pty_slave_tty(struct pty *pty);
bool pty_master_open(struct pty *pty);
/* The slave is being opened: -EIO while locked (TIOCSPTLCK), -ENOENT once
 * the master is gone. */
int pty_slave_open(struct pty *pty);

#endif
