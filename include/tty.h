/* Terminals: the tty core and its line discipline (Linux's N_TTY). */
#ifndef TTY_H
#define TTY_H
#include "kernel.h"
#include "wait.h"
#include "uapi/termios.h"
#include "fs.h"

struct tty;
struct process;
struct file;
struct iov_iter;

struct tty_driver_ops {
	/* Sends output bytes to the device; returns bytes taken. */
	long (*write)(struct tty *tty, const char *buf, size_t len);
	/* termios changed from old (the console tells the host nothing; ptys
	 * tell the master). */
	void (*set_termios)(struct tty *tty, const struct linux_termios *old);
	/* Bytes the device takes now without blocking (NULL: any). */
	size_t (*write_room)(struct tty *tty);
	/* The last file open on the tty was closed. */
	void (*close)(struct tty *tty);
	/* Output was flushed: the device drops what it has not delivered (a
	 * pty has delivered all; packet mode hears). */
	void (*flush_output)(struct tty *tty);
	/* The input queue was flushed (a pty master in packet mode hears). */
	void (*input_flushed)(struct tty *tty);
	/* Output stopped or started (^S/^Q, tcflow; packet mode hears). */
	void (*flow)(struct tty *tty, bool stopped);
};

#define TTY_BUF_SIZE 4096

struct tty {
	char name[32];
	uint64_t rdev;
	const struct tty_driver_ops *ops;
	void *driver_data;
	struct linux_termios termios;
	struct linux_winsize winsize;
	int pgrp;	   /* foreground process group */
	int session;	   /* the session it is the controlling terminal of */
	uint64_t hangups;  /* files opened before the last hangup are hung up */
	bool input_eof;	   /* the device has no more input, ever (a pipe ended) */
	bool other_closed; /* a pty slave whose master has closed */
	int opens;
	uint32_t owner_uid, owner_gid, owner_mode; /* of its device node (ptys) */

	/* Input: raw bytes as the line discipline keeps them. */
	char rbuf[TTY_BUF_SIZE];
	uint8_t rflags[TTY_BUF_SIZE]; /* RB_EOL, RB_EOF */
	size_t rhead, rlen;
	size_t line_start; /* offset from rhead of the line being edited */
	bool lnext;	   /* the next byte is literal (VLNEXT) */
	bool erasing;	   /* inside ECHOPRT's \.../ of erased bytes */
	int column;	   /* of the device's cursor, as output moved it */
	int canon_column;  /* where the line being edited began */
	bool stopped;	   /* output stopped: ^S or tcflow */
	bool tco_stopped;  /* by tcflow(TCOOFF), which only TCOON undoes */
	/* Output (echoes mostly) gathered for the device, held while stopped. */
	char out[TTY_BUF_SIZE];
	size_t out_len;
	struct tty_log *log; /* tty_log_dir=: this session's log file, or NULL */
	struct wait_queue read_wait, write_wait;
};

void tty_init_termios(struct tty *tty, bool interactive);
/* Input from the device, under the kernel lock (signals go to the
 * foreground group). */
void tty_receive(struct tty *tty, const char *buf, size_t len);
/* How many bytes tty_receive takes now without dropping any. */
size_t tty_receive_room(struct tty *tty);
void tty_hangup(struct tty *tty);

/* The line discipline (n_tty.c). */
long n_tty_read(struct tty *tty, struct file *f, struct iov_iter *to);
long n_tty_write(struct tty *tty, struct file *f, struct iov_iter *from);
/* Bytes a read would return (FIONREAD), and whether poll says POLLIN. */
size_t n_tty_readable(struct tty *tty);
bool n_tty_poll_readable(struct tty *tty);
void n_tty_set_termios(struct tty *tty, const struct linux_termios *old);
void n_tty_flush_input(struct tty *tty);
void tty_flush_output(struct tty *tty);
void tty_stop(struct tty *tty);
void tty_start(struct tty *tty);
/* Job control for a caller touching tty: 0, or -EIO, or -ERESTARTSYS once
 * its group has been sent sig (SIGTTIN, SIGTTOU). */
int tty_check_change(struct tty *tty, int sig);
/* Was this open file of the tty hung up (vhangup, its pty master closed)? */
static inline bool tty_file_hung_up(const struct tty *tty, const struct file *f)
{
	return f->f_version != tty->hangups;
}
void console_input_eof(struct tty *tty);
void console_resized(void);
void tty_set_winsize(struct tty *tty, uint16_t rows, uint16_t cols);
/* A new window size: the foreground group gets SIGWINCH if it changed. */
void tty_resize(struct tty *tty, const struct linux_winsize *ws);
extern const struct file_operations tty_fops;
/* ioctls on a tty; from_master skips the controlling-terminal checks a pty
 * master is exempt from. */
long tty_ioctl_on(struct tty *tty, struct file *f, unsigned cmd, uaddr_t arg, bool from_master);
/* TIOCGPTPEER: a new fd for the slave of pty number index. */
long pty_open_peer(struct file *master, int index, unsigned flags);
/* Makes tty current's controlling terminal if it may be (open without O_NOCTTY). */
void tty_maybe_set_ctty(struct tty *tty, struct file *f);
int tty_nr_of(struct process *p);
int tty_fg_pgrp_of(struct process *p);
void tty_release_session(struct process *leader);

/* Honeypot logging (tty_log_dir=): every byte crossing a tty. */
int tty_log_init(const char *dir);
void tty_log_open(struct tty *tty);
void tty_log_data(struct tty *tty, bool input, const char *buf, size_t len);
void tty_log_close(struct tty *tty, bool hangup);

/* Consoles and serial lines on host channels (con=, ssl=). */
extern struct tty *console_tty; /* console 0: /dev/console */
void console_init(void);
/* The console or serial line of a (4, minor) device node, or NULL. */
struct tty *console_tty_of(unsigned minor);

#endif
