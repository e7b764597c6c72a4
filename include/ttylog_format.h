/*
 * The tty log's file format (tty_log_dir=DIR), shared by the kernel and
 * tools/ttyreplay; docs/ttylog.md describes it for other readers.
 *
 * One file per tty session: from the first open of a tty (or its first byte)
 * to its last close or a hangup. The file starts with TTYLOG_MAGIC (16
 * bytes), then records: a struct ttylog_record, little-endian, followed by
 * len bytes of data. Bytes are logged where they cross the device: INPUT is
 * what arrives from the keyboard side (before the line discipline edits
 * it), OUTPUT is what the device shows (after OPOST, echo included), so
 * playing OUTPUT back reproduces the screen byte for byte.
 */
#ifndef TTYLOG_FORMAT_H
#define TTYLOG_FORMAT_H
#include <stdint.h>

#define TTYLOG_MAGIC	 "umk tty log v1\n" /* with its NUL: 16 bytes */
#define TTYLOG_MAGIC_LEN 16

enum ttylog_type {
	TTYLOG_START = 1,  /* data: the tty's name, e.g. "ttyS0", "pts/3", "console" */
	TTYLOG_INPUT = 2,  /* data: bytes from the keyboard side */
	TTYLOG_OUTPUT = 3, /* data: bytes to the screen side */
	TTYLOG_HANGUP = 4, /* the line hung up; the file ends */
	TTYLOG_END = 5,	   /* the last file on the tty closed; the file ends */
};

struct ttylog_record {
	uint32_t type;	 /* enum ttylog_type */
	uint32_t len;	 /* bytes of data that follow */
	int64_t time_ns; /* host wall clock (CLOCK_REALTIME), ns since the epoch */
	int32_t session; /* the session the tty controls (its leader's pid), 0: none */
	int32_t pgrp;	 /* its foreground process group, 0: none */
};

_Static_assert(sizeof(struct ttylog_record) == 24, "the record is 24 bytes on disk");

#endif
