/* What is particular to pseudo-terminals: the lock and TIOCGPTN,
 * TIOCGPTPEER, packet mode and its status bytes, FIONREAD and TIOCOUTQ on
 * both sides, tcdrain and tcflush from the master, TIOCSTI by root, and the ends:
 * the master reading after the slave closed, the slave hung up when the
 * master closes (with SIGHUP for its session). */
#include "ptys.h"

static void lock_and_number(void)
{
	SAY("== TIOCSPTLCK, TIOCGPTN, TIOCGPTPEER\n");
	int m = T(posix_openpt(O_RDWR | O_NOCTTY));
	T(grantpt(m));
	unsigned n;
	T(ioctl(m, TIOCGPTN, &n));
	char name[32];
	snprintf(name, sizeof name, "/dev/pts/%u", n);
	SAY("ptsname matches: %d\n", !strcmp(name, ptsname(m)));
	int locked = -1;
	T(ioctl(m, TIOCGPTLCK, &locked));
	SAY("locked %d\n", locked);
	T(open(name, O_RDWR | O_NOCTTY));
	T(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
	int zero = 0;
	T(ioctl(m, TIOCSPTLCK, &zero));
	T(ioctl(m, TIOCGPTLCK, &locked));
	SAY("locked %d\n", locked);
	T(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_APPEND));
	int s = T(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
	SAY("close-on-exec %d\n", fcntl(s, F_GETFD));
	T(ioctl(s, TIOCGPTN, &n));
	T(ioctl(s, TIOCSPTLCK, &zero));
	T(ioctl(s, TIOCPKT, &zero));
	T(ioctl(m, TIOCGPTN, BADPTR));
	close(s);
	close(m);
}

static void packet(const char *what, int m)
{
	char buf[64];
	int fl = fcntl(m, F_GETFL);
	fcntl(m, F_SETFL, fl | O_NONBLOCK);
	struct pollfd p = {m, POLLIN | POLLPRI, 0};
	int ready = poll(&p, 1, 0);
	SAY("%s: poll %d%s%s, ", what, ready, p.revents & POLLIN ? " IN" : "",
	    p.revents & POLLPRI ? " PRI" : "");
	ssize_t n = read(m, buf, sizeof buf);
	fcntl(m, F_SETFL, fl);
	if (n < 0) {
		SAY("%s\n", strerrorname_np(errno));
		return;
	}
	SAY("status %#x, ", (unsigned char)buf[0]);
	say_data(buf + 1, (size_t)n - 1);
}

static void packet_mode(void)
{
	SAY("== packet mode\n");
	int m, s, one = 1, zero = 0, v = -1;
	pty_pair(&m, &s);
	T(write(s, "before", 6));
	T(ioctl(m, TIOCPKT, &one));
	T(ioctl(m, TIOCGPKT, &v));
	SAY("packet %d\n", v);
	packet("data", m);
	packet("nothing", m);
	T(write(s, "hi\n", 3));
	packet("data", m);
	TYPE(m, s, "\x13");
	packet("^S", m);
	TYPE(m, s, "\x11");
	packet("^Q", m);
	TYPE(m, s, "\x13\x11");
	packet("^S^Q", m);
	T(tcflow(s, TCOOFF));
	packet("TCOOFF", m);
	T(tcflow(s, TCOON));
	packet("TCOON", m);
	T(tcflush(s, TCIFLUSH));
	packet("TCIFLUSH", m);
	T(tcflush(s, TCOFLUSH));
	packet("TCOFLUSH", m);
	T(tcflush(s, TCIOFLUSH));
	packet("TCIOFLUSH", m);
	TYPE(m, s, "ab\x03");
	packet("^C", m);
	packet("echo", m);
	tflags(s, IFLAG, 0, IXON);
	packet("-ixon", m);
	tflags(s, IFLAG, IXON, 0);
	packet("ixon", m);
	tcc(s, VSTOP, 'x');
	packet("stop char changed", m);
	tcc(s, VSTOP, 0x13);
	packet("stop char back", m);
	tflags(s, LFLAG, 0, ECHO);
	packet("-echo", m);
	struct termios t;
	T(tcgetattr(s, &t));
	T(tcsetattr(s, TCSAFLUSH, &t));
	packet("TCSAFLUSH", m);
	T(ioctl(m, TIOCPKT, &zero));
	T(write(s, "x", 1));
	tflags(s, IFLAG, 0, IXON);
	drain(m, "packet mode off");
	T(ioctl(m, TIOCPKT, &one));
	packet("packet mode on again", m);
	close(s);
	packet("slave closed", m);
	close(m);
}

static void counts(int m, int s)
{
	int n = -1;
	T(ioctl(m, FIONREAD, &n));
	SAY("master FIONREAD %d\n", n);
	T(ioctl(m, TIOCOUTQ, &n));
	SAY("master TIOCOUTQ %d\n", n);
	T(ioctl(s, FIONREAD, &n));
	SAY("slave FIONREAD %d\n", n);
	T(ioctl(s, TIOCOUTQ, &n));
	SAY("slave TIOCOUTQ %d\n", n);
}

static void queues(void)
{
	SAY("== FIONREAD, TIOCOUTQ, tcdrain, tcflush\n");
	int m, s;
	pty_pair(&m, &s);
	tflags(s, LFLAG, 0, ECHO); /* echoes would reach the master late */
	T(write(s, "12345", 5));
	readable(m, 0);
	TYPE(m, s, "abc\ndef");
	counts(m, s);
	T(tcdrain(s));
	T(tcdrain(m));
	T(tcflush(m, TCIFLUSH)); /* the slave's output, unread */
	counts(m, s);
	T(tcflush(m, TCOFLUSH)); /* the slave's input */
	counts(m, s);
	T(tcflush(m, 7));
	TYPE(m, s, "z\n");
	reads(s, "line", 100);
	close(s);
	close(m);
}

static void tiocsti(void)
{
	SAY("== TIOCSTI\n");
	int m, s;
	pty_pair(&m, &s);
	char c = 'q';
	T(ioctl(s, TIOCSTI, &c));
	c = '\n';
	T(ioctl(s, TIOCSTI, &c));
	drain(m, "echo");
	reads(s, "line", 100);
	c = 'm';
	T(ioctl(m, TIOCSTI, &c));
	drain(m, "master reads");
	T(ioctl(s, TIOCSTI, BADPTR));
	/* Without CAP_SYS_ADMIN the host's dev.tty.legacy_tiocsti decides;
	 * umk's rule (EIO) is checked by tests/system/ptys.sh. */
	close(s);
	close(m);
}

static void slave_closes(void)
{
	SAY("== the slave closes\n");
	int m = T(posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK));
	T(unlockpt(m));
	char buf[16];
	T(read(m, buf, sizeof buf)); /* never opened: nothing yet */
	int s = open(ptsname(m), O_RDWR | O_NOCTTY);
	T(write(s, "bye\n", 4));
	close(s);
	struct pollfd p = {m, POLLIN, 0};
	T(poll(&p, 1, 0));
	SAY("revents IN %d HUP %d\n", !!(p.revents & POLLIN), !!(p.revents & POLLHUP));
	T(read(m, buf, sizeof buf));
	T(read(m, buf, sizeof buf));
	T(poll(&p, 1, 0));
	SAY("revents IN %d HUP %d\n", !!(p.revents & POLLIN), !!(p.revents & POLLHUP));
	T(write(m, "x", 1));
	s = T(open(ptsname(m), O_RDWR | O_NOCTTY) >= 0);
	close(m);
}

