/*
 * The stub side of the seccomp platform.
 *
 * A filter turns every guest system call into SIGSYS. The handler, on the
 * thread's own signal stack, posts the trapped registers to the thread's
 * control page (shared with ./linux), waits for ./linux's requests there,
 * and returns to the guest through the saved context, which ./linux's
 * answer has rewritten. Faults and kicks come the same way; a patched
 * syscall site enters without a signal (stub_patched).
 *
 * Nothing here is trusted by ./linux: the guest can jump into this code
 * with any registers and write any page it can reach. The filter's checks
 * on the stub's own system calls are what holds.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include "stub.h"
#include "lib.h"

/* entry.S */
extern char stub_sys_ret[], stub_restorer[], stub_thread_entry[];
extern char stub_tramp[], stub_kind_r9[], stub_entry_armed[];
extern char __stub_text_start[], __stub_text_end[];
extern char stub_copy_insn[], stub_copy_fault[], stub_copy_str_load[], stub_copy_str_fault[];
unsigned long stub_copy(void *dst, const void *src, unsigned long n);
unsigned long stub_copy_str(char *dst, const char *src, unsigned long n);
__attribute__((noreturn)) void stub_sigreturn_to(void *uc);
void stub_signal(int sig, void *si, void *uc) __attribute__((used));
void stub_patched(struct stub_ctl *c) __attribute__((used));
__attribute__((noreturn, used)) void stub_thread_start(unsigned long slot);

/* The kernel's signal frame: struct ucontext and the siginfo we read. */
struct kucontext {
	unsigned long flags;
	void *link;
	void *ss_sp;
	int ss_flags;
	unsigned long ss_size;
	unsigned long gregs[UC_NGREG];
	void *fpstate;
	unsigned long reserved[8];
	unsigned long sigmask;
};

struct ksiginfo {
	int signo, errnum, code, pad;
	union {
		unsigned long addr;
		struct {
			unsigned long call_addr;
			int syscall;
			unsigned int arch;
		} sys;
	};
};

#define UC_FP_XSTATE	     1
#define UC_SIGCONTEXT_SS     2
#define UC_STRICT_RESTORE_SS 4
#define FP_XSTATE_MAGIC1     0x46505853U
#define FP_XSTATE_MAGIC2     0x46505845U
#define FX_SW_BYTES	     464
#define XSAVE_HEADER	     512
#define CS_SS_FLAT	     (0x33UL | (0x2bUL << 48))
#define SA_RESTORER	     0x04000000

static const int trapped_signals[] = {SIGSYS, SIGSEGV, SIGBUS,		SIGFPE,
				      SIGILL, SIGTRAP, STUB_KICK_SIGNAL};
/* Blocked whenever the stub blocks signals: all but the faults of its own
 * guest-memory copies, which a blocked signal would turn into death. */
#define STUB_BLOCKED (~((1UL << (SIGSEGV - 1)) | (1UL << (SIGBUS - 1))))

/* ---- The filter ----------------------------------------------------------
 * Classic BPF with forward jumps to labels. A label may be defined several
 * times: a jump goes to its next definition, so each block ends with its
 * own "ret KILL". */

enum {
	L_ALLOW,
	L_TRAP,
	L_KILL,
	L_FUTEX,
	L_MMAP,
	L_MMAP_ANY,
	L_MUNMAP,
	L_MADVISE,
	L_MADV_ANY,
	L_MREMAP,
	L_MREMAP_MOVE,
	L_CLONE,
	L_PRCTL,
	L_NLABELS
};
#define REL(n)	  (100 + (n)) /* skip n instructions */
#define NEXT	  REL(0)
#define MAX_INSNS 320

struct bpf {
	struct sock_filter f[MAX_INSNS];
	unsigned char jt[MAX_INSNS], jf[MAX_INSNS], label[MAX_INSNS];
	int n, pending; /* the label of the next instruction */
};

#define ARG_LO(i) (16 + 8 * (i))
#define ARG_HI(i) (20 + 8 * (i))
#define LO(x)	  ((unsigned)((unsigned long)(x)&0xffffffffU))
#define HI(x)	  ((unsigned)((unsigned long)(x) >> 32))

static void emit(struct bpf *b, unsigned short code, unsigned k, int jt, int jf)
{
	if (b->n == MAX_INSNS)
		stub_die();
	b->f[b->n] = (struct sock_filter)BPF_JUMP(code, k, 0, 0);
	b->jt[b->n] = (unsigned char)jt;
	b->jf[b->n] = (unsigned char)jf;
	b->label[b->n++] = (unsigned char)b->pending;
	b->pending = L_NLABELS;
}

static void here(struct bpf *b, int label)
{
	if (b->pending != L_NLABELS)
		stub_die();
	b->pending = label;
}

static void ld(struct bpf *b, unsigned off)
{
	emit(b, BPF_LD | BPF_W | BPF_ABS, off, NEXT, NEXT);
}

