/* The top of /proc: processes, self, and the system's files. */
#include <stdio.h>
#include "kernel.h"
#include "capability.h"
#include "task.h"
#include "fs.h"
#include "mm.h"
#include "ktime.h"
#include "proc.h"
#include "init.h"
#include "host.h"
#include "blkdev.h"
#include "pagemap.h"

/* ---- /proc/PID and self ---- */

static int pid_list(const struct proc_node *n, int after, int *next)
{
	(void)n;
	int best = -1;
	struct process *p;
	for_each_process(p) {
		if ((p->state != PROCESS_ALIVE && p->state != PROCESS_ZOMBIE) || p->pid < after)
			continue;
		if (best < 0 || p->pid < best)
			best = p->pid;
	}
	if (best < 0)
		return -ENOENT;
	*next = best;
	return 0;
}

static int pid_lookup(const struct proc_node *n, const char *name, struct proc_node *child)
{
	(void)n;
	char *end;
	long pid = strtol(name, &end, 10);
	if (*end || end == name || pid <= 0 || pid >= PID_MAX || name[0] == '0')
		return -ENOENT;
	child->pid = (int)pid;
	if (!proc_task(child) && !proc_zombie(child))
		return -ENOENT;
	child->entry = &proc_pid_entry;
	child->fd = 0;
	return 0;
}

static long readlink_self(const struct proc_node *n, char *buf, size_t len)
{
	(void)n;
	char s[16];
	int k = snprintf(s, sizeof s, "%d", current->proc->pid);
	size_t m = min((size_t)k, len);
	memcpy(buf, s, m);
	return (long)m;
}

static long readlink_thread_self(const struct proc_node *n, char *buf, size_t len)
{
	(void)n;
	char s[32];
	int k = snprintf(s, sizeof s, "%d/task/%d", current->proc->pid, current->tid);
	size_t m = min((size_t)k, len);
	memcpy(buf, s, m);
	return (long)m;
}

static long readlink_mounts(const struct proc_node *n, char *buf, size_t len)
{
	(void)n;
	size_t m = min(len, sizeof "self/mounts" - 1);
	memcpy(buf, "self/mounts", m);
	return (long)m;
}

/* ---- System files ---- */

int show_mounts(struct seq *s)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	struct vfsmount *m;
	list_for_each_entry(m, &mounts, list) {
		struct path p = {m, m->root};
		char *where = d_path(&p, buf, PATH_MAX);
		if (IS_ERR(where) || !strncmp(where, "(unreachable)", 13))
			continue;
		int f = m->flags;
		bool ro = (f & MNT_RDONLY) || (m->sb->flags & SB_RDONLY);
		seq_printf(s, "%s %s %s %s%s%s%s", m->devname, where,
			   m->sb->type ? m->sb->type->name : "none", ro ? "ro" : "rw",
			   (f & MNT_NOSUID) ? ",nosuid" : "", (f & MNT_NODEV) ? ",nodev" : "",
			   (f & MNT_NOEXEC) ? ",noexec" : "");
		char opts[128];
		if (m->sb->s_op && m->sb->s_op->show_options &&
		    m->sb->s_op->show_options(m->sb, opts, sizeof opts) > 0)
			seq_printf(s, ",%s", opts);
		seq_printf(s, " 0 0\n");
	}
	kfree(buf);
	return 0;
}

/* The path of a mount's root inside its own filesystem (bind mounts). */
static void fs_relative_path(struct dentry *d, char *buf, size_t len)
{
	char *end = buf + len - 1, *p = end;
	*p = 0;
	while (d->parent != d && p > buf + 1) {
		size_t n = strlen(d->name);
		if ((size_t)(p - buf) < n + 2)
			break;
		p -= n;
		memcpy(p, d->name, n);
		*--p = '/';
		d = d->parent;
	}
	if (p == end)
		*--p = '/';
	memmove(buf, p, (size_t)(end - p) + 1);
}

