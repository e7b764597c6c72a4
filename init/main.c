/*
 * main(): the kernel boots. Host set-up, the command line, filesystems and
 * devices, the root, then init as pid 1 in its own task thread.
 */
#include <stdio.h>
#include "kernel.h"
#include "host.h"
#include "task.h"
#include "signal.h"
#include "syscall.h"
#include "fs.h"
#include "mm.h"
#include "ktime.h"
#include "timer.h"
#include "tty.h"
#include "binfmt.h"
#include "filesystems.h"
#include "init.h"
#include "blkdev.h"

#define UMK_VERSION "0.1"

const struct platform_ops *platform;
extern void (*init_exit_hook)(int status);
void mem_devices_init(void);
void kmsg_init(void);

static void print_version(void)
{
	char msg[128];
	int n = snprintf(msg, sizeof msg, "umk %s (Linux %s compatible, x86_64)\n", UMK_VERSION,
			 utsname.release);
	host_console_write(msg, (size_t)n);
}

/* init's files 0, 1, 2: the console, as Linux's console_on_rootfs. */
static void open_console(struct task *t)
{
	struct file *f = filp_open("/dev/console", O_RDWR, 0);
	if (IS_ERR(f)) {
		pr_warn("Warning: unable to open an initial console.\n");
		return;
	}
	fd_install(f, 0);
	fd_install(get_file(f), 0);
	fd_install(get_file(f), 0);
	(void)t;
}

static bool try_init(const char *path)
{
	boot.init_argv[0] = path;
	static const char *envp[MAX_INIT_ARGS + 3];
	int n = 0;
	envp[n++] = "HOME=/";
	envp[n++] = "TERM=linux";
	for (int i = 0; i < boot.init_envc; i++)
		envp[n++] = boot.init_envp[i];
	envp[n] = NULL;
	boot.init_argv[boot.init_argc] = NULL;
	long err = kernel_execve(path, boot.init_argv, envp);
	if (err)
		pr_err("Failed to execute %s (error %ld)\n", path, -err);
	return err == 0;
}

/* Runs in pid 1's own task thread: find and exec the first program. */
static void run_init(void *arg)
{
	(void)arg;
	open_console(current);
	if (boot.init) {
		if (try_init(boot.init))
			return;
		panic("Requested init %s failed. See Linux Documentation/admin-guide/init.rst.",
		      boot.init);
	}
	if (!boot.rootfstype && try_init(boot.rdinit ? boot.rdinit : "/init"))
		return;
	static const char *const defaults[] = {"/sbin/init", "/etc/init", "/bin/init", "/bin/sh"};
	for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
		if (try_init(defaults[i]))
			return;
	panic("No working init found.  Try passing init= option to kernel.");
}

static struct task *create_init_task(void)
{
	struct task *t = task_alloc();
	struct process *p = kzalloc(sizeof *p);
	if (!t || !p)
		panic("out of memory creating init");
	t->tid = alloc_pid();
	p->pid = t->tid;
	p->refcount = 1;
	p->state = PROCESS_ALIVE;
	p->exit_signal = SIGCHLD;
	p->start_time_ns = ktime_get_ns();
	p->dumpable = 1;
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->threads);
	sigpending_init(&p->shared_pending);
	wait_queue_init(&p->wait_child);
	wait_queue_init(&p->signalfd_wait);
	wait_queue_init(&p->pidfd_wait);
	list_init(&p->posix_timers);
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i].rlim_cur = p->rlim[i].rlim_max = RLIM_INFINITY;
	p->rlim[RLIMIT_STACK].rlim_cur = 8 << 20;
	p->rlim[RLIMIT_CORE].rlim_cur = 0;
	p->rlim[RLIMIT_NOFILE].rlim_cur = 1024;
	p->rlim[RLIMIT_NOFILE].rlim_max = 1 << 20;
	p->rlim[RLIMIT_NPROC].rlim_cur = p->rlim[RLIMIT_NPROC].rlim_max = 127454;
	p->rlim[RLIMIT_SIGPENDING].rlim_cur = p->rlim[RLIMIT_SIGPENDING].rlim_max = 127454;
	p->rlim[RLIMIT_MEMLOCK].rlim_cur = p->rlim[RLIMIT_MEMLOCK].rlim_max = 8 << 20;
	p->rlim[RLIMIT_MSGQUEUE].rlim_cur = p->rlim[RLIMIT_MSGQUEUE].rlim_max = 819200;
	p->rlim[RLIMIT_NICE].rlim_cur = p->rlim[RLIMIT_NICE].rlim_max = 0;
	p->rlim[RLIMIT_RTPRIO].rlim_cur = p->rlim[RLIMIT_RTPRIO].rlim_max = 0;
	t->proc = p;
	list_add_tail(&t->thread_node, &p->threads);
	p->nr_threads = 1;
	attach_task_pid(t);
	attach_process_pid(p);
	init_process = p;
	strcpy(t->comm, "swapper");
	t->cred.cap_bset = t->cred.cap_permitted = t->cred.cap_effective = CAP_FULL_SET;
	t->sighand = kzalloc(sizeof *t->sighand);
	t->sighand->refcount = 1;
	t->files = files_alloc(64);
	struct path root = {mntget(root_mount()), dget(root_mount()->root)};
	t->fs = fs_alloc(&root, &root);
	path_put(&root);
	t->mm = mm_alloc();
	t->sas.ss_flags = SS_DISABLE;
	t->kthread_fn = run_init;
	return t;
}

