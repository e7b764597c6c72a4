/* link, linkat, symlink, symlinkat: counts, following, errors, loops. */
#include "t.h"

static long nlink(const char *p)
{
	struct stat st;
	return lstat(p, &st) ? -1 : (long)st.st_nlink;
}

int main(void)
{
	const char *d = scratch("link_symlink");
	if (chdir(d))
		return 1;
	T(close(open("f", O_CREAT | O_WRONLY, 0644)));
	T(link("f", "g"));
	SAY("  nlink %ld\n", nlink("f"));
	T(link("f", "g"));
	T(link("missing", "h"));
	T(mkdir("dir", 0755));
	T(link("dir", "dir2"));
	T(link("f", "dir/f"));
	SAY("  nlink %ld\n", nlink("g"));
	T(link("f", "nodir/f"));
	T(link("f", "f/x"));
	T(link("f", ""));
	T(unlink("g"));
	SAY("  nlink %ld\n", nlink("f"));

	/* symlink: any text, dangling allowed, existing name refused. */
	T(symlink("f", "s"));
	T(symlink("does/not/exist", "s2"));
	T(symlink("x", "s"));
	T(symlink("x", "f"));
	T(symlink("x", "nodir/s"));
	T(symlink(BADPTR, "s3"));
	T(symlink("x", BADPTR));
	SAY("  symlink nlink %ld\n", nlink("s"));
	/* linkat: does not follow a final symlink unless AT_SYMLINK_FOLLOW. */
	T(linkat(AT_FDCWD, "s", AT_FDCWD, "s_hard", 0));
	struct stat a, b;
	T(lstat("s_hard", &a));
	SAY("  s_hard is symlink %d\n", S_ISLNK(a.st_mode));
	T(linkat(AT_FDCWD, "s", AT_FDCWD, "f_hard", AT_SYMLINK_FOLLOW));
	T(lstat("f_hard", &a));
	T(stat("f", &b));
	SAY("  f_hard is f %d\n", a.st_ino == b.st_ino);
	T(linkat(AT_FDCWD, "s2", AT_FDCWD, "x", AT_SYMLINK_FOLLOW));
	T(linkat(AT_FDCWD, "f", AT_FDCWD, "y", 0x1));
	int fd = T(open("f", O_RDONLY));
	T(linkat(fd, "", AT_FDCWD, "z", 0));
	T(close(fd));
	int dfd = T(open("dir", O_RDONLY | O_DIRECTORY));
	T(linkat(dfd, "f", dfd, "f2", 0));
	SAY("  nlink %ld\n", nlink("f"));
	T(symlinkat("../f", dfd, "up"));
	T(fstatat(dfd, "up", &a, 0));
	SAY("  up is f %d\n", a.st_ino == b.st_ino);
	T(symlinkat("x", 99, "zz"));
	T(close(dfd));

	/* Relative symlinks resolve from their own directory. */
	T(mkdir("dir/sub", 0755));
	T(symlink("../f", "dir/sub/rel"));
	T(stat("dir/sub/rel", &a));
	SAY("  rel is f %d\n", a.st_ino == b.st_ino);
	T(symlink("sub", "dir/ls"));
	T(stat("dir/ls/rel", &a));
	/* Chains, loops and ELOOP at 40 links. */
	char name[32], target[32];
	T(symlink("f", "chain0"));
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof name, "chain%d", i);
		snprintf(target, sizeof target, "chain%d", i - 1);
		if (symlink(target, name))
			SAY("symlink %s failed\n", name);
	}
	T(stat("chain39", &a));
	T(stat("chain40", &a));
	T(stat("chain41", &a));
	T(symlink("self", "self"));
	T(stat("self", &a));
	T(open("self", O_RDONLY));
	T(open("self", O_RDONLY | O_CREAT, 0644));
	T(symlink("self/x", "selfdir"));
	T(stat("selfdir", &a));
	/* Trailing slash on a symlink to a directory follows it. */
	T(symlink("dir", "ldir"));
	T(lstat("ldir/", &a));
	SAY("  ldir/ is dir %d\n", S_ISDIR(a.st_mode));
	T(lstat("s/", &a));
	return 0;
}
