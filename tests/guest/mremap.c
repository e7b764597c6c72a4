/* mremap: shrinking, growing in place, moving (contents kept), fixed
 * targets, errors. */
#include "t.h"
#include <sys/mman.h>

static int check(const char *p, size_t n, int seed)
{
	for (size_t i = 0; i < n; i += 512)
		if (p[i] != (char)(seed + i / 512))
			return 0;
	return 1;
}

static void fill(char *p, size_t n, int seed)
{
	for (size_t i = 0; i < n; i += 512)
		p[i] = (char)(seed + i / 512);
}

int main(void)
{
	size_t pg = 4096;
	char *a = mmap(NULL, 8 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fill(a, 8 * pg, 1);
	/* Shrink: same address, the tail unmapped. */
	char *b = mremap(a, 8 * pg, 4 * pg, 0);
	SAY("  shrink same %d contents %d\n", b == a, check(b, 4 * pg, 1));
	/* Grow in place into the free tail. */
	b = mremap(a, 4 * pg, 6 * pg, 0);
	SAY("  grow in place %d contents %d new zero %d\n", b == a, check(b, 4 * pg, 1),
	    b[5 * pg] == 0);
	/* Blocked by a neighbour: ENOMEM without MAYMOVE, moves with it. */
	char *wall =
	    mmap(a + 6 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	SAY("  wall %d\n", wall == a + 6 * pg);
	T(mremap(a, 6 * pg, 16 * pg, 0));
	fill(a, 6 * pg, 3);
	char *m = mremap(a, 6 * pg, 64 * pg, MREMAP_MAYMOVE);
	int gone = msync(a, pg, 0) < 0 && errno == ENOMEM;
	SAY("  moved %d contents %d old gone %d\n", m != a && m != MAP_FAILED, check(m, 6 * pg, 3),
	    gone);
	m[63 * pg] = 5;
	/* A big move keeps every page. */
	fill(m, 64 * pg, 7);
	char *n = mremap(m, 64 * pg, 1024 * pg, MREMAP_MAYMOVE);
	SAY("  big move contents %d\n", check(n, 64 * pg, 7));
	/* MREMAP_FIXED to a chosen place, replacing what was there. */
	char *dst = mmap(NULL, 64 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *f = mremap(n, 64 * pg, 64 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	int ok = check(f, 64 * pg, 7);
	f[0] = 1;
	SAY("  fixed %d contents %d writable %d\n", f == dst, ok, f[0] == 1);
	/* A shared file-less mapping keeps sharing with a child after a move. */
	int *sh = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*sh = 1;
	sh = mremap(sh, pg, 2 * pg, MREMAP_MAYMOVE);
	pid_t c = fork();
	if (c == 0) {
		*sh = 2;
		_exit(0);
	}
	waitpid(c, NULL, 0);
	SAY("  shared after move %d\n", *sh);
	/* Errors. */
	T(mremap(a + 1, pg, pg, 0));
	T(mremap(f, pg, 0, MREMAP_MAYMOVE));
	T(mremap(f, pg, 2 * pg, 0x40));
	T(mremap(f, pg, 2 * pg, MREMAP_FIXED, f + 100 * pg));
	T(mremap(f, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED, f + 1));
	T(mremap(f, 4 * pg, 4 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, f + 2 * pg));
	T(mremap((void *)0x10000, pg, 2 * pg, MREMAP_MAYMOVE));
	T(mremap(f, 200 * pg, 300 * pg, MREMAP_MAYMOVE));
	T(mremap(f, pg, 2 * pg, MREMAP_DONTUNMAP));
	return 0;
}
