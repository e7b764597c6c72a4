/*
 * The host interface: everything the kernel proper asks of the Linux kernel
 * below it. Implemented only under host/, the one folder that includes host
 * headers and makes host system calls (ARCHITECTURE.md, rule 1).
 *
 * Errors come back as negative errno values. On x86-64 the host's and the
 * guest's errno numbers are the same ABI, so host/ passes them through.
 */
#ifndef HOST_H
#define HOST_H
#include "uapi/types.h"
#include "uapi/ptrace.h"

/* ---- Process lifetime -------------------------------------------------- */

/* Early host setup: signal masks, fd limits, CPU features; argv is kept
 * for a restart. */
void host_init(int argc, char **argv);
/* Leaves ./linux with this status, after restoring the terminal. */
__attribute__((noreturn)) void host_exit(int status);
/* Starts ./linux again with the same command line. */
__attribute__((noreturn)) void host_restart(void);
/* The boot thread's end: it sleeps while task threads run the machine. */
__attribute__((noreturn)) void host_wait_forever(void);
/* The number of host CPUs the guest may use. */
int host_cpu_count(void);

/* ---- Threads, locks and sleeping -------------------------------------- */

int host_thread_create(void (*fn)(void *), void *arg);
__attribute__((noreturn)) void host_thread_exit(void);
int host_gettid(void);
/* Runs the calling thread on one CPU only; cpu -1: on all again. */
void host_thread_pin(int cpu);

struct host_mutex {
	int state; /* 0 free, 1 locked, 2 locked with waiters */
	int cpu;   /* where the holder took it: waiters spin only if not here */
};
void host_mutex_lock(struct host_mutex *m);
void host_mutex_unlock(struct host_mutex *m);

/*
 * A count of wake-ups that one thread waits on (a task thread's sleeps in
 * the kernel). A waiter may spin a while before it sleeps, where a CPU is
 * free; a wake-up makes a system call only for a waiter that sleeps.
 */
struct host_sleeper {
	int count;
	int sleeping;
};
int host_sleeper_count(const struct host_sleeper *s);
/* Waits until the count is no longer seen, or until deadline_ns (0: none)
 * on CLOCK_MONOTONIC. Returns 0, or -ETIMEDOUT. */
int host_sleeper_wait(struct host_sleeper *s, int seen, int64_t deadline_ns);
void host_sleeper_wake(struct host_sleeper *s);

/*
 * Sleeps while *word == val, until woken or until deadline_ns on the host's
 * CLOCK_MONOTONIC (0: no deadline). Returns 0, or -ETIMEDOUT.
 */
int host_futex_wait(int *word, int val, int64_t deadline_ns);
void host_futex_wake(int *word, int count);
/* A memory barrier on every CPU running a thread of ./linux or its stubs. */
int host_membarrier(void);
struct host_thread;
/* The guest thread's CPUs (sched_setaffinity: bit i is CPU i, 0 all); the
 * platform moves it there before it next runs. */
void host_thread_set_cpus(struct host_thread *t, uint64_t mask);
/* The CPU the guest thread last ran on (getcpu). */
int host_thread_cpu(struct host_thread *t);

/* ---- Time and randomness ---------------------------------------------- */

int64_t host_monotonic_ns(void);
int64_t host_realtime_ns(void);
/* The host's reading of a clock id (the guest's ids are the host's). */
int64_t host_clock_ns(int clock);
/* CPU time used by one host thread of a stub, in ns (0 if it is gone). */
int64_t host_thread_cputime_ns(int tid);
void host_random(void *buf, size_t len);

/* ---- Channels: where a guest terminal's bytes go on the host ----------
 * Specs as UML's con= and ssl= take them: "fd:N" or "fd:N,fd:M" (input N,
 * output M), "null", "pts" (a new host pseudo-terminal), "port:PORT" (telnet
 * on 127.0.0.1, one client at a time). */

/* ./linux's stdout, before any channel is open (help, option errors). */
long host_console_write(const void *buf, size_t len);

struct host_channel;
/* 0, -EINVAL for a bad spec, or the -errno of opening it. */
int host_channel_open(const char *spec, struct host_channel **c);
/* What a user attaches to: "fd:0,fd:1", "/dev/pts/3", "127.0.0.1:9000". */
const char *host_channel_name(const struct host_channel *c);
/* A person types at it (a terminal or a telnet client): the guest echoes. */
bool host_channel_interactive(const struct host_channel *c);
/* Its end of input is a hangup, and another client may come (port:). */
bool host_channel_reconnects(const struct host_channel *c);
/* A host terminal behind it goes raw until ./linux exits, on every path. */
void host_channel_raw(struct host_channel *c);
/* The host terminal's size, if it has one. */
bool host_channel_winsize(const struct host_channel *c, uint16_t *rows, uint16_t *cols);
/* Takes all of buf; what nobody is there to read is dropped. */
long host_channel_write(struct host_channel *c, const void *buf, size_t len);
/* A thread calls receive() with each chunk of input, and with len 0 when
 * the input ends (a pipe closed, a telnet client left). */
