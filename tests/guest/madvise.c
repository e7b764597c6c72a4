/* madvise: DONTNEED zeroes private anonymous pages and rereads file pages,
 * harmless hints, WIPEONFORK, errors. */
#include "t.h"
#include <sys/mman.h>

int main(void)
{
	const char *d = scratch("madvise");
	if (chdir(d))
		return 1;
	size_t pg = 4096;
	char *a = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(a, 'x', 4 * pg);
	T(madvise(a + pg, pg, MADV_DONTNEED));
	SAY("  %c %d %c\n", a[0], a[pg], a[2 * pg]);
	/* Shared anonymous memory keeps its data. */
	char *s = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	s[0] = 's';
	T(madvise(s, pg, MADV_DONTNEED));
	SAY("  shared %c\n", s[0]);
	/* A private file mapping goes back to the file's contents. */
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(write(fd, "file", 4));
	char *f = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	f[0] = 'F';
	T(madvise(f, pg, MADV_DONTNEED));
	SAY("  private file %.4s\n", f);
	/* Hints succeed and change nothing. */
	T(madvise(a, 4 * pg, MADV_NORMAL));
	T(madvise(a, 4 * pg, MADV_RANDOM));
	T(madvise(a, 4 * pg, MADV_SEQUENTIAL));
	T(madvise(a, 4 * pg, MADV_WILLNEED));
	T(madvise(a, 4 * pg, MADV_DONTDUMP));
	T(madvise(a, 4 * pg, MADV_DODUMP));
	SAY("  %c\n", a[3 * pg]);
	/* MADV_FREE on private anonymous memory: allowed; the data is either
	 * kept or zero. */
	T(madvise(a, pg, MADV_FREE));
	SAY("  after free %d\n", a[0] == 'x' || a[0] == 0);
	/* WIPEONFORK: the child sees zeros. */
	a[0] = 'w';
	T(madvise(a, pg, MADV_WIPEONFORK));
	pid_t c = fork();
	if (c == 0)
		_exit(a[0]);
	int st;
	waitpid(c, &st, 0);
	SAY("  child saw %d, parent %c\n", WEXITSTATUS(st), a[0]);
	T(madvise(s, pg, MADV_WIPEONFORK));
	/* DONTFORK: the child has no such mapping. */
	T(madvise(a + 3 * pg, pg, MADV_DONTFORK));
	c = fork();
	if (c == 0)
		_exit(msync(a + 3 * pg, pg, 0) < 0 ? errno : 0);
	waitpid(c, &st, 0);
	SAY("  dontfork child msync errno %d\n", WEXITSTATUS(st));
	/* Errors. */
	T(madvise(a + 1, pg, MADV_NORMAL));
	T(madvise(a, pg, 12345));
	T(madvise(a, pg, -1));
	T(madvise(a, 0, MADV_NORMAL));
	T(munmap(a + 2 * pg, pg));
	T(madvise(a, 4 * pg, MADV_NORMAL));
	T(madvise(a, 4 * pg, MADV_DONTNEED));
	T(madvise((void *)0x800000000000UL, pg, MADV_NORMAL));
	return 0;
}
