/* process_vm_readv/writev: a child's memory read and written, page by page
 * up to the first unreachable one, and the errors Linux gives. */
#include "t.h"
#include <sys/mman.h>
#include <sys/uio.h>

static char shared_text[64] = "the parent's words";

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *area =
	    mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(area, 'a', 2 * page);
	mprotect(area + 2 * page, page, PROT_NONE); /* unreachable after two pages */
	char *ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int go[2], done[2];
	if (pipe(go) || pipe(done))
		return 1;
	pid_t child = fork();
	if (child == 0) {
		strcpy(shared_text, "the child's own words");
		memset(area, 'c', 2 * page);
		char c;
		write(done[1], "r", 1);
		read(go[0], &c, 1); /* the parent writes meanwhile */
		SAY("child sees: %s\n", shared_text);
		_exit(0);
	}
	char c, buf[64] = {0}, big[3 * 4096];
	read(done[0], &c, 1);

	struct iovec local = {buf, sizeof buf - 1}, remote = {shared_text, sizeof shared_text - 1};
	T(process_vm_readv(child, &local, 1, &remote, 1, 0));
	SAY("read: %s\n", buf);
	/* A page, then one it cannot reach: what could be read. */
	struct iovec lbig = {big, sizeof big}, rbig = {area + page, 2 * page};
	T(process_vm_readv(child, &lbig, 1, &rbig, 1, 0));
	SAY("big[0] %c\n", big[0]);
	/* Several segments on both sides. */
	char x[5] = {0}, y[7] = {0};
	struct iovec l2[2] = {{x, 4}, {y, 6}},
		     r2[3] = {{shared_text + 4, 6}, {NULL, 0}, {shared_text + 12, 4}};
	T(process_vm_readv(child, l2, 2, r2, 3, 0));
	SAY("segments: [%s] [%s]\n", x, y);

	const char *words = "written by the parent";
	struct iovec lw = {(void *)words, strlen(words) + 1}, rw = {shared_text, strlen(words) + 1};
	T(process_vm_writev(child, &lw, 1, &rw, 1, 0));
	struct iovec rro = {ro, 8};
	T(process_vm_writev(child, &lw, 1, &rro, 1, 0));

	/* Errors. */
	struct iovec rbad = {NULL, 8}, lbad = {BADPTR, 8};
	T(process_vm_readv(child, &local, 1, &rbad, 1, 0));
	T(process_vm_readv(child, &lbad, 1, &remote, 1, 0));
	T(process_vm_readv(child, &local, 1, &remote, 1, 1));
	T(process_vm_readv(child, &local, 1025, &remote, 1, 0));
	T(process_vm_readv(child, &local, 1, BADPTR, 1, 0));
	T(process_vm_readv(child, &local, 0, &remote, 1, 0));
	T(process_vm_readv(child, &local, 1, &remote, 0, 0));
	struct iovec neg = {buf, (size_t)-1};
	T(process_vm_readv(child, &neg, 1, &remote, 1, 0));

	write(go[1], "g", 1);
	waitpid(child, NULL, 0);
	T(process_vm_readv(child, &local, 1, &remote, 1, 0)); /* reaped: no such process */

	/* An unprivileged reader may not read root's memory. */
	pid_t reader = fork();
	if (reader == 0) {
		pid_t parent = getppid();
		if (setuid(65534))
			SAY("setuid failed\n");
		T(process_vm_readv(parent, &local, 1, &remote, 1, 0));
		T(process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
		_exit(0);
	}
	waitpid(reader, NULL, 0);
	return 0;
}
