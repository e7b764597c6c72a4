/* set_tid_address returns the tid; the clear_child_tid word is cleared and
 * woken at exit only when the memory is shared (CLONE_VM), as for threads. */
#include "t.h"
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>

static volatile uint32_t *word;

static int child(void *arg)
{
	(void)arg;
	syscall(SYS_set_tid_address, word);
	return 0;
}

int main(void)
{
	long tid = syscall(SYS_set_tid_address, NULL);
	SAY("  returns tid %d\n", tid == syscall(SYS_gettid));
	T(syscall(SYS_set_tid_address, BADPTR) == tid);
	/* A forked child with its own memory: the parent's copy stays. */
	word = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*word = 0x12345;
	pid_t c = fork();
	if (c == 0) {
		syscall(SYS_set_tid_address, word);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	SAY("  after fork child exit: %#x\n", *word);
	/* A CLONE_VM child (sharing memory with us): the word is zeroed and a
	 * futex waiter woken when it exits. */
	size_t sz = 65536;
	char *stack = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*word = 0x54321;
	c = clone(child, stack + sz, CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
	waitpid(c, NULL, 0);
	SAY("  after CLONE_VM child exit: %#x\n", *word);
	/* CLONE_CHILD_CLEARTID does the same from clone itself. */
	*word = 0x777;
	c = (pid_t)syscall(SYS_clone, CLONE_VM | CLONE_VFORK | CLONE_CHILD_CLEARTID | SIGCHLD,
			   stack + sz, NULL, word, 0);
	if (c == 0)
		syscall(SYS_exit, 0);
	waitpid(c, NULL, 0);
	SAY("  after CLEARTID child exit: %#x\n", *word);
	/* CLONE_CHILD_SETTID writes the child's tid there. */
	*word = 0;
	c = (pid_t)syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, NULL, NULL, word, 0);
	if (c == 0)
		syscall(SYS_exit, *word == (uint32_t)syscall(SYS_gettid) ? 7 : 8);
	int st;
	waitpid(c, &st, 0);
	SAY("  child saw its tid: %d\n", WEXITSTATUS(st) == 7);
	/* CLONE_PARENT_SETTID writes it in the parent. */
	uint32_t ptid = 0;
	c = (pid_t)syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, NULL, &ptid, NULL, 0);
	if (c == 0)
		syscall(SYS_exit, 0);
	SAY("  parent got the tid: %d\n", ptid == (uint32_t)c);
	waitpid(c, NULL, 0);
	return 0;
}
