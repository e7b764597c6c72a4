/* sigaltstack: setting, reading, SA_ONSTACK handlers running on it,
 * SS_ONSTACK inside, EPERM while on it, ENOMEM, EINVAL; a stack overflow
 * caught on the alternate stack. */
#include "t.h"
#include <stdint.h>
#include <sys/mman.h>

static char *alt;
static size_t altsz = 65536;
static int on_alt, flags_inside, change_err;

static void h(int s)
{
	(void)s;
	char local;
	on_alt = (uintptr_t)&local >= (uintptr_t)alt && (uintptr_t)&local < (uintptr_t)alt + altsz;
	stack_t cur;
	sigaltstack(NULL, &cur);
	flags_inside = cur.ss_flags;
	stack_t n = {.ss_sp = alt, .ss_size = altsz};
	change_err = sigaltstack(&n, NULL) < 0 ? errno : 0;
}

static volatile int depth, stop = -1;
static int recurse(int n)
{
	volatile char pad[4096];
	pad[0] = (char)n;
	depth++;
	if (n == stop)
		return 0;
	return recurse(n + 1) + pad[0];
}

static void overflow(int s)
{
	(void)s;
	SAY("  caught the overflow on the alternate stack, deep %d\n", depth > 100);
	_exit(0);
}

int main(void)
{
	stack_t st, old;
	T(sigaltstack(NULL, &old));
	SAY("  initially disabled %d size %zu\n", old.ss_flags == SS_DISABLE, old.ss_size);
	alt = mmap(NULL, altsz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	st = (stack_t){.ss_sp = alt, .ss_size = altsz, .ss_flags = 0};
	T(sigaltstack(&st, &old));
	T(sigaltstack(NULL, &old));
	SAY("  set: same %d flags %d\n", old.ss_sp == alt && old.ss_size == altsz, old.ss_flags);
	/* Without SA_ONSTACK the handler runs on the normal stack. */
	struct sigaction sa = {.sa_handler = h};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	SAY("  no SA_ONSTACK: on alt %d flags %d\n", on_alt, flags_inside);
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	SAY("  SA_ONSTACK: on alt %d flags %d change inside %s\n", on_alt, flags_inside,
	    strerrorname_np(change_err));
	/* Errors. */
	st = (stack_t){.ss_sp = alt, .ss_size = 1024, .ss_flags = 0};
	T(sigaltstack(&st, NULL));
	st = (stack_t){.ss_sp = alt, .ss_size = altsz, .ss_flags = 0x10};
	T(sigaltstack(&st, NULL));
	st = (stack_t){.ss_sp = alt, .ss_size = altsz, .ss_flags = SS_ONSTACK};
	T(sigaltstack(&st, NULL));
	T(sigaltstack(BADPTR, NULL));
	T(sigaltstack(NULL, BADPTR));
	/* SS_DISABLE turns it off; size is then ignored. */
	st = (stack_t){.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
	T(sigaltstack(&st, NULL));
	T(sigaltstack(NULL, &old));
	SAY("  disabled %d\n", old.ss_flags);
	raise(SIGUSR1);
	SAY("  disabled: on alt %d\n", on_alt);
	/* The alternate stack is inherited by fork. */
	st = (stack_t){.ss_sp = alt, .ss_size = altsz, .ss_flags = 0};
	T(sigaltstack(&st, NULL));
	pid_t c = fork();
	if (c == 0) {
		sigaltstack(NULL, &old);
		_exit(old.ss_sp == alt);
	}
	int s;
	waitpid(c, &s, 0);
	SAY("  inherited %d\n", WEXITSTATUS(s));
	/* Stack overflow: SIGSEGV can only be handled on the alternate stack. */
	c = fork();
	if (c == 0) {
		struct sigaction o = {.sa_handler = overflow, .sa_flags = SA_ONSTACK};
		sigemptyset(&o.sa_mask);
		sigaction(SIGSEGV, &o, NULL);
		recurse(0);
		_exit(1);
	}
	waitpid(c, &s, 0);
	SAY("  overflow child: exited %d status %d\n", WIFEXITED(s), WEXITSTATUS(s));
	/* Without an alternate stack the overflow kills. */
	c = fork();
	if (c == 0) {
		st = (stack_t){.ss_flags = SS_DISABLE};
		sigaltstack(&st, NULL);
		struct sigaction o = {.sa_handler = overflow, .sa_flags = SA_ONSTACK};
		sigaction(SIGSEGV, &o, NULL);
		recurse(0);
		_exit(1);
	}
	waitpid(c, &s, 0);
	SAY("  no altstack: signaled %d sig %d\n", WIFSIGNALED(s), WTERMSIG(s));
	return 0;
}
