/* mount and umount2: tmpfs with size= and mode=, bind and recursive bind,
 * read-only remounts of a bind, MS_MOVE, noexec and nodev, lazy unmounts,
 * pivot_root, the errors, and what /proc/self/mountinfo says.
 * Natively it runs in a mount namespace of its own. */
#include "t.h"
#include <sched.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

static const char *top;

/* Our mounts in mountinfo: where (under top), the type, rw/ro and flags. */
static void show_mounts(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[1024];
	while (f && fgets(line, sizeof line, f)) {
		char where[512], opts[256], type[64];
		if (sscanf(line, "%*d %*d %*s %*s %511s %255s", where, opts) != 2)
			continue;
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(dash, " - %63s", type) != 1 || strncmp(where, top, strlen(top)))
			continue;
		SAY("  mount %s %s %s%s%s%s\n", where + strlen(top), type,
		    strncmp(opts, "ro", 2) ? "rw" : "ro", strstr(opts, "nosuid") ? ",nosuid" : "",
		    strstr(opts, "nodev") ? ",nodev" : "", strstr(opts, "noexec") ? ",noexec" : "");
	}
	if (f)
		fclose(f);
}

static void show_file(const char *path)
{
	char buf[64] = {0};
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		SAY("  %s: %s\n", path, strerrorname_np(errno));
		return;
	}
	if (read(fd, buf, sizeof buf - 1) < 0)
		buf[0] = 0;
	close(fd);
	SAY("  %s: %s", path, buf);
}

static dev_t dev_of(const char *path)
{
	struct stat st;
	return stat(path, &st) ? (dev_t)-1 : st.st_dev;
}

int main(void)
{
	top = scratch("mounts");
	if (syscall(SYS_unshare, CLONE_NEWNS) == 0) /* natively: our own mounts */
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if (chdir(top))
		return 1;
	T(mkdir("a", 0755));
	T(mkdir("b", 0755));
	T(mkdir("c", 0755));

	/* tmpfs with size= and mode=. */
	T(mount("none", "a", "tmpfs", 0, "size=1m,mode=0710"));
	struct stat st;
	T(stat("a", &st));
	SAY("  mode %o\n", st.st_mode & 07777);
	struct statfs sf;
	T(statfs("a", &sf));
	SAY("  type %#lx bytes %lld\n", (long)sf.f_type, (long long)sf.f_blocks * sf.f_bsize);
	int fd = T(open("a/big", O_CREAT | O_WRONLY, 0644));
	static char chunk[65536];
	long total = 0, n;
	while ((n = write(fd, chunk, sizeof chunk)) > 0)
		total += n;
	SAY("  wrote %ld then %s\n", total, strerrorname_np(errno));
	T(close(fd));
	T(unlink("a/big"));
	T(mount("none", "a", "nosuchfs", 0, NULL));
	T(mount("none", "nonexistent", "tmpfs", 0, NULL));
	T(mount("none", "a", "tmpfs", 0, "size=1m,bogus"));

	/* A bind and a read-only remount of the bind alone. */
	T(mount("a", "b", NULL, MS_BIND, NULL));
	fd = T(open("b/f", O_CREAT | O_WRONLY, 0644));
	T(write(fd, "via b\n", 6));
	T(close(fd));
	show_file("a/f");
	T(mount(NULL, "b", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	T(open("b/g", O_CREAT | O_WRONLY, 0644));
	T(close(T(open("a/g", O_CREAT | O_WRONLY, 0644))));
	show_mounts();

	/* A recursive bind brings the mounts below; MS_MOVE moves one. */
	T(mkdir("a/sub", 0755));
	T(mount("none", "a/sub", "tmpfs", MS_NODEV | MS_NOEXEC, NULL));
	T(mount("a", "c", NULL, MS_BIND | MS_REC, NULL));
	SAY("  c/sub is a mount: %d\n", dev_of("c/sub") != dev_of("c"));
	T(mkdir("moved", 0755));
	T(mount("a/sub", "moved", NULL, MS_MOVE, NULL));
	SAY("  a/sub still a mount: %d\n", dev_of("a/sub") != dev_of("a"));
	T(mount("moved", "moved/x", NULL, MS_MOVE, NULL));
	T(mount("c", "b", NULL, MS_MOVE, NULL)); /* c is not a mount's root here */

	/* noexec and nodev. */
	T(close(T(open("moved/prog", O_CREAT | O_WRONLY, 0755))));
	char *argv[] = {"prog", NULL};
	T(execve("moved/prog", argv, argv + 1));
	T(mknod("moved/null", S_IFCHR | 0666, makedev(1, 3)));
	T(open("moved/null", O_RDONLY));
	show_mounts();

	/* umount: busy, lazy, not a mount. */
	fd = T(open("a/f", O_RDONLY));
	T(umount2("c/sub", 0));
	T(umount2("c", 0));
	T(umount2("b", 0));
	T(umount2("a", 0));
	T(umount2("a", MNT_DETACH));
	show_file("a/f");
	char buf[16] = {0};
	T(read(fd, buf, sizeof buf - 1));
	SAY("  still open: %s", buf);
	T(close(fd));
	T(umount2(".", 0));
	T(umount2("moved", MNT_DETACH));
	T(umount2("moved", 0));
	show_mounts();

	/* pivot_root in a child: the new root is a bind of a directory. */
	T(mkdir("root", 0755));
	T(mkdir("root/old", 0755));
	T(mount("root", "root", NULL, MS_BIND, NULL));
	pid_t pid = fork();
	if (pid == 0) {
		if (syscall(SYS_unshare, CLONE_NEWNS) == 0)
			mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
		T(syscall(SYS_pivot_root, "root", "nonexistent"));
		T(syscall(SYS_pivot_root, "/", "/"));
		T(chdir("root"));
		T(syscall(SYS_pivot_root, ".", "old"));
		T(access("/old", F_OK));
		T(access("/old/proc", F_OK));
		T(umount2("/old", MNT_DETACH));
		T(access("/old/proc", F_OK));
		char cwd[64];
		SAY("  cwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : strerrorname_np(errno));
		_exit(0);
	}
	int status;
	T(waitpid(pid, &status, 0) == pid);
	SAY("  child exit %d\n", WEXITSTATUS(status));
	return 0;
}
