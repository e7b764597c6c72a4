/*
 * Honeypot tty logging (tty_log_dir=DIR): every byte that crosses a guest
 * tty, with its time and the session it belongs to, in the format of
 * include/ttylog_format.h. Called under the kernel lock.
 */
#include <stdio.h>
#include "kernel.h"
#include "host.h"
#include "tty.h"
#include "ttylog_format.h"
#include "uapi/fcntl.h"

static int log_dirfd = -1;
static unsigned log_seq;

struct tty_log {
	int fd;
};

int tty_log_init(const char *dir)
{
	log_dirfd = host_open_dir(dir);
	return log_dirfd < 0 ? log_dirfd : 0;
}

static void log_write(struct tty *tty, uint32_t type, const void *data, size_t len)
{
	struct ttylog_record r = {
	    .type = type,
	    .len = (uint32_t)len,
	    .time_ns = host_realtime_ns(),
	    .session = tty->session,
	    .pgrp = tty->pgrp,
	};
	/* O_APPEND: the offset is ignored. */
	host_pwrite(tty->log->fd, &r, sizeof r, 0);
	if (len)
		host_pwrite(tty->log->fd, data, len, 0);
}

/* A new file: <tty>-<unix seconds>-<sequence>.ttylog, "pts/3" as "pts3". */
static void log_start(struct tty *tty)
{
	char name[96], tname[32];
	size_t j = 0;
	for (const char *s = tty->name; *s && j < sizeof tname - 1; s++)
		if (*s != '/')
			tname[j++] = *s;
	tname[j] = 0;
	snprintf(name, sizeof name, "%s-%lld-%u.ttylog", tname,
		 (long long)(host_realtime_ns() / 1000000000), ++log_seq);
	int fd =
	    host_openat(log_dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	struct tty_log *log = fd >= 0 ? kmalloc(sizeof *log) : NULL;
	if (!log) {
		pr_warn("tty log: cannot create %s (error %d): not logging it\n", name,
			fd < 0 ? -fd : ENOMEM);
		if (fd >= 0)
			host_close(fd);
		return;
	}
	log->fd = fd;
	tty->log = log;
	host_pwrite(fd, TTYLOG_MAGIC, TTYLOG_MAGIC_LEN, 0);
	log_write(tty, TTYLOG_START, tty->name, strlen(tty->name));
}

void tty_log_data(struct tty *tty, bool input, const char *buf, size_t len)
{
	if (log_dirfd < 0 || !len)
		return;
	if (!tty->log)
		log_start(tty);
	if (tty->log)
		log_write(tty, input ? TTYLOG_INPUT : TTYLOG_OUTPUT, buf, len);
}

void tty_log_open(struct tty *tty)
{
	if (log_dirfd >= 0 && !tty->log)
		log_start(tty);
}

void tty_log_close(struct tty *tty, bool hangup)
{
	if (!tty->log)
		return;
	log_write(tty, hangup ? TTYLOG_HANGUP : TTYLOG_END, NULL, 0);
	host_close(tty->log->fd);
	kfree(tty->log);
	tty->log = NULL;
}
