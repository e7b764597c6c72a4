/* A process group orphaned by an exit gets SIGHUP then SIGCONT when it has
 * stopped members (POSIX, Linux's kill_orphaned_pgrp): whether the exit was
 * of the group's own leader or of the parent of a group of its children.
 * A group without stopped members, or one that stays connected, gets
 * nothing. Each scenario runs in a session of its own, so that the orphans'
 * new parent (init, natively and in the guest) is in another session. */
#include "t.h"
#include <stdbool.h>

static int report[2];

static void note(int sig)
{
	char c = sig == SIGHUP ? 'H' : 'C';
	write(report[1], &c, 1);
}

/* A member of the group: it stops itself (or just waits) and reports the
 * signals it gets; it ends when its parent is gone and a moment has passed. */
static void member(bool stop, pid_t parent)
{
	struct sigaction sa = {.sa_handler = note};
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	if (stop)
		raise(SIGSTOP);
	while (getppid() == parent)
		usleep(5000);
	usleep(200000); /* any signals of the exit have arrived by now */
	_exit(0);
}

/* Forks a member into group pgid (0: its own) and waits until it is
 * stopped, if it stops. */
static pid_t start_member(pid_t pgid, bool stop)
{
	pid_t self = getpid();
	pid_t m = fork();
	if (m == 0) {
		setpgid(0, pgid);
		member(stop, self);
	}
	setpgid(m, pgid);
	if (stop) {
		int st;
		waitpid(m, &st, WUNTRACED);
	}
	return m;
}

/* What the members reported so far, after a moment for them to report. */
static void say_reports(const char *what)
{
	usleep(500000);
	char buf[16];
	ssize_t n = read(report[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	SAY("%s: %s\n", what, n > 0 ? buf : "no signals");
}

enum scenario { LEADER_EXITS, PARENT_EXITS, NOT_STOPPED, STILL_CONNECTED };

static const char *const names[] = {"leader exits", "parent exits", "nothing stopped",
				    "still connected"};

/* In a session leader: a child whose exit orphans a group, or not. */
static void run_in_session(enum scenario s)
{
	int ready[2], go[2];
	pipe(ready);
	pipe(go);
	pid_t c = fork();
	if (c == 0) {
		if (s != PARENT_EXITS)
			setpgid(0, 0);
		/* PARENT_EXITS: the member leads a group of its own. */
		start_member(s == PARENT_EXITS ? 0 : getpid(), s != NOT_STOPPED);
		write(ready[1], "", 1);
		/* STILL_CONNECTED: the session leader adds a member first. */
		char x;
		read(go[0], &x, 1);
		_exit(0);
	}
	char x;
	read(ready[0], &x, 1);
	pid_t link = 0;
	if (s == STILL_CONNECTED) {
		/* A member whose parent, this leader, stays in the session. */
		link = fork();
		if (link == 0) {
			setpgid(0, c);
			pause();
		}
		setpgid(link, c);
	}
	write(go[1], "", 1);
	waitpid(c, NULL, 0);
	say_reports(names[s]);
	if (link) {
		/* Its exit cuts the group's last link: now it is orphaned. */
		kill(link, SIGKILL);
		waitpid(link, NULL, 0);
		say_reports("link exits");
	}
}

int main(void)
{
	for (enum scenario s = LEADER_EXITS; s <= STILL_CONNECTED; s++) {
		pipe(report);
		fcntl(report[0], F_SETFL, O_NONBLOCK);
		fflush(stdout);
		pid_t leader = fork();
		if (leader == 0) {
			setsid();
			run_in_session(s);
			_exit(0);
		}
		waitpid(leader, NULL, 0);
		close(report[0]);
		close(report[1]);
	}
	return 0;
}
