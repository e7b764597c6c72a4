/* fsyncer DIR: writes files in DIR forever, fsyncing every other one and
 * saying so on stdout once fsync has returned; the others are only written.
 * File N holds N's line repeated to N * 100 bytes. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2 || chdir(argv[1]))
		return 2;
	setvbuf(stdout, NULL, _IONBF, 0);
	char name[32], line[64], buf[65536];
	for (int n = 1;; n++) {
		snprintf(name, sizeof name, "f%d", n);
		int k = snprintf(line, sizeof line, "file %d\n", n);
		size_t size = (size_t)(n % 600) * 100 + 1;
		for (size_t i = 0; i < size; i++)
			buf[i] = line[i % (size_t)k];
		int fd = open(name, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		if (fd < 0 || write(fd, buf, size) != (ssize_t)size)
			return perror(name), 1;
		if (n % 2 == 0 && fsync(fd))
			return perror("fsync"), 1;
		close(fd);
		if (n % 2 == 0)
			printf("synced %s %zu\n", name, size);
	}
}
