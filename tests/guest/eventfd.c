/* eventfd2: counter and semaphore modes, limits, blocking, poll, errors. */
#include "t.h"
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>

static void show_poll(int fd)
{
	struct pollfd p = {fd, POLLIN | POLLOUT, 0};
	T(poll(&p, 1, 0));
	SAY("revents %#x\n", p.revents);
}

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	uint64_t v = 0;
	T(eventfd(0, 0x4242));
	int fd = T(eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC));
	T(fcntl(fd, F_GETFD));
	T(fcntl(fd, F_GETFL) & O_NONBLOCK);
	struct stat st;
	T(fstat(fd, &st));
	SAY("mode %o size %lld\n", st.st_mode, (long long)st.st_size);
	char link[64], path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	SAY("link %s\n", link);
	show_poll(fd);
	T(read(fd, &v, 4));
	T(read(fd, &v, 8));
	SAY("value %llu\n", (unsigned long long)v);
	T(read(fd, &v, 8));
	show_poll(fd);
	v = 5;
	T(write(fd, &v, 8));
	T(write(fd, &v, 7));
	v = UINT64_MAX;
	T(write(fd, &v, 8));
	v = UINT64_MAX - 6;
	T(write(fd, &v, 8));
	v = UINT64_MAX - 7;
	T(write(fd, &v, 8));
	show_poll(fd);
	v = 1;
	T(write(fd, &v, 8));
	uint64_t big[2] = {0, 0};
	T(read(fd, big, 16));
	v = big[0];
	SAY("value %llu\n", (unsigned long long)v);
	T(lseek(fd, 0, SEEK_SET));
	T(read(fd, BADPTR, 8));
	T(close(fd));

	/* Semaphore mode hands out one at a time. */
	fd = T(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
	for (int i = 0; i < 3; i++) {
		v = 0;
		T(read(fd, &v, 8));
		SAY("got %llu\n", (unsigned long long)v);
	}
	T(close(fd));

	/* A blocked reader is woken by a writer in another process. */
	fd = T(eventfd(0, 0));
	pid_t p = fork();
	if (p == 0) {
		usleep(50000);
		uint64_t one = 7;
		write(fd, &one, 8);
		_exit(0);
	}
	v = 0;
	T(read(fd, &v, 8));
	SAY("woken with %llu\n", (unsigned long long)v);
	T(waitpid(p, NULL, 0) == p);

	/* A blocked read is interrupted by a signal. */
	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	T(read(fd, &v, 8));
	/* ... and restarted with SA_RESTART: a writer then ends it. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	p = fork();
	if (p == 0) {
		usleep(1500000);
		uint64_t one = 1;
		write(fd, &one, 8);
		_exit(0);
	}
	alarm(1);
	T(read(fd, &v, 8));
	SAY("after restart %llu\n", (unsigned long long)v);
	T(waitpid(p, NULL, 0) == p);
	T(syscall(SYS_eventfd, 9));
	return 0;
}
