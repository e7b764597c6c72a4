/* The seccomp platform's parts (host-internal). */
#ifndef HOST_SECCOMP_H
#define HOST_SECCOMP_H
#include "platform.h"
#include "stub/stub.h"

struct code_copy;

/* Syscall patching state of one address space (patch.c). */
struct sc_patch {
	bool off;		 /* no more code copies here (its own %gs) */
	bool table;		 /* the jump table is mapped */
	struct sc_range *ranges; /* where it maps code copies */
	int nranges, cap;
};

/* What an mremap takes from a code copy into its new pages (patch.c). */
struct patch_move {
	struct code_copy *copy;
	uint64_t end_off; /* the file offset the old mapping ended at */
};

/* A guest address space: its threads' control pages and its fd channel. */
struct sc_mm {
	int refs;
	int memfd;
	char *ctl;		     /* ./linux's mapping of the control pages */
	int chan;		     /* ./linux's end of the fd channel (stub.h) */
	struct host_mutex chan_lock; /* one message in flight */
	unsigned long chan_seq;	     /* the last message's */
	struct host_mutex lock;	     /* slots and patch */
	bool used[STUB_MAX_SLOTS];
	int live; /* slots in use */
	struct sc_patch patch;
	int mem_fd; /* /proc/TID/mem of one of its threads, for patching, or -1 */
	/* At least as many host mappings as the stub holds: memory calls are
	 * deferred (xfer.c) only while the host cannot refuse one for their
	 * number (vm.max_map_count). */
	unsigned host_maps;
};

/* A stub process. */
struct sc_proc {
	int pid, pidfd;
	int threads; /* umk's threads in it */
	bool dead;
	struct sc_thread *first; /* its threads, for the death watcher */
	struct sc_proc *next;	 /* all processes, for the reaper */
};

struct sc_thread {
	struct host_thread h;
	struct sc_mm *mm;
	struct sc_proc *proc;
	struct sc_thread *next_in_proc;
	int slot;
	struct stub_ctl *ctl;
	bool dead;	 /* set by the death watcher */
	bool fpu_dirty;	 /* fpu[] holds state for the next OP_RUN */
	int64_t kick_ns; /* when a kick was sent and not yet answered, or 0 */
	bool repaired;	 /* since then, its signal mask was (kick_harder) */
	/* the hand-off's placement (handoff.c) */
	int home;      /* the CPU the stub thread is pinned to, or -1 */
	int computing; /* the CPU counted as running this guest, or -1 */
	/* guest memory crossing with the hand-off (xfer.c) */
	bool ahead_ok;	      /* the last trap's read-ahead is current */
	unsigned behind_used; /* bytes of write-behind records laid out */
	unsigned nbehind;     /* ./linux's own copy of the records' places */
	unsigned ncalls;      /* deferred calls among the records */
	struct sc_behind {
		uint64_t addr;
		uint32_t len, off; /* off: the bytes' place in the area */
	} behind[16];
};

static inline struct sc_thread *sc(struct host_thread *h)
{
	return (struct sc_thread *)h;
}

/* seccomp.c */
long stub_syscall(struct sc_thread *t, long nr, const long args[6]);
long stub_map_fd(struct sc_thread *t, const long args[6], int fd);

/* handoff.c */
void handoff_init(void);
int64_t handoff_blocked(enum host_sleep what);
void handoff_release(struct sc_thread *t);
void post(struct sc_thread *t, unsigned op);
int wait_stub(struct sc_thread *t);
int handoff_adopt(struct sc_thread *t);
long request(struct sc_thread *t, unsigned op);
void futex_wake_all(unsigned *word);

struct sc_thread *handoff_serving(void);

/* xfer.c */
int xfer_write_behind(struct host_thread *h, uaddr_t addr, const void *buf, size_t len);
size_t xfer_read_ahead(struct host_thread *h, uaddr_t addr, void *buf, size_t len);
bool xfer_can_defer(const struct sc_thread *t);
int xfer_defer_call(struct sc_thread *t, long nr, const long args[6], unsigned long seq);
void xfer_sync(void);
void xfer_run(struct sc_thread *t);
void xfer_trapped(struct sc_thread *t, bool syscall);

/* watch.c: the death watcher and the reaper, which also frees address
 * spaces (mm_free) off the task threads' path */
int watch_start(void);
void watch_free_mm(struct sc_mm *mm);
void watch_wake(void); /* the watcher looks for work: mms to free, a spare to make */
void spare_make(void); /* seccomp.c: a fresh stub made ahead, by the watcher */
void mm_free(struct sc_mm *mm);
void watch_add(struct sc_proc *p);
void watch_del(struct sc_proc *p);
extern struct host_mutex sc_lock;

/* patch.c */
void patch_init(struct platform_config *cfg);
int patch_fork(struct sc_mm *parent, struct sc_mm *child);
void patch_free(struct sc_patch *p); /* all but the table, which an execve keeps */
void patch_trapped(struct sc_thread *t, const struct user_regs *regs);
uint64_t patch_return(struct sc_thread *t, unsigned site);
/* What patch_fault found: the guest's own fault, a system call the thread
 * meant (its result tested by the kernel: trap->test_result), or a thread
 * to resume with its registers changed. */
enum { PATCH_NONE, PATCH_CALL, PATCH_CALL_TESTED, PATCH_RESUME };
int patch_fault(struct sc_thread *t, struct user_regs *regs, int signo, uint64_t addr);
bool patch_tests_result(unsigned site);
void patch_memory_call(struct sc_thread *t, long nr, const long args[6]);
struct code_copy *patch_code_copy(struct sc_thread *t, const long args[6], int fd);
void patch_mapped(struct sc_thread *t, const long args[6], struct code_copy *c, bool ok);
void patch_mremap(struct sc_thread *t, const long args[6], struct patch_move *mv);
void patch_mremapped(struct sc_thread *t, const long args[6], long to, struct patch_move *mv);
void patch_gs_used(struct sc_thread *t);
void sites_forget(const struct code_copy *c);

/* copies.c: code copies, under code_lock */
extern struct host_mutex code_lock;
void copies_init(const struct platform_config *cfg);
struct code_copy *copy_get(int fd);
void copy_forbid(int fd);
void copy_hold(struct code_copy *c);
void copy_hold_locked(struct code_copy *c);
void copy_put(struct code_copy *c);
void copy_put_locked(struct code_copy *c);
int copy_fd(const struct code_copy *c);
char *copy_at(const struct code_copy *c, uint64_t off, size_t len);
uint64_t copy_len(const struct code_copy *c);

#endif
