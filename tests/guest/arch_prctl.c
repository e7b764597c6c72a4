/* arch_prctl: FS and GS bases (TLS keeps working), CPUID faulting state,
 * bad codes and pointers. */
#include "t.h"
#include <asm/prctl.h>
#include <stdint.h>

static __thread int tls_var = 42;

static uint64_t read_fs0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	return v;
}

static uint64_t read_gs0(void)
{
	uint64_t v;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(v));
	return v;
}

/* arch_prctl without libc: nothing may touch TLS (errno) while FS is odd. */
static long raw_arch_prctl(long code, unsigned long arg)
{
	long r;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "0"((long)SYS_arch_prctl), "D"(code), "S"(arg)
			 : "rcx", "r11", "memory");
	return r;
}

int main(void)
{
	uint64_t fs = 0;
	T(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	/* On x86-64 glibc, %fs:0 holds the thread pointer itself. */
	SAY("  fs base is the TCB %d\n", read_fs0() == fs);
	SAY("  tls %d\n", tls_var);
	/* GS: set it to a block of ours and read through it. */
	static uint64_t block[4] = {0x1122334455667788ULL, 2, 3, 4};
	T(syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)block));
	uint64_t gs = 0;
	T(syscall(SYS_arch_prctl, ARCH_GET_GS, &gs));
	SAY("  gs is block %d reads %#llx\n", gs == (uint64_t)block,
	    (unsigned long long)read_gs0());
	/* GS survives a system call, a signal and a fork. */
	raise(SIGURG);
	pid_t c = fork();
	if (c == 0)
		_exit(read_gs0() == 0x1122334455667788ULL ? 1 : 2);
	int st;
	waitpid(c, &st, 0);
	SAY("  child gs ok %d, after signal %d\n", WEXITSTATUS(st) == 1,
	    read_gs0() == 0x1122334455667788ULL);
	/* FS: a new value, then back; TLS works again. */
	static uint64_t fake[8];
	fake[0] = (uint64_t)fake;
	long r1 = raw_arch_prctl(ARCH_SET_FS, (unsigned long)fake);
	uint64_t now = read_fs0();
	long r2 = raw_arch_prctl(ARCH_SET_FS, fs);
	SAY("  set %ld %ld, fake fs seen %d, tls back %d\n", r1, r2, now == (uint64_t)fake,
	    tls_var);
	/* Errors: non-canonical bases, bad codes, bad pointers. */
	T(syscall(SYS_arch_prctl, ARCH_SET_GS, 0x800000000000UL));
	SAY("  non-canonical fs: %ld (-EPERM)\n",
	    raw_arch_prctl(ARCH_SET_FS, 0xffff800000000000UL));
	T(syscall(SYS_arch_prctl, 0x9999, 0));
	T(syscall(SYS_arch_prctl, ARCH_GET_FS, BADPTR));
	T(syscall(SYS_arch_prctl, ARCH_GET_GS, BADPTR));
	/* CPUID faulting: reading the state works (0: cpuid allowed). */
	T(syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0));
	T(syscall(SYS_arch_prctl, ARCH_SET_GS, 0));
	T(syscall(SYS_arch_prctl, ARCH_GET_GS, &gs));
	SAY("  gs %llu\n", (unsigned long long)gs);
	return 0;
}
