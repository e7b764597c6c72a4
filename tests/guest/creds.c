/* Credentials: get*id, setuid/setgid drops, setres*id, setre*id, setfs*id,
 * groups, and what an unprivileged process may do. */
#include "t.h"
#include <grp.h>
#include <sys/fsuid.h>

static void ids(const char *what)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	SAY("  %s: uid %d %d %d gid %d %d %d fsuid %d\n", what, r, e, s, gr, ge, gs, setfsuid(-1));
}

int main(void)
{
	T(getuid());
	T(geteuid());
	T(getgid());
	T(getegid());
	ids("start");
	gid_t gl[64];
	int n = T(getgroups(64, gl));
	T(setgroups(3, (gid_t[]){10, 20, 30}));
	n = T(getgroups(64, gl));
	for (int i = 0; i < n; i++)
		SAY("  group %d\n", gl[i]);
	T(getgroups(0, NULL));
	T(getgroups(1, gl));
	T(syscall(SYS_getgroups, -1, gl));
	T(getgroups(3, BADPTR));
	T(setgroups(1, BADPTR));
	T(setgroups(100000, gl));
	T(setgroups(0, NULL));
	T(getgroups(0, NULL));
	T(setuid(-1));
	T(setgid(-1));
	T(setresuid(-1, -1, -1));

	/* Root: setuid sets all three ids: a permanent drop. */
	pid_t c = fork();
	if (c == 0) {
		T(setgid(100));
		T(setuid(1000));
		ids("after setuid");
		T(setuid(0));
		T(seteuid(0));
		T(setgid(0));
		T(setgroups(0, NULL));
		T(setuid(1000));
		T(setresuid(-1, -1, -1));
		T(setresuid(1001, -1, -1));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* seteuid: a temporary drop, the saved id allows going back. */
	c = fork();
	if (c == 0) {
		T(setresgid(5, 6, 7));
		T(setresuid(1000, 2000, 0));
		ids("setresuid");
		T(setuid(2000)); /* unprivileged: sets euid only */
		ids("setuid unpriv");
		T(seteuid(0));
		ids("seteuid 0");
		T(setreuid(3000, -1));
		ids("setreuid");
		T(setresuid(-1, 1000, -1));
		T(setresuid(1000, 1000, 1000));
		T(setresuid(0, -1, -1));
		T(setreuid(-1, 4000));
		ids("end");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* setfsuid: returns the old value, only what is allowed sticks. */
	c = fork();
	if (c == 0) {
		T(setfsuid(1234));
		T(setfsuid(-1));
		T(setfsgid(4321));
		T(setfsgid(-1));
		T(setresuid(1000, 1000, 1000));
		T(setfsuid(0));
		T(setfsuid(-1));
		/* access uses the real ids, open the effective (fs) ones. */
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* An unprivileged process cannot kill root's processes. */
	c = fork();
	if (c == 0) {
		T(setuid(1000));
		T(kill(getppid(), 0));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	/* Credentials are kept by fork and exec. */
	c = fork();
	if (c == 0) {
		T(setgroups(1, (gid_t[]){77}));
		T(setresgid(8, 8, 8));
		T(setresuid(1000, 1000, 1000));
		execl("/usr/bin/id", "id", (char *)NULL);
		_exit(127);
	}
	waitpid(c, NULL, 0);
	T(getresuid(BADPTR, BADPTR, BADPTR));
	return 0;
}