static void jeq(struct bpf *b, unsigned k, int jt, int jf)
{
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, k, jt, jf);
}

static void ret(struct bpf *b, unsigned k)
{
	emit(b, BPF_RET | BPF_K, k, NEXT, NEXT);
}

static int target(struct bpf *b, int i, int t)
{
	if (t >= REL(0))
		return t - REL(0);
	for (int j = i + 1; j < b->n; j++)
		if (b->label[j] == t)
			return j - i - 1;
	return -1;
}

/* Resolves the jumps; the labels' slots then hold their instructions. */
static void resolve(struct bpf *b)
{
	for (int i = 0; i < b->n; i++) {
		if (BPF_CLASS(b->f[i].code) != BPF_JMP || BPF_OP(b->f[i].code) == BPF_JA)
			continue;
		int t = target(b, i, b->jt[i]), f = target(b, i, b->jf[i]);
		if (t < 0 || t > 255 || f < 0 || f > 255)
			stub_die();
		b->f[i].jt = (unsigned char)t;
		b->f[i].jf = (unsigned char)f;
	}
}

/* Falls through if [arg a, arg a + arg l) lies below STUB_GUEST_END,
 * else kills: 64-bit addition on the filter's 32-bit halves. */
static void range(struct bpf *b, int a, int l)
{
	ld(b, ARG_LO(a));
	emit(b, BPF_MISC | BPF_TAX, 0, NEXT, NEXT);
	ld(b, ARG_LO(l));
	emit(b, BPF_ALU | BPF_ADD | BPF_X, 0, NEXT, NEXT);
	emit(b, BPF_ST, 0, NEXT, NEXT);
	emit(b, BPF_JMP | BPF_JGE | BPF_X, 0, REL(2), NEXT); /* no carry */
	emit(b, BPF_LD | BPF_IMM, 1, NEXT, NEXT);
	emit(b, BPF_JMP | BPF_JA, 1, NEXT, NEXT);
	emit(b, BPF_LD | BPF_IMM, 0, NEXT, NEXT);
	emit(b, BPF_ST, 1, NEXT, NEXT);
	ld(b, ARG_HI(a));
	emit(b, BPF_JMP | BPF_JGT | BPF_K, HI(STUB_GUEST_END), L_KILL, NEXT);
	emit(b, BPF_MISC | BPF_TAX, 0, NEXT, NEXT);
	ld(b, ARG_HI(l));
	emit(b, BPF_JMP | BPF_JGT | BPF_K, HI(STUB_GUEST_END), L_KILL, NEXT);
	emit(b, BPF_ALU | BPF_ADD | BPF_X, 0, NEXT, NEXT);
	emit(b, BPF_MISC | BPF_TAX, 0, NEXT, NEXT);
	emit(b, BPF_LD | BPF_MEM, 1, NEXT, NEXT);
	emit(b, BPF_ALU | BPF_ADD | BPF_X, 0, NEXT, NEXT);
	emit(b, BPF_JMP | BPF_JGT | BPF_K, HI(STUB_GUEST_END), L_KILL, NEXT);
	jeq(b, HI(STUB_GUEST_END), NEXT, REL(2));
	emit(b, BPF_LD | BPF_MEM, 0, NEXT, NEXT);
	jeq(b, LO(STUB_GUEST_END), NEXT, L_KILL);
}

/* Jumps to L_ALLOW if (arg 0, arg 1) are exactly the control pages, else to fail. */
static void ctl_args(struct bpf *b, int fail)
{
	ld(b, ARG_HI(0));
	jeq(b, HI(STUB_CTL_BASE), NEXT, fail);
	ld(b, ARG_LO(0));
	jeq(b, LO(STUB_CTL_BASE), NEXT, fail);
	ld(b, ARG_HI(1));
	jeq(b, 0, NEXT, fail);
	ld(b, ARG_LO(1));
	jeq(b, STUB_CTL_SIZE, L_ALLOW, fail);
}

static void allow_or_kill(struct bpf *b)
{
	ret(b, SECCOMP_RET_ALLOW);
	here(b, L_KILL);
	ret(b, SECCOMP_RET_KILL_PROCESS);
}

/*
 * Guest system calls trap. The stub's own come from stub_sys's instruction
 * and are allowed only from the list below with their arguments checked:
 * none of them reaches anything but this process's own threads and memory
 * below STUB_GUEST_END. Anything else from there kills the process: the
 * guest jumped into the stub.
 */
