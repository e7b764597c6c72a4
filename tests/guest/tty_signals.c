/* Terminal signals and job control over a pty that is a session's
 * controlling terminal: ISIG's INTR/QUIT/SUSP to the foreground group,
 * NOFLSH, SIGWINCH, background reads and writes (SIGTTIN, SIGTTOU with
 * TOSTOP, EIO when ignored or orphaned), a stopped reader resumed in the
 * foreground, and the rules and errnos of TIOCSPGRP, TIOCGPGRP, TIOCGSID,
 * TIOCSCTTY and TIOCNOTTY. */
#include "ptys.h"

static volatile sig_atomic_t caught[NSIG];

static void count(int sig)
{
	caught[sig]++;
}

static void catch (int sig, int flags)
{
	struct sigaction sa = {.sa_handler = count, .sa_flags = flags};
	sigaction(sig, &sa, NULL);
}

static void say_caught(void)
{
	static const int sigs[] = {SIGINT,  SIGQUIT, SIGTSTP, SIGWINCH,
				   SIGTTIN, SIGTTOU, SIGHUP,  SIGCONT};
	SAY("caught:");
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		if (caught[sigs[i]])
			SAY(" %s x%d", sigabbrev_np(sigs[i]), (int)caught[sigs[i]]);
		caught[sigs[i]] = 0;
	}
	SAY("\n");
}

static int m, s;

/* Runs fn in a child in a process group of its own (a background job);
 * what it and its children print comes out here once they have ended. */
static void background(void (*fn)(void))
{
	int p[2];
	if (pipe(p))
		exit(96);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		setpgid(0, 0);
		fn();
		exit(0);
	}
	setpgid(pid, pid);
	close(p[1]);
	int status;
	waitpid(pid, &status, 0);
	SAY("job exited %d\n", WEXITSTATUS(status));
	static char buf[8192];
	size_t len = 0;
	ssize_t n;
	while (len < sizeof buf && (n = read(p[0], buf + len, sizeof buf - len)) > 0)
		len += (size_t)n;
	SAY("%.*s", (int)len, buf);
	close(p[0]);
}

static void keyboard_signals(void)
{
	catch (SIGINT, 0);
	catch (SIGQUIT, 0);
	catch (SIGTSTP, 0);
	SAY("== INTR, QUIT, SUSP\n");
	TYPE(m, s, "ab");
	drain(m, "echo");
	TYPE(m, s, "\x03");
	drain(m, "echo");
	TYPE(m, s,
	     "cd\x1c"
	     "ef\x1a");
	drain(m, "echo");
	say_caught();
	TYPE(m, s, "\n");
	drain(m, "echo");
	reads(s, "line", 4096);

	SAY("== NOFLSH\n");
	tflags(s, LFLAG, NOFLSH, 0);
	TYPE(m, s,
	     "ab\x03"
	     "cd\n");
	drain(m, "echo");
	reads(s, "line", 4096);
	say_caught();
	tflags(s, LFLAG, 0, NOFLSH);

	SAY("== output the master has taken in stays\n");
	T(write(s, "out", 3));
	readable(m, 0);
	TYPE(m, s, "\x03");
	drain(m, "master reads");
	say_caught();

	SAY("== no ISIG, then VINTR changed\n");
	tflags(s, LFLAG, 0, ISIG);
	TYPE(m, s, "\x03\n");
	drain(m, "echo");
	reads(s, "line", 4096);
	tflags(s, LFLAG, ISIG, 0);
	tcc(s, VINTR, 'x');
	TYPE(m, s, "\x03x\n");
	drain(m, "echo");
	reads(s, "line", 4096);
	say_caught();
	tcc(s, VINTR, 3);
}

static void winch(void)
{
	SAY("== SIGWINCH\n");
	catch (SIGWINCH, 0);
	struct winsize ws = {30, 100, 0, 0};
	T(ioctl(m, TIOCSWINSZ, &ws));
	say_caught();
	T(ioctl(m, TIOCSWINSZ, &ws));
	say_caught();
	ws.ws_xpixel = 800;
	T(ioctl(s, TIOCSWINSZ, &ws));
	say_caught();
}

