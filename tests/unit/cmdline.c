/* The kernel command line: Linux's rules for options, environment, arguments. */
#include "unit.h"
#include "kernel.h"
#include "init.h"
#include "syscall.h"

bool syscall_trace;
extern char fake_console[];
extern size_t fake_console_len;

static int parse(const char *const *words)
{
	static char *argv[64];
	int argc = 0;
	argv[argc++] = "linux";
	for (; *words; words++)
		argv[argc++] = (char *)*words;
	memset(&boot, 0, sizeof boot);
	boot.loglevel = 7;
	fake_console_len = 0;
	return parse_command_line(argc, argv);
}

int main(void)
{
	unit_name = "cmdline";
	const char *a[] = {"mem=256M",	   "rw", "quiet", "loglevel=5", "FOO=bar", "single",
			   "init=/bin/sh", "--", "-c",	  "echo hi",	NULL};
	CHECK(parse(a) == 0);
	CHECK(boot.mem_bytes == 256ULL << 20);
	CHECK(boot.rw);
	CHECK(boot.loglevel == 5); /* loglevel= after quiet wins, as in Linux */
	CHECK_STR(boot.init, "/bin/sh");
	CHECK(boot.init_envc == 1 && !strcmp(boot.init_envp[0], "FOO=bar"));
	CHECK(boot.init_argc == 4);
	CHECK(boot.init_argv[0] == NULL); /* filled in with the init path at exec */
	CHECK_STR(boot.init_argv[1], "single");
	CHECK_STR(boot.init_argv[2], "-c");
	CHECK_STR(boot.init_argv[3], "echo hi");

	const char *b[] = {"loglevel=4", "quiet", NULL};
	CHECK(parse(b) == 0 && boot.loglevel == 4);

	const char *c[] = {"mem=2G", "hostfs=/srv", NULL};
	CHECK(parse(c) == 0);
	CHECK(boot.mem_bytes == 2ULL << 30);
	CHECK_STR(boot.rootfstype, "hostfs"); /* hostfs= alone selects hostfs */

	const char *bad[][2] = {{"mem=lots", NULL}, {"mem=1M", NULL},	      {"loglevel=x", NULL},
				{"init=", NULL},    {"rootfstype=nfs", NULL}, {"--bogus", NULL}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(parse(bad[i]) == 2);
		fake_console[fake_console_len] = 0;
		CHECK(strstr(fake_console, bad[i][0]) != NULL); /* the error names the option */
	}
	const char *mod[] = {"printk.time=1", "umk.strace", NULL};
	CHECK(parse(mod) == 0 && boot.init_envc == 0 && syscall_trace);
	return unit_finish();
}
