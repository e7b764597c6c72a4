/* inotify: create, modify, attrib, open/close, moves, deletes, watch
 * management and the event stream format. */
#include "t.h"
#include <poll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>

static int ifd;
static int wd_dir, wd_file;

static const char *wdname(int wd)
{
	return wd == wd_dir ? "dir" : wd == wd_file ? "file" : wd == -1 ? "-1" : "other";
}

/* Prints the queued events; moves' cookies are checked to pair up. */
static void drain(void)
{
	char buf[4096] __attribute__((aligned(8)));
	uint32_t cookie = 0;
	for (;;) {
		long n = read(ifd, buf, sizeof buf);
		if (n < 0) {
			SAY("  (%s)\n", strerrorname_np(errno));
			return;
		}
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *e = (struct inotify_event *)p;
			SAY("  %s %#x %s", wdname(e->wd), e->mask, e->len ? e->name : "-");
			if (e->mask & IN_MOVED_FROM)
				cookie = e->cookie;
			if (e->mask & IN_MOVED_TO)
				SAY(" cookie %s",
				    e->cookie && e->cookie == cookie ? "paired" : "BAD");
			SAY(" len %u\n", e->len);
			p += sizeof *e + e->len;
		}
	}
}

int main(void)
{
	const char *d = scratch("inotify");
	if (chdir(d))
		return 1;
	ifd = T(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
	T(fcntl(ifd, F_GETFD));
	T(mkdir("w", 0755));
	wd_dir = T(inotify_add_watch(ifd, "w", IN_ALL_EVENTS));
	drain();

	int fd = T(open("w/a", O_CREAT | O_WRONLY, 0644));
	T(write(fd, "x", 1));
	T(write(fd, "y", 1)); /* merged with the one before */
	T(close(fd));
	drain();
	wd_file = T(inotify_add_watch(ifd, "w/a",
				      IN_ATTRIB | IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF |
					  IN_CLOSE_NOWRITE | IN_OPEN));
	T(chmod("w/a", 0600));
	fd = T(open("w/a", O_RDONLY));
	char c;
	T(read(fd, &c, 1));
	T(close(fd));
	T(truncate("w/a", 0));
	drain();

	/* FIONREAD, a buffer too small, and blocking readiness through poll. */
	T(mkdir("w/sub", 0755));
	int avail = 0;
	T(ioctl(ifd, FIONREAD, &avail));
	SAY("  FIONREAD %d\n", avail);
	char small[8];
	T(read(ifd, small, sizeof small));
	struct pollfd pfd = {ifd, POLLIN, 0};
	T(poll(&pfd, 1, 0));
	SAY("  revents %#x\n", pfd.revents);
	drain();

	T(rename("w/a", "w/b"));
	T(rename("w/b", "moved-out"));
	T(rename("moved-out", "w/c"));
	drain();
	T(link("w/c", "w/hard"));
	T(unlink("w/c"));
	T(symlink("target", "w/sym"));
	T(mknod("w/fifo", S_IFIFO | 0644, 0));
	drain();
	T(unlink("w/hard")); /* the last link: the file's watch ends */
	T(rmdir("w/sub"));
	drain();

	/* Watch management. */
	T(inotify_rm_watch(ifd, wd_file));
	T(inotify_rm_watch(ifd, wd_dir));
	drain();
	T(inotify_rm_watch(ifd, wd_dir));
	T(inotify_add_watch(ifd, "w", 0));
	T(inotify_add_watch(ifd, "w/sym", IN_ATTRIB | IN_ONLYDIR));
	T(inotify_add_watch(ifd, "nonexistent", IN_ATTRIB));
	T(inotify_add_watch(0, "w", IN_ATTRIB));
	T(inotify_add_watch(-1, "w", IN_ATTRIB));
	T(inotify_init1(IN_ONESHOT));
	wd_dir = T(inotify_add_watch(ifd, "w", IN_CREATE | IN_ONESHOT));
	T(inotify_add_watch(ifd, "w", IN_CREATE | IN_MASK_CREATE));
	T(inotify_add_watch(ifd, "w", IN_DELETE | IN_MASK_ADD) == wd_dir);
	T(close(open("w/one", O_CREAT | O_WRONLY, 0644)));
	T(close(open("w/two", O_CREAT | O_WRONLY, 0644))); /* the watch is gone */
	drain();
	T(close(ifd));
	return 0;
}
