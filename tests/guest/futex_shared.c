/* Futexes on memory shared between processes: MAP_SHARED anonymous pages
 * and shared file mappings, at different addresses in each process. */
#include "t.h"
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/mman.h>

static long futex(void *addr, int op, int val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static void waiter_test(const char *what, atomic_int *word, atomic_int *word_in_child)
{
	atomic_store(word, 0);
	pid_t p = fork();
	if (p == 0) {
		/* Wake the parent once it sleeps: retry until a waiter was woken. */
		while (futex(word_in_child, FUTEX_WAKE, 1) == 0)
			usleep(1000);
		atomic_store(word_in_child, 1);
		_exit(0);
	}
	long r = futex(word, FUTEX_WAIT, 0);
	SAY("%s: wait returned %ld\n", what, r);
	int st;
	waitpid(p, &st, 0);
	SAY("%s: child status %d\n", what, WEXITSTATUS(st));
}

int main(void)
{
	atomic_int *anon =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	waiter_test("shared anon", anon, anon);

	const char *d = scratch("futex_shared");
	char path[4200];
	snprintf(path, sizeof path, "%s/f", d);
	int fd = open(path, O_CREAT | O_RDWR, 0644);
	ftruncate(fd, 8192);
	/* Two mappings of the same file page at different addresses. */
	atomic_int *m1 = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	atomic_int *m2 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	waiter_test("shared file", m1 + 1024, m2);

	/* A private futex on a private page is not seen by another process. */
	int *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*priv = 0;
	pid_t p = fork();
	if (p == 0)
		_exit((int)futex(priv, FUTEX_WAKE_PRIVATE, 1));
	int st;
	waitpid(p, &st, 0);
	SAY("private wake from another process woke %d\n", WEXITSTATUS(st));
	T(futex((char *)anon + 1, FUTEX_WAIT, 0));
	T(futex(BADPTR, FUTEX_WAIT, 0));
	T(futex(anon, FUTEX_WAIT, 5));
	T(futex(anon, 99, 0));
	return 0;
}
