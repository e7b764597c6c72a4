/* Root's powers are capabilities: a root process that drops one loses
 * exactly what Linux ties to it, and keeps its uid 0. Each case runs in a
 * child that drops capabilities with capset and tries the operation. */
#include "t.h"
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/mount.h>
#include <sys/fsuid.h>
#include <sys/sysmacros.h>
#include <sched.h>
#include <linux/capability.h>

static uint64_t caps_of(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long v = 0;
	size_t n = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, field, n))
			v = strtoull(line + n, NULL, 16);
	if (f)
		fclose(f);
	return v;
}

/* Keeps the effective and permitted sets but for the capabilities in drop. */
static void drop_caps(uint64_t drop)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d))
		_exit(90);
	for (int i = 0; i < 2; i++) {
		d[i].effective &= ~(uint32_t)(drop >> (32 * i));
		d[i].permitted &= ~(uint32_t)(drop >> (32 * i));
	}
	if (syscall(SYS_capset, &h, d))
		_exit(91);
}

#define BIT(c) (1ULL << (c))

static void run(const char *what, uint64_t drop, void (*fn)(void))
{
	SAY("%s:\n", what);
	pid_t c = fork();
	if (c == 0) {
		drop_caps(drop);
		fn();
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		SAY("  child status %#x\n", st);
}

static void no_dac_override(void)
{
	T(open("secret", O_RDONLY) >= 0);
	T(open("secret", O_WRONLY));
	T(open("closed/x", O_CREAT | O_WRONLY, 0644));
	T(access("closed", R_OK | X_OK));
}

static void no_dac(void)
{
	T(open("secret", O_RDONLY));
	T(open("closed/x", O_RDONLY));
	T(geteuid());
}

static void no_chown(void)
{
	T(chown("secret", 1000, -1));
	T(chown("secret", -1, 1000));
	T(chown("secret", 0, 0));
}

static void no_fowner(void)
{
	T(chmod("theirs", 0644));
	T(utimensat(AT_FDCWD, "theirs", (struct timespec[2]){{1, 0}, {1, 0}}, 0));
	T(chmod("secret", 0));
}

static void no_fsetid(void)
{
	int fd = T(open("setuid", O_WRONLY));
	T(write(fd, "x", 1));
	struct stat st;
	stat("setuid", &st);
	SAY("  mode after write %o\n", st.st_mode & 07777);
	T(chmod("setuid", 04755));
}

static void no_mknod(void)
{
	T(mknod("dev", S_IFCHR | 0600, makedev(1, 3)));
	T(mknod("fifo", S_IFIFO | 0600, 0));
}

static void no_sys_admin(void)
{
	T(sethostname("x", 1));
	T(mount("none", "closed", "tmpfs", 0, NULL));
	T(umount2("closed", 0));
}

static void no_chroot(void)
{
	T(chroot("."));
}

static void no_resource(void)
{
	struct rlimit r = {64, 64};
	T(setrlimit(RLIMIT_NOFILE, &r));
	r.rlim_max = 128;
	T(setrlimit(RLIMIT_NOFILE, &r));
}

static void no_nice(void)
{
	T(setpriority(PRIO_PROCESS, 0, -5));
	struct sched_param p = {.sched_priority = 1};
	T(sched_setscheduler(0, SCHED_FIFO, &p));
	T(setpriority(PRIO_PROCESS, 0, 5));
}

static void no_setuid(void)
{
	T(setuid(1000));
	T(setresuid(0, 0, 0));
}

/* After exec, a real root keeps capabilities in its permitted set, in
 * effect only when its euid is 0 too. */
static void exec_as(uid_t ruid, uid_t euid)
{
	if (setresuid(ruid, euid, 0))
		_exit(92);
	execl("/proc/self/exe", "capabilities", "show", (char *)NULL);
	_exit(93);
}

static void exec_ruid0_euid1000(void)
{
	exec_as(0, 1000);
}

static void exec_ruid1000_euid0(void)
{
	exec_as(1000, 0);
}

static void exec_ruid1000_euid1000(void)
{
	exec_as(1000, 1000);
}

static void fsuid_follows(void)
{
	setfsuid(1000);
	T(open("secret", O_RDONLY));
	setfsuid(0);
	T(open("secret", O_RDONLY) >= 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "show")) {
		SAY("  after exec: permitted %s, effective %s\n",
		    caps_of("CapPrm:") ? "some" : "none", caps_of("CapEff:") ? "some" : "none");
		return 0;
	}
	/* The capabilities the cases rely on having (the host may lack some
	 * others: dropping those changes nothing). */
	const uint64_t need =
	    BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH) | BIT(CAP_SETUID);
	if (geteuid() != 0 || (caps_of("CapEff:") & need) != need) {
		printf("SKIP: needs root with CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, SETUID\n");
		return 0;
	}
	const char *d = scratch("capabilities");
	if (chdir(d))
		return 1;
	close(open("secret", O_CREAT | O_WRONLY, 0));
	close(open("theirs", O_CREAT | O_WRONLY, 0644));
	close(open("setuid", O_CREAT | O_WRONLY, 04755));
	if (chown("theirs", 1000, 1000) || chmod("setuid", 04755) || mkdir("closed", 0))
		return 2;
	run("without DAC_OVERRIDE", BIT(CAP_DAC_OVERRIDE), no_dac_override);
	run("without DAC_OVERRIDE and DAC_READ_SEARCH",
	    BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH), no_dac);
	run("without CHOWN", BIT(CAP_CHOWN), no_chown);
	run("without FOWNER", BIT(CAP_FOWNER), no_fowner);
	run("without FSETID", BIT(CAP_FSETID), no_fsetid);
	run("without MKNOD", BIT(CAP_MKNOD), no_mknod);
	run("without SYS_ADMIN", BIT(CAP_SYS_ADMIN), no_sys_admin);
	run("without SYS_CHROOT", BIT(CAP_SYS_CHROOT), no_chroot);
	run("without SYS_RESOURCE", BIT(CAP_SYS_RESOURCE), no_resource);
	run("without SYS_NICE", BIT(CAP_SYS_NICE), no_nice);
	run("without SETUID", BIT(CAP_SETUID), no_setuid);
	run("exec with ruid 0, euid 1000", 0, exec_ruid0_euid1000);
	run("exec with ruid 1000, euid 0", 0, exec_ruid1000_euid0);
	run("exec with ruid 1000, euid 1000", 0, exec_ruid1000_euid1000);
	run("fsuid 1000 drops the file capabilities", 0, fsuid_follows);
	scratch_remove(d);
	return 0;
}
