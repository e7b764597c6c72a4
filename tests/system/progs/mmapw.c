/* mmapw FILE OFFSET TEXT: writes TEXT at OFFSET through a shared mapping
 * (growing the file to hold it), then unmaps without msync: the kernel
 * must notice the write when the mapping goes. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	long off = atol(argv[2]);
	size_t len = strlen(argv[3]);
	int fd = open(argv[1], O_RDWR | O_CREAT, 0644);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return perror(argv[1]), 1;
	if (st.st_size < off + (long)len && ftruncate(fd, off + (long)len) < 0)
		return perror("ftruncate"), 1;
	long page = off & ~4095L;
	char *p =
	    mmap(NULL, (size_t)(off - page) + len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, page);
	if (p == MAP_FAILED)
		return perror("mmap"), 1;
	memcpy(p + (off - page), argv[3], len);
	munmap(p, (size_t)(off - page) + len);
	return close(fd) ? 1 : 0;
}
