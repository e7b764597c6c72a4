/* umask; chdir, fchdir, getcwd. */
#include "t.h"
#include <limits.h>

int main(void)
{
	const char *d = scratch("umask_cwd");
	T(umask(027));
	T(umask(0777 | 07000));
	T(umask(022));
	T(chdir(d));
	struct stat st;
	T(umask(077));
	T(close(open("f", O_CREAT | O_WRONLY, 0666)));
	T(mkdir("dir", 0777));
	T(mknod("fifo", S_IFIFO | 0666, 0));
	T(stat("f", &st));
	SAY("  file %o\n", st.st_mode);
	T(stat("dir", &st));
	SAY("  dir %o\n", st.st_mode);
	T(stat("fifo", &st));
	SAY("  fifo %o\n", st.st_mode);
	T(umask(0));
	/* The umask is inherited by children and kept across exec. */
	T(umask(0123));
	pid_t p = fork();
	if (p == 0)
		_exit(umask(0));
	int s;
	waitpid(p, &s, 0);
	SAY("  child umask %o\n", WEXITSTATUS(s));
	T(umask(022));

	/* getcwd follows chdir, "..", symlinks resolved, fchdir. */
	char buf[PATH_MAX], base[PATH_MAX];
	if (!getcwd(base, sizeof base))
		return 2;
	SAY("  cwd is scratch %d\n", strcmp(base, d) == 0);
	T(chdir("dir"));
	if (!getcwd(buf, sizeof buf))
		return 2;
	SAY("  %s\n", buf + strlen(base));
	T(chdir(".."));
	T(symlink("dir", "ldir"));
	T(chdir("ldir"));
	if (!getcwd(buf, sizeof buf))
		return 2;
	SAY("  via link: %s\n", buf + strlen(base));
	T(chdir(base));
	int fd = T(open("dir", O_RDONLY | O_DIRECTORY));
	T(fchdir(fd));
	if (!getcwd(buf, sizeof buf))
		return 2;
	SAY("  fchdir: %s\n", buf + strlen(base));
	T(close(fd));
	fd = T(open(base, O_PATH));
	T(fchdir(fd));
	T(close(fd));
	fd = T(open("f", O_RDONLY));
	T(fchdir(fd));
	T(close(fd));
	T(fchdir(-1));
	T(chdir("f"));
	T(chdir("missing"));
	T(chdir(""));
	T(chdir(BADPTR));
	/* The raw system call: length including NUL, ERANGE, EFAULT. */
	long n = T(syscall(SYS_getcwd, buf, sizeof buf));
	SAY("  length ok %d\n", n == (long)strlen(base) + 1);
	T(syscall(SYS_getcwd, buf, strlen(base)));
	T(syscall(SYS_getcwd, buf, 0));
	T(syscall(SYS_getcwd, BADPTR, sizeof buf));
	T(chdir("/"));
	T(syscall(SYS_getcwd, buf, sizeof buf));
	SAY("  %s\n", buf);
	T(chdir("/.."));
	T(syscall(SYS_getcwd, buf, 2));
	SAY("  %s\n", buf);
	/* A removed working directory. */
	T(chdir(base));
	T(mkdir("gone", 0755));
	T(chdir("gone"));
	T(rmdir("../gone"));
	n = syscall(SYS_getcwd, buf, sizeof buf);
	SAY("  after rmdir %ld %s\n", n > 0 ? 1L : n,
	    n > 0 ? (strstr(buf, "(unreachable)") ? "unreachable" : buf + strlen(base))
		  : strerrorname_np(errno));
	T(access(".", F_OK));
	T(chdir(".."));
	/* No search permission for an ordinary user. */
	T(mkdir("closed", 0700));
	T(chmod(".", 0755));
	p = fork();
	if (p == 0) {
		T(setuid(1000));
		T(chdir("closed"));
		T(chdir("dir"));
		_exit(0);
	}
	waitpid(p, &s, 0);
	return 0;
}
