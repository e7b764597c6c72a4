/* Named pipes (FIFOs): open rendezvous, O_NONBLOCK opens (ENXIO for a
 * writer without readers), data between processes, EOF, O_RDWR, poll,
 * on the scratch filesystem and on tmpfs. */
#include "t.h"
#include <poll.h>
#include <sys/ioctl.h>

static void test_in(const char *dir)
{
	char path[512];
	snprintf(path, sizeof path, "%s/fifo", dir);
	unlink(path);
	T(mkfifo(path, 0600));
	struct stat st;
	T(stat(path, &st));
	SAY("  fifo %d size %lld\n", S_ISFIFO(st.st_mode), (long long)st.st_size);
	/* Non-blocking: a reader opens at once, a writer needs a reader. */
	T(open(path, O_WRONLY | O_NONBLOCK));
	int r = T(open(path, O_RDONLY | O_NONBLOCK));
	int w = T(open(path, O_WRONLY | O_NONBLOCK));
	char buf[64];
	T(read(r, buf, sizeof buf));
	T(write(w, "abc", 3));
	int n = 0;
	T(ioctl(r, FIONREAD, &n));
	SAY("  FIONREAD %d\n", n);
	T(read(r, buf, sizeof buf));
	T(close(w));
	T(read(r, buf, sizeof buf)); /* no writer left: EOF */
	T(close(r));
	/* Blocking opens meet: the writer's open waits for a reader. */
	pid_t c = fork();
	if (c == 0) {
		int fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, "from child", 10) != 10)
			_exit(1);
		_exit(0);
	}
	usleep(50000);
	r = T(open(path, O_RDONLY));
	memset(buf, 0, sizeof buf);
	ssize_t got = 0, k;
	while ((k = read(r, buf + got, sizeof buf - 1 - (size_t)got)) > 0)
		got += k;
	SAY("  read %zd: %s\n", got, buf);
	int s;
	waitpid(c, &s, 0);
	SAY("  child %d\n", WEXITSTATUS(s));
	T(close(r));
	/* O_RDWR never blocks and keeps a writer around. */
	int rw = T(open(path, O_RDWR));
	T(write(rw, "x", 1));
	struct pollfd p = {rw, POLLIN | POLLOUT, 0};
	T(poll(&p, 1, 0));
	SAY("  revents %#x\n", p.revents);
	T(read(rw, buf, 1));
	T(fcntl(rw, F_SETFL, O_NONBLOCK));
	T(read(rw, buf, 1));
	T(close(rw));
	/* A reader that sees its writer go gets POLLHUP. */
	r = T(open(path, O_RDONLY | O_NONBLOCK));
	w = T(open(path, O_WRONLY));
	T(close(w));
	p = (struct pollfd){r, POLLIN, 0};
	T(poll(&p, 1, 0));
	SAY("  revents %#x\n", p.revents);
	T(close(r));
	/* FIFOs cannot be seeked or truncated; O_TRUNC is ignored. */
	rw = T(open(path, O_RDWR | O_TRUNC));
	T(lseek(rw, 0, SEEK_SET));
	T(ftruncate(rw, 0));
	T(close(rw));
	T(unlink(path));
}

int main(void)
{
	const char *d = scratch("fifo");
	test_in(d);
	const char *shm = shm_scratch("fifo");
	test_in(shm);
	T(rmdir(shm));
	return 0;
}
