/* brk: the current break, growing (zeroed memory), shrinking, limits;
 * sbrk on top of it. stdout gets a static buffer so that nothing here
 * calls malloc while the break moves under it. */
#include "t.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

static char outbuf[BUFSIZ];

static uintptr_t brk_(uintptr_t to)
{
	return (uintptr_t)syscall(SYS_brk, to);
}

int main(void)
{
	setvbuf(stdout, outbuf, _IOLBF, sizeof outbuf);
	uintptr_t cur = brk_(0), again = brk_(0);
	SAY("  initial break nonzero %d stable %d\n", cur != 0, again == cur);
	/* Grow by 100 KB (not page aligned): returns the new break. */
	uintptr_t nb = brk_(cur + 100000);
	SAY("  grew exact %d\n", nb == cur + 100000);
	volatile char *p = (char *)cur;
	SAY("  zero %d\n", p[0] == 0 && p[99999] == 0);
	p[0] = 1;
	p[99999] = 2;
	/* Shrink: the break moves back; growing again gives zeroed memory. */
	nb = brk_(cur + 10);
	SAY("  shrank %d kept %d\n", nb == cur + 10, p[0] == 1);
	nb = brk_(cur + 100000);
	SAY("  regrown zero %d\n", p[99999] == 0);
	/* Below the start or absurd: the old break comes back. */
	nb = brk_(4096);
	SAY("  below start refused %d\n", nb == cur + 100000);
	nb = brk_((uintptr_t)1 << 62);
	SAY("  absurd refused %d\n", nb == cur + 100000);
	/* Up against another mapping: refused. */
	void *wall = mmap((void *)((cur + 100000 + 3 * 4096) & ~4095UL), 4096, PROT_READ,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	nb = brk_(cur + 200000);
	SAY("  wall %d, blocked %d\n", wall != MAP_FAILED, nb == cur + 100000);
	munmap(wall, 4096);
	/* RLIMIT_DATA limits it. */
	struct rlimit rl = {1 << 20, RLIM_INFINITY};
	pid_t c = fork();
	if (c == 0) {
		setrlimit(RLIMIT_DATA, &rl);
		uintptr_t b0 = brk_(0);
		_exit(brk_(b0 + (64 << 20)) == b0 ? 1 : 2);
	}
	int st;
	waitpid(c, &st, 0);
	SAY("  data limit refused %d\n", WEXITSTATUS(st) == 1);
	/* A fork child has its own break. */
	c = fork();
	if (c == 0) {
		brk_(cur + 300000);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	SAY("  parent break unchanged %d\n", brk_(0) == cur + 100000);
	/* Back to the start: then libc's sbrk and malloc agree with it. */
	SAY("  restored %d\n", brk_(cur) == cur);
	SAY("  sbrk(0) is break %d\n", (uintptr_t)sbrk(0) == cur);
	sbrk(8192);
	SAY("  sbrk grows %d\n", brk_(0) == cur + 8192);
	char *m = malloc(1 << 20);
	memset(m, 3, 1 << 20);
	SAY("  malloc ok %d\n", m[12345] == 3);
	T(syscall(SYS_brk, BADPTR) > 0);
	return 0;
}
