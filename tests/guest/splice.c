/* splice, tee and vmsplice: bytes between pipes and files, offsets, the
 * waits and every errno, as grep draining a pipe into /dev/null needs. */
#include "t.h"
#include <sys/uio.h>

static int pfd[2], qfd[2];

static void fill(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		exit(3);
}

static void show(const char *what, int fd)
{
	char buf[128];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("  %s: \"%s\"\n", what, buf);
}

static void pipe_and_file(int file)
{
	loff_t off = 3;
	fill(pfd[1], "hello splice");
	T(splice(pfd[0], NULL, file, NULL, 5, 0));
	T(splice(pfd[0], NULL, file, &off, 100, SPLICE_F_MOVE | SPLICE_F_MORE));
	SAY("  offset now %ld, file position %ld\n", (long)off, (long)lseek(file, 0, SEEK_CUR));
	off = 0;
	T(splice(file, &off, pfd[1], NULL, 6, 0));
	show("file from 0", pfd[0]);
	lseek(file, 1, SEEK_SET);
	T(splice(file, NULL, pfd[1], NULL, 100, 0));
	SAY("  file position %ld\n", (long)lseek(file, 0, SEEK_CUR));
	show("file from 1", pfd[0]);
	T(splice(file, NULL, pfd[1], NULL, 100, 0)); /* at end of file */
}

static void pipe_to_pipe(void)
{
	fill(pfd[1], "between pipes");
	T(splice(pfd[0], NULL, qfd[1], NULL, 7, 0));
	show("second pipe", qfd[0]);
	T(splice(pfd[0], NULL, pfd[1], NULL, 7, 0));
	T(tee(pfd[0], qfd[1], 100, 0));
	show("tee copy", qfd[0]);
	show("tee source kept", pfd[0]);
	T(tee(pfd[0], qfd[1], 100, SPLICE_F_NONBLOCK));
	T(tee(pfd[0], pfd[1], 1, 0));
	T(tee(qfd[0], pfd[1], 0, 0));
	int null = open("/dev/null", O_WRONLY);
	fill(pfd[1], "drained");
	T(splice(pfd[0], NULL, null, NULL, 65536, SPLICE_F_MOVE));
	T(tee(pfd[0], null, 1, 0));
	close(null);
}

static void errors(int file)
{
	loff_t off = 0, neg = -1;
	T(splice(-1, NULL, -1, NULL, 0, 0));
	T(splice(pfd[0], NULL, file, NULL, 1, 0x10));
	T(splice(-1, NULL, file, NULL, 1, 0));
	T(splice(pfd[0], NULL, -1, NULL, 1, 0));
	T(splice(file, NULL, file, NULL, 1, 0));
	T(splice(pfd[0], &off, file, NULL, 1, 0));
	T(splice(file, NULL, pfd[1], &off, 1, 0));
	T(splice(pfd[1], NULL, file, NULL, 1, 0));
	T(splice(file, BADPTR, pfd[1], NULL, 1, 0));
	fill(pfd[1], "x");
	T(splice(pfd[0], NULL, file, &neg, 1, 0));
	int app = open("f", O_WRONLY | O_APPEND);
	T(splice(pfd[0], NULL, app, NULL, 1, 0));
	close(app);
	T(splice(pfd[0], NULL, file, NULL, 1, 0));
	T(splice(pfd[0], NULL, file, NULL, 1, SPLICE_F_NONBLOCK));
	T(tee(file, pfd[1], 1, 0));
	T(tee(pfd[0], qfd[1], 1, 0x10));
}

static void nonblocking(int file)
{
	char page[4096] = {0};
	fcntl(pfd[1], F_SETFL, O_NONBLOCK);
	long n = 0, w;
	while ((w = write(pfd[1], page, sizeof page)) > 0)
		n += w;
	SAY("  pipe holds %ld\n", n);
	T(splice(file, NULL, pfd[1], NULL, 10, SPLICE_F_NONBLOCK));
	T(splice(file, NULL, pfd[1], NULL, 10, 0)); /* the pipe's O_NONBLOCK */
	fcntl(pfd[1], F_SETFL, 0);
	n = 0;
	while ((w = splice(pfd[0], NULL, file, NULL, 100000, SPLICE_F_NONBLOCK)) > 0)
		n += w;
	SAY("  moved %ld, then %s, file size %ld\n", n, strerrorname_np(errno),
	    (long)lseek(file, 0, SEEK_END));
}

static void readers_gone(int file)
{
	signal(SIGPIPE, SIG_IGN);
	int p[2];
	if (pipe(p))
		exit(4);
	close(p[0]);
	loff_t off = 0;
	T(splice(file, &off, p[1], NULL, 10, 0));
	close(p[1]);
	if (pipe(p))
		exit(4);
	close(p[1]);
	T(splice(p[0], NULL, file, NULL, 10, 0));
	T(tee(p[0], qfd[1], 10, 0));
	close(p[0]);
}

static void vmsplice_calls(int file)
{
	struct iovec in[2] = {{"vm", 2}, {"splice", 6}};
	T(vmsplice(pfd[1], in, 2, 0));
	char a[3] = {0}, b[6] = {0};
	struct iovec out[2] = {{a, 2}, {b, 5}};
	T(vmsplice(pfd[0], out, 2, 0));
	SAY("  read back \"%s\" \"%s\"\n", a, b);
	show("rest", pfd[0]);
	T(vmsplice(pfd[0], out, 1, SPLICE_F_NONBLOCK));
	T(vmsplice(file, in, 1, 0));
	T(vmsplice(pfd[1], in, 1, 0x10));
	T(vmsplice(-1, in, 1, 0));
	T(vmsplice(pfd[1], BADPTR, 1, 0));
	T(vmsplice(pfd[1], in, 0, 0));
}

int main(void)
{
	const char *d = scratch("splice");
	if (chdir(d) || pipe(pfd) || pipe(qfd))
		return 1;
	int file = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (file < 0)
		return 2;
	SAY("pipe and file:\n");
	pipe_and_file(file);
	SAY("pipe to pipe, tee:\n");
	pipe_to_pipe();
	SAY("errors:\n");
	errors(file);
	SAY("nonblocking:\n");
	nonblocking(file);
	SAY("no readers, no writers:\n");
	readers_gone(file);
	SAY("vmsplice:\n");
	vmsplice_calls(file);
	scratch_remove(d);
	return 0;
}
