/*
 * The stub's assembly: its entry point, the gadgets the ptrace platform
 * points stopped threads at, and the seccomp platform's single system call
 * instruction, signal return paths and patched-syscall trampolines.
 */
#include <asm/unistd.h>
#include "stub.h"

	.text

	.globl _start
_start:
	mov %rsp, %rdi
	lea stub_initial_stack+16384(%rip), %rsp
	call stub_main

/* ---- ptrace gadgets: a stopped thread is pointed here with its registers
 * set for a system call, and traps (int3) when done. The child of a clone
 * made through stub_clone parks until a task thread adopts it. */

	.globl stub_syscall
stub_syscall:
	syscall
	int3

	.globl stub_clone
stub_clone:
	syscall
	test %rax, %rax
	jz stub_park
	int3

/* The guest word at rdi: eax -> edx, its old value left in eax. */
	.globl stub_cmpxchg
stub_cmpxchg:
	lock cmpxchg %edx, (%rdi)
	int3

	.globl stub_park
stub_park:
	mov $__NR_pause, %eax
	syscall
	jmp stub_park

/* ---- seccomp platform ---------------------------------------------------
 * long stub_sys(long nr, long a, long b, long c, long d, long e, long f):
 * every host system call a seccomp stub makes goes through the one syscall
 * instruction below; the filter allows calls only from there, with their
 * arguments checked, and traps every other one as the guest's.
 */
	.globl stub_sys, stub_sys_insn, stub_sys_ret
stub_sys:
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	mov 8(%rsp), %r9
stub_sys_insn:
	syscall
stub_sys_ret:
	ret

/* The signal handlers return here (sa_restorer), with the frame at rsp. */
	.globl stub_restorer
stub_restorer:
	mov $__NR_rt_sigreturn, %eax
	jmp stub_sys_insn

/* void stub_sigreturn_to(struct ucontext *uc): enters the guest through a
 * signal frame the stub built itself. */
	.globl stub_sigreturn_to
stub_sigreturn_to:
	mov %rdi, %rsp
	mov $__NR_rt_sigreturn, %eax
	jmp stub_sys_insn

/*
 * Copies between the stub and the guest that may fault: the signal
 * handler sends a fault at a *_load/_insn label to the *_fault one.
 * unsigned long stub_copy(void *dst, const void *src, unsigned long n):
 * the bytes not copied (0 when all were).
 */
	.globl stub_copy, stub_copy_insn, stub_copy_fault
stub_copy:
	mov %rdx, %rcx
stub_copy_insn:
	rep movsb
stub_copy_fault:
	mov %rcx, %rax
	ret

/* unsigned long stub_copy_str(char *dst, const char *src, unsigned long n):
 * copies up to and with the first NUL, at most n bytes: how many it copied. */
	.globl stub_copy_str, stub_copy_str_load, stub_copy_str_fault
stub_copy_str:
	xor %eax, %eax
1:	cmp %rdx, %rax
	jae stub_copy_str_fault
stub_copy_str_load:
	movzbl (%rsi, %rax), %ecx
	mov %cl, (%rdi, %rax)
	inc %rax
	test %cl, %cl
	jnz 1b
stub_copy_str_fault:
	ret

/* A thread cloned by stub_clone_vm "returns" from stub_sys here, with its
 * slot number on its new stack. */
	.globl stub_thread_entry
stub_thread_entry:
	mov (%rsp), %rdi
	and $-16, %rsp
	call stub_thread_start
	ud2

/*
 * Patched system calls. A patched site jumps through its pointer to its own
 * trampoline, which loads the site number into r11 and jumps through its
 * table entry to its kind's prologue, which does what the replaced
 * instructions did, with the entry's immediate (the syscall instruction
 * clobbers rcx and r11, so both are free; lea, not shl, keeps the flags).
 * %gs holds this thread's control page.
 */
	.balign STUB_TRAMP_SIZE
	.globl stub_tramp
stub_tramp:
	.set site, 0
	.rept STUB_MAX_SITES
	.balign STUB_TRAMP_SIZE
	mov $site, %r11d
	jmp stub_entry_site
	.set site, site + 1
	.endr

