/* getdents64: every entry once (names sorted before printing), d_type,
 * small buffers, seeking back, errors. */
#include "t.h"
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>

struct d64 {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the whole directory with a buffer of bufsz bytes; prints it sorted. */
static void list(int fd, size_t bufsz)
{
	char buf[4096];
	char *names[256];
	int n = 0, calls = 0;
	for (;;) {
		long r = syscall(SYS_getdents64, fd, buf, bufsz);
		if (r < 0) {
			SAY("  getdents64 -> %s\n", strerrorname_np(errno));
			return;
		}
		if (r == 0)
			break;
		calls++;
		for (long off = 0; off < r;) {
			struct d64 *e = (struct d64 *)(buf + off);
			if (n < 256) {
				names[n] = malloc(300);
				snprintf(names[n], 300, "%s type %d", e->name, e->type);
				n++;
			}
			if (e->reclen % 8 ||
			    e->reclen < offsetof(struct d64, name) + strlen(e->name) + 1)
				SAY("  bad reclen %d\n", e->reclen);
			off += e->reclen;
		}
	}
	qsort(names, n, sizeof *names, cmp);
	SAY("  %d entries%s\n", n, bufsz < 100 ? "" : "");
	for (int i = 0; i < n; i++) {
		SAY("   %s\n", names[i]);
		free(names[i]);
	}
	SAY("  more than one call: %d\n", calls > 1);
}

int main(void)
{
	const char *d = scratch("getdents");
	if (chdir(d))
		return 1;
	T(mkdir("dir", 0755));
	T(mkdir("dir/sub", 0755));
	T(close(open("dir/file", O_CREAT | O_WRONLY, 0644)));
	T(symlink("file", "dir/link"));
	T(mkfifo("dir/fifo", 0644));
	for (int i = 0; i < 40; i++) {
		char n[64];
		snprintf(n, sizeof n, "dir/a_fairly_long_file_name_number_%02d", i);
		T(close(open(n, O_CREAT | O_WRONLY, 0644)));
	}
	int fd = T(open("dir", O_RDONLY | O_DIRECTORY));
	list(fd, sizeof(char[4096]));
	/* Again after rewinding, with a buffer for a couple of entries. */
	T(lseek(fd, 0, SEEK_SET));
	list(fd, 128);
	/* The end stays the end. */
	char buf[4096];
	T(syscall(SYS_getdents64, fd, buf, sizeof buf));
	T(lseek(fd, 0, SEEK_SET));
	/* Too small for one entry. */
	T(syscall(SYS_getdents64, fd, buf, 8));
	T(syscall(SYS_getdents64, fd, BADPTR, sizeof buf));
	T(close(fd));
	/* Removing entries, then listing again. */
	T(unlink("dir/fifo"));
	T(rmdir("dir/sub"));
	fd = T(open("dir", O_RDONLY | O_DIRECTORY));
	long r = T(syscall(SYS_getdents64, fd, buf, sizeof buf));
	int n = 0;
	for (long off = 0; off < r; off += ((struct d64 *)(buf + off))->reclen)
		n++;
	SAY("  entries after removal (first call) %d\n", n);
	T(close(fd));
	/* Errors: a regular file, a bad fd, an O_PATH fd. */
	fd = T(open("dir/file", O_RDONLY));
	T(syscall(SYS_getdents64, fd, buf, sizeof buf));
	T(close(fd));
	T(syscall(SYS_getdents64, -1, buf, sizeof buf));
	fd = T(open("dir", O_PATH));
	T(syscall(SYS_getdents64, fd, buf, sizeof buf));
	T(close(fd));
	/* An empty directory has . and .. only; a removed one has nothing. */
	T(mkdir("empty", 0755));
	fd = T(open("empty", O_RDONLY | O_DIRECTORY));
	list(fd, 4096);
	T(rmdir("empty"));
	T(lseek(fd, 0, SEEK_SET));
	T(syscall(SYS_getdents64, fd, buf, sizeof buf));
	T(close(fd));
	/* readdir(3) on /dev sees null. */
	DIR *dp = opendir("/dev");
	struct dirent *e;
	int null = 0;
	while (dp && (e = readdir(dp)))
		if (!strcmp(e->d_name, "null"))
			null = e->d_type;
	SAY("  /dev/null d_type %d\n", null);
	if (dp)
		closedir(dp);
	return 0;
}
