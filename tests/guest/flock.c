/* flock: shared and exclusive locks between processes and open files. */
#include "t.h"
#include <sys/file.h>

int main(void)
{
	const char *d = scratch("flock");
	if (chdir(d))
		return 1;
	int a = T(open("f", O_CREAT | O_RDWR, 0644));
	int b = T(open("f", O_RDONLY));
	/* Two open files of one process conflict like two processes. */
	T(flock(a, LOCK_EX));
	T(flock(b, LOCK_EX | LOCK_NB));
	T(flock(b, LOCK_SH | LOCK_NB));
	/* Re-locking the same open file converts the lock. */
	T(flock(a, LOCK_SH));
	T(flock(b, LOCK_SH | LOCK_NB));
	T(flock(a, LOCK_EX | LOCK_NB));
	T(flock(b, LOCK_UN));
	T(flock(a, LOCK_EX | LOCK_NB));
	/* A dup shares the lock; closing the dup keeps it. */
	int c = T(dup(a));
	T(close(c));
	T(flock(b, LOCK_SH | LOCK_NB));
	/* A forked child shares the open file, so the same lock. */
	pid_t p = fork();
	if (p == 0) {
		T(flock(a, LOCK_EX | LOCK_NB));
		int e = open("f", O_RDONLY);
		T(flock(e, LOCK_SH | LOCK_NB));
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	/* A child blocks until the parent unlocks. */
	int pp[2];
	T(pipe(pp));
	p = fork();
	if (p == 0) {
		int e = open("f", O_RDONLY);
		if (write(pp[1], "r", 1) != 1)
			_exit(2);
		T(flock(e, LOCK_SH)); /* blocks */
		SAY("  child got it\n");
		_exit(0);
	}
	char ch;
	T(read(pp[0], &ch, 1));
	usleep(100000);
	SAY("  parent unlocks\n");
	int un = flock(a, LOCK_UN); /* printed after the child: its output races ours */
	waitpid(p, &st, 0);
	SAY("  unlock returned %d\n", un);
	/* Closing the last fd of the open file releases. */
	T(flock(a, LOCK_EX));
	T(close(a));
	T(flock(b, LOCK_EX | LOCK_NB));
	/* Errors. */
	T(flock(b, 0));
	T(flock(b, LOCK_SH | LOCK_EX));
	T(flock(b, 99));
	T(flock(-1, LOCK_SH));
	T(flock(-1, 0));
	int pf = T(open("f", O_PATH));
	T(flock(pf, LOCK_SH));
	/* Any file type can be flocked: a directory, a pipe. */
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(flock(dfd, LOCK_EX));
	T(flock(pp[0], LOCK_EX));
	return 0;
}