void host_channel_start(struct host_channel *c,
			void (*receive)(void *ctx, const char *buf, size_t len), void *ctx);

/* Signals sent to ./linux from the host: a thread calls handler() with one of: */
enum host_event { HOST_EVENT_TERM, HOST_EVENT_INT, HOST_EVENT_HUP, HOST_EVENT_WINCH };
void host_events_start(void (*handler)(enum host_event ev));

/* ---- Host files: the services behind hostfs and the embedded images ------
 * Every path argument is one component (no '/'), looked up relative to an
 * open directory fd without following symlinks: hostfs never lets the host
 * resolve a path. */

struct host_stat {
	uint64_t dev, ino, nlink, rdev;
	uint32_t mode, uid, gid;
	int64_t size, blocks, blksize;
	int64_t atime_sec, atime_nsec, mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
};

struct host_statfs {
	int64_t type, bsize, frsize, blocks, bfree, bavail, files, ffree, namelen, flags;
};

/* Host filesystems that hostfs never enters: proc, sysfs, devpts, ... */
bool host_fs_is_forbidden(int64_t fs_type);

int host_open_dir(const char *path); /* a full host path: hostfs=, tty_log_dir= */
int host_openat(int dirfd, const char *name, int flags, int mode);
int host_reopen(int fd, int flags); /* a new open file description of fd (O_PATH ok) */
/* name in dirfd opened, if it still is the regular file (dev, ino); -ESTALE if not */
int host_open_file_at(int dirfd, const char *name, int flags, uint64_t dev, uint64_t ino);
/* whether ./linux may read a file of st's owner and mode, by its mode bits */
bool host_may_read(const struct host_stat *st);
int host_truncate_fd(int fd, int64_t len);
int host_chmod_fd(int fd, int mode);
int host_close(int fd);
int host_fstatat(int dirfd, const char *name, struct host_stat *st); /* name "" : dirfd itself */
int host_fstatfs(int fd, struct host_statfs *st);
long host_pread(int fd, void *buf, size_t len, int64_t off);
long host_pwrite(int fd, const void *buf, size_t len, int64_t off);
int host_ftruncate(int fd, int64_t len);
int host_fsync(int fd, bool datasync);
int host_fallocate(int fd, int mode, int64_t off, int64_t len);
long host_lseek_data(int fd, int64_t off, int whence);
int host_mkdirat(int dirfd, const char *name, int mode);
int host_mknodat_fifo(int dirfd, const char *name, int mode);
int host_unlinkat(int dirfd, const char *name, bool dir);
int host_renameat(int olddir, const char *oldname, int newdir, const char *newname, int flags);
int host_linkat(int olddir, const char *oldname, int newdir, const char *newname);
int host_symlinkat(const char *target, int dirfd, const char *name);
long host_readlinkat(int dirfd, const char *name, char *buf, size_t len);
/* times: atime then mtime, each (sec, nsec) with UTIME_NOW/UTIME_OMIT in nsec */
int host_utimensat(int dirfd, const char *name, const int64_t times[4]);
/* Reads directory entries: calls fill() per entry; returns the next position. */
typedef int (*host_dirent_fn)(void *ctx, const char *name, uint64_t ino, int type, int64_t next);
long host_getdents(int fd, int64_t pos, host_dirent_fn fill, void *ctx);
/* Extended attributes on an fd; or on dirfd/name with name != NULL, without following. */
long host_getxattr(int fd, const char *name, void *buf, size_t len);
/* The same for entry (one component, not followed) in the directory dirfd. */
long host_getxattrat(int dirfd, const char *entry, const char *name, void *buf, size_t len);
int host_setxattr(int fd, const char *name, const void *buf, size_t len, int flags);
int host_removexattr(int fd, const char *name);
long host_listxattr(int fd, char *buf, size_t len);

/* ---- Disk images: host files named by the user on the command line ---- */

#define HOST_IMAGE_WRITE  1
#define HOST_IMAGE_SYNC	  2 /* O_SYNC: every write reaches the disk */
#define HOST_IMAGE_CREATE 4 /* a new file; fails if it exists */
int host_open_image(const char *path, int flags);
/* Locks the whole image against other processes and opens (a write lock
 * excludes everyone; read locks share); -EBUSY when someone holds it. */
int host_lock_image(int fd, bool write);
int host_realpath(const char *path, char *buf, size_t len);

