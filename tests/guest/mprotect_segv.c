/* mprotect and the faults it produces: SIGSEGV with SEGV_ACCERR or
 * SEGV_MAPERR and the exact si_addr, caught by a handler that fixes the
 * protection and returns; errors of mprotect. */
#include "t.h"
#include <stdint.h>
#include <sys/mman.h>

static char *page;
static volatile int faults;

static void fixer(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	faults++;
	SAY("  handler: sig %d errno %d code %d offset %#lx\n", s, si->si_errno, si->si_code,
	    (unsigned long)((uintptr_t)si->si_addr - (uintptr_t)page));
	/* Make the page accessible: returning retries the access. */
	mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

static void reporter(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	SAY("  reporter: sig %d code %d offset %#lx\n", s, si->si_code,
	    (unsigned long)((uintptr_t)si->si_addr - (uintptr_t)page));
	_exit(3);
}

int main(void)
{
	struct sigaction sa = {.sa_sigaction = fixer, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	T(sigaction(SIGSEGV, &sa, NULL));
	page = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	page[100] = 7;
	T(mprotect(page, 4096, PROT_NONE));
	volatile char v = page[100];
	SAY("  read %d after %d fault(s)\n", v, faults);
	T(mprotect(page, 4096, PROT_READ));
	page[0x123] = 9;
	SAY("  wrote %d after %d fault(s)\n", page[0x123], faults);
	/* Executing a non-executable page: SEGV_ACCERR at the jump target. */
	T(mprotect(page, 4096, PROT_READ | PROT_WRITE));
	page[0] = (char)0xc3; /* ret */
	static char *target;
	target = page;
	sa.sa_sigaction = fixer;
	sigaction(SIGSEGV, &sa, NULL);
	T(mprotect(page, 4096, PROT_READ));
	pid_t c = fork();
	if (c == 0) {
		signal(SIGSEGV, SIG_DFL);
		((void (*)(void))target)();
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  exec of non-exec page: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
	T(mprotect(page, 4096, PROT_READ | PROT_EXEC));
	((void (*)(void))target)();
	SAY("  executed after PROT_EXEC\n");
	/* A split mapping keeps its parts' protections. */
	T(mprotect(page + 4096, 4096, PROT_NONE));
	T(mprotect(page + 8192, 4096, PROT_READ));
	c = fork();
	if (c == 0) {
		signal(SIGSEGV, SIG_DFL);
		page[8192] = 1;
		_exit(0);
	}
	waitpid(c, &st, 0);
	SAY("  write to ro part: sig %d\n", WTERMSIG(st));
	/* Errors. */
	T(mprotect(page + 1, 4096, PROT_READ));
	T(mprotect(page, 4096, 0x1000));
	T(mprotect(page, 4096, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP));
	T(mprotect(page, 0, PROT_READ));
	T(munmap(page + 4096, 4096));
	T(mprotect(page, 3 * 4096, PROT_READ));
	T(mprotect((void *)0x800000000000UL, 4096, PROT_READ));
	/* An unmapped address: SEGV_MAPERR with its exact address. */
	c = fork();
	if (c == 0) {
		sa.sa_sigaction = reporter;
		sigaction(SIGSEGV, &sa, NULL);
		volatile char *bad = (char *)page + 4096 + 17;
		(void)*bad;
		_exit(0);
	}
	waitpid(c, &st, 0);
	SAY("  child exit %d\n", WEXITSTATUS(st));
	/* SIGSEGV blocked when the fault happens: the process dies anyway. */
	c = fork();
	if (c == 0) {
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGSEGV);
		sigprocmask(SIG_BLOCK, &m, NULL);
		*(volatile char *)(page + 4096) = 1;
		_exit(0);
	}
	waitpid(c, &st, 0);
	SAY("  blocked SIGSEGV: signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
	/* A near-null pointer read. */
	c = fork();
	if (c == 0) {
		sa.sa_sigaction = reporter;
		sigaction(SIGSEGV, &sa, NULL);
		page = NULL;
		(void)*(volatile char *)BADPTR;
		_exit(0);
	}
	waitpid(c, &st, 0);
	SAY("  child exit %d\n", WEXITSTATUS(st));
	return 0;
}
