/* The guest's user-visible register set, in the layout of Linux's
 * struct user_regs_struct (ptrace GETREGS), which the kernel uses throughout. */
#ifndef UAPI_PTRACE_H
#define UAPI_PTRACE_H
#include "uapi/types.h"

struct user_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi, orig_rax;
	uint64_t rip, cs, eflags, rsp, ss;
	uint64_t fs_base, gs_base;
	uint64_t ds, es, fs, gs;
};
_Static_assert(sizeof(struct user_regs) == 27 * 8, "user_regs layout");

#define USER_CS 0x33
#define USER_DS 0x2b

#endif
