/* The FPU and SSE state of the interrupted code survives a handler that
 * uses them; the handler starts with a clean default state (MXCSR, x87
 * control word); the ucontext holds the interrupted registers. */
#include "t.h"
#include <stdint.h>
#include <ucontext.h>

static volatile double hd;
static unsigned handler_mxcsr;
static unsigned short handler_fcw;
static uint64_t uc_rip_ok, uc_xmm7;

static void h(int s, siginfo_t *si, void *ucv)
{
	(void)s;
	(void)si;
	ucontext_t *uc = ucv;
	__asm__ volatile("stmxcsr %0" : "=m"(handler_mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(handler_fcw));
	/* The saved xmm7 in the frame. */
	memcpy(&uc_xmm7, &uc->uc_mcontext.fpregs->_xmm[7], 8);
	uc_rip_ok = uc->uc_mcontext.gregs[REG_RIP] != 0;
	/* Clobber everything. */
	__asm__ volatile("pxor %%xmm0, %%xmm0\n\tpxor %%xmm1, %%xmm1\n\tpxor %%xmm7, %%xmm7\n\t"
			 "pxor %%xmm15, %%xmm15" ::
			     : "xmm0", "xmm1", "xmm7", "xmm15");
	double x = 1.0;
	for (int i = 0; i < 100; i++)
		x = x * 1.5 + 0.25;
	hd = x;
	unsigned m = 0x1f80 | 0x6000; /* round toward zero */
	__asm__ volatile("ldmxcsr %0" ::"m"(m));
	unsigned short cw = 0x0c7f;
	__asm__ volatile("fldcw %0" ::"m"(cw));
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = h, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	/* Non-default MXCSR and x87 control word before the signal. */
	unsigned mx = 0x1f80 | 0x4000; /* round up */
	__asm__ volatile("ldmxcsr %0" ::"m"(mx));
	unsigned short cw = 0x037f & ~0x0300; /* single precision */
	__asm__ volatile("fldcw %0" ::"m"(cw));
	/* Values in xmm registers across a raw kill syscall. */
	uint64_t in[4] = {0x1111111122222222ULL, 0x3333333344444444ULL, 0x5555555566666666ULL,
			  0x7777777788888888ULL};
	uint64_t out[4];
	long pid = getpid(), nr = SYS_kill, sig = SIGUSR1, ret;
	__asm__ volatile("movdqu (%[in]), %%xmm7\n\t"
			 "movdqu 16(%[in]), %%xmm15\n\t"
			 "syscall\n\t"
			 "movdqu %%xmm7, (%[out])\n\t"
			 "movdqu %%xmm15, 16(%[out])\n\t"
			 : "=a"(ret)
			 : "0"(nr), "D"(pid), "S"(sig), [in] "r"(in), [out] "r"(out)
			 : "rcx", "r11", "memory", "xmm7", "xmm15");
	SAY("  kill %ld\n", ret);
	SAY("  xmm7 kept %d xmm15 kept %d\n", out[0] == in[0] && out[1] == in[1],
	    out[2] == in[2] && out[3] == in[3]);
	SAY("  frame had xmm7 %d rip %d\n", uc_xmm7 == in[0], (int)uc_rip_ok);
	unsigned mx2;
	unsigned short cw2;
	__asm__ volatile("stmxcsr %0" : "=m"(mx2));
	__asm__ volatile("fnstcw %0" : "=m"(cw2));
	SAY("  mxcsr after %#x (before %#x), fcw after %#x (before %#x)\n", mx2, mx, cw2, cw);
	SAY("  in handler: mxcsr %#x fcw %#x\n", handler_mxcsr, handler_fcw);
	SAY("  handler computed %d\n", hd > 1e10);
	/* A long computation interrupted by many signals gives the same result. */
	mx = 0x1f80;
	__asm__ volatile("ldmxcsr %0" ::"m"(mx));
	double ref = 0, v = 0;
	for (int i = 1; i < 2000000; i++)
		ref += 1.0 / ((double)i * i);
	pid_t c = fork();
	if (c == 0) {
		for (int i = 0; i < 200; i++) {
			kill(getppid(), SIGUSR1);
			usleep(500);
		}
		_exit(0);
	}
	for (int rep = 0; rep < 20; rep++) {
		v = 0;
		for (int i = 1; i < 2000000; i++)
			v += 1.0 / ((double)i * i);
		if (v != ref)
			break;
	}
	waitpid(c, NULL, 0);
	SAY("  interrupted sums equal %d\n", v == ref);
	return 0;
}
