/*
 * Shared between the stub program (built freestanding, runs in every stub
 * process) and the platform code in ./linux that drives it.
 */
#ifndef STUB_H
#define STUB_H

/* Where the stub program is linked, inside [HOST_STUB_START, HOST_STUB_END). */
#define STUB_TEXT_ADDR 0x7fff10000000ULL
/* Guest memory ends here; the filter keeps the stub's memory calls below it. */
#define STUB_GUEST_END 0x7fff00000000ULL

/* The template's control channel is this fd; stubs hold no fd at all. */
#define STUB_CTL_FD 3

/*
 * A syscall number no Linux has: the stub's seccomp filter turns it into a
 * user notification, through which ./linux installs one of its fds into the
 * stub (SECCOMP_IOCTL_NOTIF_ADDFD). The stub needs no socket for it.
 */
#define STUB_NR_GETFD 1000

/* What the template forks on request: a stub for each platform. A seccomp
 * stub's request comes with two fds, which the new stub keeps: its fd
 * channel (below) and its control pages' memfd. */
#define STUB_FORK_PTRACE  'P'
#define STUB_FORK_SECCOMP 'S'

/* The host clone flags of stubs: a thread, a vfork child, a fork child
 * (processes are children of the template, which reaps them). */
#define CLONE_AS_THREAD                                                                            \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)
#define CLONE_AS_VFORK (CLONE_VM | CLONE_PARENT | SIGCHLD)
#define CLONE_AS_FORK  (CLONE_PARENT | SIGCHLD)

/* The host signal that interrupts a guest thread running user code. */
#define STUB_KICK_SIGNAL 12 /* SIGUSR2 */

/* ---- The seccomp platform ------------------------------------------------
 * Each host thread of a stub owns a slot: a control page in a memfd that
 * ./linux maps too (the hand-off), and a private stack, which is also its
 * signal stack. The slot of a thread follows from its stack pointer.
 *
 * Each address space also has an fd channel: a datagram socket whose peer
 * only ./linux holds. ./linux sends fds there (a file to map, a fork
 * child's channel and control pages), each message with a sequence number
 * that the request on the control page names.
 */
#define STUB_MAX_SLOTS	1024
#define STUB_CTL_BASE	0x7fff20000000ULL
#define STUB_CTL_SLOT	0x8000ULL
#define STUB_CTL_SIZE	(STUB_CTL_SLOT * STUB_MAX_SLOTS)
#define STUB_STACK_BASE 0x7fff40000000ULL
#define STUB_STACK_SLOT 0x10000ULL
#define STUB_STACK_SIZE (STUB_STACK_SLOT * STUB_MAX_SLOTS)
/* The top of each stack is kept for the frames the stub builds itself. */
#define STUB_FRAME_ROOM 0x5000ULL
#define STUB_FPU_OFFSET 1024
#define STUB_FPU_MAX	(STUB_XFER_OFFSET - STUB_FPU_OFFSET)

/*
 * Guest memory that crosses with a hand-off instead of a host call of its
 * own (process_vm_readv/writev cost over a microsecond each):
 *  - write-behind: a call's results, which ./linux lays out as records
 *    (struct stub_behind, then the bytes, 8-aligned) and the stub copies
 *    to the guest on OP_RUN, before it resumes;
 *  - read-ahead: on a trap, the stub copies the call's input (a path, or
 *    the buffer of a write) from the guest, for ./linux to read here.
 * The stub's copies are fault-safe (stub_copy); ./linux trusts neither.
 */
#define STUB_XFER_OFFSET   0x4000
#define STUB_BEHIND_OFFSET STUB_XFER_OFFSET
#define STUB_BEHIND_SIZE   0x3000
#define STUB_AHEAD_OFFSET  (STUB_BEHIND_OFFSET + STUB_BEHIND_SIZE)
#define STUB_AHEAD_MAX	   (STUB_CTL_SLOT - STUB_AHEAD_OFFSET)

/*
 * Syscall patching: a patched site is "jmp *ABS32", an indirect jump through
 * a pointer below 2 GiB. The pointers sit where the third byte of their
 * address is 0x06, an invalid opcode: that byte replaces the first byte of
 * the original syscall instruction, so a thread that jumps to it traps.
 * Each site's pointer begins its entry in the table (struct
 * stub_patch_entry), which ./linux writes and every stub maps read-only.
 */