static void build_filter(struct bpf *b)
{
	static const unsigned plain[] = {
	    __NR_rt_sigreturn,	  __NR_rt_sigprocmask, __NR_exit,
	    __NR_exit_group,	  __NR_close,	       __NR_sched_yield,
	    __NR_set_tid_address, __NR_sigaltstack,    __NR_membarrier,
	    __NR_recvmsg,	  __NR_getrusage,
	};
	ld(b, offsetof(struct seccomp_data, arch));
	jeq(b, AUDIT_ARCH_X86_64, NEXT, L_TRAP);
	ld(b, offsetof(struct seccomp_data, instruction_pointer) + 4);
	jeq(b, HI(stub_sys_ret), NEXT, L_TRAP);
	ld(b, offsetof(struct seccomp_data, instruction_pointer));
	jeq(b, LO(stub_sys_ret), NEXT, L_TRAP);
	ld(b, offsetof(struct seccomp_data, nr));
	jeq(b, __NR_futex, L_FUTEX, NEXT);
	for (unsigned i = 0; i < sizeof plain / sizeof plain[0]; i++)
		jeq(b, plain[i], L_ALLOW, NEXT);
	jeq(b, __NR_mmap, L_MMAP, NEXT);
	jeq(b, __NR_munmap, L_MUNMAP, NEXT);
	jeq(b, __NR_mprotect, L_MUNMAP, NEXT);
	jeq(b, __NR_rseq, L_MUNMAP, NEXT);
	jeq(b, __NR_madvise, L_MADVISE, NEXT);
	jeq(b, __NR_mremap, L_MREMAP, NEXT);
	jeq(b, __NR_clone, L_CLONE, NEXT);
	jeq(b, __NR_prctl, L_PRCTL, L_KILL);
	here(b, L_KILL);
	ret(b, SECCOMP_RET_KILL_PROCESS);
	here(b, L_TRAP);
	ret(b, SECCOMP_RET_TRAP);
	here(b, L_ALLOW);
	ret(b, SECCOMP_RET_ALLOW);

	here(b, L_FUTEX); /* waits and wakes only */
	ld(b, ARG_LO(1));
	emit(b, BPF_ALU | BPF_AND | BPF_K, ~(unsigned)FUTEX_PRIVATE_FLAG, NEXT, NEXT);
	jeq(b, FUTEX_WAIT, L_ALLOW, NEXT);
	jeq(b, FUTEX_WAKE, L_ALLOW, L_KILL);
	here(b, L_ALLOW);
	allow_or_kill(b);

	here(b, L_MMAP); /* fixed addresses below the stub, or the control pages */
	ld(b, ARG_LO(3));
	jeq(b, MAP_SHARED | MAP_FIXED_NOREPLACE, NEXT, L_MMAP_ANY);
	ctl_args(b, L_MMAP_ANY);
	here(b, L_MMAP_ANY);
	ld(b, ARG_LO(3));
	emit(b, BPF_ALU | BPF_AND | BPF_K, MAP_FIXED | MAP_FIXED_NOREPLACE, NEXT, NEXT);
	jeq(b, 0, L_KILL, NEXT);
	range(b, 0, 1);
	here(b, L_ALLOW);
	allow_or_kill(b);

	here(b, L_MUNMAP); /* munmap, mprotect; rseq's area and length */
	range(b, 0, 1);
	allow_or_kill(b);

	here(b, L_MADVISE); /* below the stub, or keeping the control pages from forks */
	ld(b, ARG_LO(2));
	jeq(b, MADV_DONTFORK, NEXT, L_MADV_ANY);
	ctl_args(b, L_MADV_ANY);
	here(b, L_MADV_ANY);
	range(b, 0, 1);
	here(b, L_ALLOW);
	allow_or_kill(b);

	here(b, L_MREMAP); /* in place, or to a fixed address, below the stub */
	range(b, 0, 1);
	ld(b, ARG_LO(3));
	jeq(b, 0, NEXT, L_MREMAP_MOVE);
	range(b, 0, 2);
	ret(b, SECCOMP_RET_ALLOW);
	here(b, L_MREMAP_MOVE);
	ld(b, ARG_LO(3));
	emit(b, BPF_ALU | BPF_AND | BPF_K, MREMAP_FIXED, NEXT, NEXT);
	jeq(b, 0, L_KILL, NEXT);
	range(b, 4, 2);
	allow_or_kill(b);

	here(b, L_CLONE); /* exactly the flags ./linux uses */
	ld(b, ARG_HI(0));
	jeq(b, 0, NEXT, L_KILL);
	ld(b, ARG_LO(0));
	jeq(b, CLONE_AS_THREAD, L_ALLOW, NEXT);
	jeq(b, CLONE_AS_VFORK, L_ALLOW, NEXT);
	jeq(b, CLONE_AS_FORK, L_ALLOW, L_KILL);
	here(b, L_ALLOW);
	allow_or_kill(b);

	here(b, L_PRCTL); /* a fork child's parent-death signal */
	ld(b, ARG_LO(0));
	jeq(b, PR_SET_PDEATHSIG, L_ALLOW, L_KILL);
	here(b, L_ALLOW);
	allow_or_kill(b);
	resolve(b);
}

