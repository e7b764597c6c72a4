/*
 * The console: a tty on ./linux's own stdin and stdout. The host terminal
 * is put in raw mode, so the guest's line discipline does all the work
 * (echo, editing, ^C); from a pipe the console reads and writes plainly.
 */
#include "kernel.h"
#include "host.h"
#include "fs.h"
#include "tty.h"
#include "devpts.h"

struct tty *console_tty;
static bool interactive;

static long console_write(struct tty *tty, const char *buf, size_t len)
{
	(void)tty;
	return host_console_write(buf, len);
}

static const struct tty_driver_ops console_ops = {.write = console_write};

/* Kernel messages: on a terminal every \n needs its \r. */
static void console_print(const char *s, size_t len)
{
	if (!interactive) {
		host_console_write(s, len);
		return;
	}
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		host_console_write(s + start, i - start);
		host_console_write("\r\n", 2);
		start = i + 1;
	}
	host_console_write(s + start, len - start);
}

static void console_input(const char *buf, size_t len)
{
	lock_kernel();
	if (len)
		tty_receive(console_tty, buf, len);
	else
		console_input_eof(console_tty);
	unlock_kernel();
}

void console_resized(void)
{
	uint16_t rows, cols;
	host_console_winsize(&rows, &cols);
	tty_set_winsize(console_tty, rows, cols);
}

void console_init(void)
{
	static struct tty tty;
	interactive = host_console_isatty();
	strcpy(tty.name, "console");
	tty.rdev = MKDEV(5, 1);
	tty.ops = &console_ops;
	wait_queue_init(&tty.read_wait);
	wait_queue_init(&tty.write_wait);
	tty_init_termios(&tty, interactive);
	console_tty = &tty;
	if (interactive) {
		host_console_winsize(&tty.winsize.ws_row, &tty.winsize.ws_col);
		host_console_raw();
	}
	printk_console_write = console_print;
	register_chrdev(5, 0, 2, &tty_fops); /* tty, console, ptmx */
	register_chrdev(PTY_SLAVE_MAJOR, 0, 255, &tty_fops);
	for (unsigned m = PTY_SLAVE_MAJOR + 1; m < PTY_SLAVE_MAJOR + PTY_MAX / 256; m++)
		register_chrdev(m, 0, 255, &tty_fops);
	register_chrdev(4, 0, 63, &tty_fops);
	host_console_start(console_input);
}
