/* File mappings: MAP_PRIVATE and MAP_SHARED seen by read(2), by write(2)
 * and by a forked child; offsets; past EOF (SIGBUS); access mode checks;
 * msync; a mapping that outlives close and unlink. */
#include "t.h"
#include <setjmp.h>
#include <sys/mman.h>

static sigjmp_buf jb;
static int sig, code;

static void on_sig(int s, siginfo_t *si, void *uc)
{
	(void)uc;
	sig = s;
	code = si->si_code;
	siglongjmp(jb, 1);
}

static int probe(volatile char *p)
{
	sig = 0;
	if (sigsetjmp(jb, 1))
		return sig;
	(void)*p;
	return 0;
}

int main(void)
{
	const char *d = scratch("mmap_file");
	if (chdir(d))
		return 1;
	struct sigaction sa = {.sa_sigaction = on_sig, .sa_flags = SA_SIGINFO};
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	size_t pg = 4096;
	int fd = T(open("f", O_CREAT | O_RDWR | O_TRUNC, 0644));
	char buf[64];
	for (int i = 0; i < 3; i++) {
		memset(buf, 'a' + i, sizeof buf);
		for (size_t off = 0; off < pg; off += sizeof buf)
			if (pwrite(fd, buf, sizeof buf, (off_t)(i * pg + off)) != sizeof buf)
				return 2;
	}
	/* MAP_SHARED: stores reach the file, file writes reach the mapping. */
	char *s = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	SAY("  shared %d: %c %c %c\n", s != MAP_FAILED, s[0], s[pg], s[2 * pg]);
	memcpy(s + 10, "HELLO", 5);
	T(pread(fd, buf, 5, 10));
	SAY("  read sees %.5s\n", buf);
	T(pwrite(fd, "world", 5, pg + 1));
	SAY("  map sees %.5s\n", s + pg + 1);
	/* MAP_PRIVATE: a snapshot that stores do not leak from. */
	char *p = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	SAY("  private sees %.5s\n", p + 10);
	memcpy(p + 20, "PRIV", 4);
	T(pread(fd, buf, 4, 20));
	SAY("  file has %.4s\n", buf);
	SAY("  shared map has %.4s\n", s + 20);
	/* An offset into the file. */
	char *o = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, (off_t)(2 * pg));
	SAY("  offset map %c\n", o[0]);
	T(mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 100));
	/* A forked child sees the shared data and writes through it. */
	pid_t c = fork();
	if (c == 0) {
		SAY("  child sees %.5s %.4s\n", s + 10, p + 20);
		memcpy(s + 30, "CHILD", 5);
		memcpy(p + 30, "XXXXX", 5);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	SAY("  parent sees %.5s, private %.5s\n", s + 30, p + 30);
	T(pread(fd, buf, 5, 30));
	SAY("  file has %.5s\n", buf);
	T(msync(s, 3 * pg, MS_SYNC));
	T(msync(s, 3 * pg, MS_ASYNC | MS_SYNC));
	T(msync(s + 1, pg, MS_SYNC));
	/* Past EOF: the page holding EOF reads zeros after it, the next page
	 * is SIGBUS. */
	T(ftruncate(fd, pg + 100));
	SAY("  tail zero %d\n", s[pg + 100] == 0 && s[2 * pg - 1] == 0);
	int sg0 = probe(s + 2 * pg);
	SAY("  beyond eof sig %d code %d\n", sg0, code);
	T(ftruncate(fd, 3 * pg));
	sg0 = probe(s + 2 * pg);
	SAY("  after growing again sig %d\n", sg0);
	/* The mapping outlives close and unlink. */
	T(close(fd));
	T(unlink("f"));
	SAY("  still %.5s\n", s + 10);
	T(munmap(s, 3 * pg));
	T(munmap(p, 3 * pg));
	/* Access modes: a read-only fd cannot be mapped shared-writable; a
	 * write-only fd cannot be mapped at all; private writable is fine. */
	fd = T(open("g", O_CREAT | O_RDWR, 0644));
	T(ftruncate(fd, pg));
	T(close(fd));
	int ro = T(open("g", O_RDONLY));
	T(mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
	char *m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
	SAY("  private writable on ro fd %d\n", m != MAP_FAILED);
	m = mmap(NULL, pg, PROT_READ, MAP_SHARED, ro, 0);
	T(mprotect(m, pg, PROT_READ | PROT_WRITE));
	int wo = T(open("g", O_WRONLY));
	T(mmap(NULL, pg, PROT_READ, MAP_SHARED, wo, 0));
	int ap = T(open("g", O_RDWR | O_APPEND));
	OK(mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, ap, 0)); /* O_APPEND is fine */
	/* Files that cannot be mapped. */
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, dfd, 0));
	int pp[2];
	T(pipe(pp));
	T(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, pp[0], 0));
	int pf = T(open("g", O_PATH));
	T(mmap(NULL, pg, PROT_READ, MAP_PRIVATE, pf, 0));
	/* MAP_SHARED_VALIDATE rejects unknown flags. */
	T(mmap(NULL, pg, PROT_READ, MAP_SHARED_VALIDATE | 0x200000, ro, 0));
	m = mmap(NULL, pg, PROT_READ, MAP_SHARED_VALIDATE, ro, 0);
	SAY("  validate ok %d\n", m != MAP_FAILED);
	/* A zero-length file maps, then SIGBUS on touch. */
	int z = T(open("empty", O_CREAT | O_RDWR, 0644));
	m = mmap(NULL, pg, PROT_READ, MAP_SHARED, z, 0);
	int sg = probe(m);
	SAY("  empty file map %d, touch sig %d\n", m != MAP_FAILED, sg);
	/* /dev/zero MAP_PRIVATE is anonymous memory. */
	int zero = T(open("/dev/zero", O_RDWR));
	m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
	SAY("  /dev/zero map %d zero %d\n", m != MAP_FAILED, m != MAP_FAILED && m[5] == 0);
	/* MAP_SHARED /dev/zero is memory shared with a fork child. */
	m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
	pid_t zc = fork();
	if (zc == 0) {
		m[1] = 'z';
		_exit(0);
	}
	waitpid(zc, NULL, 0);
	SAY("  shared /dev/zero %c\n", m[1]);
	return 0;
}
