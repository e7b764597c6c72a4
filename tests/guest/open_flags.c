/* open/openat flags: O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY,
 * O_NOFOLLOW, O_PATH, O_CLOEXEC, and dirfd-relative lookups. */
#include "t.h"

static void show_size(int fd)
{
	struct stat st;
	if (fstat(fd, &st) == 0)
		SAY("  size %lld\n", (long long)st.st_size);
}

int main(void)
{
	const char *d = scratch("open_flags");
	if (chdir(d))
		return 1;
	char buf[64];

	/* O_CREAT applies the mode (under umask 022), O_EXCL refuses existing. */
	umask(022);
	int fd = T(open("f", O_CREAT | O_WRONLY, 0777));
	struct stat st;
	T(fstat(fd, &st));
	SAY("  mode %o\n", st.st_mode);
	T(write(fd, "0123456789", 10));
	T(close(fd));
	T(open("f", O_CREAT | O_EXCL | O_WRONLY, 0600));
	fd = T(open("f", O_CREAT | O_WRONLY, 0600)); /* existing: mode unchanged */
	T(fstat(fd, &st));
	SAY("  mode %o\n", st.st_mode);
	show_size(fd);
	T(close(fd));

	/* O_TRUNC on a read-write open truncates, on O_RDONLY Linux truncates too. */
	fd = T(open("f", O_RDWR | O_TRUNC));
	show_size(fd);
	T(write(fd, "abc", 3));
	T(close(fd));

	/* O_APPEND: every write goes to the end, whatever the offset. */
	fd = T(open("f", O_RDWR | O_APPEND));
	T(lseek(fd, 0, SEEK_SET));
	T(write(fd, "def", 3));
	T(lseek(fd, 0, SEEK_CUR));
	T(pwrite(fd, "X", 1, 0)); /* Linux: pwrite on O_APPEND appends too */
	T(pread(fd, buf, sizeof buf, 0));
	SAY("  content %.7s\n", buf);
	T(close(fd));

	/* Access modes are enforced on the file description. */
	fd = T(open("f", O_RDONLY));
	T(write(fd, "x", 1));
	T(close(fd));
	fd = T(open("f", O_WRONLY));
	T(read(fd, buf, 1));
	T(close(fd));
	T(open("f", O_RDWR | O_WRONLY)); /* access mode 3 on a regular file */

	/* O_DIRECTORY. */
	T(mkdir("dir", 0755));
	fd = T(open("dir", O_RDONLY | O_DIRECTORY));
	T(close(fd));
	T(open("f", O_RDONLY | O_DIRECTORY));
	T(open("dir", O_RDWR));
	T(open("dir", O_WRONLY | O_CREAT, 0644));
	T(open("newdir", O_RDONLY | O_DIRECTORY | O_CREAT, 0755));
	T(open("dir/", O_RDONLY));
	T(open("f/", O_RDONLY));
	T(open("nofile/", O_RDONLY | O_CREAT, 0644));

	/* O_NOFOLLOW refuses a final symlink, follows earlier ones. */
	T(symlink("f", "lf"));
	T(symlink("dir", "ld"));
	T(open("lf", O_RDONLY | O_NOFOLLOW));
	fd = T(open("ld/../f", O_RDONLY | O_NOFOLLOW));
	T(close(fd));
	fd = T(open("lf", O_RDONLY));
	show_size(fd);
	T(close(fd));
	/* O_CREAT through a dangling symlink creates the target. */
	T(symlink("target", "dangling"));
	fd = T(open("dangling", O_CREAT | O_WRONLY, 0644));
	T(close(fd));
	T(access("target", F_OK));
	T(open("dangling", O_CREAT | O_EXCL | O_WRONLY, 0644));

	/* O_PATH: a location, not an open file. */
	fd = T(open("f", O_PATH));
	T(read(fd, buf, 1));
	T(write(fd, "x", 1));
	T(fstat(fd, &st));
	SAY("  O_PATH fstat size %lld\n", (long long)st.st_size);
	T(fcntl(fd, F_GETFL) & ~O_LARGEFILE);
	T(close(fd));
	fd = T(open("lf", O_PATH | O_NOFOLLOW));
	T(fstat(fd, &st));
	SAY("  O_PATH|O_NOFOLLOW is link %d\n", S_ISLNK(st.st_mode));
	T(close(fd));
	int dfd = T(open("dir", O_PATH | O_DIRECTORY));
	fd = T(openat(dfd, "inner", O_CREAT | O_WRONLY, 0644));
	T(close(fd));
	T(close(dfd));

	/* O_CLOEXEC shows in F_GETFD. */
	fd = T(open("f", O_RDONLY | O_CLOEXEC));
	T(fcntl(fd, F_GETFD));
	T(close(fd));
	fd = T(open("f", O_RDONLY));
	T(fcntl(fd, F_GETFD));
	T(close(fd));

	/* openat: relative to a directory fd, AT_FDCWD, absolute ignores dirfd. */
	dfd = T(open("dir", O_RDONLY | O_DIRECTORY));
	fd = T(openat(dfd, "inner", O_RDONLY));
	T(close(fd));
	fd = T(openat(AT_FDCWD, "dir/inner", O_RDONLY));
	T(close(fd));
	T(openat(dfd, "f", O_RDONLY));
	fd = T(openat(dfd, "../f", O_RDONLY));
	T(close(fd));
	fd = T(openat(-1, "/", O_RDONLY));
	T(close(fd));
	T(openat(-1, "f", O_RDONLY));
	T(openat(9999, "f", O_RDONLY));
	int ffd = T(open("f", O_RDONLY));
	T(openat(ffd, "x", O_RDONLY));
	T(close(ffd));
	T(close(dfd));

	/* Name limits. */
	char longname[300];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	T(open(longname, O_RDONLY | O_CREAT, 0644));
	static char longpath[5000];
	memset(longpath, 'b', sizeof longpath - 1);
	for (size_t i = 100; i < sizeof longpath; i += 100)
		longpath[i] = '/';
	T(open(longpath, O_RDONLY));
	return 0;
}
