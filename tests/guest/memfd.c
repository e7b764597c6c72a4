/* memfd_create: names, modes, I/O, shared mappings across fork, and seals. */
#include "t.h"
#include <stdint.h>
#include <sys/mman.h>

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 8U
#define MFD_EXEC	0x10U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x20
#endif

static void show(int fd)
{
	char path[64], link[300];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	struct stat st;
	fstat(fd, &st);
	SAY("%s mode %o size %lld flags %#x seals %#x\n", link, st.st_mode, (long long)st.st_size,
	    fcntl(fd, F_GETFL), fcntl(fd, F_GET_SEALS));
}

static int in_maps(const char *what)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;
	while (f && fgets(line, sizeof line, f))
		found |= strstr(line, what) != NULL;
	if (f)
		fclose(f);
	return found;
}

int main(void)
{
	char name[300];
	T(memfd_create("x", 0x1000));
	T(memfd_create("x", MFD_EXEC | MFD_NOEXEC_SEAL));
	T(memfd_create(BADPTR, 0));
	memset(name, 'a', sizeof name);
	name[250] = 0;
	T(memfd_create(name, 0));
	name[249] = 0;
	int fd = OK(memfd_create(name, 0));
	T(close(fd));

	fd = OK(memfd_create("plain", MFD_CLOEXEC | MFD_EXEC));
	T(fcntl(fd, F_GETFD));
	show(fd);
	T(write(fd, "hello", 5));
	T(lseek(fd, 0, SEEK_SET));
	char buf[16] = {0};
	T(read(fd, buf, sizeof buf));
	SAY("read %s\n", buf);
	T(ftruncate(fd, 8192));
	show(fd);
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));

	/* A shared mapping is shared with a child. */
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	SAY("mapped %d in maps %d\n", m != MAP_FAILED, in_maps("/memfd:plain (deleted)"));
	pid_t c = fork();
	if (c == 0) {
		strcpy(m + 4096, "from child");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	T(pread(fd, buf, 10, 4096));
	SAY("read %.10s\n", buf);
	T(munmap(m, 8192));
	T(close(fd));

	/* Sealing. */
	fd = OK(memfd_create("sealed", MFD_ALLOW_SEALING | MFD_EXEC));
	show(fd);
	T(fcntl(fd, F_ADD_SEALS, 0x100));
	T(ftruncate(fd, 4096));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	T(ftruncate(fd, 100));
	T(ftruncate(fd, 8192));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	T(ftruncate(fd, 16384));
	T(pwrite(fd, "x", 1, 8192));
	T(pwrite(fd, "y", 1, 8191));
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	T(munmap(m, 8192));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	show(fd);
	T(pwrite(fd, "z", 1, 0));
	T(pread(fd, buf, 1, 8191));
	SAY("kept %c\n", buf[0]);
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	SAY("shared writable map failed %d errno %s\n", m == MAP_FAILED, strerrorname_np(errno));
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	SAY("private map ok %d\n", m != MAP_FAILED);
	m[0] = 'p';
	T(munmap(m, 8192));
	m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	SAY("read-only shared map ok %d char %c\n", m != MAP_FAILED, m[8191]);
	T(mprotect(m, 8192, PROT_READ | PROT_WRITE));
	T(munmap(m, 8192));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	T(fcntl(fd, F_GET_SEALS));
	/* Seals need a writable file. */
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	int ro = T(open(path, O_RDONLY));
	T(fcntl(ro, F_ADD_SEALS, F_SEAL_SEAL));
	T(fcntl(ro, F_GET_SEALS));
	T(close(ro));
	T(close(fd));

	/* MFD_NOEXEC_SEAL: no exec bits, and they cannot come back. */
	fd = OK(memfd_create("noexec", MFD_NOEXEC_SEAL));
	show(fd);
	T(fchmod(fd, 0755));
	T(fchmod(fd, 0600));
	T(close(fd));
	/* F_SEAL_EXEC on an executable memfd implies the write seals. */
	fd = OK(memfd_create("exec", MFD_EXEC | MFD_ALLOW_SEALING));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC));
	T(fcntl(fd, F_GET_SEALS));
	T(write(fd, "w", 1));
	T(close(fd));

	/* Other files have no seals. */
	const char *d = scratch("memfd");
	snprintf(name, sizeof name, "%s/f", d);
	fd = OK(open(name, O_CREAT | O_RDWR, 0600));
	T(fcntl(fd, F_GET_SEALS));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	T(close(fd));
	fd = OK(open(name, O_RDONLY));
	T(fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL));
	return 0;
}
