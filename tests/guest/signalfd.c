/* signalfd4: reading blocked signals as records, siginfo contents, several
 * per read, poll and epoll, mask updates, errors. */
#include "t.h"
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>

static void show(const struct signalfd_siginfo *s, int self)
{
	SAY("signo %u code %d pid-is-self %d uid %u int %d\n", s->ssi_signo, s->ssi_code,
	    (int)s->ssi_pid == self, s->ssi_uid, s->ssi_int);
}

int main(void)
{
	int self = getpid();
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGRTMIN);
	sigaddset(&m, SIGCHLD);
	T(syscall(SYS_signalfd4, -1, &m, 4, 0));
	T(signalfd(-1, &m, 0x77));
	T(signalfd(-1, BADPTR, 0));
	T(signalfd(999, &m, 0));
	T(signalfd(0, &m, 0));
	int fd = OK(signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC));
	struct stat st;
	T(fstat(fd, &st));
	SAY("mode %o\n", st.st_mode);
	struct signalfd_siginfo s[4];
	T(read(fd, s, sizeof s[0]));
	T(read(fd, s, 100));
	T(lseek(fd, 0, SEEK_SET));

	sigprocmask(SIG_BLOCK, &m, NULL);
	/* kill, tgkill, sigqueue: pid, uid and value arrive. */
	kill(self, SIGUSR1);
	T(read(fd, s, sizeof s));
	show(&s[0], self);
	syscall(SYS_tgkill, self, self, SIGUSR2);
	union sigval val = {.sival_int = 1234};
	sigqueue(self, SIGRTMIN, val);
	sigqueue(self, SIGRTMIN, val);
	struct pollfd p = {fd, POLLIN, 0};
	T(poll(&p, 1, 0));
	SAY("revents %#x\n", p.revents);
	T(read(fd, s, sizeof s));
	for (int i = 0; i < 3; i++)
		show(&s[i], self);
	T(poll(&p, 1, 0));

	/* SIGCHLD carries the child's status. */
	pid_t c = fork();
	if (c == 0)
		_exit(7);
	int ep = OK(epoll_create1(0));
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = 9}, out;
	T(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e));
	T(epoll_wait(ep, &out, 1, 5000));
	T(read(fd, s, sizeof s));
	SAY("signo %u code %d pid-is-child %d status %d\n", s[0].ssi_signo, s[0].ssi_code,
	    (int)s[0].ssi_pid == c, s[0].ssi_status);
	waitpid(c, NULL, 0);

	/* Only signals in the mask are read; the mask can be changed. */
	kill(self, SIGUSR1);
	sigset_t m2;
	sigemptyset(&m2);
	sigaddset(&m2, SIGUSR2);
	T(signalfd(fd, &m2, 0));
	T(read(fd, s, sizeof s));
	T(signalfd(fd, &m, 0));
	T(read(fd, s, sizeof s));
	show(&s[0], self);

	/* A blocking read waits for a signal from another process. */
	int bfd = OK(signalfd(-1, &m, 0));
	c = fork();
	if (c == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR2);
		usleep(300000); /* SIGCHLD comes well after */
		_exit(0);
	}
	T(read(bfd, s, sizeof s));
	SAY("signo %u code %d\n", s[0].ssi_signo, s[0].ssi_code);
	T(read(fd, s, sizeof s));
	waitpid(c, NULL, 0);
	T(read(fd, s, sizeof s));
	/* SIGKILL and SIGSTOP cannot be read this way. */
	sigset_t all;
	sigfillset(&all);
	T(signalfd(fd, &all, 0));
	return 0;
}