int show_mountinfo_all(struct seq *s)
{
	char *where = kmalloc(PATH_MAX), *root = kmalloc(PATH_MAX);
	if (!where || !root) {
		kfree(where);
		kfree(root);
		return -ENOMEM;
	}
	struct vfsmount *m;
	list_for_each_entry(m, &mounts, list) {
		struct path p = {m, m->root};
		char *w = d_path(&p, where, PATH_MAX);
		if (IS_ERR(w) || !strncmp(w, "(unreachable)", 13))
			continue;
		fs_relative_path(m->root, root, PATH_MAX);
		int f = m->flags;
		bool ro = (f & MNT_RDONLY) || (m->sb->flags & SB_RDONLY);
		seq_printf(s, "%d %d %u:%u %s %s %s%s%s%s - %s %s %s", m->id,
			   m->parent ? m->parent->id : 1, MAJOR(m->sb->dev), MINOR(m->sb->dev),
			   root, w, ro ? "ro" : "rw", (f & MNT_NOSUID) ? ",nosuid" : "",
			   (f & MNT_NODEV) ? ",nodev" : "", (f & MNT_NOEXEC) ? ",noexec" : "",
			   m->sb->type ? m->sb->type->name : "none", m->devname,
			   (m->sb->flags & SB_RDONLY) ? "ro" : "rw");
		char opts[128];
		if (m->sb->s_op && m->sb->s_op->show_options &&
		    m->sb->s_op->show_options(m->sb, opts, sizeof opts) > 0)
			seq_printf(s, ",%s", opts);
		seq_write(s, "\n", 1);
	}
	kfree(where);
	kfree(root);
	return 0;
}

static int show_meminfo(struct seq *s, const struct proc_node *n)
{
	(void)n;
	uint64_t total = totalram_bytes() / 1024, used = committed_bytes() / 1024;
	uint64_t avail = total > used ? total - used : 0;
	/* The page cache (disk filesystems) can always be given back. */
	uint64_t cached = min(filemap_cached_bytes() / 1024, avail);
	seq_printf(
	    s,
	    "MemTotal:       %8llu kB\nMemFree:        %8llu kB\nMemAvailable:   %8llu kB\n"
	    "Buffers:               0 kB\nCached:         %8llu kB\nSwapCached:            0 kB\n"
	    "Active:                0 kB\nInactive:              0 kB\nSwapTotal:             0 "
	    "kB\n"
	    "SwapFree:              0 kB\nDirty:                 0 kB\nShmem:                 0 "
	    "kB\n"
	    "Slab:                  0 kB\nCommitLimit:    %8llu kB\nCommitted_AS:   %8llu kB\n"
	    "VmallocTotal:   34359738367 kB\nHugePages_Total:       0\nHugePages_Free:        0\n"
	    "Hugepagesize:       2048 kB\n",
	    (unsigned long long)total, (unsigned long long)(avail - cached),
	    (unsigned long long)avail, (unsigned long long)cached, (unsigned long long)total,
	    (unsigned long long)used);
	return 0;
}

static int show_cpuinfo(struct seq *s, const struct proc_node *n)
{
	(void)n;
	for (int i = 0; i < cpu_count(); i++)
		seq_printf(s,
			   "processor\t: %d\nvendor_id\t: umk\nmodel name\t: umk virtual CPU\n"
			   "cpu MHz\t\t: 1000.000\ncache size\t: 512 KB\nphysical id\t: 0\n"
			   "siblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\nfpu\t\t: yes\n"
			   "flags\t\t: fpu sse sse2 syscall nx lm\nbogomips\t: 2000.00\n\n",
			   i, cpu_count(), i, cpu_count());
	return 0;
}

static int show_uptime(struct seq *s, const struct proc_node *n)
{
	(void)n;
	int64_t up = guest_uptime_ns();
	seq_printf(s, "%lld.%02lld %lld.%02lld\n", (long long)(up / NSEC_PER_SEC),
		   (long long)(up % NSEC_PER_SEC / 10000000), (long long)(up / NSEC_PER_SEC),
		   (long long)(up % NSEC_PER_SEC / 10000000));
	return 0;
}

static int show_version(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "%s version %s (umk) %s\n", utsname.sysname, utsname.release,
		   utsname.version);
	return 0;
}

static int show_cmdline(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "%s\n", saved_command_line);
	return 0;
}

/* The disks, as Linux lists them (whole disks only: no partitions). */
static int show_partitions(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "major minor  #blocks  name\n\n");
	struct block_device *b;
	list_for_each_entry(b, &block_devices, list)
		seq_printf(s, "%4u  %7u %10llu %s\n", MAJOR(b->dev), MINOR(b->dev),
			   (unsigned long long)(b->size / 1024), b->name);
	return 0;
}

