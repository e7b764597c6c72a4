/*
 * ttyreplay: plays back a tty log that umk wrote (tty_log_dir=DIR), at the
 * pace it was recorded, or lists its records.
 *
 *   ttyreplay [-s SPEED] [-m SECONDS] [-n] FILE...   the screen's bytes, timed
 *   ttyreplay -d FILE...                             one line per record
 *
 * -s plays SPEED times faster, -m shortens every pause to at most SECONDS,
 * -n plays without pauses. The format: include/ttylog_format.h, docs/ttylog.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "ttylog_format.h"

static double speed = 1, max_pause = -1;
static int no_pauses, dump;

static void pause_for(double seconds)
{
	if (no_pauses || seconds <= 0)
		return;
	seconds /= speed;
	if (max_pause >= 0 && seconds > max_pause)
		seconds = max_pause;
	struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static const char *type_name(uint32_t type)
{
	static const char *names[] = {"?", "START", "INPUT", "OUTPUT", "HANGUP", "END"};
	return type < sizeof names / sizeof names[0] ? names[type] : "?";
}

/* -d: time since the start, type, session, group, then the bytes escaped. */
static void dump_record(const struct ttylog_record *r, const unsigned char *data, int64_t t0)
{
	printf("%+.6f %s session=%d pgrp=%d len=%u \"", (double)(r->time_ns - t0) / 1e9,
	       type_name(r->type), r->session, r->pgrp, r->len);
	for (uint32_t i = 0; i < r->len; i++) {
		unsigned char c = data[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c >= 32 && c < 127)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("\"\n");
}

static int play(const char *path)
{
	FILE *f = fopen(path, "rb");
	char magic[TTYLOG_MAGIC_LEN];
	if (!f || fread(magic, 1, sizeof magic, f) != sizeof magic ||
	    memcmp(magic, TTYLOG_MAGIC, sizeof magic)) {
		fprintf(stderr, "ttyreplay: %s: %s\n", path,
			f ? "not a umk tty log" : strerror(errno));
		if (f)
			fclose(f);
		return 1;
	}
	struct ttylog_record r;
	int64_t t0 = 0, last = 0;
	unsigned char *data = NULL;
	/* A record cut short (./linux killed while writing) ends the file. */
	while (fread(&r, sizeof r, 1, f) == 1) {
		unsigned char *grown = realloc(data, r.len ? r.len : 1);
		if (!grown || fread(grown, 1, r.len, f) != r.len) {
			data = grown;
			break;
		}
		data = grown;
		if (!t0)
			t0 = last = r.time_ns;
		if (dump) {
			dump_record(&r, data, t0);
		} else if (r.type == TTYLOG_OUTPUT) {
			pause_for((double)(r.time_ns - last) / 1e9);
			last = r.time_ns;
			fwrite(data, 1, r.len, stdout);
			fflush(stdout);
		}
	}
	free(data);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	int opt;
	while ((opt = getopt(argc, argv, "s:m:nd")) != -1) {
		switch (opt) {
		case 's':
			speed = atof(optarg);
			break;
		case 'm':
			max_pause = atof(optarg);
			break;
		case 'n':
			no_pauses = 1;
			break;
		case 'd':
			dump = 1;
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc || speed <= 0)
		goto usage;
	int status = 0;
	for (int i = optind; i < argc; i++)
		status |= play(argv[i]);
	return status;
usage:
	fprintf(stderr, "usage: ttyreplay [-s SPEED] [-m SECONDS] [-n] [-d] FILE...\n");
	return 2;
}
