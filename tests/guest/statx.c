/* statx: the mask, fields that match stat, flags and errors. */
#include "t.h"
#include <sys/sysmacros.h>

int main(void)
{
	const char *d = scratch("statx");
	if (chdir(d))
		return 1;
	umask(022);
	int fd = T(open("f", O_CREAT | O_WRONLY, 0644));
	T(write(fd, "hello", 5));
	T(symlink("f", "lnk"));
	T(mkdir("dir", 0700));
	struct statx sx;
	struct stat st;
	unsigned basic = STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID | STATX_INO |
			 STATX_SIZE | STATX_BLOCKS;
	T(statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx));
	SAY("  basic %d mode %o nlink %u uid %u gid %u size %llu\n", (sx.stx_mask & basic) == basic,
	    sx.stx_mode, sx.stx_nlink, sx.stx_uid, sx.stx_gid, (unsigned long long)sx.stx_size);
	T(stat("f", &st));
	SAY("  ino %d dev %d\n", sx.stx_ino == st.st_ino,
	    (dev_t)makedev(sx.stx_dev_major, sx.stx_dev_minor) == st.st_dev);
	SAY("  mtime %d\n", sx.stx_mtime.tv_sec == st.st_mtim.tv_sec &&
				sx.stx_mtime.tv_nsec == (unsigned)st.st_mtim.tv_nsec);
	T(statx(AT_FDCWD, "lnk", AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_SIZE, &sx));
	SAY("  lnk %o size %llu\n", sx.stx_mode & S_IFMT, (unsigned long long)sx.stx_size);
	T(statx(AT_FDCWD, "lnk", 0, STATX_TYPE, &sx));
	SAY("  followed %o\n", sx.stx_mode & S_IFMT);
	T(statx(AT_FDCWD, "dir", 0, STATX_BASIC_STATS, &sx));
	SAY("  dir %o nlink %u\n", sx.stx_mode, sx.stx_nlink);
	T(statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
	SAY("  empty path size %llu\n", (unsigned long long)sx.stx_size);
	T(statx(fd, "", 0, STATX_SIZE, &sx));
	T(statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC, STATX_SIZE, &sx));
	T(statx(AT_FDCWD, "f", AT_STATX_DONT_SYNC, STATX_SIZE, &sx));
	T(statx(AT_FDCWD, "f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_SIZE, &sx));
	T(statx(AT_FDCWD, "f", 0x40000000, STATX_SIZE, &sx));
	T(statx(AT_FDCWD, "f", 0, 0x80000000U, &sx)); /* STATX__RESERVED */
	T(statx(AT_FDCWD, "f", 0, 0, &sx));
	T(statx(AT_FDCWD, "missing", 0, STATX_SIZE, &sx));
	T(statx(AT_FDCWD, "f", 0, STATX_SIZE, BADPTR));
	T(statx(AT_FDCWD, BADPTR, 0, STATX_SIZE, &sx));
	T(statx(-5, "f", 0, STATX_SIZE, &sx));
	T(close(fd));
	return 0;
}