static int show_diskstats(struct seq *s, const struct proc_node *n)
{
	(void)n;
	struct block_device *b;
	list_for_each_entry(b, &block_devices, list)
		seq_printf(s, "%4u %7u %s %llu 0 %llu 0 %llu 0 %llu 0 0 0 0 0 0 0 0 0 0\n",
			   MAJOR(b->dev), MINOR(b->dev), b->name, (unsigned long long)b->reads,
			   (unsigned long long)b->read_sectors, (unsigned long long)b->writes,
			   (unsigned long long)b->write_sectors);
	return 0;
}

static int show_filesystems(struct seq *s, const struct proc_node *n)
{
	(void)n;
	char buf[1024];
	seq_write(s, buf, list_filesystems(buf, sizeof buf));
	return 0;
}

static int show_loadavg(struct seq *s, const struct proc_node *n)
{
	(void)n;
	int running = 0, total = 0;
	struct process *p;
	for_each_process(p) {
		struct task *t;
		for_each_thread(p, t) {
			total++;
			running += t->in_user;
		}
	}
	seq_printf(s, "0.00 0.00 0.00 %d/%d %d\n", running, total, last_pid_allocated());
	return 0;
}

static int show_stat(struct seq *s, const struct proc_node *n)
{
	(void)n;
	int64_t tick = NSEC_PER_SEC / USER_HZ, user = 0, sys = 0;
	int procs = 0, running = 0;
	struct process *p;
	for_each_process(p) {
		struct task *t;
		user += p->dead_utime_ns + p->child_utime_ns;
		sys += p->dead_stime_ns + p->child_stime_ns;
		for_each_thread(p, t) {
			user += t->utime_ns;
			sys += t->stime_ns;
			running += t->in_user;
		}
		procs++;
	}
	int64_t up = guest_uptime_ns() / tick * cpu_count();
	int64_t idle = up - user / tick - sys / tick;
	seq_printf(s, "cpu  %lld 0 %lld %lld 0 0 0 0 0 0\n", (long long)(user / tick),
		   (long long)(sys / tick), (long long)(idle > 0 ? idle : 0));
	for (int i = 0; i < cpu_count(); i++)
		seq_printf(s, "cpu%d %lld 0 %lld %lld 0 0 0 0 0 0\n", i,
			   (long long)(user / tick / cpu_count()),
			   (long long)(sys / tick / cpu_count()),
			   (long long)(idle > 0 ? idle / cpu_count() : 0));
	seq_printf(s,
		   "intr 0\nctxt 0\nbtime %lld\nprocesses %d\nprocs_running %d\nprocs_blocked 0\n",
		   (long long)((clock_read_ns(CLOCK_REALTIME) - guest_uptime_ns()) / NSEC_PER_SEC),
		   last_pid_allocated(), running ? running : 1);
	(void)procs;
	return 0;
}

static int show_hostname(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "%s\n", utsname.nodename);
	return 0;
}

static int write_hostname(const struct proc_node *n, const char *buf, size_t len)
{
	(void)n;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	while (len && buf[len - 1] == '\n')
		len--;
	if (len > 64)
		return -EINVAL;
	memset(utsname.nodename, 0, sizeof utsname.nodename);
	memcpy(utsname.nodename, buf, len);
	return 0;
}

static void print_uuid(struct seq *s, const unsigned char *u)
{
	seq_printf(s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x\n",
		   u[0], u[1], u[2], u[3], u[4], u[5], (u[6] & 0x0f) | 0x40, u[7],
		   (u[8] & 0x3f) | 0x80, u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* One random id per boot, as Linux's boot_id. */
static int show_boot_id(struct seq *s, const struct proc_node *n)
{
	(void)n;
	static unsigned char id[16];
	static bool made;
	if (!made) {
		host_random(id, sizeof id);
		made = true;
	}
	print_uuid(s, id);
	return 0;
}

static int show_uuid(struct seq *s, const struct proc_node *n)
{
	(void)n;
	unsigned char id[16];
	host_random(id, sizeof id);
	print_uuid(s, id);
	return 0;
}

static int show_number(struct seq *s, long v)
{
	seq_printf(s, "%ld\n", v);
	return 0;
}

static int show_file_max(struct seq *s, const struct proc_node *n)
{
	(void)n;
	return show_number(s, 9223372036854775807L);
}

static int show_nr_open(struct seq *s, const struct proc_node *n)
{
	(void)n;
	return show_number(s, 1 << 20);
}

static int show_ngroups_max(struct seq *s, const struct proc_node *n)
{
	(void)n;
	return show_number(s, 65536);
}

static int show_max_map_count(struct seq *s, const struct proc_node *n)
{
	(void)n;
	return show_number(s, 65530);
}

static int show_osrelease(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "%s\n", utsname.release);
	return 0;
}

static int show_ostype(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "%s\n", utsname.sysname);
	return 0;
}

