/* Anonymous mmap and munmap: placement rules, flags, errors, holes, and the
 * fault an unmapped page gives. */
#include "t.h"
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>

static sigjmp_buf jb;
static void *fault_addr;
static int fault_code;

static void on_segv(int s, siginfo_t *si, void *uc)
{
	(void)s;
	(void)uc;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(jb, 1);
}

/* Touches p; says whether it faulted. */
static int probe(volatile char *p, int write)
{
	if (sigsetjmp(jb, 1))
		return 1;
	if (write)
		*p = 1;
	else
		(void)*p;
	return 0;
}

#define A(p) ((void *)(p))

int main(void)
{
	struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
	sigaction(SIGSEGV, &sa, NULL);
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	SAY("  page size %zu\n", pg);
	char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	SAY("  mapped %d aligned %d\n", p != MAP_FAILED, ((uintptr_t)p & (pg - 1)) == 0);
	SAY("  zero filled %d\n", p[0] == 0 && p[4 * pg - 1] == 0);
	memset(p, 'x', 4 * pg);
	/* Punch a hole in the middle. */
	T(munmap(p + pg, pg));
	int f = probe(p + pg + 5, 0);
	SAY("  hole faults %d (code %d, addr ok %d)\n", f, fault_code, fault_addr == p + pg + 5);
	int n1 = probe(p, 1) == 0 && p[1] == 'x',
	    n2 = probe(p + 2 * pg, 0) == 0 && p[2 * pg] == 'x';
	SAY("  neighbours intact %d %d\n", n1, n2);
	/* MAP_FIXED over the hole and over existing data replaces it. */
	char *q = mmap(p + pg, 2 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	SAY("  fixed at hole %d, old data gone %d\n", q == p + pg, q[pg] == 0);
	/* MAP_FIXED_NOREPLACE refuses an occupied range. */
	q = mmap(p, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	SAY("  noreplace: %s\n", q == MAP_FAILED ? strerrorname_np(errno) : "mapped");
	T(munmap(p, 4 * pg));
	T(munmap(p, 4 * pg)); /* unmapping nothing is fine */
	/* A hint is only a hint; a free hint is used. */
	q = mmap(p, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	SAY("  free hint used %d\n", q == p);
	T(munmap(q, pg));
	/* Errors. */
	T(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	T(mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0));
	T(mmap(NULL, pg, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	T(mmap(A(p + 1), pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	OK(mmap(NULL, pg, 0x100, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)); /* ignored bit */
	T(mmap(NULL, (size_t)-4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	T(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, -1, 0));
	T(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, 99, 0));
	T(mmap(A(0x800000000000), pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	T(munmap(A(p + 1), pg));
	T(munmap(p, 0));
	T(munmap(A(0x800000000000), pg));
	/* The offset is ignored for anonymous maps but must be page-aligned. */
	T(syscall(SYS_mmap, NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 123));
	q = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, pg);
	SAY("  offset ignored %d\n", q != MAP_FAILED);
	/* MAP_SHARED anonymous memory is shared with a fork child; private is
	 * copied. */
	int *sh = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *pr = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*sh = *pr = 1;
	pid_t c = fork();
	if (c == 0) {
		*sh = *pr = 2;
		_exit(0);
	}
	waitpid(c, NULL, 0);
	SAY("  shared %d private %d\n", *sh, *pr);
	/* Read-only and none mappings fault on access. */
	char *ro = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r0 = probe(ro, 0), r1 = probe(ro, 1);
	SAY("  ro read %d write %d code %d\n", r0, r1, fault_code);
	char *none = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r0 = probe(none, 0);
	SAY("  none read %d code %d\n", r0, fault_code);
	/* A large sparse mapping costs nothing until touched. */
	char *big = mmap(NULL, 1UL << 34, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	SAY("  16G noreserve %s\n", big == MAP_FAILED ? strerrorname_np(errno) : "ok");
	if (big != MAP_FAILED) {
		big[(1UL << 34) - 1] = 1;
		big[0] = 2;
		T(munmap(big, 1UL << 34));
	}
	/* MAP_GROWSDOWN and MAP_STACK are accepted. */
	q = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1,
		 0);
	SAY("  stack %d\n", q != MAP_FAILED);
	/* MAP_32BIT lands below 2G. */
	q = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	SAY("  32bit %d\n", q != MAP_FAILED && (uintptr_t)q < 0x80000000UL);
	return 0;
}
