/*
 * Channels: where a guest terminal's bytes go on the host, as UML's con=
 * and ssl= options name them:
 *   fd:N[,fd:M]  host fds (input N, output M or N)
 *   null         nothing: no input ever, output dropped
 *   pts          a new host pseudo-terminal; its path is logged
 *   port:PORT    TCP on 127.0.0.1, telnet-style, one client at a time
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <poll.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "host.h"
#include "internal.h"

enum channel_kind { CH_FD, CH_NULL, CH_PTS, CH_PORT };

struct host_channel {
	enum channel_kind kind;
	int in, out;
	int listener;	      /* port: the listening socket; in == out == the client */
	int pts_slave;	      /* pts: kept open, so the master reads block, never EOF */
	struct termios saved; /* fd: a terminal's mode before raw */
	bool saved_valid;
	struct host_channel *next_raw;
	int telnet; /* port: where in a telnet command the input is */
	bool telnet_cr;
	struct host_mutex lock;
	void (*receive)(void *ctx, const char *buf, size_t len);
	void *ctx;
	char name[64];
};

/* Terminals put in raw mode, given back at every exit. */
static struct host_channel *raw_channels;
static struct host_mutex raw_lock;

static int parse_fd(const char *s, int *fd)
{
	char *end;
	if (strncmp(s, "fd:", 3))
		return -EINVAL;
	long v = strtol(s + 3, &end, 10);
	if (end == s + 3 || (*end && *end != ',') || v < 0 || v > 1023)
		return -EINVAL;
	*fd = (int)v;
	return 0;
}

static int open_pts(struct host_channel *c)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (m < 0 || grantpt(m) || unlockpt(m))
		return -errno;
	const char *name = ptsname(m);
	int s = name ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
	if (s < 0) {
		int err = -errno;
		close(m);
		return err;
	}
	/* Raw on the host side: the guest's line discipline does the work. */
	struct termios t;
	if (tcgetattr(s, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(s, TCSANOW, &t);
	}
	c->in = c->out = m;
	c->pts_slave = s;
	snprintf(c->name, sizeof c->name, "%s", name);
	return 0;
}

static int open_port(struct host_channel *c, const char *spec)
{
	char *end;
	long port = strtol(spec + 5, &end, 10);
	if (end == spec + 5 || *end || port <= 0 || port > 65535)
		return -EINVAL;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 1)) {
		int err = -errno;
		close(s);
		return err;
	}
	c->listener = s;
	snprintf(c->name, sizeof c->name, "127.0.0.1:%ld", port);
	return 0;
}

int host_channel_open(const char *spec, struct host_channel **out)
{
	struct host_channel *c = calloc(1, sizeof *c);
	if (!c)
		return -ENOMEM;
	c->in = c->out = c->listener = c->pts_slave = -1;
	int err = 0;
	if (!strcmp(spec, "null")) {
		c->kind = CH_NULL;
		snprintf(c->name, sizeof c->name, "null");
	} else if (!strcmp(spec, "pts")) {
		c->kind = CH_PTS;
		err = open_pts(c);
	} else if (!strncmp(spec, "port:", 5)) {
		c->kind = CH_PORT;
		err = open_port(c, spec);
	} else if (!(err = parse_fd(spec, &c->in))) {
		c->kind = CH_FD;
		const char *comma = strchr(spec, ',');
		c->out = c->in;
		if (comma)
			err = parse_fd(comma + 1, &c->out);
		if (!err && (fcntl(c->in, F_GETFD) < 0 || fcntl(c->out, F_GETFD) < 0))
			err = -EBADF;
		snprintf(c->name, sizeof c->name, "%s", spec);
	} else {
		err = -EINVAL;
	}
	if (err) {
		free(c);
		return err;
	}
	*out = c;
	return 0;
}

const char *host_channel_name(const struct host_channel *c)
{
	return c->name;
}

bool host_channel_interactive(const struct host_channel *c)
{
	return c->kind == CH_PTS || c->kind == CH_PORT || (c->kind == CH_FD && isatty(c->in));
}

bool host_channel_reconnects(const struct host_channel *c)
{
	return c->kind == CH_PORT;
}

void host_channel_raw(struct host_channel *c)
{
	if (c->kind != CH_FD || !isatty(c->in) || tcgetattr(c->in, &c->saved))
		return;
	struct termios raw = c->saved;
	cfmakeraw(&raw); /* the guest's line discipline does echo, editing and \r\n */
	host_mutex_lock(&raw_lock);
	c->saved_valid = true;
	c->next_raw = raw_channels;
	raw_channels = c;
	host_mutex_unlock(&raw_lock);
	tcsetattr(c->in, TCSADRAIN, &raw);
}

