/* The console (./linux's stdin and stdout) and host signals to ./linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "host.h"

static struct termios saved;
static bool saved_valid;

bool host_console_isatty(void)
{
	return isatty(0);
}

long host_console_write(const void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(1, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return done ? (long)done : -errno;
		done += (size_t)n;
	}
	return (long)done;
}

void host_console_raw(void)
{
	if (!isatty(0) || tcgetattr(0, &saved))
		return;
	saved_valid = true;
	struct termios raw = saved;
	cfmakeraw(&raw); /* the guest's line discipline does echo, editing and \r\n */
	tcsetattr(0, TCSADRAIN, &raw);
}

void host_console_restore(void)
{
	if (saved_valid)
		tcsetattr(0, TCSADRAIN, &saved);
}

void host_console_winsize(uint16_t *rows, uint16_t *cols)
{
	struct winsize ws;
	if (ioctl(1, TIOCGWINSZ, &ws) == 0 || ioctl(0, TIOCGWINSZ, &ws) == 0) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	} else {
		*rows = 24;
		*cols = 80;
	}
}

static void (*console_receive)(const char *, size_t);

static void reader(void *arg)
{
	(void)arg;
	char buf[4096];
	for (;;) {
		ssize_t n = read(0, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			console_receive(buf, 0);
			return;
		}
		console_receive(buf, (size_t)n);
	}
}

void host_console_start(void (*receive)(const char *buf, size_t len))
{
	console_receive = receive;
	host_thread_create(reader, NULL);
}

static void (*event_handler)(enum host_event);

static void events(void *arg)
{
	(void)arg;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGQUIT);
	for (;;) {
		int sig = sigwaitinfo(&set, NULL);
		switch (sig) {
		case SIGTERM:
		case SIGQUIT:
			event_handler(HOST_EVENT_TERM);
			break;
		case SIGINT:
			event_handler(HOST_EVENT_INT);
			break;
		case SIGHUP:
			event_handler(HOST_EVENT_HUP);
			break;
		case SIGWINCH:
			event_handler(HOST_EVENT_WINCH);
			break;
		}
	}
}

void host_events_start(void (*handler)(enum host_event ev))
{
	event_handler = handler;
	host_thread_create(events, NULL);
}