/* seccomp unless platform=ptrace; ptrace where the host refuses seccomp. */
static void start_platform(void)
{
	struct platform_config cfg = {.stub_image = stub_image,
				      .stub_size = (size_t)(stub_image_end - stub_image),
				      .patch = !boot.nopatch,
				      .mem_bytes = totalram_bytes()};
	bool ptrace = boot.platform && !strcmp(boot.platform, "ptrace");
	platform = ptrace ? &ptrace_platform : &seccomp_platform;
	time_clock_origin(cfg.clock_origin);
	int err = platform->init(&cfg);
	if (err && !ptrace) {
		pr_warn("umk: the host refuses the seccomp platform (error %d): using ptrace\n",
			-err);
		platform = &ptrace_platform;
		err = platform->init(&cfg);
	}
	if (err)
		panic("cannot start the %s platform (error %d)", platform->name, -err);
	if (cfg.note[0])
		pr_warn("%s\n", cfg.note);
	time_platform_started(cfg.timens);
	printk(KERN_INFO "umk: guest system calls through the %s platform\n", platform->name);
}

static void init_exited(int status)
{
	int code = (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
	machine_power_off(code);
}

void machine_power_off(int status)
{
	sync_filesystems(true);
	shutdown_filesystems();
	host_exit(status);
}

void machine_restart(void)
{
	sync_filesystems(true);
	shutdown_filesystems();
	printk(KERN_EMERG "reboot: Restarting system\n");
	host_restart();
}

static void host_event(enum host_event ev)
{
	lock_kernel();
	switch (ev) {
	case HOST_EVENT_TERM:
	case HOST_EVENT_INT:
		printk(KERN_NOTICE "umk: %s from the host: shutting down\n",
		       ev == HOST_EVENT_TERM ? "SIGTERM" : "SIGINT");
		machine_power_off(0);
	case HOST_EVENT_HUP:
		tty_hangup(console_tty);
		break;
	case HOST_EVENT_WINCH:
		console_resized();
		break;
	}
	unlock_kernel();
}

int main(int argc, char **argv)
{
	host_init(argc, argv);
	int err = parse_command_line(argc, argv);
	if (err)
		return err;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help")) {
			print_help();
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			print_version();
			return 0;
		}
	}
	console_loglevel = boot.loglevel;
	if (boot.hostname)
		snprintf(utsname.nodename, sizeof utsname.nodename, "%s", boot.hostname);
	time_init();
	lock_kernel();
	printk(KERN_NOTICE "Linux version %s (umk %s) %s\n", utsname.release, UMK_VERSION,
	       utsname.version);
	printk(KERN_NOTICE "Command line: %s\n", saved_command_line);
	if (boot.tty_log_dir && tty_log_init(boot.tty_log_dir))
		return cmdline_error("tty_log_dir", boot.tty_log_dir, "cannot open the directory");
	console_init();
	mm_init(boot.mem_bytes);
	syscall_table_init();
	vfs_init();
	mem_devices_init();
	kmsg_init();
	char why[512];
	if (ubd_init(why, sizeof why)) {
		char msg[600];
		int n = snprintf(msg, sizeof msg, "linux: %s\n", why);
		host_console_write(msg, (size_t)min(n, (int)sizeof msg - 1));
		host_exit(2);
	}
	sysfs_init();
	start_platform();
	mount_root_fs();
	timer_thread_start();
	writeback_start();
	init_exit_hook = init_exited;
	host_events_start(host_event);
	struct task *init = create_init_task();
	task_start(init);
	unlock_kernel();
	host_wait_forever();
}
