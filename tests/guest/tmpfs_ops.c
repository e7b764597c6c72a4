/* File operations on a tmpfs (/dev/shm natively and in the guest): data,
 * sizes, holes, links, renames, symlinks, directories, special files,
 * shared mappings, unlinked-but-open files. */
#include "t.h"
#include <dirent.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <linux/magic.h>

static char dir[4096];

static void show(const char *p)
{
	struct stat st;
	if (lstat(p, &st)) {
		SAY("  %s: %s\n", p, strerrorname_np(errno));
		return;
	}
	SAY("  %s: mode %o nlink %ld size %lld\n", p, st.st_mode, (long)st.st_nlink,
	    (long long)st.st_size);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *p)
{
	DIR *d = opendir(p);
	char *names[64];
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 64) {
		names[n] = malloc(300);
		snprintf(names[n++], 300, "%s/%d", e->d_name, e->d_type);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof *names, cmp);
	SAY("  %s:", p);
	for (int i = 0; i < n; i++)
		SAY(" %s", names[i]);
	SAY("\n");
}

int main(void)
{
	snprintf(dir, sizeof dir, "%s", shm_scratch("tmpfs_ops"));
	if (chdir(dir))
		return 2;
	struct statfs sfs;
	T(statfs(".", &sfs));
	SAY("  tmpfs %d\n", sfs.f_type == TMPFS_MAGIC);
	umask(022);
	/* Data and sizes. */
	int fd = T(open("f", O_CREAT | O_RDWR, 0666));
	T(write(fd, "hello world", 11));
	T(pwrite(fd, "W", 1, 6));
	char buf[64] = {0};
	T(pread(fd, buf, sizeof buf, 0));
	SAY("  %s\n", buf);
	T(ftruncate(fd, 5));
	T(ftruncate(fd, 20000));
	memset(buf, 'x', sizeof buf);
	T(pread(fd, buf, 8, 3));
	SAY("  %.2s %d %d\n", buf, buf[2], buf[7]);
	T(lseek(fd, 0, SEEK_DATA));
	T(lseek(fd, 19999, SEEK_DATA) >= 0 ? 0 : -1);
	T(lseek(fd, 20000, SEEK_HOLE));
	T(pwrite(fd, "end", 3, 1 << 20));
	show("f");
	struct stat st;
	T(fstat(fd, &st));
	SAY("  blocks sparse %d\n", st.st_blocks < 64);
	/* O_APPEND and O_TRUNC. */
	int ap = T(open("f", O_WRONLY | O_APPEND));
	T(write(ap, "+", 1));
	T(lseek(ap, 0, SEEK_CUR));
	T(close(ap));
	T(close(open("f", O_WRONLY | O_TRUNC)));
	show("f");
	/* Links, renames, symlinks. */
	T(link("f", "g"));
	show("f");
	T(rename("g", "h"));
	T(symlink("h", "s"));
	T(readlink("s", buf, sizeof buf));
	show("s");
	T(rename("s", "s2"));
	T(renameat2(AT_FDCWD, "f", AT_FDCWD, "s2", RENAME_EXCHANGE));
	show("f");
	show("s2");
	T(renameat2(AT_FDCWD, "f", AT_FDCWD, "h", RENAME_NOREPLACE));
	T(unlink("s2"));
	T(rename("h", "f"));
	show("f");
	/* Directories. */
	T(mkdir("d", 0750));
	T(mkdir("d/e", 0700));
	show("d");
	T(rmdir("d"));
	T(rename("f", "d/e/f"));
	T(rename("d/e", "e2"));
	T(rename("e2", "d/e2"));
	list("d");
	list("d/e2");
	T(rmdir("d/e2"));
	T(unlink("d/e2/f"));
	T(rmdir("d/e2"));
	T(rmdir("d"));
	list(".");
	/* Special files: a FIFO and a device node that opens the driver. */
	T(mknod("fifo", S_IFIFO | 0600, 0));
	T(mknod("nul", S_IFCHR | 0666, makedev(1, 3)));
	show("fifo");
	T(stat("nul", &st));
	SAY("  nul rdev %d:%d\n", major(st.st_rdev), minor(st.st_rdev));
	int n = T(open("nul", O_RDWR));
	T(write(n, "gone", 4));
	T(read(n, buf, 4));
	T(close(n));
	T(mknod("reg", S_IFREG | 0600, 0));
	show("reg");
	T(mknod("bad", 0170000 | 0600, 0));
	/* A shared mapping seen by read(2) and by a fork child. */
	int m = T(open("map", O_CREAT | O_RDWR, 0600));
	T(ftruncate(m, 8192));
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, m, 0);
	SAY("  mapped %d\n", p != MAP_FAILED);
	memcpy(p + 4096, "mapped", 6);
	T(pread(m, buf, 6, 4096));
	SAY("  read sees %.6s\n", buf);
	T(pwrite(m, "WRITE", 5, 10));
	SAY("  map sees %.5s\n", p + 10);
	pid_t c = fork();
	if (c == 0) {
		memcpy(p + 20, "child", 5);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	T(pread(m, buf, 5, 20));
	SAY("  file has %.5s\n", buf);
	/* Growing the file after mapping: the page is then accessible. */
	T(ftruncate(m, 4096));
	T(ftruncate(m, 8192));
	SAY("  after shrink and grow: %d\n", p[4096]);
	/* Unlinked but open. */
	T(unlink("map"));
	T(fstat(m, &st));
	SAY("  nlink %ld size %lld\n", (long)st.st_nlink, (long long)st.st_size);
	T(pwrite(m, "still", 5, 0));
	T(pread(m, buf, 5, 0));
	SAY("  %.5s %.5s\n", buf, p);
	T(close(m));
	/* Permissions and times. */
	T(chmod("reg", 04711));
	T(chown("reg", 12, 34));
	show("reg");
	struct timespec ts[2] = {{100, 5}, {200, 6}};
	T(utimensat(AT_FDCWD, "reg", ts, 0));
	T(stat("reg", &st));
	SAY("  times %ld.%ld %ld.%ld\n", st.st_atim.tv_sec, st.st_atim.tv_nsec, st.st_mtim.tv_sec,
	    st.st_mtim.tv_nsec);
	/* xattrs on tmpfs: user.* is allowed since 6.6 only: not tested. */
	T(chdir("/"));
	scratch_remove(dir);
	return 0;
}
