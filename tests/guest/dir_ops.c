/* mkdir, mkdirat, rmdir, unlink, unlinkat and their errors. */
#include "t.h"

int main(void)
{
	const char *d = scratch("dir_ops");
	if (chdir(d))
		return 1;
	umask(022);
	struct stat st;
	T(mkdir("a", 0777));
	T(stat("a", &st));
	SAY("  mode %o nlink %ld\n", st.st_mode, (long)st.st_nlink);
	T(mkdir("a", 0755));
	T(mkdir("a/b/c", 0755));
	T(mkdir("a/b", 01777));
	T(stat("a/b", &st));
	SAY("  sticky mode %o\n", st.st_mode);
	T(stat("a", &st));
	SAY("  parent nlink %ld\n", (long)st.st_nlink);
	T(mkdir("a/b/", 0755));
	T(mkdir("a/c/", 0755));
	T(mkdir("", 0755));
	T(mkdir(".", 0755));
	T(mkdir("..", 0755));
	T(mkdir(BADPTR, 0755));
	T(close(open("f", O_CREAT | O_WRONLY, 0644)));
	T(mkdir("f", 0755));
	T(mkdir("f/x", 0755));
	T(symlink("a", "la"));
	T(symlink("nowhere", "dangle"));
	T(mkdir("la", 0755));
	T(mkdir("dangle", 0755)); /* never follows the final symlink */
	int dfd = T(open("a", O_RDONLY | O_DIRECTORY));
	T(mkdirat(dfd, "d", 0700));
	T(fstatat(dfd, "d", &st, 0));
	SAY("  mkdirat mode %o\n", st.st_mode);
	T(mkdirat(-1, "x", 0700));
	T(mkdirat(-1, "/", 0700));

	/* rmdir. */
	T(rmdir("a"));
	T(rmdir("f"));
	T(rmdir("missing"));
	T(rmdir("."));
	T(rmdir("a/b/.."));
	T(rmdir("a/d/."));
	T(rmdir("la"));
	T(rmdir("la/d"));
	T(rmdir("a/c/"));
	T(stat("a", &st));
	SAY("  nlink before %ld\n", (long)st.st_nlink);
	T(rmdir("a/b/"));
	T(stat("a", &st));
	SAY("  nlink after %ld\n", (long)st.st_nlink);
	T(rmdir("/"));
	T(rmdir(""));

	/* unlink. */
	T(unlink("a"));
	T(unlink("la"));
	T(lstat("la", &st));
	T(stat("a", &st));
	T(unlink("f/"));
	T(unlink("f/x"));
	T(unlink("f"));
	T(unlink("f"));
	T(unlink("dangle"));
	T(unlink(""));
	T(unlink(BADPTR));

	/* unlinkat: AT_REMOVEDIR, bad flags. */
	T(mkdirat(dfd, "d", 0700));
	T(unlinkat(dfd, "d", 0));
	T(unlinkat(dfd, "d", AT_REMOVEDIR));
	T(unlinkat(dfd, "d", AT_REMOVEDIR));
	T(close(open("a/g", O_CREAT | O_WRONLY, 0644)));
	T(unlinkat(dfd, "g", AT_REMOVEDIR));
	T(unlinkat(dfd, "g", 0x1));
	T(unlinkat(dfd, "g", 0));
	T(unlinkat(99, "g", 0));

	/* An open file survives its unlink; a removed cwd is "deleted". */
	int fd = T(open("h", O_CREAT | O_RDWR, 0644));
	T(write(fd, "data", 4));
	T(unlink("h"));
	T(fstat(fd, &st));
	SAY("  unlinked nlink %ld size %lld\n", (long)st.st_nlink, (long long)st.st_size);
	char buf[8] = {0};
	T(pread(fd, buf, 4, 0));
	SAY("  %s\n", buf);
	T(close(fd));
	T(mkdir("gone", 0755));
	T(chdir("gone"));
	T(rmdir("../gone"));
	T(open("new", O_CREAT | O_WRONLY, 0644));
	T(mkdir("new", 0755));
	T(stat(".", &st));
	SAY("  removed cwd nlink %ld\n", (long)st.st_nlink);
	T(chdir(".."));
	T(close(dfd));
	return 0;
}
