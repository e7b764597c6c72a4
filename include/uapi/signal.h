/* Guest signals: numbers, sigaction, siginfo and the x86-64 signal frame. */
#ifndef UAPI_SIGNAL_H
#define UAPI_SIGNAL_H
#include "uapi/types.h"

#define SIGHUP	  1
#define SIGINT	  2
#define SIGQUIT	  3
#define SIGILL	  4
#define SIGTRAP	  5
#define SIGABRT	  6
#define SIGBUS	  7
#define SIGFPE	  8
#define SIGKILL	  9
#define SIGUSR1	  10
#define SIGSEGV	  11
#define SIGUSR2	  12
#define SIGPIPE	  13
#define SIGALRM	  14
#define SIGTERM	  15
#define SIGSTKFLT 16
#define SIGCHLD	  17
#define SIGCONT	  18
#define SIGSTOP	  19
#define SIGTSTP	  20
#define SIGTTIN	  21
#define SIGTTOU	  22
#define SIGURG	  23
#define SIGXCPU	  24
#define SIGXFSZ	  25
#define SIGVTALRM 26
#define SIGPROF	  27
#define SIGWINCH  28
#define SIGIO	  29
#define SIGPWR	  30
#define SIGSYS	  31
#define SIGRTMIN  32
#define SIGRTMAX  64
#define NSIG	  64

typedef uint64_t linux_sigset_t;
#define sigmask(sig) (1ULL << ((sig)-1))

#define SIG_DFL 0
#define SIG_IGN 1

#define SA_NOCLDSTOP	  0x00000001
#define SA_NOCLDWAIT	  0x00000002
#define SA_SIGINFO	  0x00000004
#define SA_UNSUPPORTED	  0x00000400
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_ONSTACK	  0x08000000
#define SA_RESTART	  0x10000000
#define SA_NODEFER	  0x40000000
#define SA_RESETHAND	  0x80000000
#define SA_RESTORER	  0x04000000

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* The kernel's struct sigaction (not glibc's). */
struct linux_sigaction {
	uaddr_t handler;
	uint64_t flags;
	uaddr_t restorer;
	linux_sigset_t mask;
};

struct linux_stack {
	uaddr_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ   2048

/* siginfo: 128 bytes. */
struct linux_siginfo {
	int32_t si_signo;
	int32_t si_errno;
	int32_t si_code;
	int32_t pad0;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
		} kill;
		struct {
			int32_t tid;
			int32_t overrun;
			uint64_t value;
			int32_t private_;
		} timer;
		struct {
			int32_t pid;
			uint32_t uid;
			uint64_t value;
		} rt;
		struct {
			int32_t pid;
			uint32_t uid;
			int32_t status;
			int32_t pad;
			int64_t utime;
			int64_t stime;
		} chld;
		struct {
			uint64_t addr;
			int16_t addr_lsb;
		} fault;
		struct {
			int64_t band;
			int32_t fd;
		} poll;
		struct {
			uint64_t call_addr;
			int32_t syscall;
			uint32_t arch;
		} sys;
		uint8_t bytes[112];
	};
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo size");

/* si_code values */
#define SI_USER	      0
#define SI_KERNEL     0x80
#define SI_QUEUE      -1
#define SI_TIMER      -2
#define SI_MESGQ      -3
#define SI_ASYNCIO    -4
#define SI_SIGIO      -5
#define SI_TKILL      -6
#define ILL_ILLOPC    1
#define ILL_ILLOPN    2
#define ILL_PRVOPC    5
#define FPE_INTDIV    1
#define FPE_INTOVF    2
#define FPE_FLTDIV    3
#define SEGV_MAPERR   1
#define SEGV_ACCERR   2
#define BUS_ADRALN    1
#define BUS_ADRERR    2
#define TRAP_BRKPT    1
#define TRAP_TRACE    2
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_DUMPED    3
#define CLD_TRAPPED   4
#define CLD_STOPPED   5
#define CLD_CONTINUED 6
#define SYS_SECCOMP   1

/* How a POSIX timer notifies (struct sigevent, 64 bytes). */
struct linux_sigevent {
	uint64_t sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	int32_t sigev_notify_thread_id;
	int32_t pad[11];
};
#define SIGEV_SIGNAL	0
#define SIGEV_NONE	1
#define SIGEV_THREAD	2
#define SIGEV_THREAD_ID 4

/* The x86-64 signal frame. */
struct linux_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uaddr_t fpstate;
	uint64_t reserved1[8];
};

struct linux_ucontext {
	uint64_t uc_flags;
	uaddr_t uc_link;
	struct linux_stack uc_stack;
	struct linux_sigcontext uc_mcontext;
	linux_sigset_t uc_sigmask;
};
#define UC_FP_XSTATE	     0x1
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4

struct linux_rt_sigframe {
	uaddr_t pretcode;
	struct linux_ucontext uc;
	struct linux_siginfo info;
	/* fpstate follows, 64-byte aligned */
};

/* The software-reserved bytes at offset 464 of the FXSAVE area. */
struct linux_fpx_sw_bytes {
	uint32_t magic1;
	uint32_t extended_size;
	uint64_t xfeatures;
	uint32_t xstate_size;
	uint32_t padding[7];
};
#define FP_XSTATE_MAGIC1   0x46505853U
#define FP_XSTATE_MAGIC2   0x46505845U
#define FXSAVE_SIZE	   512
#define FX_SW_BYTES_OFFSET 464

#endif
