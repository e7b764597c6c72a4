/* access, faccessat, faccessat2: modes for root and for an ordinary user. */
#include "t.h"

static long fa2(int dfd, const char *p, int mode, int flags)
{
	return syscall(SYS_faccessat2, dfd, p, mode, flags);
}

int main(void)
{
	const char *d = scratch("access");
	if (chdir(d))
		return 1;
	umask(0);
	T(close(open("none", O_CREAT | O_WRONLY, 0)));
	T(close(open("ronly", O_CREAT | O_WRONLY, 0444)));
	T(close(open("exec", O_CREAT | O_WRONLY, 0755)));
	T(close(open("uexec", O_CREAT | O_WRONLY, 0100)));
	T(mkdir("dir", 0));
	T(symlink("missing", "dangle"));
	/* Root: read/write anything, execute only with some x bit. */
	T(access("none", R_OK | W_OK));
	T(access("none", X_OK));
	T(access("uexec", X_OK));
	T(access("exec", R_OK | W_OK | X_OK));
	T(access("dir", R_OK | W_OK | X_OK));
	T(access("dir/x", F_OK));
	T(access("missing", F_OK));
	T(access("dangle", F_OK));
	T(access("none", 8));
	T(access("none", -1));
	T(access(BADPTR, F_OK));
	/* faccessat and faccessat2 flags. */
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(faccessat(dfd, "exec", X_OK, 0));
	T(fa2(dfd, "dangle", F_OK, AT_SYMLINK_NOFOLLOW));
	T(fa2(dfd, "dangle", F_OK, 0));
	T(fa2(dfd, "exec", X_OK, AT_EACCESS));
	T(fa2(dfd, "exec", F_OK, 0x1));
	int fd = T(open("exec", O_RDONLY));
	T(fa2(fd, "", X_OK, AT_EMPTY_PATH));
	T(fa2(fd, "", X_OK, 0));
	T(close(fd));
	T(fa2(99, "exec", F_OK, 0));
	T(close(dfd));
	/* An ordinary user sees the permission bits. */
	T(chmod(".", 0777));
	pid_t p = fork();
	if (p == 0) {
		T(setgid(1000));
		T(setuid(1000));
		T(access("none", R_OK));
		T(access("ronly", R_OK));
		T(access("ronly", W_OK));
		T(access("exec", X_OK));
		T(access("dir", X_OK));
		T(access("dir/x", F_OK));
		T(access("/", W_OK));
		/* faccessat2 AT_EACCESS: effective vs real ids. */
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	SAY("child %d\n", WEXITSTATUS(st));
	p = fork();
	if (p == 0) {
		T(setresuid(1000, 0, 0)); /* real 1000, effective root */
		T(fa2(AT_FDCWD, "none", R_OK, 0));
		T(fa2(AT_FDCWD, "none", R_OK, AT_EACCESS));
		T(access("none", R_OK));
		_exit(0);
	}
	waitpid(p, &st, 0);
	SAY("child %d\n", WEXITSTATUS(st));
	return 0;
}
