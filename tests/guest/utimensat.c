/* utimensat, futimens, utimes: explicit times, UTIME_NOW, UTIME_OMIT. */
#include "t.h"
#include <sys/time.h>
#include <time.h>
#include <utime.h>

static struct stat st;

static void get(const char *p)
{
	if (lstat(p, &st))
		SAY("  lstat %s\n", strerrorname_np(errno));
}

int main(void)
{
	const char *d = scratch("utimensat");
	if (chdir(d))
		return 1;
	T(close(open("f", O_CREAT | O_WRONLY, 0644)));
	T(symlink("f", "l"));
	struct timespec ts[2] = {{1000000000, 123456789}, {1500000000, 987654321}};
	T(utimensat(AT_FDCWD, "f", ts, 0));
	get("f");
	SAY("  atime %ld.%09ld mtime %ld.%09ld\n", st.st_atim.tv_sec, st.st_atim.tv_nsec,
	    st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	/* UTIME_OMIT leaves one alone; UTIME_NOW sets it to now. */
	struct timespec o[2] = {{0, UTIME_OMIT}, {1600000000, 0}};
	T(utimensat(AT_FDCWD, "f", o, 0));
	get("f");
	SAY("  atime %ld mtime %ld\n", st.st_atim.tv_sec, st.st_mtim.tv_sec);
	struct timespec before;
	clock_gettime(CLOCK_REALTIME, &before);
	struct timespec n[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
	T(utimensat(AT_FDCWD, "f", n, 0));
	get("f");
	SAY("  atime is now %d, mtime kept %d\n", st.st_atim.tv_sec >= before.tv_sec - 1,
	    st.st_mtim.tv_sec == 1600000000);
	/* NULL: both now; ctime moves too. */
	T(utimensat(AT_FDCWD, "f", NULL, 0));
	get("f");
	SAY("  both now %d, atime == mtime %d\n", st.st_mtim.tv_sec >= before.tv_sec - 1,
	    st.st_atim.tv_sec == st.st_mtim.tv_sec && st.st_atim.tv_nsec == st.st_mtim.tv_nsec);
	/* Both omitted: success, nothing changes. */
	struct timespec oo[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
	T(utimensat(AT_FDCWD, "f", oo, 0));
	T(utimensat(AT_FDCWD, "missing", oo, 0));
	/* Bad nanoseconds. */
	struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
	T(utimensat(AT_FDCWD, "f", bad, 0));
	bad[0].tv_nsec = -1;
	T(utimensat(AT_FDCWD, "f", bad, 0));
	T(utimensat(AT_FDCWD, "f", ts, 0x1));
	T(utimensat(AT_FDCWD, "f", BADPTR, 0));
	/* AT_SYMLINK_NOFOLLOW changes the link itself. */
	T(utimensat(AT_FDCWD, "l", ts, AT_SYMLINK_NOFOLLOW));
	get("l");
	SAY("  link mtime %ld\n", st.st_mtim.tv_sec);
	get("f");
	SAY("  file mtime unchanged %d\n", st.st_mtim.tv_sec != 1500000000);
	/* futimens and utimensat(fd, NULL). */
	int fd = T(open("f", O_RDONLY));
	T(futimens(fd, ts));
	get("f");
	SAY("  mtime %ld\n", st.st_mtim.tv_sec);
	T(syscall(SYS_utimensat, fd, NULL, o, 0));
	get("f");
	SAY("  mtime %ld\n", st.st_mtim.tv_sec);
	T(syscall(SYS_utimensat, fd, NULL, o, AT_SYMLINK_NOFOLLOW));
	T(futimens(-1, ts));
	T(close(fd));
	/* utimes and utime (microseconds, seconds). */
	struct timeval tv[2] = {{2000000000, 5}, {2000000001, 6}};
	T(utimes("f", tv));
	get("f");
	SAY("  atime %ld.%09ld mtime %ld.%09ld\n", st.st_atim.tv_sec, st.st_atim.tv_nsec,
	    st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	struct utimbuf ub = {1234, 5678};
	T(utime("f", &ub));
	get("f");
	SAY("  atime %ld mtime %ld\n", st.st_atim.tv_sec, st.st_mtim.tv_sec);
	/* Explicit times need ownership; "now" needs write access. */
	T(chmod("f", 0666));
	pid_t p = fork();
	if (p == 0) {
		T(setuid(1000));
		T(utimensat(AT_FDCWD, "f", ts, 0));
		T(utimensat(AT_FDCWD, "f", NULL, 0));
		T(utimensat(AT_FDCWD, "f", oo, 0));
		T(chmod("f", 0644));
		_exit(0);
	}
	int s;
	waitpid(p, &s, 0);
	T(chmod("f", 0644));
	p = fork();
	if (p == 0) {
		T(setuid(1000));
		T(utimensat(AT_FDCWD, "f", NULL, 0));
		_exit(0);
	}
	waitpid(p, &s, 0);
	return 0;
}
