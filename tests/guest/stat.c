/* stat, fstat, lstat, newfstatat: types, modes, sizes, links, flags. */
#include "t.h"
#include <sys/sysmacros.h>

static void show(const char *what, int r, struct stat *st)
{
	if (r)
		return;
	SAY("  %s: mode %o nlink %ld uid %d gid %d size %lld\n", what, st->st_mode,
	    (long)st->st_nlink, st->st_uid, st->st_gid, (long long)st->st_size);
}

int main(void)
{
	const char *d = scratch("stat");
	if (chdir(d))
		return 1;
	umask(0);
	struct stat st, st2;
	T(close(open("f", O_CREAT | O_WRONLY, 0640)));
	T(truncate("f", 12345));
	T(mkdir("dir", 0751));
	T(symlink("f", "lnk"));
	T(symlink("nowhere", "dangle"));
	T(link("f", "hard"));
	T(mkfifo("fifo", 0600));

	show("f", T(stat("f", &st)), &st);
	show("dir", T(stat("dir", &st)), &st);
	show("lnk", T(stat("lnk", &st)), &st);
	show("lnk l", T(lstat("lnk", &st)), &st);
	show("fifo", T(stat("fifo", &st)), &st);
	T(stat("dangle", &st));
	show("dangle l", T(lstat("dangle", &st)), &st);
	T(stat("f", &st));
	T(stat("hard", &st2));
	SAY("  hard link same inode %d\n", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	T(lstat("lnk", &st2));
	SAY("  symlink own inode %d\n", st.st_ino != st2.st_ino);
	/* A directory's link count: 2 plus one per subdirectory. */
	T(mkdir("dir/a", 0755));
	T(mkdir("dir/b", 0755));
	show("dir", T(stat("dir", &st)), &st);

	int fd = T(open("f", O_RDONLY));
	show("fstat", T(fstat(fd, &st)), &st);
	T(stat("f", &st2));
	SAY("  fstat matches stat %d\n", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	T(close(fd));
	T(fstat(fd, &st));
	T(fstat(-1, &st));

	/* newfstatat: dirfd, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, bad flags. */
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	show("at", T(fstatat(dfd, "lnk", &st, 0)), &st);
	show("at nofollow", T(fstatat(dfd, "lnk", &st, AT_SYMLINK_NOFOLLOW)), &st);
	fd = T(open("f", O_RDONLY));
	show("empty", T(fstatat(fd, "", &st, AT_EMPTY_PATH)), &st);
	T(fstatat(fd, "", &st, 0));
	T(fstatat(fd, "x", &st, 0));
	T(fstatat(dfd, "f", &st, 0x1));
	T(fstatat(99, "f", &st, 0));
	T(fstatat(99, "/", &st, 0));
	T(close(fd));
	T(close(dfd));

	/* Errors along the path. */
	T(stat("missing", &st));
	T(stat("f/x", &st));
	T(stat("f/", &st));
	T(stat("dir/", &st));
	T(stat("", &st));
	T(lstat("lnk/", &st));
	T(stat(BADPTR, &st));
	T(stat("f", BADPTR));
	T(symlink("loop2", "loop1"));
	T(symlink("loop1", "loop2"));
	T(stat("loop1", &st));
	T(lstat("loop1", &st));

	/* Special files. */
	T(stat("/dev/null", &st));
	SAY("  /dev/null chr %d rdev %d:%d\n", S_ISCHR(st.st_mode), major(st.st_rdev),
	    minor(st.st_rdev));
	T(stat("/", &st));
	T(stat("/..", &st2));
	SAY("  /.. is / %d\n", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	return 0;
}