#define STUB_PATCH_BASE	       0x60000ULL
#define STUB_PATCH_ENTRY_SIZE  32 /* entry.S indexes by site * 4 * 8 */
#define STUB_MAX_SITES	       2048
#define STUB_PATCH_SIZE	       (STUB_MAX_SITES * STUB_PATCH_ENTRY_SIZE)
#define STUB_PATCH_IMM_OFFSET  8
#define STUB_PATCH_KIND_OFFSET 16
#define STUB_TRAMP_SIZE	       16

/* Whose turn it is on a control page; also its futex word. The host
 * writes STUB_DEAD there when the thread exits (CLONE_CHILD_CLEARTID). */
#define STUB_DEAD   0
#define STUB_TURN   1
#define KERNEL_TURN 2

/* Offsets in struct stub_ctl for the patched entry (entry.S); checked below. */
#define CTL_REGS      120
#define CTL_ARMED     340
#define CTL_STACK_TOP 352
#define CTL_SITE      360
#define CTL_REG(r)    (CTL_REGS + 8 * (r))

/* user_regs_struct indices, the layout ./linux's kernel proper uses */
#define R_R15	   0
#define R_R14	   1
#define R_R13	   2
#define R_R12	   3
#define R_RBP	   4
#define R_RBX	   5
#define R_R11	   6
#define R_R10	   7
#define R_R9	   8
#define R_R8	   9
#define R_RAX	   10
#define R_RCX	   11
#define R_RDX	   12
#define R_RSI	   13
#define R_RDI	   14
#define R_ORIG_RAX 15
#define R_RIP	   16
#define R_CS	   17
#define R_EFLAGS   18
#define R_RSP	   19
#define R_SS	   20
#define R_FS_BASE  21
#define R_GS_BASE  22
#define R_NREGS	   27

#ifndef __ASSEMBLER__

/* What ./linux asks of a stub thread. */
enum stub_op {
	OP_RUN = 1,   /* resume the guest with regs (and fpu if CTL_FPU) */
	OP_SYSCALL,   /* make host system call nr(args), answer ret */
	OP_MAP_FD,    /* mmap(args) the fd message seq brings (args[4] ignored) */
	OP_FORK,      /* fork; message seq brings the child's channel and control pages */
	OP_CLONE_VM,  /* clone(args[0]) a thread or vfork child into slot args[1] */
	OP_GET_FPU,   /* copy the guest's FPU state to fpu[] */
	OP_SYNC_CORE, /* serialize every CPU running this address space */
	OP_CMPXCHG,   /* the guest word at args[0]: args[1] -> args[2]; answer its old value */
	OP_EXIT,      /* end this host thread */
	OP_APPLY,     /* apply the write-behind records now (behind_len) */
};

/* What a stub thread reports. */
enum stub_event {
	EV_READY = 1, /* a new thread waits for its first OP_RUN */
	EV_DONE,      /* a request is done: ret */
	EV_SYSCALL,   /* the guest trapped a system call (SIGSYS) */
	EV_PATCHED,   /* the guest entered through a patched site */
	EV_SIGNAL,    /* a fault or a kick: signo, code, addr */
};

/* flags for OP_RUN */
#define CTL_FPU 1 /* fpu[] holds the guest's new FPU state */

/* ucontext greg indices (Linux's struct sigcontext order) */
enum {
	UC_R8,
	UC_R9,
	UC_R10,
	UC_R11,
	UC_R12,
	UC_R13,
	UC_R14,
	UC_R15,
	UC_RDI,
	UC_RSI,
	UC_RBP,
	UC_RBX,
	UC_RDX,
	UC_RAX,
	UC_RCX,
	UC_RSP,
	UC_RIP,
	UC_EFL,
	UC_CSGSFS,
	UC_ERR,
	UC_TRAPNO,
	UC_OLDMASK,
	UC_CR2,
	UC_NGREG
};

