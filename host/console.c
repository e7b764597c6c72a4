/* ./linux's own stdout, for messages before the consoles are up, and
 * host signals to ./linux. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <unistd.h>
#include "host.h"

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