stub_entry_site: /* the entry at 32 * site */
	lea (, %r11, 4), %rcx
	jmp *STUB_PATCH_BASE + STUB_PATCH_KIND_OFFSET(, %rcx, 8)

	.globl stub_kind_nr, stub_kind_r9, stub_kind_edi, stub_kind_nr_xor_edi, stub_kind_xor_eax
stub_kind_nr: /* mov $nr, %eax (or %rax) */
	mov STUB_PATCH_BASE + STUB_PATCH_IMM_OFFSET(, %rcx, 8), %rax
	jmp stub_entry
stub_kind_r9: /* glibc syscall()'s mov 8(%rsp), %r9 */
	mov 8(%rsp), %r9
	jmp stub_entry
stub_kind_edi: /* mov $imm, %edi */
	mov STUB_PATCH_BASE + STUB_PATCH_IMM_OFFSET(, %rcx, 8), %edi
	jmp stub_entry
stub_kind_xor_eax: /* glibc's read: xor %eax, %eax */
	xor %eax, %eax
	jmp stub_entry
stub_kind_nr_xor_edi: /* mov $nr, %eax; xor %edi, %edi; on into stub_entry */
	mov STUB_PATCH_BASE + STUB_PATCH_IMM_OFFSET(, %rcx, 8), %rax
	xor %edi, %edi

/* Saves the guest's registers in the control page and runs stub_patched()
 * on the slot's stack, without touching the guest's stack or flags first. */
stub_entry:
	movl $0, %gs:CTL_ARMED
	.globl stub_entry_armed
stub_entry_armed:
	mov %rsp, %gs:CTL_REG(R_RSP)
	mov %gs:CTL_STACK_TOP, %rsp
	pushfq
	pop %rcx
	mov %rcx, %gs:CTL_REG(R_EFLAGS)
	cld
	mov %rax, %gs:CTL_REG(R_RAX)
	mov %rbx, %gs:CTL_REG(R_RBX)
	mov %rdx, %gs:CTL_REG(R_RDX)
	mov %rsi, %gs:CTL_REG(R_RSI)
	mov %rdi, %gs:CTL_REG(R_RDI)
	mov %rbp, %gs:CTL_REG(R_RBP)
	mov %r8, %gs:CTL_REG(R_R8)
	mov %r9, %gs:CTL_REG(R_R9)
	mov %r10, %gs:CTL_REG(R_R10)
	mov %r12, %gs:CTL_REG(R_R12)
	mov %r13, %gs:CTL_REG(R_R13)
	mov %r14, %gs:CTL_REG(R_R14)
	mov %r15, %gs:CTL_REG(R_R15)
	mov %r11d, %gs:CTL_SITE
	rdgsbase %rdi
	call stub_patched

/* Back to the guest with the registers ./linux answered: rcx and r11 get
 * the return address and flags, as after a syscall instruction. A kick
 * landing in here finds the guest's state in the control page. */
	.globl stub_exit, stub_exit_end
stub_exit:
	mov %gs:CTL_REG(R_RAX), %rax
	mov %gs:CTL_REG(R_RBX), %rbx
	mov %gs:CTL_REG(R_RDX), %rdx
	mov %gs:CTL_REG(R_RSI), %rsi
	mov %gs:CTL_REG(R_RDI), %rdi
	mov %gs:CTL_REG(R_RBP), %rbp
	mov %gs:CTL_REG(R_R8), %r8
	mov %gs:CTL_REG(R_R9), %r9
	mov %gs:CTL_REG(R_R10), %r10
	mov %gs:CTL_REG(R_R12), %r12
	mov %gs:CTL_REG(R_R13), %r13
	mov %gs:CTL_REG(R_R14), %r14
	mov %gs:CTL_REG(R_R15), %r15
	pushq %gs:CTL_REG(R_EFLAGS)
	popfq
	mov %gs:CTL_REG(R_EFLAGS), %r11
	mov %gs:CTL_REG(R_RIP), %rcx
	mov %gs:CTL_REG(R_RSP), %rsp
	jmp *%rcx
stub_exit_end:

	.section .note.GNU-stack, "", @progbits
