/* chmod, fchmod, fchmodat, chown, fchown, lchown, fchownat as root and not. */
#include "t.h"
#include <grp.h>

static void show(const char *p)
{
	struct stat st;
	if (lstat(p, &st) == 0)
		SAY("  %s: mode %o uid %d gid %d\n", p, st.st_mode, st.st_uid, st.st_gid);
	else
		SAY("  %s: %s\n", p, strerrorname_np(errno));
}

int main(void)
{
	const char *d = scratch("chmod_chown");
	if (chdir(d))
		return 1;
	umask(0);
	T(close(open("f", O_CREAT | O_WRONLY, 0644)));
	T(mkdir("dir", 0755));
	T(symlink("f", "l"));
	T(chmod("f", 0600));
	show("f");
	T(chmod("f", 07777));
	show("f");
	T(chmod("f", 0170644)); /* type bits ignored */
	show("f");
	T(chmod("l", 0640)); /* follows */
	show("f");
	show("l");
	T(chmod("missing", 0644));
	T(chmod(BADPTR, 0644));
	int fd = T(open("f", O_RDONLY));
	T(fchmod(fd, 0604));
	show("f");
	T(fchmod(-1, 0644));
	T(fchmodat(AT_FDCWD, "f", 0644, 0));
	T(fchmodat(AT_FDCWD, "l", 0644, AT_SYMLINK_NOFOLLOW));
	T(fchmodat(AT_FDCWD, "f", 0644, 0x1));

	/* chown: root may give files away; -1 keeps a field. */
	T(chown("f", 1000, 1000));
	show("f");
	T(chown("f", -1, 2000));
	show("f");
	T(chown("f", 3000, -1));
	show("f");
	T(fchown(fd, 0, 0));
	show("f");
	/* (hostfs cannot keep a foreign owner on a symlink: see docs) */
	T(lchown("l", 0, 0));
	show("l");
	T(lchown("f", 5, 6));
	show("f");
	T(chown("l", 7, 8));
	show("f");
	T(fchownat(AT_FDCWD, "l", 0, 0, AT_SYMLINK_NOFOLLOW));
	show("l");
	show("f");
	T(fchownat(fd, "", 10, 10, AT_EMPTY_PATH));
	show("f");
	T(fchownat(AT_FDCWD, "f", 0, 0, 0x1));
	T(chown("missing", 0, 0));
	T(fchown(99, 0, 0));
	T(close(fd));

	/* chown clears set-user-ID and set-group-ID (with group exec) bits. */
	T(chmod("f", 06755));
	show("f");
	T(chown("f", 0, 0));
	show("f");
	T(chmod("f", 06745));
	T(chown("f", -1, -1));
	show("f");
	T(chmod("dir", 03755));
	T(chown("dir", 1, 1));
	show("dir");

	/* An ordinary user: only the owner may chmod; nobody may give away. */
	T(chown("f", 1000, 1000));
	T(chmod("f", 0644));
	T(chmod(".", 0777));
	pid_t p = fork();
	if (p == 0) {
		T(setgroups(0, NULL));
		T(setgid(1000));
		T(setuid(1000));
		T(chmod("f", 0600));
		show("f");
		T(chmod("dir", 0700));
		T(chown("f", 1001, -1));
		T(chown("f", -1, 1000));
		T(chown("f", -1, 1001));
		T(chown("f", 1000, 1000));
		/* A group the user is not in: setgid bit dropped on chmod. */
		T(chown("dir", 1000, 1000));
		T(close(open("g", O_CREAT | O_WRONLY, 0644)));
		show("g");
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	SAY("child %d\n", WEXITSTATUS(st));
	return 0;
}
