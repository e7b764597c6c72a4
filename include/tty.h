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

struct tty_driver_ops {
	/* Sends output bytes to the device; returns bytes taken. */
	long (*write)(struct tty *tty, const char *buf, size_t len);
	/* termios changed (the console tells the host nothing; ptys tell the master). */
	void (*set_termios)(struct tty *tty);
	/* Bytes the device takes now without blocking (NULL: any). */
	size_t (*write_room)(struct tty *tty);
	/* The last file open on the tty was closed. */
	void (*close)(struct tty *tty);
};

#define TTY_BUF_SIZE 4096
#define RB_EOL	     1
#define RB_EOF	     2

struct tty {
	char name[32];
	uint64_t rdev;
	const struct tty_driver_ops *ops;
	void *driver_data;
	struct linux_termios termios;
	struct linux_winsize winsize;
	int pgrp;	  /* foreground process group */
	int session;	  /* the session it is the controlling terminal of */
	uint64_t hangups; /* files opened before the last hangup are hung up */
	bool input_eof;	  /* the device has no more input, ever (a pipe ended) */
	int opens;
	uint32_t owner_uid, owner_gid, owner_mode; /* of its device node (ptys) */

	/* Input: raw bytes as the line discipline keeps them. */
	char rbuf[TTY_BUF_SIZE];
	uint8_t rflags[TTY_BUF_SIZE]; /* RB_EOL, RB_EOF */
	size_t rhead, rlen;
	size_t canon_lines; /* complete lines waiting (canonical mode) */
	size_t line_start;  /* offset from rhead of the line being edited */
	bool lnext;
	int column;
	bool stopped;	     /* IXON: ^S */
	struct tty_log *log; /* tty_log_dir=: this session's log file, or NULL */
	struct wait_queue read_wait, write_wait;
};

void tty_init_termios(struct tty *tty, bool interactive);
/* Input from the device, under the kernel lock (signals go to the
 * foreground group). */
void tty_receive(struct tty *tty, const char *buf, size_t len);
void tty_hangup(struct tty *tty);
/* Was this open file of the tty hung up (vhangup, its pty master closed)? */
static inline bool tty_file_hung_up(const struct tty *tty, const struct file *f)
{
	return f->f_version != tty->hangups;
}
void console_input_eof(struct tty *tty);
void console_resized(void);
void tty_set_winsize(struct tty *tty, uint16_t rows, uint16_t cols);
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
