/* One copy of a file's bytes: read, write, MAP_SHARED and MAP_PRIVATE
 * mappings, truncation under a mapping (SIGBUS), msync and the sync calls,
 * fallocate and holes (SEEK_DATA/SEEK_HOLE). */
#include "t.h"
#include <setjmp.h>
#include <sys/mman.h>

static sigjmp_buf jb;

static void on_bus(int sig)
{
	siglongjmp(jb, sig);
}

static int touch_byte(volatile char *p)
{
	if (sigsetjmp(jb, 1))
		return -1;
	return *p;
}

int main(void)
{
	const char *d = scratch("page_cache");
	if (chdir(d))
		return 1;
	signal(SIGBUS, on_bus);
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	char page[4096];
	for (int i = 0; i < 3; i++) {
		memset(page, 'a' + i, sizeof page);
		T(write(fd, page, sizeof page));
	}
	char *sh = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *pv = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	SAY("  mapped %d %d\n", sh != MAP_FAILED, pv != MAP_FAILED);
	memcpy(sh + 10, "SHARED", 6);
	char buf[16] = {0};
	T(pread(fd, buf, 6, 10));
	SAY("  read sees %s\n", buf);
	T(pwrite(fd, "WRITTEN", 7, 4096 + 5));
	SAY("  shared map sees %.7s, private %.7s\n", sh + 4096 + 5, pv + 4096 + 5);
	pv[8192] = 'P';
	T(pread(fd, buf, 1, 8192));
	SAY("  private write stays private: %c %c\n", buf[0], sh[8192]);
	T(msync(sh, 3 * 4096, MS_SYNC));
	T(msync(sh, 4096, MS_ASYNC | MS_INVALIDATE));
	T(msync(sh, 4096, MS_SYNC | MS_ASYNC));
	T(msync(sh + 1, 4096, MS_SYNC));
	T(fsync(fd));
	T(fdatasync(fd));
	T(syncfs(fd));
	T(sync_file_range(fd, 0, 4096, SYNC_FILE_RANGE_WRITE));

	/* Truncation: past the new end a mapping faults; growing brings the
	 * pages back as zeros. */
	T(ftruncate(fd, 4096 + 100));
	SAY("  inside %d, past the end %d\n", touch_byte(sh + 4096 + 50), touch_byte(sh + 8192));
	SAY("  tail of the last page %d\n", touch_byte(sh + 4096 + 200));
	T(ftruncate(fd, 3 * 4096));
	SAY("  after growing %d %d\n", touch_byte(sh + 4096 + 200), touch_byte(sh + 8192 + 7));
	T(munmap(sh, 3 * 4096));
	T(munmap(pv, 3 * 4096));
	T(close(fd));
	fd = T(open("f", O_RDONLY));
	memset(buf, 0, sizeof buf);
	T(pread(fd, buf, 6, 10));
	SAY("  after unmapping: %s\n", buf);
	T(close(fd));

	/* Holes and fallocate. */
	fd = T(open("sparse", O_CREAT | O_RDWR, 0644));
	T(pwrite(fd, page, 4096, 0));
	T(pwrite(fd, page, 4096, 4096));
	T(pwrite(fd, page, 4096, 1 << 20));
	T(lseek(fd, 0, SEEK_HOLE));
	T(lseek(fd, 8192, SEEK_DATA));
	T(lseek(fd, (1 << 20) + 4096, SEEK_DATA));
	T(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 4096));
	T(lseek(fd, 0, SEEK_HOLE));
	T(pread(fd, buf, 4, 4096 + 10));
	SAY("  punched reads %d %d\n", buf[0], buf[3]);
	T(fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 4096));
	T(fallocate(fd, 0, 2 << 20, 8192));
	struct stat st;
	T(fstat(fd, &st));
	SAY("  size %ld\n", (long)st.st_size);
	T(fallocate(fd, FALLOC_FL_KEEP_SIZE, 4 << 20, 4096));
	T(fstat(fd, &st));
	SAY("  size %ld\n", (long)st.st_size);
	T(pread(fd, buf, 4, (2 << 20) + 10));
	SAY("  allocated reads %d\n", buf[0]);
	T(close(fd));
	fd = T(open("sync", O_CREAT | O_WRONLY | O_DSYNC, 0644));
	T(write(fd, "d", 1));
	T(close(fd));
	return 0;
}
