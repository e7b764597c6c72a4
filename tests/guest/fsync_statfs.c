/* fsync, fdatasync, sync, syncfs; statfs and fstatfs (stable fields only). */
#include "t.h"
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <linux/magic.h>

int main(void)
{
	const char *d = scratch("fsync_statfs");
	if (chdir(d))
		return 1;
	int fd = T(open("f", O_CREAT | O_RDWR, 0644));
	T(write(fd, "x", 1));
	T(fsync(fd));
	T(fdatasync(fd));
	T(syncfs(fd));
	sync();
	T(fsync(-1));
	T(fdatasync(99));
	int p[2];
	T(pipe(p));
	T(fsync(p[0]));
	T(fdatasync(p[1]));
	int dfd = T(open(".", O_RDONLY | O_DIRECTORY));
	T(fsync(dfd));
	int nfd = T(open("/dev/null", O_WRONLY));
	T(fsync(nfd));
	T(close(nfd));
	int ro = T(open("f", O_RDONLY));
	T(fsync(ro));
	T(close(ro));

	struct statfs s, s2;
	T(statfs(".", &s));
	T(fstatfs(fd, &s2));
	SAY("  same fs %d\n", s.f_type == s2.f_type && s.f_bsize == s2.f_bsize &&
				  s.f_fsid.__val[0] == s2.f_fsid.__val[0] &&
				  s.f_fsid.__val[1] == s2.f_fsid.__val[1]);
	SAY("  sane %d namelen %ld\n",
	    s.f_blocks >= s.f_bfree && s.f_bfree >= s.f_bavail && s.f_bsize > 0 &&
		s.f_files >= s.f_ffree,
	    (long)s.f_namelen);
	T(statfs("/proc", &s));
	SAY("  /proc type %lx\n", (long)s.f_type);
	T(statfs("/dev/null", &s));
	SAY("  /dev type tmpfs %d\n", s.f_type == TMPFS_MAGIC);
	T(statfs("missing", &s));
	T(statfs(BADPTR, &s));
	T(statfs(".", BADPTR));
	T(fstatfs(-1, &s));
	T(fstatfs(p[0], &s));
	SAY("  pipe type %lx\n", (long)s.f_type);
	int pfd = T(open(".", O_PATH));
	T(fstatfs(pfd, &s));
	T(close(pfd));
	T(close(dfd));
	T(close(fd));
	return 0;
}
