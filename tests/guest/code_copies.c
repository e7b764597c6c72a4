/* A program's code as processes see it: a process that writes its own code
 * changes it for itself alone (its parent and a new run of the program see
 * the original), a program file changed on disk (by write or through a
 * shared mapping) runs as changed, each time, and code with system calls in it still works once
 * moved by mremap. (The seccomp platform maps code from copies of files, shared by all processes
 * and patched there.) */
#include "t.h"
#include <sys/mman.h>

__asm__(".text\n"
	".p2align 4\n"
	"site_getpid:\n" /* a site the seccomp platform patches */
	"	mov $39, %eax\n"
	"	syscall\n"
	"	ret\n");
int site_getpid(void);
extern char __executable_start[];

__attribute__((noinline)) int answer(void)
{
	return 42;
}

static int (*volatile call_answer)(void) = answer;

/* "mov $was, %eax; ret" in answer's code, or in a buffer holding a file:
 * where was is. (Built here, so that no data holds the bytes.) */
static unsigned char *find_answer(unsigned char *p, size_t len, unsigned char was)
{
	const unsigned char code[] = {0xb8, was, 0, 0, 0, 0xc3};
	for (size_t i = 0; i + sizeof code <= len; i++)
		if (!memcmp(p + i, code, sizeof code))
			return p + i + 1;
	return NULL;
}

static void write_own_code(void)
{
	unsigned char *imm = find_answer((unsigned char *)answer, 64, 42);
	unsigned char *page = (unsigned char *)((unsigned long)imm & ~4095UL);
	if (!imm || mprotect(page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC))
		_exit(2);
	*imm = 7;
	printf("child after writing its code: %d\n", call_answer());
	fflush(stdout);
	_exit(0);
}

/* Runs the program file at path, which prints what its answer() says. */
static void run(const char *path)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl(path, path, "answer", (char *)NULL);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		printf("%s: status %#x\n", path, status);
}

/* Changes the answer in the program file at path. */
static void change_file(const char *path, unsigned char to)
{
	static unsigned char buf[4 << 20];
	int fd = open(path, O_RDWR);
	ssize_t n = read(fd, buf, sizeof buf);
	unsigned char *imm = n > 0 ? find_answer(buf, (size_t)n, to - 1) : NULL;
	if (!imm)
		exit(3);
	if (pwrite(fd, &to, 1, imm - buf) != 1)
		exit(4);
	close(fd);
	printf("file changed to answer %d\n", to);
}

/* Changes the answer through a shared writable mapping of the file, which
 * need not give it new times. */
static void change_file_mapped(const char *path, unsigned char to)
{
	int fd = open(path, O_RDWR);
	size_t len = (size_t)lseek(fd, 0, SEEK_END);
	unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	unsigned char *imm = m != MAP_FAILED ? find_answer(m, len, to - 1) : NULL;
	if (!imm)
		exit(7);
	*imm = to;
	munmap(m, len);
	close(fd);
	printf("file changed through a mapping to answer %d\n", to);
}

/* Maps the program file at path as code, runs its site_getpid there and
 * after moving the mapping: how many calls said the right pid. */
static void moved_code(const char *path)
{
	int fd = open(path, O_RDONLY), right = 0;
	size_t len = (size_t)lseek(fd, 0, SEEK_END);
	char *at = mmap(NULL, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	char *to = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t off = (size_t)((char *)site_getpid - __executable_start);
	if (at == MAP_FAILED || to == MAP_FAILED || memcmp(at + off, (char *)site_getpid, 8))
		exit(6); /* the code is not at its address's offset in the file */
	for (int i = 0; i < 5; i++)
		right += ((int (*)(void))(at + off))() == getpid();
	at = mremap(at, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	for (int i = 0; i < 5; i++)
		right += at != MAP_FAILED && ((int (*)(void))(at + off))() == getpid();
	printf("moved code: %d of 10 calls right\n", right);
	close(fd);
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		printf("run: %d\n", call_answer());
		return 0;
	}
	printf("answer: %d\n", call_answer());
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		write_own_code();
	waitpid(pid, NULL, 0);
	printf("parent after the child wrote: %d\n", call_answer());
	run("/proc/self/exe");

	char path[4200], cmd[8500];
	snprintf(path, sizeof path, "%s/prog", scratch("code_copies"));
	snprintf(cmd, sizeof cmd, "cp /proc/%d/exe %s", getpid(), path);
	if (system(cmd))
		return 5;
	/* Run each version twice, once at once and once when the file is
	 * old enough to get a copy. */
	for (unsigned char v = 42; v < 45; v++) {
		if (v > 42)
			change_file(path, v);
		run(path);
		usleep(200000);
		run(path);
	}
	change_file_mapped(path, 45);
	run(path);
	usleep(200000);
	run(path);
	moved_code(path);
	return 0;
}