static long install_filter(void)
{
	static struct bpf b = {.pending = L_NLABELS};
	build_filter(&b);
	struct sock_fprog prog = {(unsigned short)b.n, b.f};
	return sys3(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* ---- The hand-off ------------------------------------------------------- */

static unsigned getcpu(void)
{
	unsigned p;
	__asm__ volatile("lsl %1, %0" : "=r"(p) : "r"(0x7b)); /* the vDSO's per-CPU segment */
	return p & 0xfff;
}

static unsigned long rdtsc(void)
{
	unsigned lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long)hi << 32 | lo;
}

/* Hands the page to ./linux; returns whether ./linux was asleep (then it
 * runs on this CPU now, and waiting by spinning would only slow it). */
static int post(struct stub_ctl *c, unsigned event)
{
	if (event != EV_DONE)
		c->user_tsc = rdtsc() - c->left_tsc; /* what the hand-off's regime goes by */
	c->event = event;
	c->stub_cpu = getcpu();
	__atomic_store_n(&c->state, KERNEL_TURN, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&c->kernel_sleeps, __ATOMIC_SEQ_CST))
		return 0;
	stub_sys(__NR_futex, (long)&c->state, FUTEX_WAKE, 0x7fffffff, 0, 0, 0);
	return 1;
}

/* Spins up to ./linux's budget, then sleeps, until it is our turn.
 * ./linux cuts the budget when the call blocks. */
static void wait_turn(struct stub_ctl *c, int kernel_was_asleep)
{
	for (unsigned i = 0; __atomic_load_n(&c->state, __ATOMIC_ACQUIRE) == KERNEL_TURN; i++) {
		if (!kernel_was_asleep && i < __atomic_load_n(&c->stub_spin, __ATOMIC_RELAXED)) {
			__asm__ volatile("pause");
			continue;
		}
		__atomic_store_n(&c->stub_sleeps, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&c->state, __ATOMIC_SEQ_CST) == KERNEL_TURN)
			stub_sys(__NR_futex, (long)&c->state, FUTEX_WAIT, KERNEL_TURN, 0, 0, 0);
		__atomic_store_n(&c->stub_sleeps, 0, __ATOMIC_RELAXED);
	}
}

/* ---- Registers and FPU state ------------------------------------------ */

static unsigned long rdfsbase(void)
{
	unsigned long v;
	__asm__ volatile("rdfsbase %0" : "=r"(v));
	return v;
}

static unsigned long rdgsbase(void)
{
	unsigned long v;
	__asm__ volatile("rdgsbase %0" : "=r"(v));
	return v;
}

/* %gs holds the thread's control page, for patched entries, unless the
 * guest asked for a gs base of its own. */
static void set_bases(struct stub_ctl *c)
{
	unsigned long gs = c->regs[R_GS_BASE] ? c->regs[R_GS_BASE] : (unsigned long)c;
	__asm__ volatile("wrfsbase %0" ::"r"(c->regs[R_FS_BASE]));
	__asm__ volatile("wrgsbase %0" ::"r"(gs));
}

static void get_bases(struct stub_ctl *c)
{
	unsigned long gs = rdgsbase();
	c->regs[R_FS_BASE] = rdfsbase();
	c->regs[R_GS_BASE] = gs == (unsigned long)c ? 0 : gs;
}

static const unsigned char uc_of_reg[] = {
    [R_R15] = UC_R15, [R_R14] = UC_R14,	 [R_R13] = UC_R13,    [R_R12] = UC_R12,
    [R_RBP] = UC_RBP, [R_RBX] = UC_RBX,	 [R_R11] = UC_R11,    [R_R10] = UC_R10,
    [R_R9] = UC_R9,   [R_R8] = UC_R8,	 [R_RAX] = UC_RAX,    [R_RCX] = UC_RCX,
    [R_RDX] = UC_RDX, [R_RSI] = UC_RSI,	 [R_RDI] = UC_RDI,    [R_ORIG_RAX] = UC_NGREG,
    [R_RIP] = UC_RIP, [R_CS] = UC_NGREG, [R_EFLAGS] = UC_EFL, [R_RSP] = UC_RSP,
};

static void regs_from_uc(struct stub_ctl *c, const struct kucontext *uc)
{
	for (int r = 0; r <= R_RSP; r++)
		if (uc_of_reg[r] != UC_NGREG)
			c->regs[r] = uc->gregs[uc_of_reg[r]];
	c->regs[R_ORIG_RAX] = (unsigned long)-1;
	c->regs[R_CS] = 0x33;
	c->regs[R_SS] = 0x2b;
	get_bases(c);
}

static void regs_to_uc(const struct stub_ctl *c, struct kucontext *uc)
{
	for (int r = 0; r <= R_RSP; r++)
		if (uc_of_reg[r] != UC_NGREG)
			uc->gregs[uc_of_reg[r]] = c->regs[r];
	uc->gregs[UC_CSGSFS] = CS_SS_FLAT;
}

static void *fpu_area(struct stub_ctl *c)
{
	return (char *)c + STUB_FPU_OFFSET;
}

static unsigned xstate_size(const struct stub_ctl *c)
{
	unsigned n = c->xstate_size;
	return n < XSAVE_HEADER + 64 || n > STUB_FPU_MAX - 4 ? XSAVE_HEADER + 64 : n;
}

