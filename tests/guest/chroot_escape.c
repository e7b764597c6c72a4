/* Confinement of path walks, seen through chroot (the guest's hostfs root
 * works the same way): ".." stops at the root, absolute symlinks resolve
 * inside it, a symlink swapped with a directory during walks never leads
 * out, /proc is not there; a directory fd kept from outside does lead out,
 * exactly as in Linux. */
#include "t.h"
#include <sys/stat.h>

static void put(const char *name, const char *text)
{
	int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		exit(2);
	close(fd);
}

static const char *get(const char *name)
{
	static char buf[64];
	int fd = open(name, O_RDONLY);
	if (fd < 0)
		return strerrorname_np(errno);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

int main(void)
{
	const char *d = scratch("chroot_escape");
	if (chdir(d))
		return 1;
	pid_t c = fork();
	if (c == 0)
		_exit(chroot(".") == 0 ? 0 : errno);
	int st;
	waitpid(c, &st, 0);
	if (WEXITSTATUS(st)) {
		SAY("SKIP: chroot not permitted here (%s)\n", strerrorname_np(WEXITSTATUS(st)));
		return 0;
	}
	put("secret", "outside");
	mkdir("jail", 0755);
	mkdir("jail/etc", 0755);
	mkdir("jail/d1", 0755);
	put("jail/etc/marker", "inside");
	put("jail/secret", "jail-secret");
	symlink("../../..", "jail/up");
	symlink("/", "jail/abs");
	symlink("/etc/../../../secret", "jail/abs2");
	int outside = open(".", O_RDONLY | O_DIRECTORY);
	c = fork();
	if (c == 0) {
		T(chroot("jail"));
		T(chdir("/"));
		SAY("  /etc/marker: %s\n", get("/etc/marker"));
		SAY("  ../secret: %s\n", get("../secret"));
		SAY("  /../../secret: %s\n", get("/../../secret"));
		SAY("  up/secret: %s\n", get("up/secret"));
		SAY("  abs/etc/marker: %s\n", get("abs/etc/marker"));
		SAY("  abs2: %s\n", get("abs2"));
		SAY("  etc/../../../etc/marker: %s\n", get("etc/../../../etc/marker"));
		char cwd[256];
		SAY("  cwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : strerrorname_np(errno));
		struct stat a, b;
		T(stat("/", &a));
		T(stat("/..", &b));
		SAY("  /.. is / %d\n", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
		T(open("/proc/self/root", O_RDONLY));
		T(open("/proc/1/root/etc/passwd", O_RDONLY));
		int dfd = T(open("/etc", O_RDONLY | O_DIRECTORY));
		SAY("  openat ../../secret: %s\n",
		    openat(dfd, "../../secret", O_RDONLY) < 0 ? strerrorname_np(errno) : "opened");
		/* A symlink swapped with a directory while another process walks
		 * through it: every walk ends inside. */
		fflush(stdout);
		pid_t sw = fork();
		if (sw == 0) {
			for (int i = 0; i < 300; i++) {
				rename("/d1", "/d2");
				symlink("../../../..", "/d1");
				unlink("/d1");
				rename("/d2", "/d1");
			}
			_exit(0);
		}
		/* Walks go on until the swapper is done (at least 1000 of them):
		 * however the two are scheduled, the last ones find d1 back. */
		int out = 0, in = 0, done = 0;
		for (int i = 0; i < 1000 || !done; i++) {
			done = done || waitpid(sw, NULL, WNOHANG) == sw;
			const char *r = get("d1/../../secret");
			out += !strcmp(r, "outside");
			in += !strcmp(r, "jail-secret");
		}
		SAY("  swapped walks: outside %d, inside seen %d\n", out, in > 0);
		/* A directory fd from before the chroot is a way out (Linux's chroot
		 * is not a jail for root). */
		T(fchdir(outside));
		SAY("  via old fd: %s\n", get("secret"));
		T(chdir(".."));
		SAY("  and above it: %s\n", get("chroot_escape/secret"));
		_exit(0);
	}
	waitpid(c, &st, 0);
	SAY("  child exit %d\n", WEXITSTATUS(st));
	/* chroot errors. */
	T(chroot("missing"));
	T(chroot("secret"));
	c = fork();
	if (c == 0) {
		T(setuid(1000));
		T(chroot("jail"));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	return 0;
}
