/*
 * Consoles and serial lines, as UML has them: each is a tty on a host
 * channel (con=, conN=, ssl=, sslN=). Console 0 is /dev/console and
 * /dev/tty0, on ./linux's stdin and stdout unless told otherwise; console N
 * is /dev/ttyN; serial line N is /dev/ttySN. A host terminal is put in raw
 * mode, so the guest's line discipline does all the work (echo, editing,
 * ^C); from a pipe the console reads and writes plainly. A line given no
 * channel is idle: it opens, never has input and drops its output. /dev/tty1
 * is console 0 unless con1= says otherwise, so the getty a Debian inittab
 * runs on tty1 greets the user at the terminal ./linux runs in.
 */
#include <stdio.h>
#include "kernel.h"
#include "host.h"
#include "init.h"
#include "fs.h"
#include "tty.h"
#include "devpts.h"

#define TTY_MAJOR	  4
#define SERIAL_MINOR_BASE 64

struct console {
	struct tty tty;
	struct host_channel *chan;
	bool interactive;
};

static struct console consoles[NR_CONSOLES], serials[NR_SERIALS];
struct tty *console_tty = &consoles[0].tty;

static long console_write(struct tty *tty, const char *buf, size_t len)
{
	struct console *c = tty->driver_data;
	return host_channel_write(c->chan, buf, len);
}

static const struct tty_driver_ops console_ops = {.write = console_write};

/* Kernel messages: on a terminal every \n needs its \r. */
static void console_print(const char *s, size_t len)
{
	struct host_channel *chan = consoles[0].chan;
	if (!consoles[0].interactive) {
		host_channel_write(chan, s, len);
		return;
	}
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		host_channel_write(chan, s + start, i - start);
		host_channel_write(chan, "\r\n", 2);
		start = i + 1;
	}
	host_channel_write(chan, s + start, len - start);
}

/* From the channel's thread: input, or its end (len 0). */
static void console_input(void *ctx, const char *buf, size_t len)
{
	struct console *c = ctx;
	lock_kernel();
	if (len)
		tty_receive(&c->tty, buf, len);
	else if (host_channel_reconnects(c->chan))
		tty_hangup(&c->tty); /* a telnet client left: the next one gets a fresh login */
	else
		console_input_eof(&c->tty);
	unlock_kernel();
}

static void console_update_winsize(struct console *c)
{
	uint16_t rows, cols;
	if (c->chan && host_channel_winsize(c->chan, &rows, &cols))
		tty_set_winsize(&c->tty, rows, cols);
}

/* SIGWINCH to ./linux: a host terminal changed size. */
void console_resized(void)
{
	for (int i = 0; i < NR_CONSOLES; i++)
		console_update_winsize(&consoles[i]);
	for (int i = 0; i < NR_SERIALS; i++)
		console_update_winsize(&serials[i]);
}

static const char *channel_error(int err)
{
	switch (err) {
	case -EINVAL:
		return "expected fd:N[,fd:M], null, pts or port:PORT";
	case -EBADF:
		return "no such host file descriptor";
	case -EADDRINUSE:
		return "the port is in use";
	default:
		return "the host refused it";
	}
}

/* Opens the line's channel; a spec that cannot be opened ends the boot
 * as a bad option does. */
static void console_setup(struct console *c, const char *name, uint64_t rdev, const char *opt,
			  const char *spec, const char *uml_kind, int index)
{
	int err = host_channel_open(spec, &c->chan);
	if (err)
		host_exit(cmdline_error(opt, spec, channel_error(err)));
	snprintf(c->tty.name, sizeof c->tty.name, "%s", name);
	c->tty.rdev = rdev;
	c->tty.ops = &console_ops;
	c->tty.driver_data = c;
	wait_queue_init(&c->tty.read_wait);
	wait_queue_init(&c->tty.write_wait);
	c->interactive = host_channel_interactive(c->chan);
	tty_init_termios(&c->tty, c->interactive);
	host_channel_raw(c->chan);
	console_update_winsize(c);
	if (strcmp(spec, "null") && (index || strncmp(spec, "fd:", 3)))
		pr_info("%s %d assigned device '%s'\n", uml_kind, index,
			host_channel_name(c->chan));
}

static void consoles_open(void)
{
	char opt[16], name[16];
	for (int i = 0; i < NR_CONSOLES; i++) {
		const char *spec = boot.con[i] ? boot.con[i] : boot.con_all;
		if (!spec)
			spec = i == 0 ? "fd:0,fd:1" : "null";
		snprintf(opt, sizeof opt, boot.con[i] ? "con%d" : "con", i);
		snprintf(name, sizeof name, i ? "tty%d" : "console", i);
		console_setup(&consoles[i], name, i ? MKDEV(TTY_MAJOR, i) : MKDEV(5, 1), opt, spec,
			      "Virtual console", i);
	}
	for (int i = 0; i < NR_SERIALS; i++) {
		const char *spec = boot.ssl[i] ? boot.ssl[i] : boot.ssl_all;
		snprintf(opt, sizeof opt, boot.ssl[i] ? "ssl%d" : "ssl", i);
		snprintf(name, sizeof name, "ttyS%d", i);
		console_setup(&serials[i], name, MKDEV(TTY_MAJOR, SERIAL_MINOR_BASE + i), opt,
			      spec ? spec : "null", "Serial line", i);
	}
}

/* The tty behind a (4, minor) node, or NULL. */
struct tty *console_tty_of(unsigned minor)
{
	if (minor == 1 && !boot.con[1] && !boot.con_all)
		return console_tty;
	if (minor < NR_CONSOLES)
		return &consoles[minor].tty;
	if (minor >= SERIAL_MINOR_BASE && minor < SERIAL_MINOR_BASE + NR_SERIALS)
		return &serials[minor - SERIAL_MINOR_BASE].tty;
	return NULL;
}

void console_init(void)
{
	consoles_open();
	printk_console_write = console_print;
	register_chrdev(5, 0, 2, &tty_fops); /* tty, console, ptmx */
	register_chrdev(PTY_SLAVE_MAJOR, 0, 255, &tty_fops);
	for (unsigned m = PTY_SLAVE_MAJOR + 1; m < PTY_SLAVE_MAJOR + PTY_MAX / 256; m++)
		register_chrdev(m, 0, 255, &tty_fops);
	register_chrdev(TTY_MAJOR, 0, SERIAL_MINOR_BASE + NR_SERIALS - 1, &tty_fops);
	for (int i = 0; i < NR_CONSOLES; i++)
		host_channel_start(consoles[i].chan, console_input, &consoles[i]);
	for (int i = 0; i < NR_SERIALS; i++)
		host_channel_start(serials[i].chan, console_input, &serials[i]);
}