/* Anonymous memory files (memfd): tmpfs pages, the initramfs. */
int host_memfd(const char *name);
/* The guest's memfd_create: seals kept and enforced by the host memfd.
 * flags: the guest's MFD_ALLOW_SEALING, MFD_NOEXEC_SEAL and MFD_EXEC (the
 * ABI values); seals are F_SEAL_* as in the ABI. */
int host_memfd_sealable(const char *name, unsigned flags);
int host_memfd_add_seals(int fd, unsigned seals);
int host_memfd_get_seals(int fd);

/* ---- Platforms: running guest threads in stubs ------------------------
 * A stub is a host process holding one guest address space; each guest thread
 * is a host thread in it, driven by exactly one kernel task thread (the one
 * that created or adopted it) which runs it and handles its traps. */

/* The stub owns [HOST_STUB_START, HOST_STUB_END): the guest maps below,
 * from HOST_GUEST_START up (under it, the seccomp platform's jump table for
 * patched system call sites, in every stub). As on a Linux host whose
 * vm.mmap_min_addr is that high. */
#define HOST_STUB_START	 0x7fff00000000ULL
#define HOST_STUB_END	 0x800000000000ULL
#define HOST_GUEST_START 0x70000ULL

struct host_thread;

enum trap_kind {
	TRAP_SYSCALL, /* a guest system call: number in orig_rax */
	TRAP_BAD_ABI, /* int $0x80 or another ABI umk refuses */
	TRAP_FAULT,   /* a synchronous fault: signo, code, addr */
	TRAP_KICK,    /* host_thread_kick() interrupted guest code */
	TRAP_GONE,    /* the host thread died: killed from outside, or code is the
		       * -errno of a memory call the host refused after umk had
		       * answered it (a deferred call, seccomp platform) */
};

struct trap {
	enum trap_kind kind;
	int signo, code;
	uint64_t addr;
	int trapno, error_code;
	/* TRAP_SYSCALL from a patched site whose test of the result after the
	 * syscall instruction (cmp $-4096,%rax) the patch moved into the call:
	 * the kernel sets the flags it leaves (result_test_flags). */
	bool test_result;
};

/* The arithmetic flags of eflags as `cmp $-4096,%rax` leaves them. */
static inline uint64_t result_test_flags(uint64_t rax, uint64_t eflags)
{
	enum { CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800 };
	const uint64_t b = (uint64_t)-4096, d = rax - b;
	return (eflags & ~(uint64_t)(CF | PF | AF | ZF | SF | OF)) | (rax < b ? CF : 0) |
	       (__builtin_parity((unsigned)(d & 0xff)) ? 0 : PF) | ((rax ^ b ^ d) & 0x10 ? AF : 0) |
	       (d == 0 ? ZF : 0) | (d >> 63 ? SF : 0) | (((rax ^ b) & (rax ^ d)) >> 63 ? OF : 0);
}

/* How the kernel starts a platform, and what the platform has to say. */
struct platform_config {
	const void *stub_image; /* the stub program (stub_image[]) */
	size_t stub_size;
	bool patch;	    /* may rewrite hot syscall sites (umk.nopatch clears it) */
	uint64_t mem_bytes; /* the guest's memory: what host memory it may cost */
	char note[160];	    /* out: a line for the kernel log, or "" */
	/* The host's CLOCK_MONOTONIC and CLOCK_BOOTTIME at the guest's boot. */
	int64_t clock_origin[2];
	/* out: whether the stubs' own monotonic and boottime clocks (what the
	 * host vDSO reads in them) start at clock_origin. */
	bool timens;
};

