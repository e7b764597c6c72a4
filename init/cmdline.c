/*
 * The kernel command line, as Linux and UML take it: key=value options the
 * kernel knows, rw/ro/quiet; other key=value words go to init's environment
 * and other words to its arguments; everything after "--" is init's.
 */
#include <stdio.h>
#include "kernel.h"
#include "init.h"
#include "host.h"
#include "syscall.h"
#include "blkdev.h"

struct boot_params boot = {.loglevel = 7};
char saved_command_line[4096];

int cmdline_error(const char *key, const char *value, const char *why)
{
	char msg[512];
	int n = snprintf(msg, sizeof msg, "linux: %s%s%s: %s (see --help)\n", key, value ? "=" : "",
			 value ? value : "", why);
	host_console_write(msg, (size_t)n);
	return 2;
}

static int bad(const char *opt, const char *why)
{
	return cmdline_error(opt, NULL, why);
}

/* conN= / sslN=: N, or -1 if the key is not prefix and digits. */
static int line_index(const char *arg, size_t klen, const char *prefix)
{
	size_t plen = strlen(prefix);
	if (klen <= plen || klen > plen + 3 || strncmp(arg, prefix, plen))
		return -1;
	int n = 0;
	for (size_t i = plen; i < klen; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			return -1;
		n = n * 10 + (arg[i] - '0');
	}
	return n;
}

/* Sizes as Linux's memparse takes them: 256M, 2G, 1048576, 64K. */
static bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	if (end == s)
		return false;
	switch (*end) {
	case 'G':
	case 'g':
		v <<= 30;
		end++;
		break;
	case 'M':
	case 'm':
		v <<= 20;
		end++;
		break;
	case 'K':
	case 'k':
		v <<= 10;
		end++;
		break;
	}
	if (*end)
		return false;
	*out = v;
	return true;
}

static void add_arg(const char *s)
{
	if (boot.init_argc < MAX_INIT_ARGS - 1)
		boot.init_argv[boot.init_argc++] = s;
}

static void add_env(const char *s)
{
	if (boot.init_envc < MAX_INIT_ARGS - 1)
		boot.init_envp[boot.init_envc++] = s;
}

static int parse_option(const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq) {
		if (!strcmp(arg, "rw"))
			boot.rw = true;
		else if (!strcmp(arg, "ro"))
			boot.rw = false;
		else if (!strcmp(arg, "quiet"))
			boot.loglevel = 4; /* as Linux: later loglevel= wins */
		else if (!strcmp(arg, "debug"))
			boot.loglevel = 8;
		else if (!strcmp(arg, "umk.strace"))
			syscall_trace = true;
		else if (!strcmp(arg, "umk.nopatch"))
			boot.nopatch = true;
		else
			add_arg(arg);
		return 0;
	}
	size_t klen = (size_t)(eq - arg);
	const char *v = eq + 1;
	int n;
#define KEY(k) (klen == sizeof(k) - 1 && !strncmp(arg, k, klen))
	if (KEY("mem")) {
		if (!parse_size(v, &boot.mem_bytes) || boot.mem_bytes < (16 << 20))
			return bad(arg, "expected a size of at least 16M, such as 256M or 2G");
	} else if (KEY("loglevel")) {
		char *end;
		long l = strtol(v, &end, 10);
		if (*end || end == v || l < 0 || l > 15)
			return bad(arg, "expected a number from 0 to 15");
		boot.loglevel = (int)l;
	} else if (KEY("init")) {
		if (!*v)
			return bad(arg, "expected a path");
		boot.init = v;
	} else if (KEY("rdinit")) {
		if (!*v)
			return bad(arg, "expected a path");
		boot.rdinit = v;
	} else if (KEY("rootfstype")) {
		if (strcmp(v, "hostfs") && strcmp(v, "tmpfs") && strcmp(v, "ramfs") &&
		    strcmp(v, "ext2") && strcmp(v, "ext3") && strcmp(v, "ext4"))
			return bad(arg, "unknown root filesystem type");
		boot.rootfstype = v;
	} else if (KEY("root")) {
		boot.root = v;
	} else if (KEY("hostfs")) {
		if (!*v)
			return bad(arg, "expected a host directory");
		boot.hostfs_dir = v;
	} else if (KEY("hostname")) {
		if (!*v || strlen(v) > 64)
			return bad(arg, "expected a name of 1 to 64 characters");
		boot.hostname = v;
	} else if (KEY("platform")) {
		if (strcmp(v, "ptrace") && strcmp(v, "seccomp"))
			return bad(arg, "expected seccomp or ptrace");
		boot.platform = v;
	} else if (!strncmp(arg, "ubd", 3)) {
		char why[128];
		if (ubd_setup(arg, why, sizeof why))
			return bad(arg, why);
	} else if (KEY("tty_log_dir")) {
		if (!*v)
			return bad(arg, "expected a host directory");
		boot.tty_log_dir = v;
	} else if (KEY("con")) {
		boot.con_all = v;
	} else if (KEY("ssl")) {
		boot.ssl_all = v;
	} else if ((n = line_index(arg, klen, "con")) >= 0) {
		if (n >= NR_CONSOLES)
			return bad(arg, "umk has consoles con0 to con7");
		boot.con[n] = v;
	} else if ((n = line_index(arg, klen, "ssl")) >= 0) {
		if (n >= NR_SERIALS)
			return bad(arg, "umk has serial lines ssl0 to ssl3");
		boot.ssl[n] = v;
	} else if (strchr(arg, '.') && strchr(arg, '.') < eq) {
		/* module.param=value: a kernel parameter umk has no module for */
	} else {
		add_env(arg);
	}
