/* Executing set-user-ID and set-group-ID programs: effective and saved ids
 * change, AT_SECURE is set; not on a group bit without group execute, nor
 * under PR_SET_NO_NEW_PRIVS; a script's set-id bits are ignored. */
#include "t.h"
#include <stdbool.h>
#include <sys/auxv.h>
#include <sys/prctl.h>

static void run_as(const char *path, uid_t as, bool no_new_privs)
{
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (as && (setgid(as) || setuid(as)))
			_exit(2);
		if (no_new_privs)
			prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		execl(path, path, "show", (char *)NULL);
		SAY("  exec %s\n", strerrorname_np(errno));
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
}

static void run(const char *path, uid_t as)
{
	run_as(path, as, false);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		uid_t r, e, s;
		gid_t gr, ge, gs;
		getresuid(&r, &e, &s);
		getresgid(&gr, &ge, &gs);
		SAY("  uid %d %d %d gid %d %d %d secure %lu\n", r, e, s, gr, ge, gs,
		    getauxval(AT_SECURE));
		return 0;
	}
	const char *d = scratch("setuid_exec");
	if (chdir(d))
		return 1;
	T(chmod(".", 0755));
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "cp '%s' prog", argv[0]);
	if (system(cmd))
		return 2;
	char prog[4200];
	snprintf(prog, sizeof prog, "%s/prog", d);
	run(prog, 1000);
	T(chown("prog", 2000, 3000));
	T(chmod("prog", 04755));
	run(prog, 1000);
	run(prog, 0);
	T(chmod("prog", 02755));
	run(prog, 1000);
	T(chmod("prog", 06745)); /* setgid without group execute: not set-group-ID */
	run(prog, 1000);
	T(chmod("prog", 06755));
	run(prog, 1000);
	run_as(prog, 1000, true);
	/* An unprivileged write clears the set-id bits. */
	pid_t c = fork();
	if (c == 0) {
		setgid(2000);
		setuid(2000);
		int fd = open("prog", O_WRONLY | O_APPEND);
		SAY("  owner opened %d\n", fd >= 0);
		if (write(fd, "", 0) < 0 || write(fd, "x", 1) != 1)
			SAY("  write failed\n");
		_exit(0);
	}
	waitpid(c, NULL, 0);
	struct stat st;
	T(stat("prog", &st));
	SAY("  mode after write %o\n", st.st_mode & 07777);
	/* Truncation by the owner too; root's write keeps the bits. */
	T(chmod("prog", 06755));
	c = fork();
	if (c == 0) {
		setgid(2000);
		setuid(2000);
		T(truncate("prog", 100000));
		_exit(0);
	}
	waitpid(c, NULL, 0);
	T(stat("prog", &st));
	SAY("  mode after truncate %o\n", st.st_mode & 07777);
	T(chmod("prog", 06755));
	int fd = T(open("prog", O_WRONLY | O_APPEND));
	T(write(fd, "y", 1));
	T(stat("prog", &st));
	SAY("  mode after root's write %o\n", st.st_mode & 07777);
	return 0;
}