/* Also from a fatal signal's handler: no locks, only tcsetattr. */
void host_channels_restore(void)
{
	for (struct host_channel *c = raw_channels; c; c = c->next_raw)
		if (c->saved_valid)
			tcsetattr(c->in, TCSADRAIN, &c->saved);
}

bool host_channel_winsize(const struct host_channel *c, uint16_t *rows, uint16_t *cols)
{
	struct winsize ws;
	int fd = c->kind == CH_PTS ? c->pts_slave : c->out;
	if (c->kind != CH_FD && c->kind != CH_PTS)
		return false;
	if (ioctl(fd, TIOCGWINSZ, &ws) && ioctl(c->in, TIOCGWINSZ, &ws))
		return false;
	if (!ws.ws_row || !ws.ws_col)
		return false; /* a fresh pty says 0x0: keep the default */
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return true;
}

long host_channel_write(struct host_channel *c, const void *buf, size_t len)
{
	host_mutex_lock(&c->lock);
	int fd = c->out;
	size_t done = 0;
	while (fd >= 0 && done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		/* pts and port are non-blocking: a full buffer nobody reads must
		 * not stop the kernel, which writes under its lock. */
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	host_mutex_unlock(&c->lock);
	return (long)len; /* a channel nobody reads drops what it cannot send */
}

/* Telnet's commands, dropped from the input as they come, across reads:
 * IAC IAC is a 255 byte; IAC WILL/WONT/DO/DONT take one option byte; IAC
 * SB ... IAC SE is a subnegotiation; other commands are one byte. Enter
 * arrives as CR LF or CR NUL: the guest sees CR. */
enum telnet_state { T_DATA, T_IAC, T_OPTION, T_SB, T_SB_IAC };

static size_t strip_telnet(struct host_channel *c, char *buf, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)buf[i];
		bool after_cr = c->telnet_cr;
		c->telnet_cr = false;
		switch (c->telnet) {
		case T_DATA:
			if (ch == 255)
				c->telnet = T_IAC;
			else if (!(after_cr && (ch == '\n' || ch == 0)))
				buf[o++] = (char)ch;
			c->telnet_cr = ch == '\r';
			break;
		case T_IAC:
			c->telnet = ch == 250 ? T_SB : ch >= 251 ? T_OPTION : T_DATA;
			if (ch == 255)
				buf[o++] = (char)ch;
			break;
		case T_OPTION:
			c->telnet = T_DATA;
			break;
		case T_SB:
			if (ch == 255)
				c->telnet = T_SB_IAC;
			break;
		case T_SB_IAC:
			c->telnet = ch == 240 ? T_DATA : T_SB;
			break;
		}
	}
	return o;
}

static void read_loop(struct host_channel *c, int fd)
{
	char buf[4096];
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (c->kind != CH_FD && poll(&p, 1, -1) < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return;
		size_t len = c->kind == CH_PORT ? strip_telnet(c, buf, (size_t)n) : (size_t)n;
		if (len)
			c->receive(c->ctx, buf, len);
	}
}

/* One telnet client at a time; its leaving is a hangup of the line. */
static void serve_client(struct host_channel *c, int client)
{
	static const unsigned char hello[] = {255, 251, 1, 255, 251, 3}; /* WILL ECHO, WILL SGA */
	host_mutex_lock(&c->lock);
	c->in = c->out = client;
	c->telnet = T_DATA;
	c->telnet_cr = false;
	host_mutex_unlock(&c->lock);
	if (write(client, hello, sizeof hello) == sizeof hello)
		read_loop(c, client);
	host_mutex_lock(&c->lock);
	c->in = c->out = -1;
	host_mutex_unlock(&c->lock);
	close(client);
	c->receive(c->ctx, NULL, 0);
}

static void channel_thread(void *arg)
{
	struct host_channel *c = arg;
	if (c->kind != CH_PORT) {
		read_loop(c, c->in);
		c->receive(c->ctx, NULL, 0); /* end of input: a pipe ended */
		return;
	}
	for (;;) {
		int client = accept4(c->listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (client >= 0)
			serve_client(c, client);
		else if (errno != EINTR && errno != ECONNABORTED)
			sleep(1); /* out of fds: try again later, without spinning */
	}
}

void host_channel_start(struct host_channel *c,
			void (*receive)(void *ctx, const char *buf, size_t len), void *ctx)
{
	c->receive = receive;
	c->ctx = ctx;
	if (c->kind != CH_NULL)
		host_thread_create(channel_thread, c);
}
