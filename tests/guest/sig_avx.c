/* AVX (and AVX-512 where present) register state survives a signal handler
 * that clobbers it, and the frame's xstate holds it; skipped on CPUs
 * without AVX. */
#include "t.h"
#include <cpuid.h>
#include <stdint.h>
#include <ucontext.h>

static int handler_ran;

static void h(int s)
{
	(void)s;
	handler_ran = 1;
	__asm__ volatile("vzeroall" ::
			     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
			       "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
			       "xmm15");
}

__attribute__((target("avx512f"))) static void h512(int s)
{
	h(s);
	__asm__ volatile("vpxorq %%zmm20, %%zmm20, %%zmm20\n\tkxorw %%k3, %%k3, %%k3" ::
			     : "xmm20", "k3");
}

/* zmm20 and k3 across a signal whose handler clears them. */
__attribute__((target("avx512f"))) static int avx512_kept(void)
{
	uint64_t zin[8], zout[8] = {0};
	uint32_t kin = 0x5a5a, kout = 0;
	for (int i = 0; i < 8; i++)
		zin[i] = 0x1000 + (uint64_t)i;
	signal(SIGUSR1, h512);
	handler_ran = 0;
	long pid = getpid(), nr = SYS_kill, sig = SIGUSR1, ret;
	__asm__ volatile("vmovdqu64 (%[in]), %%zmm20\n\t"
			 "kmovw %[k], %%k3\n\t"
			 "syscall\n\t"
			 "vmovdqu64 %%zmm20, (%[out])\n\t"
			 "kmovw %%k3, %[ko]\n\t"
			 : "=a"(ret), [ko] "=r"(kout)
			 : "0"(nr), "D"(pid), "S"(sig), [in] "r"(zin), [out] "r"(zout), [k] "r"(kin)
			 : "rcx", "r11", "memory", "xmm20", "k3");
	return ret == 0 && handler_ran && memcmp(zin, zout, sizeof zin) == 0 && kout == kin;
}

static int has_avx512(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b >> 16) & 1;
}

int main(void)
{
	unsigned a = 0, b = 0, c = 0, d = 0;
	__get_cpuid(1, &a, &b, &c, &d);
	if (!(c & (1u << 28)) || !(c & (1u << 27))) {
		SAY("SKIP: no AVX\n");
		return 0;
	}
	signal(SIGUSR1, h);
	uint64_t in[4] = {0x0102030405060708ULL, 0x1112131415161718ULL, 0x2122232425262728ULL,
			  0x3132333435363738ULL};
	uint64_t out[4] = {0};
	long pid = getpid(), nr = SYS_kill, sig = SIGUSR1, ret;
	__asm__ volatile("vmovdqu (%[in]), %%ymm9\n\t"
			 "syscall\n\t"
			 "vmovdqu %%ymm9, (%[out])\n\t"
			 : "=a"(ret)
			 : "0"(nr), "D"(pid), "S"(sig), [in] "r"(in), [out] "r"(out)
			 : "rcx", "r11", "memory", "xmm9");
	SAY("  kill %ld handler %d\n", ret, handler_ran);
	SAY("  ymm9 low kept %d high kept %d\n", out[0] == in[0] && out[1] == in[1],
	    out[2] == in[2] && out[3] == in[3]);
	/* AVX-512: zmm and the opmask registers, when the CPU has them (the
	 * output does not say which, so both kinds of CPU agree with umk). */
	int ok = has_avx512() ? avx512_kept() : 1;
	SAY("  avx-512 state kept (or no avx-512) %d\n", ok);
	return 0;
}