#undef KEY
	return 0;
}

int parse_command_line(int argc, char **argv)
{
	size_t n = 0;
	for (int i = 1; i < argc && n < sizeof saved_command_line - 1; i++) {
		int k = snprintf(saved_command_line + n, sizeof saved_command_line - n, "%s%s",
				 i > 1 ? " " : "", argv[i]);
		if (k > 0)
			n += (size_t)k;
	}
	add_arg(NULL); /* argv[0] is the init path, filled in at exec */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			for (i++; i < argc; i++)
				add_arg(argv[i]);
			break;
		}
		if (argv[i][0] == '-' && argv[i][1] == '-' && strcmp(argv[i], "--help") &&
		    strcmp(argv[i], "--version"))
			return bad(argv[i], "unknown option");
		int err = parse_option(argv[i]);
		if (err)
			return err;
	}
	if (boot.hostfs_dir && !boot.rootfstype)
		boot.rootfstype = "hostfs";
	return 0;
}

void print_help(void)
{
	static const char help[] =
	    "Usage: linux [option...] [-- init arguments]\n"
	    "umk: a Linux-compatible kernel that runs as an ordinary process.\n"
	    "With no options it boots its embedded root filesystem into a shell.\n\n"
	    "  ubd<n><flags>=<file>[(:|,)<file2>][(:|,)<serial>]\n"
	    "                      a disk: /dev/ubda for ubda= or ubd0=, up to ubdp.\n"
	    "                      With two files the first is a copy-on-write file\n"
	    "                      (UML's format, made if missing) over the second;\n"
	    "                      with one, a COW file is detected by its header.\n"
	    "                      Flags: r read-only, s synchronous writes, c shared\n"
	    "                      (no host file lock), t no trim, d data (never COW)\n"
	    "  root=/dev/ubdX      the root device (default /dev/ubda when ubda is set)\n"
	    "  rootfstype=TYPE     ext2, ext3 or ext4 (default: detected), or hostfs\n"
	    "  hostfs=DIR          boot from a host directory (default /)\n"
	    "  rw | ro             mount the root read-write or read-only (default ro)\n"
	    "  init=PATH           the first program (default: /sbin/init, /etc/init,\n"
	    "                      /bin/init, /bin/sh, as Linux tries them)\n"
	    "  rdinit=PATH         the first program of the embedded root (default /init)\n"
	    "  mem=SIZE            memory of the machine, e.g. 256M or 2G\n"
	    "  hostname=NAME       the machine's host name\n"
	    "  quiet               no boot messages on the console\n"
	    "  loglevel=N          console messages below level N (0-15)\n"
	    "  con=CHANNEL         every console on CHANNEL; conN=CHANNEL console N\n"
	    "                      (0-7: /dev/console, /dev/tty1..7). CHANNEL is fd:N or\n"
	    "                      fd:IN,fd:OUT (host fds), null, pts (a new host pty,\n"
	    "                      its path logged) or port:PORT (telnet on 127.0.0.1).\n"
	    "                      Default: con0=fd:0,fd:1; tty1 is console 0 unless\n"
	    "                      con1= or con= is given; other lines are idle\n"
	    "  ssl=CHANNEL         serial lines likewise: sslN= for /dev/ttyS0..3\n"
	    "  tty_log_dir=DIR     log every byte of every guest tty into files in the\n"
	    "                      host directory DIR (docs/ttylog.md; tools/ttyreplay)\n"
	    "  platform=seccomp    how guest system calls are trapped: seccomp (the\n"
	    "                      default) or ptrace (slower, the reference)\n"
	    "  umk.nopatch         seccomp: never rewrite syscall sites into jumps\n"
	    "  umk.strace          every guest system call in the kernel log\n"
	    "  --help, --version   this text, the version\n\n"
	    "Other KEY=VALUE words go to init's environment, other words to its\n"
	    "arguments, as do all words after --.\n"
	    "Examples: linux ubda=debian.img mem=1G\n"
	    "          linux ubda=cow.img,base.img rw init=/bin/bash\n"
	    "          linux rootfstype=hostfs hostfs=/ init=/bin/sh -- -c 'uname -a'\n";
	host_console_write(help, sizeof help - 1);
}