struct platform_ops {
	const char *name;
	/* Starts the platform; an error means the host refuses it. */
	int (*init)(struct platform_config *cfg);
	/* A fresh stub from the clean template; its thread is driven by the caller. */
	int (*spawn)(struct host_thread **out);
	/* New host thread or process cloned from t (stopped in a trap, driven by
	 * the caller): CLONE_VM|CLONE_THREAD for threads, CLONE_VM for a vfork
	 * child sharing memory, 0 for a copy-on-write fork. The child waits,
	 * untouched, until some task thread adopts it. */
	int (*clone)(struct host_thread *t, unsigned long flags, struct host_thread **out);
	/* The calling task thread becomes the driver of t. */
	int (*adopt)(struct host_thread *t);
	/* Runs t with regs until its next trap; regs are updated in place. */
	int (*run)(struct host_thread *t, struct user_regs *regs, struct trap *trap);
	/* Makes t trap with TRAP_KICK soon; callable from any thread. */
	void (*kick)(struct host_thread *t);
	/* Makes t execute one host system call in its stub; returns its result. */
	long (*syscall)(struct host_thread *t, long nr, const long args[6]);
	/* Maps fd, a host fd of ./linux, in t's stub: args as mmap's, args[4]
	 * ignored. The stub holds fd only for that call. */
	long (*mmap_fd)(struct host_thread *t, const long args[6], int fd);
	/* Atomic compare-and-exchange of a 32-bit guest word, made by t's host
	 * thread: the word's old value, or a negative errno. */
	long (*cmpxchg)(struct host_thread *t, uaddr_t addr, uint32_t old, uint32_t new);
	/* Extended FPU state (XSAVE layout, as in a signal frame). */
	int (*get_fpu)(struct host_thread *t, void *buf, size_t len);
	int (*set_fpu)(struct host_thread *t, const void *buf, size_t len);
	/* Peak resident set of t's stub, in KiB (0 if it is gone). */
	int64_t (*maxrss_kb)(struct host_thread *t);
	/* Ends t's host thread and frees t. */
	void (*release)(struct host_thread *t);
	/* Empties t's stub for a new program, as spawn would give it: nothing
	 * mapped below HOST_STUB_START, the FPU state initial. Only for t
	 * alone in its stub (-EBUSY otherwise). NULL where a platform cannot. */
	int (*reset)(struct host_thread *t);
	/* Guest memory that crosses with the hand-off, for the thread the
	 * calling task thread drives (NULL where a platform has none):
	 * write_behind takes a call's result to write before the guest
	 * resumes (0, or an errno: write it now); read_ahead gives what of
	 * [addr, addr + len) the trap brought along (bytes from addr);
	 * sync_mem, before any other access to guest memory, writes what
	 * waits and forgets what was read ahead. */
	int (*write_behind)(struct host_thread *t, uaddr_t addr, const void *buf, size_t len);
	size_t (*read_ahead)(struct host_thread *t, uaddr_t addr, void *buf, size_t len);
	void (*sync_mem)(void);
};

extern const struct platform_ops *platform;
extern const struct platform_ops ptrace_platform;
extern const struct platform_ops seccomp_platform;

int host_thread_pid(const struct host_thread *t);

/* Guest memory of the stub holding t; return bytes done or -EFAULT. */
long host_mem_read(const struct host_thread *t, uaddr_t addr, void *buf, size_t len);
long host_mem_write(const struct host_thread *t, uaddr_t addr, const void *buf, size_t len);
/* Writes even into read-only pages (code patching), through mem_fd, the
 * thread's /proc/TID/mem as host_mem_open opened it (good for its whole
 * address space, while it lives). */
int host_mem_open(const struct host_thread *t);
long host_mem_poke(int mem_fd, uaddr_t addr, const void *buf, size_t len);
/* Atomically sets the aligned 32-bit word at addr to new if it holds old
 * (futexes): returns the value it held (old if it was set), or -EFAULT.
 * The caller has checked that the word is in a writable mapping. */
long host_mem_cmpxchg32(struct host_thread *t, uaddr_t addr, uint32_t old, uint32_t new);

/* The current call's result, for t's guest at addr: written before the
 * guest resumes, in the hand-off, where the platform can (0), or now. */
long host_mem_write_behind(struct host_thread *t, uaddr_t addr, const void *buf, size_t len);
/* What of [addr, addr + len) t's trap brought along, copied to buf:
 * the number of bytes from addr, 0 if none. */
size_t host_mem_read_ahead(struct host_thread *t, uaddr_t addr, void *buf, size_t len);

/* Memory calls carried out in t's stub. fd is a host fd of ./linux or -1. */
long host_stub_mmap(struct host_thread *t, uaddr_t addr, size_t len, int prot, int flags, int fd,
		    int64_t off);
long host_stub_munmap(struct host_thread *t, uaddr_t addr, size_t len);
/* rseq(2) made by t's own host thread: the host keeps the area's cpu_id
 * and aborts critical sections, as for any thread. */
long host_stub_rseq(struct host_thread *t, uaddr_t area, uint32_t len, int flags, uint32_t sig);
long host_stub_mprotect(struct host_thread *t, uaddr_t addr, size_t len, int prot);
long host_stub_mremap(struct host_thread *t, uaddr_t old, size_t oldlen, size_t newlen, int flags,
		      uaddr_t newaddr);
long host_stub_madvise(struct host_thread *t, uaddr_t addr, size_t len, int advice);

/* The host vDSO and its data pages in every stub, offered to the guest. */
void host_vdso_range(uaddr_t *vvar_start, uaddr_t *vdso_start, uaddr_t *vdso_end);

/* XSAVE area size for signal frames, and the CPU's hwcaps for the auxv. */
size_t host_xstate_size(void);
uint64_t host_xfeatures(void);
uint32_t host_hwcap(void);
uint32_t host_hwcap2(void);

/* The embedded stub program (linked into ./linux by the build). */
extern const unsigned char stub_image[];
extern const unsigned char stub_image_end[];

#endif