static void bg_read(void)
{
	char c;
	catch (SIGTTIN, 0);
	T(read(s, &c, 1));
	say_caught();
	signal(SIGTTIN, SIG_IGN);
	T(read(s, &c, 1));
	signal(SIGTTIN, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTTIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	T(read(s, &c, 1));
}

static void bg_write(void)
{
	struct termios t;
	struct winsize ws;
	T(tcgetattr(s, &t));
	catch (SIGTTOU, 0);
	T(write(s, "w1", 2));
	T(tcsetattr(s, TCSANOW, &t));
	say_caught();
	T(tcflush(s, TCIFLUSH));
	T(tcflow(s, TCOON));
	say_caught();
	T(ioctl(s, TIOCGWINSZ, &ws));
	T(tcgetpgrp(s) == getpgrp());
	signal(SIGTTOU, SIG_IGN);
	t.c_lflag |= TOSTOP;
	T(tcsetattr(s, TCSANOW, &t));
	catch (SIGTTOU, 0);
	T(write(s, "w2", 2));
	say_caught();
	signal(SIGTTOU, SIG_IGN);
	T(write(s, "w3", 2));
	T(tcsetpgrp(s, getpgrp())); /* a shell takes the terminal so */
	T(tcgetpgrp(s) == getpgrp());
}

/* An orphaned background group gets EIO instead of stops. */
static void orphan(void)
{
	pid_t parent = getpid();
	if (fork() > 0)
		return; /* the group is orphaned once its only member's parent ends */
	while (getppid() == parent)
		usleep(1000);
	char c;
	struct termios t;
	T(read(s, &c, 1));
	T(write(s, "o", 1));
	T(tcgetattr(s, &t));
	T(tcsetattr(s, TCSANOW, &t));
	T(tcsetpgrp(s, getpgrp()));
}

/* A stopped background reader, moved to the foreground and continued,
 * reads what is typed then. */
static void stopped_reader(void)
{
	char buf[16] = {0};
	T(read(s, buf, sizeof buf));
	SAY("read \"%s\"\n", strtok(buf, "\n"));
}

static void job_control(void)
{
	SAY("== a background job reads\n");
	background(bg_read);
	SAY("== a background job writes and changes settings\n");
	background(bg_write);
	signal(SIGTTOU, SIG_IGN);
	SAY("foreground: ours %d\n", tcgetpgrp(s) == getpgrp());
	T(tcsetpgrp(s, getpgrp()));
	tflags(s, LFLAG, 0, TOSTOP);
	signal(SIGTTOU, SIG_DFL);
	drain(m, "master reads");

	SAY("== an orphaned background job\n");
	tflags(s, LFLAG, TOSTOP, 0);
	background(orphan);
	tflags(s, LFLAG, 0, TOSTOP);
	drain(m, "master reads");
	SAY("== a stopped reader continued in the foreground\n");
	pid_t job = fork();
	if (job == 0) {
		setpgid(0, 0);
		stopped_reader();
		exit(0);
	}
	setpgid(job, job);
	int status;
	waitpid(job, &status, WUNTRACED);
	SAY("job stopped by %s\n", WIFSTOPPED(status) ? sigabbrev_np(WSTOPSIG(status)) : "-");
	T(tcsetpgrp(s, job));
	TYPE(m, s, "typed\n");
	drain(m, "echo");
	/* Said after the wait: the resumed job prints too. */
	int cont = kill(job, SIGCONT);
	waitpid(job, &status, 0);
	SAY("kill(job, SIGCONT) -> %d\n", cont);
	SAY("job exited %d\n", WEXITSTATUS(status));
	signal(SIGTTOU, SIG_IGN);
	T(tcsetpgrp(s, getpgrp()));
	signal(SIGTTOU, SIG_DFL);
}

/* The job-control ioctls: only on the controlling terminal (or through
 * its master), groups of the caller's session only. */
static void ioctl_rules(void)
{
	SAY("== TIOCSPGRP, TIOCGPGRP, TIOCGSID\n");
	int m2, s2;
	pty_pair(&m2, &s2);
	int pg = getpgrp();
	T(ioctl(s2, TIOCSPGRP, &pg));
	T(ioctl(s2, TIOCGPGRP, &pg));
	T(ioctl(s2, TIOCGSID, &pg));
	pg = -1;
	T(ioctl(m2, TIOCGPGRP, &pg));
	SAY("no group: %d\n", pg);
	T(ioctl(m2, TIOCGSID, &pg));
	T(ioctl(m2, TIOCSPGRP, &pg));
	pg = getpgrp();
	T(ioctl(m, TIOCSPGRP, &pg));
	int sid = 0;
	T(ioctl(m, TIOCGSID, &sid));
	SAY("master: session %d\n", sid == getsid(0));
	T(ioctl(s, TIOCGSID, &sid));
	SAY("slave: session %d\n", sid == getsid(0));
	pg = -1;
	T(ioctl(s, TIOCSPGRP, &pg));
	pg = 0x3ffffff0;
	T(ioctl(s, TIOCSPGRP, &pg));
	pg = getpgid(getppid()); /* in the session we left */
	T(ioctl(s, TIOCSPGRP, &pg));
	T(ioctl(s, TIOCSPGRP, BADPTR));

	SAY("== TIOCSCTTY\n");
	T(ioctl(s, TIOCSCTTY, 0)); /* ours already */
	T(ioctl(s2, TIOCSCTTY, 0));
	T(ioctl(m2, TIOCNOTTY));
	T(ioctl(s2, TIOCNOTTY));
	pid_t pid = fork();
	if (pid == 0) {
		T(ioctl(s2, TIOCSCTTY, 0)); /* not a session leader */
		T(setsid() > 0);
		T(ioctl(s, TIOCSCTTY, 0));  /* another session's */
		T(ioctl(m2, TIOCSCTTY, 0)); /* the master gives the slave */
		T(ioctl(s2, TIOCGSID, &sid));
		SAY("session %d\n", sid == getsid(0));
		T(open("/dev/tty", O_RDWR) >= 0);
		exit(0);
	}
	waitpid(pid, NULL, 0);
	close(m2);
	close(s2);

	SAY("== TIOCNOTTY by the session leader\n");
	catch (SIGHUP, 0);
	catch (SIGCONT, 0);
	T(ioctl(s, TIOCNOTTY));
	say_caught();
	T(tcgetpgrp(s));
	T(open("/dev/tty", O_RDWR));
	T(ioctl(m, TIOCGPGRP, &pg));
	SAY("no group: %d\n", pg);
	T(ioctl(s, TIOCSCTTY, 0));
	SAY("foreground: ours %d\n", tcgetpgrp(s) == getpgrp());
}

/* The session's leader does it all; its children report through it. */
static void session(void)
{
	T(setsid() > 0);
	s = open(ptsname(m), O_RDWR);
	SAY("controlling terminal: %d\n", s >= 0 && tcgetsid(s) == getsid(0));
	SAY("foreground: ours %d\n", tcgetpgrp(s) == getpgrp());
	T(open("/dev/tty", O_RDWR) >= 0);
	keyboard_signals();
	winch();
	job_control();
	ioctl_rules();
}

int main(void)
{
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m))
		return 90;
	pid_t pid = fork();
	if (pid == 0) {
		session();
		exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	SAY("session exited %d\n", WEXITSTATUS(status));
	return 0;
}
