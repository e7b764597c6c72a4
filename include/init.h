/* Boot parameters and the machine's lifetime. */
#ifndef INIT_H
#define INIT_H
#include "kernel.h"

#define MAX_INIT_ARGS 32

#define NR_CONSOLES 8 /* con0..con7: /dev/console (and tty0), /dev/tty1..7 */
#define NR_SERIALS  4 /* ssl0..ssl3: /dev/ttyS0..3 */

struct boot_params {
	const char *rootfstype; /* "hostfs", or NULL for the embedded initramfs */
	const char *root;
	const char *hostfs_dir;
	bool rw;
	const char *init;   /* init= */
	const char *rdinit; /* rdinit=, the initramfs's init */
	uint64_t mem_bytes;
	int loglevel;
	const char *hostname;
	const char *platform;			/* "seccomp" (the default) or "ptrace" */
	bool nopatch;				/* umk.nopatch: no syscall-site patching */
	bool clock_virtual;			/* clock=virtual: the guest's own wall clock */
	const char *con_all, *con[NR_CONSOLES]; /* con=, conN=: host channels */
	const char *ssl_all, *ssl[NR_SERIALS];	/* ssl=, sslN= */
	const char *tty_log_dir;		/* tty_log_dir=: honeypot logging */
	const char *init_argv[MAX_INIT_ARGS];
	int init_argc;
	const char *init_envp[MAX_INIT_ARGS];
	int init_envc;
};

extern struct boot_params boot;
extern char saved_command_line[4096];

/* 0, or exit status 2 after a one-line error naming the bad option. */
int parse_command_line(int argc, char **argv);
/* Prints that error for key[=value] and returns 2. */
int cmdline_error(const char *key, const char *value, const char *why);
void print_help(void);

void mount_root_fs(void);
int unpack_initramfs(const void *data, size_t len);
extern const unsigned char initramfs_image[], initramfs_image_end[];

/* Ends the machine: syncs, unmounts, and leaves ./linux with status, or
 * boots again. Called with the kernel lock held. */
__attribute__((noreturn)) void machine_power_off(int status);
__attribute__((noreturn)) void machine_restart(void);

#endif