static volatile sig_atomic_t hups;

static void hup(int sig)
{
	(void)sig;
	hups++;
}

static void master_closes(void)
{
	SAY("== the master closes\n");
	int m = T(posix_openpt(O_RDWR | O_NOCTTY));
	T(unlockpt(m));
	int report[2];
	if (pipe(report))
		exit(96);
	pid_t pid = fork();
	if (pid == 0) {
		/* A session on the slave, told through the pipe that it is ready. */
		close(report[0]);
		dup2(report[1], 1);
		signal(SIGHUP, hup);
		setsid();
		char name[32];
		snprintf(name, sizeof name, "%s", ptsname(m));
		int s = open(name, O_RDWR);
		close(m);
		char c;
		T(read(s, &c, 1)); /* blocks until the hangup */
		SAY("SIGHUP x%d\n", (int)hups);
		T(read(s, &c, 1));
		T(write(s, "x", 1));
		struct termios t;
		T(tcgetattr(s, &t));
		int pg = getpgrp();
		T(ioctl(s, TIOCSPGRP, &pg));
		struct pollfd p = {s, POLLIN | POLLOUT, 0};
		T(poll(&p, 1, 0));
		SAY("revents %#x\n", p.revents);
		T(open("/dev/tty", O_RDWR));
		T(open(name, O_RDWR));
		exit(0);
	}
	close(report[1]);
	wait_child_sleeping(pid);
	close(m);
	int status;
	waitpid(pid, &status, 0);
	char buf[4096];
	ssize_t n = read(report[0], buf, sizeof buf);
	SAY("%.*s", (int)(n > 0 ? n : 0), buf);
	SAY("exited %d\n", WEXITSTATUS(status));
}

int main(void)
{
	lock_and_number();
	packet_mode();
	queues();
	tiocsti();
	slave_closes();
	master_closes();
	return 0;
}