/* Where kernel/coredump.c writes core files, which is fixed. */
static int show_core_pattern(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "core\n");
	return 0;
}

static int show_pid_max(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "%d\n", PID_MAX);
	return 0;
}

static int show_zero(struct seq *s, const struct proc_node *n)
{
	(void)n;
	seq_printf(s, "0\n");
	return 0;
}

static const struct proc_entry random_children[] = {
    {.name = "boot_id", .mode = S_IFREG | 0444, .show = show_boot_id},
    {.name = "uuid", .mode = S_IFREG | 0444, .show = show_uuid},
    {0},
};

static const struct proc_entry kernel_children[] = {
    {.name = "core_pattern", .mode = S_IFREG | 0444, .show = show_core_pattern},
    {.name = "hostname", .mode = S_IFREG | 0644, .show = show_hostname, .write = write_hostname},
    {.name = "ngroups_max", .mode = S_IFREG | 0444, .show = show_ngroups_max},
    {.name = "osrelease", .mode = S_IFREG | 0444, .show = show_osrelease},
    {.name = "ostype", .mode = S_IFREG | 0444, .show = show_ostype},
    {.name = "pid_max", .mode = S_IFREG | 0444, .show = show_pid_max},
    {.name = "random", .mode = S_IFDIR | 0555, .children = random_children},
    {0},
};

static const struct proc_entry fs_children[] = {
    {.name = "file-max", .mode = S_IFREG | 0444, .show = show_file_max},
    {.name = "nr_open", .mode = S_IFREG | 0444, .show = show_nr_open},
    {0},
};

static const struct proc_entry vm_children[] = {
    {.name = "max_map_count", .mode = S_IFREG | 0444, .show = show_max_map_count},
    {.name = "overcommit_memory", .mode = S_IFREG | 0444, .show = show_zero},
    {0},
};

/* The TIOCSTI rule umk applies (drivers/tty/tty_io.c): as Linux with it off. */
static const struct proc_entry tty_children[] = {
    {.name = "legacy_tiocsti", .mode = S_IFREG | 0444, .show = show_zero},
    {0},
};

static const struct proc_entry dev_children[] = {
    {.name = "tty", .mode = S_IFDIR | 0555, .children = tty_children},
    {0},
};

static const struct proc_entry sys_children[] = {
    {.name = "dev", .mode = S_IFDIR | 0555, .children = dev_children},
    {.name = "fs", .mode = S_IFDIR | 0555, .children = fs_children},
    {.name = "kernel", .mode = S_IFDIR | 0555, .children = kernel_children},
    {.name = "vm", .mode = S_IFDIR | 0555, .children = vm_children},
    {0},
};

static const struct proc_entry root_children[] = {
    {.name = "cmdline", .mode = S_IFREG | 0444, .show = show_cmdline},
    {.name = "cpuinfo", .mode = S_IFREG | 0444, .show = show_cpuinfo},
    {.name = "diskstats", .mode = S_IFREG | 0444, .show = show_diskstats},
    {.name = "filesystems", .mode = S_IFREG | 0444, .show = show_filesystems},
    {.name = "loadavg", .mode = S_IFREG | 0444, .show = show_loadavg},
    {.name = "meminfo", .mode = S_IFREG | 0444, .show = show_meminfo},
    {.name = "mounts", .mode = S_IFLNK | 0777, .readlink = readlink_mounts},
    {.name = "partitions", .mode = S_IFREG | 0444, .show = show_partitions},
    {.name = "self", .mode = S_IFLNK | 0777, .readlink = readlink_self},
    {.name = "stat", .mode = S_IFREG | 0444, .show = show_stat},
    {.name = "sys", .mode = S_IFDIR | 0555, .children = sys_children},
    {.name = "thread-self", .mode = S_IFLNK | 0777, .readlink = readlink_thread_self},
    {.name = "uptime", .mode = S_IFREG | 0444, .show = show_uptime},
    {.name = "version", .mode = S_IFREG | 0444, .show = show_version},
    {0},
};

const struct proc_entry proc_root_entry = {.name = "/",
					   .mode = S_IFDIR | 0555,
					   .children = root_children,
					   .list = pid_list,
					   .lookup = pid_lookup};