static void xsave(void *buf)
{
	memset((char *)buf + XSAVE_HEADER, 0, 64);
	__asm__ volatile("xsave64 (%0)" ::"r"(buf), "a"(-1), "d"(-1) : "memory");
}

/* The software-reserved bytes the host checks before restoring an XSAVE
 * image from a signal frame: always its own values, whatever the guest's. */
static void fpu_seal(const struct stub_ctl *c, char *fx)
{
	unsigned n = xstate_size(c);
	unsigned sw[12] = {FP_XSTATE_MAGIC1, n + 4, (unsigned)c->xfeatures,
			   (unsigned)(c->xfeatures >> 32), n};
	memcpy(fx + FX_SW_BYTES, sw, sizeof sw);
	unsigned magic2 = FP_XSTATE_MAGIC2;
	memcpy(fx + n, &magic2, sizeof magic2);
}

/* The guest's FPU state: in the signal frame, or live on a patched entry. */
static void fpu_save(struct stub_ctl *c, const struct kucontext *uc, void *dst)
{
	if (uc && uc->fpstate)
		memcpy(dst, uc->fpstate, xstate_size(c));
	else
		xsave(dst);
}

/* ---- Serving ./linux's requests ----------------------------------------- */

/* This process's fd channel (stub.h). */
static long chan_fd = -1;

/*
 * Receives the channel's message seq and its n fds. Older messages are
 * those of requests that failed before they took theirs: dropped. Returns
 * 0, or -EAGAIN if the message is not there (another thread of this
 * process, jumping into the stub, took it).
 */
