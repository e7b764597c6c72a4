/* readlink, readlinkat: contents, truncation, errors. */
#include "t.h"

int main(void)
{
	const char *d = scratch("readlink");
	if (chdir(d))
		return 1;
	char buf[256];
	T(symlink("some/target/path", "l"));
	T(symlink("/", "root"));
	T(close(open("f", O_CREAT | O_WRONLY, 0644)));
	long n = T(readlink("l", buf, sizeof buf));
	SAY("  %.*s\n", (int)n, buf);
	/* Truncates silently, no NUL added. */
	memset(buf, 'X', sizeof buf);
	n = T(readlink("l", buf, 4));
	SAY("  %.6s\n", buf);
	T(readlink("l", buf, 0));
	T(syscall(SYS_readlink, "l", buf, -1));
	T(readlink("f", buf, sizeof buf));
	T(readlink(".", buf, sizeof buf));
	T(readlink("missing", buf, sizeof buf));
	T(readlink("l", BADPTR, sizeof buf));
	T(readlink(BADPTR, buf, sizeof buf));
	n = T(readlink("root", buf, sizeof buf));
	SAY("  %.*s\n", (int)n, buf);
	/* A symlink in the middle of the path is followed, the last is read. */
	T(mkdir("dir", 0755));
	T(symlink("dir", "dl"));
	T(symlink("../f", "dir/up"));
	n = T(readlink("dl/up", buf, sizeof buf));
	SAY("  %.*s\n", (int)n, buf);
	T(readlink("dl/", buf, sizeof buf));
	int dfd = T(open("dir", O_RDONLY | O_DIRECTORY));
	n = T(readlinkat(dfd, "up", buf, sizeof buf));
	SAY("  %.*s\n", (int)n, buf);
	T(readlinkat(dfd, "nope", buf, sizeof buf));
	T(readlinkat(-7, "up", buf, sizeof buf));
	/* An O_PATH|O_NOFOLLOW fd of a symlink with an empty path. */
	int lfd = T(open("l", O_PATH | O_NOFOLLOW));
	n = T(readlinkat(lfd, "", buf, sizeof buf));
	SAY("  %.*s\n", (int)n, buf);
	T(readlinkat(dfd, "", buf, sizeof buf));
	T(close(lfd));
	T(close(dfd));
	/* A long target, up to PATH_MAX-1. */
	static char longt[4096];
	memset(longt, 'z', 4095);
	T(symlink(longt, "long"));
	static char big[8192];
	T(readlink("long", big, sizeof big));
	longt[4094] = 0;
	T(symlink(longt, "long2"));
	T(readlink("long2", big, sizeof big));
	T(symlink("", "empty"));
	return 0;
}
