/* O_TMPFILE: unnamed files, named later by linkat unless O_EXCL.
 * guest-filesystems: ext4 tmpfs (hostfs has no O_TMPFILE) */
#include "t.h"
#include <dirent.h>

static void show(const char *name)
{
	struct stat st;
	if (stat(name, &st)) {
		SAY("  %s: %s\n", name, strerrorname_np(errno));
		return;
	}
	SAY("  %s: mode %o nlink %ld size %ld\n", name, st.st_mode, (long)st.st_nlink,
	    (long)st.st_size);
}

static int entries(void)
{
	DIR *d = opendir(".");
	int n = 0;
	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	const char *d = scratch("tmpfile");
	if (chdir(d))
		return 1;
	umask(022);
	int fd = T(open(".", O_TMPFILE | O_RDWR, 0666));
	T(write(fd, "data", 4));
	struct stat st;
	T(fstat(fd, &st));
	SAY("  mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
	SAY("  entries %d\n", entries());
	T(linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH));
	show("named");
	T(linkat(fd, "", AT_FDCWD, "named2", AT_EMPTY_PATH));
	show("named");
	SAY("  entries %d\n", entries());
	T(close(fd));

	fd = T(open(".", O_TMPFILE | O_WRONLY | O_EXCL, 0600));
	T(linkat(fd, "", AT_FDCWD, "never", AT_EMPTY_PATH));
	T(close(fd));
	fd = T(open(".", O_TMPFILE | O_WRONLY, 0640));
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	T(linkat(AT_FDCWD, proc, AT_FDCWD, "via-proc", AT_SYMLINK_FOLLOW));
	show("via-proc");
	T(close(fd));

	/* An ordinary file, unlinked, cannot come back. */
	fd = T(open("gone", O_CREAT | O_RDWR, 0644));
	T(unlink("gone"));
	T(linkat(fd, "", AT_FDCWD, "back", AT_EMPTY_PATH));
	T(close(fd));

	T(open(".", O_TMPFILE | O_RDONLY, 0600));
	T(open("named", O_TMPFILE | O_RDWR, 0600));
	T(open("nonexistent", O_TMPFILE | O_RDWR, 0600));
	T(open(".", __O_TMPFILE | O_RDWR, 0600));
	show("never");
	show("back");
	return 0;
}