static long recv_fds(unsigned long seq, int *fds, int n)
{
	for (;;) {
		unsigned long got = 0;
		struct stub_msg m;
		int *in;
		stub_msg_init(&m, &got, sizeof got);
		long r = sys3(__NR_recvmsg, chan_fd, &m.msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (r < 0)
			return r;
		int k = stub_msg_fds(&m, &in);
		if (r == sizeof got && got == seq && k == n) {
			memcpy(fds, in, (size_t)n * sizeof(int));
			return 0;
		}
		for (int i = 0; i < k; i++)
			sys1(__NR_close, in[i]);
	}
}

/* mmap(args) of the fd that message seq brings, which then goes. */
static long map_fd(unsigned long seq, const long *args)
{
	int fd;
	long r = recv_fds(seq, &fd, 1);
	if (r < 0)
		return r;
	r = stub_sys(__NR_mmap, args[0], args[1], args[2], args[3], fd, args[5]);
	sys1(__NR_close, fd);
	return r;
}

static void block_signals(void)
{
	unsigned long blocked = STUB_BLOCKED;
	sys4(__NR_rt_sigprocmask, SIG_SETMASK, &blocked, 0, 8);
}

static long map_ctl(long fd)
{
	long r = stub_sys(__NR_mmap, STUB_CTL_BASE, STUB_CTL_SIZE, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
	sys1(__NR_close, fd);
	if (r != (long)STUB_CTL_BASE)
		return -1;
	return sys3(__NR_madvise, STUB_CTL_BASE, STUB_CTL_SIZE, MADV_DONTFORK);
}

/* Every thread: its exit shows on its page, its signals run on its stack,
 * and %gs finds its page. */
static void thread_setup(struct stub_ctl *c, unsigned long slot)
{
	struct {
		unsigned long sp;
		int flags;
		unsigned long size;
	} ss = {STUB_STACK_BASE + slot * STUB_STACK_SLOT, 0, STUB_STACK_SLOT};
	sys1(__NR_set_tid_address, &c->state);
	sys2(__NR_sigaltstack, &ss, 0);
	set_bases(c);
}

/* Patching serializes the CPUs that run this process (sync_core), or that
 * run any stub (./linux's global membarrier). Once its memory has a second
 * user (a thread, a vfork child), the host makes a registration wait for
 * an RCU grace period, milliseconds: they are made while the process's
 * first thread is alone. */
static void register_sync_core(void)
{
	sys2(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0);
	sys2(__NR_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0);
}

/* The child of a fork gets its own fd channel, and its own control pages
 * where its parent's were (they are not inherited: MADV_DONTFORK), already
 * set up by ./linux. */
static int do_fork(struct stub_ctl *c)
{
	int fds[2]; /* the child's channel and control pages */
	c->ret = recv_fds(c->seq, fds, 2);
	if (c->ret < 0)
		return 0;
	long pid = sys1(__NR_clone, CLONE_AS_FORK);
	if (pid == 0) {
		sys1(__NR_close, chan_fd);
		chan_fd = fds[0];
		if (map_ctl(fds[1]) < 0)
			stub_die();
		sys2(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL);
		sys1(__NR_set_tid_address, &c->state);
		register_sync_core();
		post(c, EV_READY);
		return 1;
	}
	sys1(__NR_close, fds[0]);
	sys1(__NR_close, fds[1]);
	c->ret = pid;
	return 0;
}

/* A thread or vfork child in a new slot, starting in stub_thread_start()
 * with the guest's FPU state in its page. */
static long clone_vm(struct stub_ctl *c, const struct kucontext *uc)
{
	unsigned long slot = (unsigned long)c->args[1];
	if (slot >= STUB_MAX_SLOTS)
		return -22;
	fpu_save(c, uc, fpu_area(STUB_CTL_AT(slot)));
	unsigned long *sp = (unsigned long *)(STUB_STACK_TOP(slot) - STUB_FRAME_ROOM) - 2;
	sp[0] = (unsigned long)stub_thread_entry;
	sp[1] = slot;
	return sys2(__NR_clone, c->args[0], sp);
}

/* ./linux checked that the word is mapped writable: a guest that unmapped
 * it meanwhile from stub code faults here and dies, harming only itself. */
static long cmpxchg32(const struct stub_ctl *c)
{
	unsigned old = (unsigned)c->args[1];
	__atomic_compare_exchange_n((unsigned *)c->args[0], &old, (unsigned)c->args[2], 0,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

static long sync_core(void)
{
	long r = sys2(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0);
	return r < 0 ? r : sys2(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0);
}

/* ---- Guest memory crossing with the hand-off (stub.h) -------------------- */

/* A deferred call (stub.h): 0, or why it did not do what ./linux said. */
static long deferred_call(long nr, const struct stub_call *k)
{
	const long *a = k->args;
	long r;
	switch (nr) {
	case STUB_NR_MAP_FD:
		r = map_fd(k->seq, a);
		break;
	case __NR_mmap:
		if (a[4] != -1)
			return -22;
		r = stub_sys(__NR_mmap, a[0], a[1], a[2], a[3], -1, a[5]);
		break;
	case __NR_munmap:
	case __NR_mprotect:
		return stub_sys(nr, a[0], a[1], a[2], 0, 0, 0);
	default:
		return -22;
	}
	return r == a[0] ? 0 : r < 0 ? r : -22;
}

/* The call's results, into the guest before it resumes. ./linux checked
 * the mappings; one unmapped meanwhile (by another thread) makes the
 * call's answer EFAULT, as a fault in the call would have. Deferred calls
 * are made in their place among the copies. */
static void apply_behind(struct stub_ctl *c)
{
	unsigned long n = c->behind_len, off = 0;
	char *area = (char *)c + STUB_BEHIND_OFFSET;
	c->behind_len = 0;
	if (n > STUB_BEHIND_SIZE)
		return;
	while (n - off >= sizeof(struct stub_behind)) {
		const struct stub_behind *b = (const void *)(area + off);
		off += sizeof *b;
		if (b->len == STUB_BEHIND_CALL) {
			if (sizeof(struct stub_call) > n - off)
				return;
			long r = deferred_call((long)b->addr, (const void *)(area + off));
			if (r < 0) {
				c->deferred_err = r;
				stub_die();
			}
			off += sizeof(struct stub_call);
			continue;
		}
		if (b->len > n - off)
			return;
		if (stub_copy((void *)b->addr, area + off, b->len))
			c->regs[R_RAX] = (unsigned long)-14; /* -EFAULT */
		off += (b->len + 7) & ~7UL;
		if (off > n)
			return;
	}
}

/* Where a call's input is: argument ptr points to it, and it is a path
 * (len and size 0), size bytes, or as many as argument len says. */
struct input {
	signed char ptr, len;
	unsigned short size;
};

static struct input call_input(long nr)
{
	switch (nr) {
	case __NR_write:
	case __NR_pwrite64:
	case __NR_sendto:
		return (struct input){1, 2, 0};
	case __NR_rt_sigaction:
		return (struct input){1, -1, 32}; /* struct sigaction, the kernel's */
	case __NR_rt_sigprocmask:
		return (struct input){1, -1, 8};
	case __NR_open:
	case __NR_stat:
	case __NR_lstat:
	case __NR_access:
	case __NR_readlink:
	case __NR_execve:
	case __NR_chdir:
	case __NR_mkdir:
	case __NR_rmdir:
	case __NR_unlink:
	case __NR_chmod:
	case __NR_creat:
	case __NR_rename:
	case __NR_statfs:
		return (struct input){0, -1, 0};
	case __NR_openat:
	case __NR_newfstatat:
	case __NR_statx:
	case __NR_faccessat:
	case __NR_faccessat2:
	case __NR_readlinkat:
	case __NR_unlinkat:
	case __NR_mkdirat:
	case __NR_fchmodat:
	case __NR_fchownat:
	case __NR_renameat2:
	case __NR_execveat:
		return (struct input){1, -1, 0};
	}
	return (struct input){-1, -1, 0};
}

static const unsigned char arg_reg[] = {R_RDI, R_RSI, R_RDX};

/* On a trap: the call's input, read ahead into the control page. */
static void read_ahead(struct stub_ctl *c)
{
	struct input in = call_input((long)c->regs[R_ORIG_RAX]);
	unsigned long addr = in.ptr < 0 ? 0 : c->regs[arg_reg[in.ptr]];
	char *area = (char *)c + STUB_AHEAD_OFFSET;
	c->ahead_addr = addr;
	c->ahead_len = 0;
	if (addr < 4096 || addr >= STUB_GUEST_END) /* NULL, or nothing of the guest's */
		return;
	if (in.len < 0 && !in.size) {
		c->ahead_len = (unsigned)stub_copy_str(area, (const char *)addr, STUB_AHEAD_MAX);
		return;
	}
	unsigned long len = in.len < 0 ? in.size : c->regs[arg_reg[in.len]];
	if (len <= STUB_AHEAD_MAX)
		c->ahead_len = (unsigned)(len - stub_copy(area, (const void *)addr, len));
}

/* Serves requests until ./linux says run; uc is the signal frame, if any. */
static void serve(struct stub_ctl *c, const struct kucontext *uc, int kernel_was_asleep)
{
	for (;;) {
		wait_turn(c, kernel_was_asleep);
		switch (__atomic_load_n(&c->op, __ATOMIC_RELAXED)) {
		case OP_RUN:
			apply_behind(c);
			return;
		case OP_SYSCALL:
			c->ret = stub_sys(c->nr, c->args[0], c->args[1], c->args[2], c->args[3],
					  c->args[4], c->args[5]);
			break;
		case OP_MAP_FD:
			c->ret = map_fd(c->seq, c->args);
			break;
		case OP_FORK:
			if (do_fork(c)) {
				kernel_was_asleep = 0;
				continue; /* the child: it reported itself ready */
			}
			break;
		case OP_CLONE_VM:
			c->ret = clone_vm(c, uc);
			break;
		case OP_GET_FPU:
			fpu_save(c, uc, fpu_area(c));
			break;
		case OP_SYNC_CORE:
			c->ret = sync_core();
			break;
		case OP_CMPXCHG:
			c->ret = cmpxchg32(c);
			break;
		case OP_APPLY:
			apply_behind(c);
			c->ret = 0;
			break;
		case OP_EXIT:
			for (;;)
				sys1(__NR_exit, 0);
		default:
			c->ret = -22;
		}
		kernel_was_asleep = post(c, EV_DONE);
	}
}

/* ---- Entering the guest --------------------------------------------------- */

/* Applies ./linux's answer to a signal frame; sigreturn then resumes the guest. */
static void apply_run(struct stub_ctl *c, struct kucontext *uc)
{
	regs_to_uc(c, uc);
	if ((c->flags & CTL_FPU) && uc->fpstate) {
		memcpy(uc->fpstate, fpu_area(c), xstate_size(c));
		fpu_seal(c, uc->fpstate);
	}
	set_bases(c);
	uc->sigmask = 0;
	c->left_tsc = rdtsc();
}

/*
 * Enters the guest through a signal frame built here, when there is no
 * frame to return through (a new thread) or a patched entry's answer needs
 * more than stub_exit restores. Signals stay blocked until the sigreturn,
 * so a kick meanwhile waits for the guest.
 */
static __attribute__((noreturn)) void enter_guest(struct stub_ctl *c, int live_fpu)
{
	block_signals();
	unsigned long slot = ((unsigned long)c - STUB_CTL_BASE) / STUB_CTL_SLOT;
	unsigned long top = STUB_STACK_TOP(slot);
	char *fx = (char *)((top - STUB_FPU_MAX) & ~63UL);
	struct kucontext *uc = (struct kucontext *)(((unsigned long)fx - sizeof *uc) & ~15UL);
	memset(uc, 0, sizeof *uc);
	uc->flags = UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	uc->ss_sp = (void *)(top - STUB_STACK_SLOT);
	uc->ss_size = STUB_STACK_SLOT;
	if (c->flags & CTL_FPU)
		memcpy(fx, fpu_area(c), xstate_size(c));
	else if (live_fpu)
		xsave(fx);
	if ((c->flags & CTL_FPU) || live_fpu) {
		fpu_seal(c, fx);
		uc->fpstate = fx;
	}
	regs_to_uc(c, uc);
	set_bases(c);
	c->left_tsc = rdtsc();
	stub_sigreturn_to(uc);
}

static int in_stub_text(unsigned long ip)
{
	return ip >= (unsigned long)__stub_text_start && ip < (unsigned long)__stub_text_end;
}

/*
 * A signal that hit stub code. A fault in a guest-memory copy ends the
 * copy short (stub_copy's contract). A kick while a patched entry's answer is
 * already posted takes over the return to the guest, whose state is then
 * the answer; any other kick there is early (./linux has the thread) and is
 * dropped. A fault in the r9 trampolines is the guest's own load; any
 * other fault is the stub's, or a guest that jumped into it: fatal.
 * Returns whether the signal is the guest's to report.
 */
static int stub_code_signal(struct stub_ctl *c, int sig, struct kucontext *uc)
{
	unsigned long ip = uc->gregs[UC_RIP];
	if (sig == SIGSEGV || sig == SIGBUS) {
		if (ip == (unsigned long)stub_copy_insn)
			uc->gregs[UC_RIP] = (unsigned long)stub_copy_fault;
		if (ip == (unsigned long)stub_copy_str_load)
			uc->gregs[UC_RIP] = (unsigned long)stub_copy_str_fault;
		if (uc->gregs[UC_RIP] != ip)
			return 0;
	}
	if (sig == STUB_KICK_SIGNAL) {
		/* Before stub_entry_armed, armed is still the last entry's. */
		int entering =
		    ip >= (unsigned long)stub_tramp && ip < (unsigned long)stub_entry_armed;
		if (entering || !c->armed ||
		    __atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != STUB_TURN || c->op != OP_RUN)
			return 0;
		apply_behind(c);
		apply_run(c, uc);
		return 1;
	}
	/* glibc's syscall() reading the guest's stack: ./linux makes it the
	 * site's fault. */
	if (ip == (unsigned long)stub_kind_r9)
		return 1;
	stub_die();
}

static long current_slot(void)
{
	unsigned long off = (unsigned long)__builtin_frame_address(0) - STUB_STACK_BASE;
	return off < STUB_STACK_SIZE ? (long)(off / STUB_STACK_SLOT) : -1;
}

void stub_signal(int sig, void *info, void *ucontext)
{
	struct ksiginfo *si = info;
	struct kucontext *uc = ucontext;
	long slot = current_slot();
	if (slot < 0) /* not on a slot's stack: a thread umk did not make */
		for (;;)
			sys1(__NR_exit, 0);
	struct stub_ctl *c = STUB_CTL_AT(slot);
	if (in_stub_text(uc->gregs[UC_RIP]) && !stub_code_signal(c, sig, uc))
		return;
	regs_from_uc(c, uc);
	unsigned event = EV_SIGNAL;
	if (sig == SIGSYS && si->code == 1 /* SYS_SECCOMP */) {
		c->regs[R_ORIG_RAX] = (unsigned long)(long)si->sys.syscall;
		c->regs[R_RAX] = (unsigned long)-38; /* -ENOSYS, as at syscall entry */
		c->code = (int)si->sys.arch;
		event = EV_SYSCALL;
		read_ahead(c);
	} else {
		c->signo = sig;
		c->code = si->code;
		c->addr = si->addr;
		c->trapno = (int)uc->gregs[UC_TRAPNO];
		c->err = (int)uc->gregs[UC_ERR];
	}
	serve(c, uc, post(c, event));
	apply_run(c, uc);
}

/* A patched site's entry (entry.S), with the guest's registers saved in c;
 * returns to stub_exit unless the answer needs a whole frame. */
void stub_patched(struct stub_ctl *c)
{
	c->regs[R_ORIG_RAX] = c->regs[R_RAX];
	c->regs[R_RAX] = (unsigned long)-38;
	c->regs[R_RIP] = 0; /* ./linux knows where the site is */
	c->regs[R_RCX] = 0;
	c->regs[R_R11] = c->regs[R_EFLAGS];
	c->regs[R_CS] = 0x33;
	c->regs[R_SS] = 0x2b;
	get_bases(c);
	read_ahead(c);
	c->armed = 1;
	serve(c, 0, post(c, EV_PATCHED));
	if (c->regs[R_RCX] != c->regs[R_RIP] || c->regs[R_R11] != c->regs[R_EFLAGS] ||
	    (c->flags & CTL_FPU) || c->regs[R_FS_BASE] != rdfsbase() || c->regs[R_GS_BASE])
		enter_guest(c, 1);
	c->left_tsc = rdtsc();
}

/* ---- New threads and processes ----------------------------------------- */

void stub_thread_start(unsigned long slot)
{
	struct stub_ctl *c = STUB_CTL_AT(slot);
	block_signals();
	sys2(__NR_prctl, PR_SET_PDEATHSIG, SIGKILL); /* a vfork child is a process */
	thread_setup(c, slot);
	serve(c, 0, post(c, EV_READY));
	enter_guest(c, 0);
}

static void install_handlers(void)
{
	struct ksigaction sa = {(unsigned long)stub_signal, SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
				(unsigned long)stub_restorer, STUB_BLOCKED};
	for (unsigned i = 0; i < sizeof trapped_signals / sizeof trapped_signals[0]; i++)
		sys4(__NR_rt_sigaction, trapped_signals[i], &sa, 0, 8);
}

/* A fresh stub, with its channel and control pages from the template. */
void seccomp_stub_main(long chan, long ctl_memfd)
{
	chan_fd = chan;
	block_signals();
	install_handlers();
	if (install_filter() < 0 || map_ctl(ctl_memfd) < 0)
		stub_die();
	register_sync_core();
	stub_thread_start(0);
}
