/* rename, renameat, renameat2 (NOREPLACE, EXCHANGE) and their errors. */
#include "t.h"

static void put(const char *name, const char *data)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (write(fd, data, strlen(data)) < 0)
		exit(2);
	close(fd);
}

static void show(const char *name)
{
	char buf[64] = {0};
	int fd = open(name, O_RDONLY);
	if (fd < 0) {
		SAY("  %s: %s\n", name, strerrorname_np(errno));
		return;
	}
	if (read(fd, buf, sizeof buf - 1) < 0)
		exit(2);
	close(fd);
	SAY("  %s: %s\n", name, buf);
}

int main(void)
{
	const char *d = scratch("rename");
	if (chdir(d))
		return 1;
	put("a", "A");
	put("b", "B");
	T(mkdir("d", 0755));
	T(mkdir("e", 0755));
	T(mkdir("full", 0755));
	put("full/x", "X");

	/* Files: replace, to itself, hard links to the same inode. */
	T(rename("a", "c"));
	show("a");
	show("c");
	T(rename("c", "b"));
	show("b");
	T(rename("b", "b"));
	T(link("b", "b2"));
	T(rename("b", "b2")); /* same inode: does nothing */
	show("b");
	show("b2");
	T(rename("missing", "x"));
	T(rename("b", "nodir/x"));
	T(rename("b", "b/x"));

	/* Directories: over an empty one, not over a full one or a file. */
	T(rename("d", "e"));
	struct stat st;
	T(stat("d", &st));
	T(stat("e", &st));
	T(rename("e", "full"));
	T(rename("e", "."));
	T(renameat2(AT_FDCWD, "e", AT_FDCWD, ".", RENAME_NOREPLACE));
	/* "/" and a name beside it on one mount: EBUSY; the scratch directory may
	 * be another mount (EXDEV comes first in Linux's checks). */
	T(rename("/", "/x"));
	T(rename("b", "e"));
	T(rename("e", "e/sub"));
	T(mkdir("e/sub", 0755));
	T(rename("e", "e/sub/deeper"));
	T(rename("e/sub", "e/sub/../moved"));
	T(stat("e/moved", &st));
	T(rename(".", "x"));
	T(rename("e/..", "x"));
	T(rename("e", "."));
	T(renameat2(AT_FDCWD, "e", AT_FDCWD, ".", RENAME_NOREPLACE));
	T(rename("/", "/x"));
	T(rename("b", "e/"));
	T(rename("e/", "f/"));
	T(stat("f", &st));

	/* Symlinks are renamed themselves, never followed. */
	T(symlink("b", "lb"));
	T(rename("lb", "lc"));
	char buf[16] = {0};
	T(readlink("lc", buf, sizeof buf));
	SAY("  lc -> %s\n", buf);

	/* renameat with directory fds. */
	int fd1 = T(open("f", O_RDONLY | O_DIRECTORY));
	int fd2 = T(open("full", O_RDONLY | O_DIRECTORY));
	T(renameat(fd2, "x", fd1, "y"));
	show("f/y");
	T(renameat(-1, "f/y", AT_FDCWD, "z"));
	T(renameat(AT_FDCWD, "f/y", 77, "z"));

	/* renameat2 flags. */
	put("p", "P");
	put("q", "Q");
	T(renameat2(AT_FDCWD, "p", AT_FDCWD, "q", RENAME_NOREPLACE));
	T(renameat2(AT_FDCWD, "p", AT_FDCWD, "r", RENAME_NOREPLACE));
	show("r");
	T(renameat2(AT_FDCWD, "r", AT_FDCWD, "q", RENAME_EXCHANGE));
	show("r");
	show("q");
	T(renameat2(AT_FDCWD, "r", AT_FDCWD, "nothere", RENAME_EXCHANGE));
	T(renameat2(AT_FDCWD, "r", AT_FDCWD, "q", RENAME_EXCHANGE | RENAME_NOREPLACE));
	T(renameat2(AT_FDCWD, "r", AT_FDCWD, "q", 0x100));
	/* Exchange a file and a directory. */
	T(renameat2(AT_FDCWD, "r", AT_FDCWD, "f", RENAME_EXCHANGE));
	T(stat("r", &st));
	SAY("  r is dir %d\n", S_ISDIR(st.st_mode));
	show("f");
	T(renameat2(AT_FDCWD, "r", AT_FDCWD, "r/sub", RENAME_EXCHANGE));
	T(renameat2(fd1, "nothing", fd2, "x", RENAME_NOREPLACE));
	T(rename(BADPTR, "x"));
	T(rename("q", BADPTR));
	T(close(fd1));
	T(close(fd2));
	return 0;
}