struct stub_ctl {
	unsigned int state;	    /* STUB_TURN or KERNEL_TURN: the futex word */
	unsigned int kernel_sleeps; /* ./linux waits in FUTEX_WAIT: wake it */
	unsigned int stub_sleeps;   /* the stub waits in FUTEX_WAIT: wake it */
	unsigned int stub_cpu;	    /* where the stub last posted from */
	unsigned int stub_spin;	    /* how long the stub may spin for an answer */
	unsigned int op, event, flags;
	int signo, code, trapno, err;
	unsigned long addr;
	long nr, args[6], ret;
	unsigned long regs[R_NREGS];
	/* Set by ./linux when the slot is handed out. */
	unsigned int xstate_size;
	unsigned int armed; /* a patched entry waits for its answer (see stub_kick) */
	unsigned long xfeatures;
	unsigned long stack_top; /* the slot's stack for patched entries */
	unsigned int site;	 /* the patched site being served */
	unsigned long left_tsc;	 /* when the stub last returned to the guest */
	unsigned long user_tsc;	 /* how long the guest then ran, in TSC ticks */
	unsigned long seq;	 /* the fd channel's message for this request */
	unsigned long usage[18]; /* struct rusage, for getrusage on ./linux's behalf */
	unsigned int behind_len; /* bytes of write-behind records, for OP_RUN */
	unsigned int ahead_len;	 /* bytes read ahead from ahead_addr on the last trap */
	unsigned long ahead_addr;
	long deferred_err; /* why a deferred call failed, as the stub died of it */
};

/* A write-behind record: len bytes follow, for the guest at addr. */
struct stub_behind {
	unsigned long addr, len;
};

/*
 * A deferred call among the write-behind records: len is STUB_BEHIND_CALL,
 * addr the call's number, and a struct stub_call follows. ./linux defers
 * memory calls whose result it knows beforehand (a MAP_FIXED anonymous
 * mmap, munmap, an mprotect that adds no write access, a file mapping of a
 * single-threaded process) for the stub to make before the guest resumes:
 * one hand-off for them all instead of one each. One that fails all the
 * same kills the process (its answer was given): the stub sets
 * deferred_err and exits.
 */
#define STUB_BEHIND_CALL (~0UL)
#define STUB_NR_MAP_FD	 (-2L) /* mmap(args) the fd that the message seq brings */
struct stub_call {
	long args[6];
	unsigned long seq;
};

/* A patched site's entry in the table at STUB_PATCH_BASE. */
struct stub_patch_entry {
	unsigned long ptr;	/* the site's trampoline: what the site jumps through */
	unsigned long imm;	/* the immediate of the site's mov */
	unsigned long prologue; /* what its kind does before the call (entry.S) */
	unsigned long unused;
};
#define STUB_PATCH_ENTRY(site) ((const struct stub_patch_entry *)STUB_PATCH_BASE + (site))

_Static_assert(__builtin_offsetof(struct stub_ctl, regs) == CTL_REGS, "CTL_REGS");
_Static_assert(__builtin_offsetof(struct stub_ctl, armed) == CTL_ARMED, "CTL_ARMED");
_Static_assert(__builtin_offsetof(struct stub_ctl, stack_top) == CTL_STACK_TOP, "CTL_STACK_TOP");
_Static_assert(__builtin_offsetof(struct stub_ctl, site) == CTL_SITE, "CTL_SITE");
_Static_assert(sizeof(struct stub_ctl) <= STUB_FPU_OFFSET, "control page layout");
_Static_assert(sizeof(struct stub_patch_entry) == STUB_PATCH_ENTRY_SIZE, "patch entry");
_Static_assert(__builtin_offsetof(struct stub_patch_entry, imm) == STUB_PATCH_IMM_OFFSET, "imm");
_Static_assert(__builtin_offsetof(struct stub_patch_entry, prologue) == STUB_PATCH_KIND_OFFSET,
	       "prologue");
_Static_assert(((STUB_PATCH_BASE + STUB_PATCH_SIZE - 1) >> 16) == 6, "pointers at 0x06xxxx");

#define STUB_CTL_AT(slot) ((struct stub_ctl *)(STUB_CTL_BASE + (slot)*STUB_CTL_SLOT))
#endif /* __ASSEMBLER__ */

#define STUB_STACK_TOP(slot) (STUB_STACK_BASE + ((slot) + 1) * STUB_STACK_SLOT)

#endif
