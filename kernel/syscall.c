/* System call dispatch: the table is built at boot from SYSCALL_DEFINE entries. */
#include "kernel.h"
#include "syscall.h"
#include "task.h"
#include "uaccess.h"
#include "uapi/syscall_names.h"

extern const struct syscall_entry __start_syscall_table[], __stop_syscall_table[];
static long (*syscall_table[NR_SYSCALLS])(const long *);
static uint64_t warned[NR_SYSCALLS / 64];

void syscall_table_init(void)
{
	for (const struct syscall_entry *e = __start_syscall_table; e < __stop_syscall_table; e++) {
		if (syscall_table[e->nr])
			panic("system call %s defined twice", e->name);
		syscall_table[e->nr] = e->fn;
	}
}

static long unknown_syscall(struct task *t, long nr)
{
	bool known = (unsigned long)nr < NR_SYSCALLS;
	if (known && (warned[nr / 64] & (1ULL << (nr % 64))))
		return -ENOSYS;
	if (known)
		warned[nr / 64] |= 1ULL << (nr % 64);
	const char *name = known && syscall_names[nr] ? syscall_names[nr] : "unknown";
	pr_warn("%s[%d]: system call %s (%ld) not implemented\n", t->comm, t->tid, name, nr);
	return -ENOSYS;
}

/* umk.strace: every system call and its result in the kernel log. */
bool syscall_trace;

/* Which argument is a path, for the calls that take one. */
static int path_arg(const char *name)
{
	static const char *const first[] = {
	    "open",  "stat",	"lstat",  "access",   "readlink", "execve", "chdir",  "mkdir",
	    "rmdir", "unlink",	"creat",  "truncate", "chmod",	  "chown",  "lchown", "statfs",
	    "link",  "symlink", "rename", "utime",    "utimes",	  "chroot", "mknod"};
	static const char *const second[] = {"openat",	   "newfstatat", "readlinkat", "faccessat",
					     "faccessat2", "mkdirat",	 "unlinkat",   "fchmodat",
					     "fchownat",   "utimensat",	 "statx",      "execveat",
					     "mknodat",	   "renameat",	 "renameat2",  "openat2"};
	for (size_t i = 0; i < ARRAY_SIZE(first); i++)
		if (!strcmp(name, first[i]))
			return 0;
	for (size_t i = 0; i < ARRAY_SIZE(second); i++)
		if (!strcmp(name, second[i]))
			return 1;
	return -1;
}

static void trace_syscall(struct task *t, long nr, const long *a, long ret)
{
	const char *name =
	    (unsigned long)nr < NR_SYSCALLS && syscall_names[nr] ? syscall_names[nr] : "?";
	char path[96] = "";
	int pa = path_arg(name);
	if (pa >= 0 && t->host && strncpy_from_user(path, (uaddr_t)a[pa], sizeof path) < 0)
		strcpy(path, "?");
	printk(KERN_DEBUG "%s[%d] %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)%s%s%s = %ld\n", t->comm,
	       t->tid, name, a[0], a[1], a[2], a[3], a[4], a[5], pa >= 0 ? " \"" : "", path,
	       pa >= 0 ? "\"" : "", ret);
}

void do_syscall(struct task *t)
{
	long nr = (long)t->regs.orig_rax;
	const long args[6] = {(long)t->regs.rdi, (long)t->regs.rsi, (long)t->regs.rdx,
			      (long)t->regs.r10, (long)t->regs.r8,  (long)t->regs.r9};
	long ret;
	if ((unsigned long)nr < NR_SYSCALLS && syscall_table[nr])
		ret = syscall_table[nr](args);
	else
		ret = unknown_syscall(t, nr);
	if (unlikely(syscall_trace))
		trace_syscall(t, nr, args, ret);
	t->regs.rax = (uint64_t)ret;
}
